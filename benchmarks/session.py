"""Machine time of one print session, in-process: the state machine, the registry simulator
over loopback HTTP, the real renderer and the simulated printer with no per-page delay.

Figures: wall time and machine (CPU, children included) time per session, render and print
time (median). The simulated printer still cuts each job into per-page PDF and PNG files with
poppler: most of the print time is that.
Target: one session <= 1 s of machine time, render and simulated print included.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def machine_seconds() -> float:
    """CPU seconds of this process and its finished children (the printer's poppler runs)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run(quick: bool) -> list[dict[str, Any]]:
    import logging

    from kiosk.bootstrap import PRINT_DEVICES, build_kiosk, with_page_delay
    from kiosk.config import load_config
    from kiosk.engine.headless import run_print_session

    logging.disable(logging.WARNING)
    count = 15 if quick else 60
    config = with_page_delay(load_config(REPO / "config" / "simulator.toml"), 0)
    config = config.model_copy(
        update={"simulator": config.simulator.model_copy(update={"families": count // 6 + 4})}
    )
    with tempfile.TemporaryDirectory(prefix="adm-bench-session-") as tmp:
        kiosk = build_kiosk(
            config, simulate=True, state_dir=Path(tmp), devices_only=PRINT_DEVICES,
            serve_metrics=False,
        )  # fmt: skip
        kiosk.start(background=False)
        try:
            vouchers = [v for v in kiosk.simulator.list_vouchers() if v["status"] == "ready"]
            run_print_session(kiosk.session, vouchers[0]["token"], vouchers[0]["pin"])  # warm-up
            wall: list[float] = []
            cpu: list[float] = []
            printed = 0
            for voucher in vouchers[1 : count + 1]:
                w0, c0 = time.perf_counter(), machine_seconds()
                outcome = run_print_session(kiosk.session, voucher["token"], voucher["pin"])
                wall.append(time.perf_counter() - w0)
                cpu.append(machine_seconds() - c0)
                printed += outcome.printed
            prints = [e for e in kiosk.audit.entries() if e["event"] == "print"][1:]
        finally:
            kiosk.stop()
    render_ms = [float(e["render_ms"]) for e in prints]
    print_ms = [float(e["print_ms"]) for e in prints]
    figures: list[dict[str, Any]] = [
        {"name": "session_wall_median", "value": round(statistics.median(wall) * 1000, 1),
         "unit": "ms", "target": "<= 1000"},
        {"name": "session_wall_p95", "value": round(percentile(wall, 0.95) * 1000, 1),
         "unit": "ms", "target": "<= 1000"},
        {"name": "session_cpu_median", "value": round(statistics.median(cpu) * 1000, 1),
         "unit": "ms", "target": "<= 1000"},
        {"name": "sessions_printed", "value": printed, "unit": "count",
         "target": f">= {len(wall)}"},
    ]  # fmt: skip
    for name, values in (("render_median", render_ms), ("print_median", print_ms)):
        if values:
            figures.append(
                {"name": name, "value": round(statistics.median(values), 1), "unit": "ms",
                 "target": None}
            )  # fmt: skip
    return figures


if __name__ == "__main__":
    for figure in run("--quick" in sys.argv):
        print(
            f"{figure['name']:24} {figure['value']:>10} {figure['unit']:6} {figure['target'] or ''}"
        )
