"""Hot-plug under the device manager: the receipt printer vanishes, the kiosk stops issuing
tickets; it comes back on the same address and the supervisor returns it to service."""

from __future__ import annotations

import time
from typing import Any

from devices.drivers import DriverContext
from devices.manager import DeviceManager
from devices.model import DeviceState
from devices.ports import JobState
from devices.printers.escpos import NetworkReceiptPrinter
from devices.sim.virtual_escpos.server import VirtualEscposPrinter

JOB = b"\x1b@C-123\n\x1dV\x00"


def _wait_until(predicate: Any, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


def test_manager_returns_a_replugged_printer_to_service(
    virtual_printer: VirtualEscposPrinter, context: DriverContext
) -> None:
    host, port = virtual_printer.address
    settings = NetworkReceiptPrinter.Settings(host=host, port=port, status_timeout_ms=300)
    driver = NetworkReceiptPrinter("receipt", settings, context)
    manager = DeviceManager({"receipt": driver}, supervise_interval_s=0.05, max_backoff_s=0.2)
    manager.start()
    try:
        assert _wait_until(manager.can_issue_tickets)
        virtual_printer.stop()
        status = manager.call("receipt", lambda d: d.query_status(1.0))
        assert status.state is DeviceState.OFFLINE
        assert not manager.can_issue_tickets()
        virtual_printer.start()
        assert _wait_until(manager.can_issue_tickets)
        outcome = manager.call("receipt", lambda d: d.print_raw(JOB, 5.0))
        assert outcome.state is JobState.COMPLETED
        assert virtual_printer.wait_for_jobs(1, 2)
    finally:
        manager.stop()
