from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zxingcpp

from devices.drivers import DriverContext, DriverError, build_driver
from devices.faults import Fault
from devices.model import (
    DeviceKind,
    DeviceState,
    HealthLevel,
    PaperLevel,
    StatusEventKind,
    Tristate,
)
from devices.ports import JobState, ReceiptPrinter
from devices.printers.escpos import (
    NetworkReceiptPrinter,
    SerialReceiptPrinter,
    UsbReceiptPrinter,
)
from devices.sim.virtual_escpos.server import VirtualEscposPrinter

FAST = {"status_timeout_ms": 300, "reconnect_initial_s": 0.05, "reconnect_max_s": 0.2}
JOB = b"\x1b@\x1ba\x01ANTRIAN\n\x1d!\x11B-042\n\x1bd\x03\x1dV\x00"


def _wait_until(predicate: Any, timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


def test_open_reads_the_real_status(network_printer: NetworkReceiptPrinter) -> None:
    assert isinstance(network_printer, ReceiptPrinter)
    status = network_printer.status
    assert status.state is DeviceState.IDLE
    assert status.paper is PaperLevel.OK
    assert status.cover_open is Tristate.NO
    assert network_printer.capabilities.paper_width_mm == 58


@pytest.mark.parametrize(
    ("fault", "paper", "cover", "event"),
    [
        (Fault.PAPER_NEAR_END, PaperLevel.NEAR_END, Tristate.NO, StatusEventKind.PAPER_LOW),
        (Fault.PAPER_OUT, PaperLevel.OUT, Tristate.NO, StatusEventKind.PAPER_OUT),
        (Fault.COVER_OPEN, PaperLevel.OK, Tristate.YES, StatusEventKind.COVER_OPEN),
    ],
)
def test_each_fault_state_is_reported(
    network_printer: NetworkReceiptPrinter,
    virtual_printer: VirtualEscposPrinter,
    recorder: Any,
    fault: Fault,
    paper: PaperLevel,
    cover: Tristate,
    event: StatusEventKind,
) -> None:
    network_printer.subscribe(recorder)
    virtual_printer.inject(fault)
    status = network_printer.query_status(2)
    assert (status.paper, status.cover_open) == (paper, cover)
    assert event in recorder.kinds()
    virtual_printer.clear(fault)
    status = network_printer.query_status(2)
    assert (status.paper, status.cover_open) == (PaperLevel.OK, Tristate.NO)


def test_offline_virtual_printer_gives_unknown_never_out(
    network_printer: NetworkReceiptPrinter, virtual_printer: VirtualEscposPrinter
) -> None:
    virtual_printer.inject(Fault.OFFLINE)
    started = time.monotonic()
    status = network_printer.query_status(2)
    assert time.monotonic() - started < 1.0
    assert status.paper is PaperLevel.UNKNOWN
    assert status.cover_open is Tristate.UNKNOWN


def test_silent_printer_is_unknown_within_the_timeout(
    silent_server: Any, context: DriverContext
) -> None:
    settings = NetworkReceiptPrinter.Settings(host="127.0.0.1", port=silent_server.port, **FAST)
    driver = NetworkReceiptPrinter("receipt", settings, context)
    driver.open()
    try:
        started = time.monotonic()
        status = driver.query_status(1.0)
        elapsed = time.monotonic() - started
        assert elapsed < 1.2
        assert status.paper is PaperLevel.UNKNOWN  # never OUT
        assert status.state is DeviceState.IDLE  # connected, just not answering
        health = driver.check_health(HealthLevel.INTERNAL)
        assert not health.ok
        assert "no answer" in health.text
        outcome = driver.print_raw(JOB, 2)
        assert outcome.state is JobState.UNKNOWN  # sent, but never confirmed
        assert _wait_until(lambda: JOB in bytes(silent_server.received))
    finally:
        driver.close()


def test_print_is_confirmed_and_counted(
    network_printer: NetworkReceiptPrinter, virtual_printer: VirtualEscposPrinter
) -> None:
    outcome = network_printer.print_raw(JOB, 5)
    assert outcome.state is JobState.COMPLETED
    assert outcome.pages_out == 1
    assert virtual_printer.wait_for_jobs(1, 2)
    stats = network_printer.statistics()
    assert stats["jobs"] == 1
    assert stats["cuts"] == 1
    assert stats["lines"] == 2
    assert stats["bytes"] == len(JOB)


def test_paper_out_refuses_before_sending(
    network_printer: NetworkReceiptPrinter, virtual_printer: VirtualEscposPrinter
) -> None:
    virtual_printer.inject(Fault.PAPER_OUT)
    outcome = network_printer.print_raw(JOB, 5)
    assert outcome.state is JobState.ABORTED
    assert outcome.pages_out == 0
    assert outcome.fault is not None and outcome.fault.code == "PRINTER_PAPER_OUT"
    assert network_printer.statistics().get("bytes", 0) == 0


def test_cover_open_refuses(
    network_printer: NetworkReceiptPrinter, virtual_printer: VirtualEscposPrinter
) -> None:
    virtual_printer.inject(Fault.COVER_OPEN)
    outcome = network_printer.print_raw(JOB, 5)
    assert outcome.fault is not None and outcome.fault.code == "PRINTER_COVER_OPEN"


def test_disconnect_mid_job_is_not_completed(
    network_printer: NetworkReceiptPrinter, virtual_printer: VirtualEscposPrinter, recorder: Any
) -> None:
    network_printer.subscribe(recorder)
    virtual_printer.inject(Fault.DISCONNECT_MID_JOB)
    outcome = network_printer.print_raw(JOB * 4, 5)
    assert outcome.state is not JobState.COMPLETED
    assert outcome.state is JobState.ABORTED
    assert outcome.pages_out is None  # part of it may be on paper: never released blindly
    assert outcome.fault is not None and outcome.fault.code == "PRINTER_DISCONNECTED"
    assert StatusEventKind.OFFLINE in recorder.kinds()
    virtual_printer.clear(Fault.DISCONNECT_MID_JOB)
    assert network_printer.print_raw(JOB, 5).state is JobState.COMPLETED  # reconnected
    assert StatusEventKind.RECONNECTED in recorder.kinds()


def test_unplug_and_replug(
    network_printer: NetworkReceiptPrinter, virtual_printer: VirtualEscposPrinter, recorder: Any
) -> None:
    network_printer.subscribe(recorder)
    virtual_printer.stop()
    assert network_printer.query_status(1).state is DeviceState.OFFLINE
    outcome = network_printer.print_raw(JOB, 1)
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 0)
    virtual_printer.start()  # same port, like the printer switched back on
    assert _wait_until(lambda: network_printer.query_status(1).state is DeviceState.IDLE)
    assert StatusEventKind.RECONNECTED in recorder.kinds()
    assert network_printer.print_raw(JOB, 5).state is JobState.COMPLETED
    assert virtual_printer.wait_for_jobs(1, 2)


def test_slow_printer_still_completes(
    network_printer: NetworkReceiptPrinter, virtual_printer: VirtualEscposPrinter
) -> None:
    virtual_printer.inject(Fault.SLOW)
    assert network_printer.print_raw(JOB, 5).state is JobState.COMPLETED


def test_health_external_prints_a_scannable_test_ticket(
    network_printer: NetworkReceiptPrinter, virtual_printer: VirtualEscposPrinter
) -> None:
    internal = network_printer.check_health(HealthLevel.INTERNAL)
    assert internal.ok, internal.text
    assert virtual_printer.jobs() == []
    external = network_printer.check_health(HealthLevel.EXTERNAL)
    assert external.ok, external.text
    assert virtual_printer.wait_for_jobs(1, 2)
    image = virtual_printer.last_image()
    texts = [r.text for r in zxingcpp.read_barcodes(image)]
    assert external.details["qr_text"] in texts


def test_health_reports_paper_out(
    network_printer: NetworkReceiptPrinter, virtual_printer: VirtualEscposPrinter
) -> None:
    virtual_printer.inject(Fault.PAPER_OUT)
    health = network_printer.check_health(HealthLevel.INTERNAL)
    assert not health.ok
    assert "paper out" in health.text


@pytest.fixture
def serial_printer(
    virtual_printer: VirtualEscposPrinter, context: DriverContext
) -> Iterator[SerialReceiptPrinter]:
    settings = SerialReceiptPrinter.Settings(device=str(virtual_printer.pty_path), **FAST)
    driver = SerialReceiptPrinter("receipt", settings, context)
    driver.open()
    yield driver
    driver.close()


def test_serial_driver_over_the_pty(
    virtual_printer: VirtualEscposPrinter, serial_printer: SerialReceiptPrinter
) -> None:
    driver = serial_printer
    assert driver.status.paper is PaperLevel.OK
    virtual_printer.inject(Fault.PAPER_NEAR_END)
    assert driver.query_status(2).paper is PaperLevel.NEAR_END
    assert driver.print_raw(JOB, 5).state is JobState.COMPLETED
    assert virtual_printer.wait_for_jobs(1, 2)
    assert virtual_printer.jobs()[0].source == "pty"
    # A serial line cannot be dropped: the printer goes silent mid-job, never "completed".
    virtual_printer.inject(Fault.DISCONNECT_MID_JOB)
    outcome = driver.print_raw(JOB, 2)
    assert outcome.state is JobState.UNKNOWN
    assert outcome.pages_out is None
    virtual_printer.clear(Fault.DISCONNECT_MID_JOB)
    assert driver.print_raw(JOB, 5).state is JobState.COMPLETED


def test_a_late_answer_after_a_silence_is_not_read_as_the_next_status(
    virtual_printer: VirtualEscposPrinter, serial_printer: SerialReceiptPrinter
) -> None:
    # DLE EOT answers carry no request number. A serial printer that was silent (its requests
    # wait in the line) answers them all when it comes back; one late byte would shift every
    # answer after it, and the paper sensor's "near end" read as DLE EOT 1 means "offline".
    virtual_printer.inject(Fault.PAPER_NEAR_END)
    virtual_printer.inject(Fault.OFFLINE)  # silent: the request stays in the line
    assert serial_printer.query_status(0.5).paper is PaperLevel.UNKNOWN
    virtual_printer.clear(Fault.OFFLINE)
    for _ in range(3):
        status = serial_printer.query_status(2)
        assert status.state is not DeviceState.ERROR
        assert status.paper is PaperLevel.NEAR_END
    assert serial_printer.print_raw(JOB, 5).state is JobState.COMPLETED


def test_missing_devices_go_offline_without_raising(context: DriverContext, tmp_path: Path) -> None:
    serial = SerialReceiptPrinter(
        "receipt", SerialReceiptPrinter.Settings(device=str(tmp_path / "no-tty"), **FAST), context
    )
    usb = UsbReceiptPrinter(
        "receipt2",
        UsbReceiptPrinter.Settings(vendor_id="0x04b8", product_id="0x0e15", **FAST),
        context,
    )
    network = NetworkReceiptPrinter(
        "receipt3", NetworkReceiptPrinter.Settings(host="127.0.0.1", port=1, **FAST), context
    )
    for driver in (serial, usb, network):
        driver.open()
        assert driver.status.state is DeviceState.OFFLINE
        assert driver.status.last_error is not None
        assert driver.status.paper is PaperLevel.UNKNOWN
        outcome = driver.print_raw(JOB, 1)
        assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 0)
        assert not driver.check_health(HealthLevel.INTERNAL).ok
        driver.close()


def test_drivers_are_built_from_config(context: DriverContext) -> None:
    driver = build_driver(
        DeviceKind.RECEIPT,
        "receipt",
        "escpos-usb",
        {"vendor_id": "0x0416", "product_id": 20485},
        context,
    )
    assert isinstance(driver, UsbReceiptPrinter)
    assert (driver.settings.vendor_id, driver.settings.product_id) == (0x0416, 0x5005)
    with pytest.raises(DriverError) as err:
        build_driver(
            DeviceKind.RECEIPT, "receipt", "escpos-network", {"host": "x", "colour": 1}, context
        )
    assert err.value.path == "devices.receipt.settings.colour"
    with pytest.raises(DriverError):
        build_driver(
            DeviceKind.RECEIPT,
            "receipt",
            "escpos-serial",
            {"device": "/dev/x", "width_mm": 70},
            context,
        )


def test_a_printer_that_stops_reading_times_out_the_write(context: DriverContext) -> None:
    import socket

    stuck = socket.create_server(("127.0.0.1", 0))  # the kernel accepts; nobody ever reads
    try:
        settings = NetworkReceiptPrinter.Settings(
            host="127.0.0.1", port=stuck.getsockname()[1], status_timeout_ms=100
        )
        driver = NetworkReceiptPrinter("receipt", settings, context)
        driver.open()
        started = time.monotonic()
        outcome = driver.print_raw(b"\x1b@" + b"x" * (32 << 20), 1.0)
        assert time.monotonic() - started < 2.0
        assert outcome.state is JobState.UNKNOWN  # part of it went out: nobody knows
        assert outcome.pages_out is None
        assert outcome.fault is not None and outcome.fault.code == "PRINTER_TIMEOUT"
        assert 0 < outcome.details["written"] < (32 << 20)
        assert driver.status.state is DeviceState.OFFLINE
        driver.close()
    finally:
        stuck.close()
