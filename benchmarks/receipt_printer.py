"""Receipt printer figures: virtual printer render time, driver round trips, bytes per QR,
and what the fixed python-escpos capabilities cache saves on import.

Run standalone: ``python benchmarks/receipt_printer.py [--quick]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QR_TEXT = "ADM1.eyJ2IjoxLCJ2aWQiOiJWLTAwMDEyMyIsImRvYyI6ImtrIn0.c2ltLXNpZ25hdHVyZS0wMTIzNDU2Nzg5"


def _ticket_bytes(native_qr: bool = True) -> bytes:
    from devices.printers.escpos_link import escpos_printer_module

    p = escpos_printer_module().Dummy()
    p.hw("INIT")
    p.set(align="center", bold=True, double_height=True, double_width=True)
    p.textln("A-017")
    p.set_with_default()
    p.set(align="center")
    p.textln("Perekaman KTP-el")
    p.textln("Kantor Kecamatan Cibinong")
    p.textln("23-11-2026 09:15")
    p.qr(QR_TEXT, native=native_qr, size=5, ec=1)
    p.textln("Silakan menunggu panggilan")
    p.cut()
    data: bytes = p.output
    return data


def _median_ms(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _import_ms(cache_dir: Path) -> float:
    code = (
        "import time; t = time.perf_counter()\n"
        "from devices.printers.escpos_link import escpos_printer_module\n"
        "escpos_printer_module(); print((time.perf_counter() - t) * 1000)\n"
    )
    env = {**os.environ, "ESCPOS_CAPABILITIES_PICKLE_DIR": str(cache_dir)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(out.stdout.strip().splitlines()[-1])


def run(quick: bool) -> list[dict[str, Any]]:
    from devices.drivers import DriverContext
    from devices.printers.escpos import NetworkReceiptPrinter
    from devices.sim.virtual_escpos.render import render_escpos
    from devices.sim.virtual_escpos.server import VirtualEscposPrinter

    repeat = 10 if quick else 50
    ticket = _ticket_bytes()
    raster = _ticket_bytes(native_qr=False)
    render_ms = _median_ms(lambda: render_escpos(ticket, 80), repeat)

    with tempfile.TemporaryDirectory() as tmp:
        printer = VirtualEscposPrinter(None, width_mm=80).start()
        host, port = printer.address
        settings = NetworkReceiptPrinter.Settings(host=host, port=port)
        driver = NetworkReceiptPrinter("receipt", settings, DriverContext(state_dir=Path(tmp)))
        try:
            driver.open()
            status_ms = _median_ms(lambda: driver.query_status(2), repeat)
            print_ms = _median_ms(lambda: driver.print_raw(ticket, 5), repeat)
        finally:
            driver.close()
            printer.stop()

        cold = [_import_ms(Path(tmp) / f"cold{i}") for i in range(2 if quick else 4)]
        warm_dir = Path(tmp) / "warm"
        _import_ms(warm_dir)
        warm = [_import_ms(warm_dir) for _ in range(2 if quick else 4)]
    cold_ms, warm_ms = statistics.median(cold), statistics.median(warm)

    return [
        {"name": "receipt_render_ticket_ms", "value": round(render_ms, 2), "unit": "ms",
         "target": "<= 50"},
        {"name": "receipt_status_query_ms", "value": round(status_ms, 2), "unit": "ms",
         "target": "<= 20"},
        {"name": "receipt_print_confirmed_ms", "value": round(print_ms, 2), "unit": "ms",
         "target": "<= 100"},
        {"name": "receipt_ticket_bytes_native_qr", "value": len(ticket), "unit": "bytes",
         "target": None, "baseline": len(raster), "ratio": round(len(raster) / len(ticket), 1)},
        {"name": "escpos_import_ms_cached", "value": round(warm_ms, 1), "unit": "ms",
         "target": None, "baseline": round(cold_ms, 1), "ratio": round(warm_ms / cold_ms, 2)},
    ]  # fmt: skip


if __name__ == "__main__":
    for figure in run("--quick" in sys.argv):
        extra = ""
        if "ratio" in figure:
            extra = f" (baseline {figure['baseline']}, ratio {figure['ratio']})"
        target = f"  target {figure['target']}" if figure["target"] else ""
        print(f"{figure['name']:34} {figure['value']:>10} {figure['unit']}{target}{extra}")
