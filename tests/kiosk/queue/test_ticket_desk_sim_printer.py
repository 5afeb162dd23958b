"""The ticket desk with the simulated receipt printer: real driver, real TCP, virtual paper."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp

from devices.drivers import DriverContext
from devices.faults import Fault
from devices.model import DeviceState, HealthLevel, PaperLevel
from devices.sim.receipt import SimulatedReceiptPrinter, SimulatedReceiptSettings
from kiosk.config.models import QueueService
from kiosk.queue import QueueBook, QueueRefusal, QueueRefused, SqliteTicketStore, TicketDesk
from printing.tickets import compose_ticket

MAKASSAR = ZoneInfo("Asia/Makassar")
ALL_DAY = QueueService(
    code="D",
    name_id="Akta kelahiran dan kematian",
    name_en="Birth and death registration",
    opens=clock_time(0, 0),
    closes=clock_time(23, 59, 59),
    days=[1, 2, 3, 4, 5, 6, 7],
)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 WITA


def wait_for(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[SimulatedReceiptPrinter]:
    settings = SimulatedReceiptSettings(width_mm=58, status_timeout_ms=500)
    device = SimulatedReceiptPrinter("receipt", settings, DriverContext(state_dir=tmp_path))
    device.open()
    wait_for(lambda: device.status.state is DeviceState.IDLE)
    yield device
    device.close()


@pytest.fixture
def desk(tmp_path: Path, printer: SimulatedReceiptPrinter) -> Iterator[TicketDesk]:
    book = QueueBook([ALL_DAY], SqliteTicketStore(tmp_path / "queue.sqlite"), MAKASSAR)
    yield TicketDesk(
        book, printer, compose_ticket, MAKASSAR, lambda: NOW, office="Kantor Camat", width_mm=58
    )
    book.store.close()


def test_ticket_reaches_virtual_paper_with_a_readable_qr(
    desk: TicketDesk, printer: SimulatedReceiptPrinter
) -> None:
    result = desk.issue_and_print("D")
    assert result.printed, result.fault
    wait_for(lambda: len(printer.jobs()) == 1)
    job = printer.jobs()[0]
    assert job.complete
    assert [r.text for r in zxingcpp.read_barcodes(job.image)] == ["20261123-D-001"]


def test_paper_out_refuses_without_a_number_then_recovers(
    desk: TicketDesk, printer: SimulatedReceiptPrinter
) -> None:
    printer.inject(Fault.PAPER_OUT)
    assert printer.query_status(2.0).paper is PaperLevel.OUT
    with pytest.raises(QueueRefused) as caught:
        desk.issue_and_print("D")
    assert caught.value.code is QueueRefusal.PRINTER_UNAVAILABLE
    assert desk.book.store.issued_count("D", NOW.astimezone(MAKASSAR).date()) == 0
    printer.clear(Fault.PAPER_OUT)
    assert printer.query_status(2.0).paper is not PaperLevel.OUT
    assert desk.issue_and_print("D").ticket.number == 1


def test_a_job_lost_mid_way_keeps_its_number_for_the_reprint(
    desk: TicketDesk, printer: SimulatedReceiptPrinter
) -> None:
    printer.inject(Fault.DISCONNECT_MID_JOB)
    lost = desk.issue_and_print("D")
    assert not lost.printed and lost.fault is not None
    assert lost.ticket.number == 1
    printer.clear(Fault.DISCONNECT_MID_JOB)
    wait_for(lambda: printer.check_health(HealthLevel.INTERNAL).ok)  # what the supervisor does
    assert desk.reprint(lost.ticket.ticket_id).printed
    done = [job for job in printer.jobs() if job.complete]
    assert [r.text for r in zxingcpp.read_barcodes(done[-1].image)] == ["20261123-D-001"]
    assert desk.issue_and_print("D").ticket.number == 2
