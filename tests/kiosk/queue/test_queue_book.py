"""The queue book's rules: hours, quota, priority, local midnight, people ahead, estimates."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.config.models import QueueService
from kiosk.queue.book import QueueBook
from kiosk.queue.models import QueueRefusal, QueueRefused
from kiosk.queue.sqlite_store import SqliteTicketStore

JAKARTA = ZoneInfo("Asia/Jakarta")
JAYAPURA = ZoneInfo("Asia/Jayapura")
SERVICES = [
    QueueService(
        code="A", name_id="Perekaman KTP-el", name_en="KTP-el recording", daily_quota=3
    ),  # 08:00-15:00, Monday to Friday
    QueueService(
        code="B",
        name_id="Perubahan KK",
        name_en="Family card changes",
        opens=time(0, 0),
        closes=time(23, 59, 59),
        days=[1, 2, 3, 4, 5, 6, 7],
        daily_quota=500,
    ),
    QueueService(code="E", name_id="Konsultasi", name_en="Consultation", priority_allowed=False),
]
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=JAKARTA)  # 2026-11-23 is a Monday


def make_book(path: Path, tz: ZoneInfo = JAKARTA) -> QueueBook:
    return QueueBook(SERVICES, SqliteTicketStore(path), tz)


@pytest.fixture
def book(tmp_path: Path) -> Iterator[QueueBook]:
    b = make_book(tmp_path / "queue.sqlite")
    yield b
    b.store.close()


def refused(book: QueueBook, code: str, now: datetime, priority: bool = False) -> QueueRefusal:
    with pytest.raises(QueueRefused) as caught:
        book.issue(code, priority=priority, now=now)
    return caught.value.code


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 11, 23, 7, 59, 59, tzinfo=JAKARTA),  # before opening
        datetime(2026, 11, 23, 15, 0, tzinfo=JAKARTA),  # at closing
        datetime(2026, 11, 28, 10, 0, tzinfo=JAKARTA),  # Saturday
        datetime(2026, 11, 23, 1, 30, tzinfo=UTC),  # 08:30 WIB but given in UTC: open
    ],
)
def test_hours_and_days(book: QueueBook, now: datetime) -> None:
    local = now.astimezone(JAKARTA)
    if local.isoweekday() <= 5 and time(8) <= local.time().replace(tzinfo=None) < time(15):
        assert book.issue("A", priority=False, now=now).number == 1
    else:
        assert refused(book, "A", now) is QueueRefusal.CLOSED
        assert book.store.issued_count("A", local.date()) == 0


def test_quota_then_refusal_consumes_nothing(book: QueueBook) -> None:
    assert [book.issue("A", priority=False, now=MONDAY_10).number for _ in range(3)] == [1, 2, 3]
    assert book.refusal("A", MONDAY_10) is QueueRefusal.QUOTA
    assert refused(book, "A", MONDAY_10) is QueueRefusal.QUOTA
    assert book.store.issued_count("A", MONDAY_10.date()) == 3
    tuesday = MONDAY_10 + timedelta(days=1)
    assert book.issue("A", priority=False, now=tuesday).number == 1


def test_priority_and_unknown_service(book: QueueBook) -> None:
    assert refused(book, "E", MONDAY_10, priority=True) is QueueRefusal.PRIORITY_NOT_ALLOWED
    assert book.issue("E", priority=False, now=MONDAY_10).number == 1  # E-001: nothing skipped
    assert refused(book, "Z", MONDAY_10) is QueueRefusal.UNKNOWN_SERVICE
    assert book.issue("A", priority=True, now=MONDAY_10).priority


@pytest.mark.parametrize("tz", [JAKARTA, JAYAPURA])
def test_numbers_restart_at_local_midnight(tmp_path: Path, tz: ZoneInfo) -> None:
    book = make_book(tmp_path / "q.sqlite", tz)
    before = datetime(2026, 11, 23, 23, 59, 58, tzinfo=tz)
    after = datetime(2026, 11, 24, 0, 0, 0, tzinfo=tz)
    late = [book.issue("B", priority=False, now=before) for _ in range(3)]
    early = [book.issue("B", priority=False, now=after) for _ in range(2)]
    assert [t.number for t in late] == [1, 2, 3]
    assert [t.number for t in early] == [1, 2]
    assert {t.day for t in late} == {date(2026, 11, 23)}
    assert [t.ticket_id for t in early] == ["20261124-B-001", "20261124-B-002"]
    book.store.close()


def test_jayapura_midnight_comes_two_hours_before_jakarta(tmp_path: Path) -> None:
    """16:30 UTC is 23:30 in Jakarta but already 01:30 the next day in Jayapura."""
    moment = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
    papua = make_book(tmp_path / "papua.sqlite", JAYAPURA)
    java = make_book(tmp_path / "java.sqlite", JAKARTA)
    papua.issue("B", priority=False, now=moment - timedelta(hours=2))  # 23:30 WIT, day 23
    java.issue("B", priority=False, now=moment - timedelta(hours=2))
    assert papua.issue("B", priority=False, now=moment).ticket_id == "20261124-B-001"
    assert java.issue("B", priority=False, now=moment).ticket_id == "20261123-B-002"
    papua.store.close()
    java.store.close()


def test_people_ahead_counts_waiting_lower_numbers(book: QueueBook) -> None:
    tickets = [book.issue("B", priority=n in (2, 4), now=MONDAY_10) for n in range(1, 6)]
    assert [book.people_ahead(t) for t in tickets] == [0, 0, 2, 1, 4]  # priority: priority only
    book.mark_served(tickets[0].ticket_id, MONDAY_10)
    assert book.people_ahead(tickets[4]) == 3
    assert book.waiting("B", MONDAY_10) == 4


def test_estimate_from_recent_service_times(book: QueueBook) -> None:
    tickets = [book.issue("B", priority=False, now=MONDAY_10) for _ in range(7)]
    day = MONDAY_10.date()
    assert book.estimate_minutes("B", day, 3) is None  # nothing served yet
    book.mark_served(tickets[0].ticket_id, MONDAY_10 + timedelta(minutes=2))
    book.mark_served(tickets[1].ticket_id, MONDAY_10 + timedelta(minutes=6))
    book.mark_served(tickets[2].ticket_id, MONDAY_10 + timedelta(minutes=12))
    assert book.estimate_minutes("B", day, 3) is None  # two intervals: still unknown
    book.mark_served(tickets[3].ticket_id, MONDAY_10 + timedelta(minutes=17))
    assert book.minutes_per_ticket("B", day) == 5.0  # median of 4, 6 and 5
    assert book.estimate_minutes("B", day, 3) == 15
    assert book.estimate_minutes("B", day, 0) == 0
    view = book.view("B", MONDAY_10 + timedelta(minutes=18))
    assert (view.waiting, view.estimate_minutes, view.issued_today) == (3, 15, 7)


def test_views_give_reason_codes(book: QueueBook) -> None:
    for _ in range(3):
        book.issue("A", priority=False, now=MONDAY_10)
    views = {v.code: v for v in book.views(MONDAY_10)}
    assert (views["A"].open, views["A"].reason) == (False, QueueRefusal.QUOTA)
    assert (views["B"].open, views["B"].reason) == (True, None)
    assert views["E"].priority_allowed is False
    assert views["A"].opens == time(8) and views["A"].closes == time(15)
    night = {v.code: v for v in book.views(datetime(2026, 11, 23, 20, 0, tzinfo=JAKARTA))}
    assert night["A"].reason is QueueRefusal.CLOSED and night["B"].open
    no_printer = {v.code: v for v in book.views(MONDAY_10, printer_available=False)}
    assert no_printer["B"].reason is QueueRefusal.PRINTER_UNAVAILABLE
    assert no_printer["A"].reason is QueueRefusal.QUOTA  # the more lasting reason first


def test_reset_cancels_waiting_but_never_reuses_numbers(book: QueueBook) -> None:
    for _ in range(4):
        book.issue("B", priority=False, now=MONDAY_10)
    book.issue("E", priority=False, now=MONDAY_10)
    assert book.reset("B", MONDAY_10) == 4
    assert book.waiting("B", MONDAY_10) == 0 and book.waiting("E", MONDAY_10) == 1
    assert book.issue("B", priority=False, now=MONDAY_10).number == 5
    assert book.reset(None, MONDAY_10) == 2
    with pytest.raises(QueueRefused):
        book.reset("Z", MONDAY_10)


def test_naive_now_is_refused(book: QueueBook) -> None:
    with pytest.raises(ValueError):
        book.issue("B", priority=False, now=datetime(2026, 11, 23, 10, 0))


def test_a_locked_store_refuses_without_consuming(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite"
    book = QueueBook(SERVICES, SqliteTicketStore(path, busy_timeout_ms=50), JAKARTA)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        assert refused(book, "B", MONDAY_10) is QueueRefusal.UNAVAILABLE
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert book.issue("B", priority=False, now=MONDAY_10).number == 1
    book.store.close()
