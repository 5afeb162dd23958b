"""The ticket desk: refuse before consuming, record before printing, reprint the same ticket."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp

from devices.model import (
    DeviceError,
    DeviceFault,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    PaperLevel,
    Tristate,
)
from devices.ports import JobOutcome, JobState
from devices.sim.virtual_escpos.render import render_escpos
from kiosk.config.models import QueueService
from kiosk.queue import QueueBook, QueueRefusal, QueueRefused, SqliteTicketStore, TicketDesk
from printing.tickets import compose_ticket

JAYAPURA = ZoneInfo("Asia/Jayapura")
SERVICES = [
    QueueService(code="A", name_id="Perekaman KTP-el", name_en="KTP-el recording", daily_quota=4),
    QueueService(code="E", name_id="Konsultasi", name_en="Consultation", priority_allowed=False),
]


@dataclass
class RecordingReceiptPrinter:
    """A port-level fake: records jobs; ``outcomes`` decides how each job ends."""

    name: str = "receipt"
    kind: DeviceKind = DeviceKind.RECEIPT
    driver: str = "recording"
    status: DeviceStatus = field(default_factory=lambda: DeviceStatus(state=DeviceState.IDLE))
    outcomes: list[JobState | DeviceFault] = field(default_factory=list)
    jobs: list[bytes] = field(default_factory=list)

    def print_raw(self, data: bytes, timeout_s: float) -> JobOutcome:
        self.jobs.append(data)
        result = self.outcomes.pop(0) if self.outcomes else JobState.COMPLETED
        if isinstance(result, DeviceFault):
            raise DeviceError(result)
        fault = None if result is JobState.COMPLETED else DeviceFault("PAPER_OUT", "sensor")
        return JobOutcome(f"job-{len(self.jobs)}", result, fault=fault)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Desk:
    desk: TicketDesk
    printer: RecordingReceiptPrinter
    clock: Clock
    book: QueueBook


@pytest.fixture
def make_desk(tmp_path: Path) -> Iterator[Callable[..., Desk]]:
    books: list[QueueBook] = []

    def make(printer: RecordingReceiptPrinter | None = None, width: int = 80) -> Desk:
        book = QueueBook(SERVICES, SqliteTicketStore(tmp_path / "queue.sqlite"), JAYAPURA)
        books.append(book)
        printer = printer or RecordingReceiptPrinter()
        clock = Clock(datetime(2026, 11, 23, 9, 30, tzinfo=JAYAPURA))
        desk = TicketDesk(
            book, printer, compose_ticket, JAYAPURA, clock, office="Distrik Abepura", width_mm=width
        )  # type: ignore[arg-type]
        return Desk(desk, printer, clock, book)

    yield make
    for book in books:
        book.store.close()


def test_issue_prints_a_ticket_whose_qr_is_the_ticket_id(make_desk: Callable[..., Desk]) -> None:
    d = make_desk(width=58)
    result = d.desk.issue_and_print("A", priority=False, printer_available=True)
    assert result.printed and result.fault is None
    assert result.ticket.ticket_id == "20261123-A-001" and result.ticket.printed_at is not None
    assert result.data.display_number == "A-001" and result.data.people_ahead == 0
    assert len(d.printer.jobs) == 1
    assert b"Distrik Abepura" in d.printer.jobs[0] and b"09:30 WIT" in d.printer.jobs[0]
    (page,) = render_escpos(d.printer.jobs[0], 58)
    assert [r.text for r in zxingcpp.read_barcodes(page)] == ["20261123-A-001"]
    second = d.desk.issue_and_print("A")
    assert second.ticket.number == 2 and second.data.people_ahead == 1


def test_a_handed_over_ticket_prints_the_errors_reference_also_when_reprinted(
    make_desk: Callable[..., Desk],
) -> None:
    from kiosk.engine.queue_view import DeskForSession

    d = make_desk()
    d.printer.outcomes = [JobState.ABORTED]  # the first print fails: the number is kept
    session_desk = DeskForSession(d.desk, lambda: True)
    issued = session_desk.issue_and_print("E", None, True, reference="TX7F3A21")
    assert not issued.printed and b"Ref: TX7F3A21\n" in d.printer.jobs[0]
    again = session_desk.reprint(issued.ticket.ticket_id)
    assert again.printed and b"Ref: TX7F3A21\n" in d.printer.jobs[1]
    plain = session_desk.issue_and_print("E", None, True)
    assert plain.printed and b"Ref:" not in d.printer.jobs[2]


@pytest.mark.parametrize(
    "status",
    [
        DeviceStatus(state=DeviceState.OFFLINE),
        DeviceStatus(state=DeviceState.ERROR),
        DeviceStatus(state=DeviceState.IDLE, paper=PaperLevel.OUT),
        DeviceStatus(state=DeviceState.IDLE, cover_open=Tristate.YES),
        DeviceStatus(state=DeviceState.IDLE, jam=Tristate.YES),
        DeviceStatus(state=DeviceState.CLOSED),
    ],
)
def test_unusable_printer_consumes_no_number(
    make_desk: Callable[..., Desk], status: DeviceStatus
) -> None:
    d = make_desk(RecordingReceiptPrinter(status=status))
    with pytest.raises(QueueRefused) as caught:
        d.desk.issue_and_print("A")
    assert caught.value.code is QueueRefusal.PRINTER_UNAVAILABLE
    assert d.printer.jobs == []
    assert d.book.store.issued_count("A", d.clock.now.date()) == 0
    views = d.desk.services_view()
    assert [v.reason for v in views] == [QueueRefusal.PRINTER_UNAVAILABLE] * 2


def test_caller_says_printer_unavailable_or_there_is_none(make_desk: Callable[..., Desk]) -> None:
    d = make_desk()
    with pytest.raises(QueueRefused) as caught:
        d.desk.issue_and_print("A", printer_available=False)
    assert caught.value.code is QueueRefusal.PRINTER_UNAVAILABLE
    no_printer = TicketDesk(d.book, None, compose_ticket, JAYAPURA, d.clock, office="X")
    with pytest.raises(QueueRefused):
        no_printer.issue_and_print("A")
    assert d.book.store.issued_count("A", d.clock.now.date()) == 0
    assert d.desk.issue_and_print("A").ticket.number == 1


def test_closed_and_quota_refuse_before_printing(make_desk: Callable[..., Desk]) -> None:
    d = make_desk()
    for _ in range(4):
        d.desk.issue_and_print("A")
    with pytest.raises(QueueRefused) as quota:
        d.desk.issue_and_print("A")
    assert quota.value.code is QueueRefusal.QUOTA
    d.clock.now = d.clock.now.replace(hour=18)
    with pytest.raises(QueueRefused) as closed:
        d.desk.issue_and_print("E")
    assert closed.value.code is QueueRefusal.CLOSED
    assert len(d.printer.jobs) == 4
    view = {v.code: v for v in d.desk.services_view()}
    assert view["E"].reason is QueueRefusal.CLOSED and view["E"].closes == time(15)


def test_print_failure_keeps_the_number_and_reprint_prints_the_same_ticket(
    make_desk: Callable[..., Desk],
) -> None:
    d = make_desk(RecordingReceiptPrinter(outcomes=[JobState.ABORTED]))
    failed = d.desk.issue_and_print("A", priority=True)
    assert not failed.printed and failed.fault is not None and failed.fault.code == "PAPER_OUT"
    assert failed.ticket.number == 1 and failed.ticket.printed_at is None
    assert failed.ticket.print_attempts == 1
    d.clock.now += timedelta(minutes=1)
    again = d.desk.reprint(failed.ticket.ticket_id)
    assert again.printed and again.ticket.ticket_id == failed.ticket.ticket_id
    assert again.ticket.print_attempts == 2
    assert again.data.issued_at == failed.data.issued_at  # the time of issue, not of reprint
    assert d.printer.jobs[0] == d.printer.jobs[1]  # byte for byte the same ticket
    assert d.desk.issue_and_print("A").ticket.number == 2  # no gap, no duplicate


def test_driver_errors_become_faults_and_keep_the_number(make_desk: Callable[..., Desk]) -> None:
    fault = DeviceFault("PRINTER_OFFLINE", "connection refused", "reprint")
    d = make_desk(RecordingReceiptPrinter(outcomes=[fault, fault]))
    result = d.desk.issue_and_print("A")
    assert (result.printed, result.fault) == (False, fault)
    assert d.desk.reprint(result.ticket.ticket_id).fault == fault
    assert d.desk.reprint(result.ticket.ticket_id).printed
    assert d.book.store.issued_count("A", d.clock.now.date()) == 1


def test_reprint_only_while_waiting_today(make_desk: Callable[..., Desk]) -> None:
    d = make_desk()
    ticket = d.desk.issue_and_print("A").ticket
    with pytest.raises(QueueRefused) as unknown:
        d.desk.reprint("20261123-A-099")
    assert unknown.value.code is QueueRefusal.UNKNOWN_TICKET
    d.book.mark_served(ticket.ticket_id, d.clock.now)
    with pytest.raises(QueueRefused) as served:
        d.desk.reprint(ticket.ticket_id)
    assert served.value.code is QueueRefusal.TICKET_CLOSED
    other = d.desk.issue_and_print("A").ticket
    d.clock.now += timedelta(days=1)
    with pytest.raises(QueueRefused) as old:
        d.desk.reprint(other.ticket_id)
    assert old.value.code is QueueRefusal.TICKET_CLOSED


def test_a_restarted_desk_continues_numbering(make_desk: Callable[..., Desk]) -> None:
    first = make_desk()
    first.desk.issue_and_print("A")
    first.desk.issue_and_print("A")
    first.book.store.close()
    second = make_desk()
    assert second.desk.issue_and_print("A").ticket.number == 3


def test_counter_and_technician_actions(make_desk: Callable[..., Desk]) -> None:
    d = make_desk()
    first, second, _third = (d.desk.issue_and_print("A").ticket for _ in range(3))
    d.clock.now += timedelta(minutes=5)
    served = d.desk.mark_served(first.ticket_id)
    assert served.served_at == d.clock.now
    d.clock.now += timedelta(minutes=7)
    d.desk.mark_served(second.ticket_id)
    view = {v.code: v for v in d.desk.services_view()}
    # one interval between services is too little to promise a wait: unknown, not 7 minutes
    assert (view["A"].waiting, view["A"].estimate_minutes) == (1, None)
    assert d.desk.reset("A") == 1
    assert d.desk.reset(None) == 0
    assert {v.code: v for v in d.desk.services_view()}["A"].waiting == 0
    assert d.desk.issue_and_print("A").ticket.number == 4
    with pytest.raises(QueueRefused):
        d.desk.mark_served("20261123-A-404")


def test_closed_wins_over_printer_unavailable_and_zones_must_agree(
    make_desk: Callable[..., Desk],
) -> None:
    d = make_desk(RecordingReceiptPrinter(status=DeviceStatus(state=DeviceState.OFFLINE)))
    d.clock.now = d.clock.now.replace(hour=20)
    with pytest.raises(QueueRefused) as caught:
        d.desk.issue_and_print("A")
    assert caught.value.code is QueueRefusal.CLOSED  # the lasting reason, as the screen shows
    with pytest.raises(ValueError):
        TicketDesk(d.book, None, compose_ticket, ZoneInfo("Asia/Jakarta"), d.clock, office="X")
