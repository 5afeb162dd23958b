"""The device manager over small recording devices (real drivers are tested in their folders)."""

import threading
import time
from pathlib import Path

import pytest
from fakes.devices import FlakyPrinter, wait_for

from devices.drivers import DriverContext, DriverError, build_driver
from devices.faults import Fault, FaultError
from devices.manager import DeviceManager, usable
from devices.model import (
    DeviceError,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    HealthLevel,
    PaperLevel,
    StatusEvent,
    StatusEventKind,
    Tristate,
)
from devices.sim.fault_panel import FaultPanel
from devices.stats import DeviceStatistics


def test_hot_plug_reopens_offline_device_with_backoff() -> None:
    printer = FlakyPrinter()
    events: list[StatusEvent] = []
    manager = DeviceManager({"document": printer}, supervise_interval_s=0.02, max_backoff_s=0.1)
    manager.subscribe(events.append)
    manager.start()
    try:
        wait_for(lambda: len(printer.opens) >= 3)
        assert not manager.can_print("a4")
        assert all(t.startswith("device-document") for t in printer.opens)
        printer.plugged.set()
        wait_for(lambda: printer.status.state is DeviceState.IDLE)
        assert manager.can_print("a4")
        assert StatusEventKind.RECONNECTED in [e.kind for e in events]
        opens = len(printer.opens)
        time.sleep(0.2)
        assert len(printer.opens) == opens  # no reopen while healthy
    finally:
        manager.stop()
    assert printer.status.state is DeviceState.CLOSED


def test_services_follow_faults_and_missing_devices() -> None:
    printer = FlakyPrinter()
    printer.plugged.set()
    manager = DeviceManager({"document": printer})
    manager.start()
    try:
        wait_for(lambda: manager.can_print("a4"))
        assert not manager.can_print("card")  # no card printer configured
        assert not manager.can_issue_tickets()  # no receipt printer configured
        faults = FaultPanel(manager)  # simulator mode's fault injection
        faults.inject("document", Fault.PAPER_OUT)
        assert not manager.can_print("a4")
        faults.clear("document", Fault.PAPER_OUT)
        assert manager.can_print("a4")
        with pytest.raises(FaultError):
            faults.inject("document", Fault.JAM)
        health = manager.health(HealthLevel.INTERNAL)
        assert health["document"].ok
        snap = manager.snapshot()
        assert snap["document"]["status"]["state"] == "idle"
        assert snap["document"]["statistics"] == {"jobs": 3}
    finally:
        manager.stop()


def test_call_runs_on_worker_and_times_out() -> None:
    printer = FlakyPrinter()
    manager = DeviceManager({"document": printer})
    manager.start()
    try:
        assert manager.call("document", lambda d: threading.current_thread().name).startswith(
            "device-document"
        )
        with pytest.raises(DeviceError) as err:
            manager.call("document", lambda d: time.sleep(0.5), timeout_s=0.05)
        assert err.value.fault.code == "DEVICE_TIMEOUT"
    finally:
        manager.stop()


def test_usable_reads_unknown_paper_as_try_not_out() -> None:
    idle = DeviceStatus(state=DeviceState.IDLE)
    assert idle.paper is PaperLevel.UNKNOWN
    assert usable(idle)
    assert not usable(idle.with_changes(paper=PaperLevel.OUT))
    assert not usable(idle.with_changes(cover_open=Tristate.YES))
    assert not usable(idle.with_changes(state=DeviceState.OFFLINE))


def test_status_since_moves_only_on_change() -> None:
    status = DeviceStatus(state=DeviceState.IDLE)
    assert status.with_changes(state=DeviceState.IDLE) is status
    assert status.with_changes(state=DeviceState.BUSY).since >= status.since


def test_unknown_driver_names_its_config_path(tmp_path: Path) -> None:
    with pytest.raises(DriverError) as err:
        build_driver(DeviceKind.RECEIPT, "receipt", "laser", {}, DriverContext(tmp_path))
    assert err.value.path == "devices.receipt.driver"


def test_statistics_survive_restart(tmp_path: Path) -> None:
    db = tmp_path / "devices.sqlite"
    stats = DeviceStatistics("receipt", db, flush_interval_s=3600)
    stats.powered_on()
    for _ in range(5):
        stats.increment("jobs")
    stats.increment("cuts", 2)
    stats.close()
    again = DeviceStatistics("receipt", db)
    snap = again.snapshot()
    assert snap["jobs"] == 5
    assert snap["cuts"] == 2
    assert snap["hours_powered"] > 0
    assert DeviceStatistics("camera", db).snapshot() == {}
    again.close()


def test_unusable_reason_names_the_condition() -> None:
    from devices.manager import unusable_reason
    from devices.model import CardLevel

    idle = DeviceStatus(state=DeviceState.IDLE)
    assert unusable_reason(idle) is None
    assert unusable_reason(idle.with_changes(paper=PaperLevel.OUT)) == "PRINTER_PAPER_OUT"
    assert unusable_reason(idle.with_changes(cover_open=Tristate.YES)) == "PRINTER_COVER_OPEN"
    assert unusable_reason(idle.with_changes(jam=Tristate.YES)) == "PRINTER_JAM"
    assert unusable_reason(idle.with_changes(cards=CardLevel.OUT)) == "CARD_BLANKO_OUT"
    assert unusable_reason(idle.with_changes(state=DeviceState.OFFLINE)) == "PRINTER_OFFLINE"
    assert unusable_reason(idle.with_changes(paper=PaperLevel.NEAR_END)) is None
