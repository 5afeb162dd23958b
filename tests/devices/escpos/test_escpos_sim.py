from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zxingcpp

from devices.drivers import DriverContext, build_driver
from devices.faults import Fault, FaultError, FaultInjectable
from devices.model import DeviceKind, DeviceState, HealthLevel, PaperLevel, Tristate
from devices.ports import JobState, ReceiptPrinter
from devices.sim.receipt import SimulatedReceiptPrinter

JOB = b"\x1b@\x1ba\x01ANTRIAN\n\x1d(k\x03\x001C\x06\x1d(k\x08\x001P0C-007\x1d(k\x03\x001Q0\x1dV\x00"


@pytest.fixture
def sim(context: DriverContext) -> Iterator[SimulatedReceiptPrinter]:
    device = build_driver(DeviceKind.RECEIPT, "receipt", "sim", {"width_mm": 58}, context)
    device.open()
    try:
        yield device
    finally:
        device.close()


def _wait(device: SimulatedReceiptPrinter, predicate: Any) -> bool:
    return any(predicate(device.query_status(1)) for _ in range(100))


def test_sim_prints_through_the_real_network_driver(
    sim: SimulatedReceiptPrinter, context: DriverContext
) -> None:
    assert isinstance(sim, ReceiptPrinter)
    assert isinstance(sim, FaultInjectable)
    assert sim.status.state is DeviceState.IDLE
    assert sim.describe()["tcp"].startswith("tcp://127.0.0.1:")
    outcome = sim.print_raw(JOB, 5)
    assert outcome.state is JobState.COMPLETED
    # Confirmed means drawn: the status answer comes after the job (the closed loop relies on it).
    assert len(sim.jobs()) == 1
    image = sim.last_image()
    assert image is not None and image.width == 384
    assert [r.text for r in zxingcpp.read_barcodes(image)] == ["C-007"]
    assert context.paper_dir is not None
    assert (context.paper_dir / "tickets" / "ticket-00001.png").exists()
    assert sim.statistics()["jobs"] == 1


def test_faults_are_forwarded_and_the_status_follows(sim: SimulatedReceiptPrinter) -> None:
    sim.inject(Fault.PAPER_OUT)
    assert sim.active_faults() == {Fault.PAPER_OUT}
    assert _wait(sim, lambda s: s.paper is PaperLevel.OUT)
    outcome = sim.print_raw(JOB, 5)
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 0)
    sim.clear(Fault.PAPER_OUT)
    sim.inject(Fault.COVER_OPEN)
    assert _wait(sim, lambda s: s.cover_open is Tristate.YES)
    sim.clear(Fault.COVER_OPEN)
    assert sim.print_raw(JOB, 5).state is JobState.COMPLETED
    with pytest.raises(FaultError):
        sim.inject(Fault.JAM)


def test_external_health_ticket_is_readable_by_a_camera(sim: SimulatedReceiptPrinter) -> None:
    health = sim.check_health(HealthLevel.EXTERNAL)
    assert health.ok, health.text
    assert sim.printer.wait_for_jobs(1, 2)
    texts = [r.text for r in zxingcpp.read_barcodes(sim.last_image())]
    assert health.details["qr_text"] in texts


def test_close_and_open_again(sim: SimulatedReceiptPrinter) -> None:
    sim.close()
    assert sim.status.state is DeviceState.CLOSED
    assert sim.print_raw(JOB, 1).state is JobState.ABORTED
    sim.open()
    assert sim.status.state is DeviceState.IDLE
    assert sim.print_raw(JOB, 5).state is JobState.COMPLETED


def test_escpos_import_is_lazy_and_cached(tmp_path: Path) -> None:
    """Importing the driver costs no python-escpos; loading it leaves no temp dir behind."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    cache = tmp_path / "cache"
    code = (
        "import json, sys\n"
        "import devices.printers.escpos, devices.sim.receipt\n"
        "before = 'escpos' in sys.modules\n"
        "from devices.printers.escpos_link import escpos_printer_module\n"
        "escpos_printer_module()\n"
        "import logging\n"
        "handlers = len(logging.getLogger().handlers)\n"
        "print(json.dumps([before, 'escpos.printer' in sys.modules, handlers]))\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp), "XDG_CACHE_HOME": str(cache)}
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert json.loads(out.stdout) == [False, True, 0]
    assert list(tmp.iterdir()) == []  # no mkdtemp() leftovers
    [pickled] = (cache / "adm-kiosk" / "python-escpos").glob("*.capabilities.pickle")
    pickled.write_bytes(b"\x80\x04half-written")  # another process died while writing it
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [False, True, 0]
