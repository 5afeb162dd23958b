"""The SQLite ticket store: continuous numbers, atomic issue, durable across reopen."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.queue.models import QuotaExhausted
from kiosk.queue.sqlite_store import SqliteTicketStore

DAY = date(2026, 11, 23)
AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> SqliteTicketStore:
    s = SqliteTicketStore(tmp_path / "queue.sqlite")
    yield s  # type: ignore[misc]
    s.close()


def test_numbers_are_continuous_per_service_and_day(store: SqliteTicketStore) -> None:
    numbers = [store.issue("A", DAY, priority=False, quota=1000, at=AT).number for _ in range(120)]
    assert numbers == list(range(1, 121))
    assert store.issue("B", DAY, priority=False, quota=10, at=AT).number == 1
    assert store.issue("A", DAY + timedelta(days=1), priority=False, quota=10, at=AT).number == 1
    assert store.issue("A", DAY, priority=True, quota=1000, at=AT).ticket_id == "20261123-A-121"
    assert store.issued_count("A", DAY) == 121


def test_issued_ticket_is_recorded_with_its_fields(store: SqliteTicketStore) -> None:
    ticket = store.issue("C", DAY, priority=True, quota=5, at=AT)
    assert store.get(ticket.ticket_id) == ticket
    assert ticket.ticket_id == "20261123-C-001"
    assert ticket.display_number == "C-001"
    assert ticket.priority and ticket.waiting and ticket.issued_at == AT
    assert store.get("20261123-C-002") is None


def test_quota_refuses_without_recording(store: SqliteTicketStore) -> None:
    for _ in range(3):
        store.issue("A", DAY, priority=False, quota=3, at=AT)
    with pytest.raises(QuotaExhausted):
        store.issue("A", DAY, priority=False, quota=3, at=AT)
    assert store.issued_count("A", DAY) == 3
    assert store.issue("A", DAY, priority=False, quota=4, at=AT).number == 4  # no gap


def test_reopening_continues_the_sequence(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite"
    first = SqliteTicketStore(path)
    for _ in range(5):
        first.issue("A", DAY, priority=False, quota=100, at=AT)
    first.close()
    second = SqliteTicketStore(path)
    assert second.issue("A", DAY, priority=False, quota=100, at=AT).number == 6
    second.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1


def test_two_stores_on_one_file_in_threads_never_share_a_number(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    stores = [SqliteTicketStore(path), SqliteTicketStore(path)]
    got: list[int] = []
    lock = threading.Lock()

    def issue_many(store: SqliteTicketStore) -> None:
        for _ in range(40):
            number = store.issue("A", DAY, priority=False, quota=10_000, at=AT).number
            with lock:
                got.append(number)

    threads = [threading.Thread(target=issue_many, args=(stores[i % 2],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for s in stores:
        s.close()
    assert sorted(got) == list(range(1, 161))


def test_print_attempts_and_first_print_time(store: SqliteTicketStore) -> None:
    ticket = store.issue("A", DAY, priority=False, quota=10, at=AT)
    store.record_print(ticket.ticket_id, printed=False, at=AT + timedelta(seconds=1))
    assert store.get(ticket.ticket_id).printed_at is None  # type: ignore[union-attr]
    store.record_print(ticket.ticket_id, printed=True, at=AT + timedelta(seconds=2))
    store.record_print(ticket.ticket_id, printed=True, at=AT + timedelta(seconds=3))
    again = store.get(ticket.ticket_id)
    assert again is not None
    assert again.print_attempts == 3
    assert again.printed_at == AT + timedelta(seconds=2)


def test_waiting_served_and_reset(store: SqliteTicketStore) -> None:
    tickets = [store.issue("A", DAY, priority=n % 3 == 0, quota=99, at=AT) for n in range(1, 7)]
    assert store.waiting_count("A", DAY) == 6
    assert store.waiting_count("A", DAY, before_number=4) == 3
    assert store.waiting_count("A", DAY, before_number=6, priority_only=True) == 1
    served_at = AT + timedelta(minutes=4)
    served = store.mark_served(tickets[0].ticket_id, served_at)
    assert served is not None and served.served_at == served_at and not served.waiting
    store.mark_served(tickets[0].ticket_id, served_at + timedelta(minutes=9))  # first time kept
    assert store.recent_served_at("A", DAY, 5) == [served_at]
    assert store.mark_served("20261123-A-999", served_at) is None
    store.issue("B", DAY, priority=False, quota=9, at=AT)
    assert store.reset(DAY, "A", AT) == 5
    assert store.waiting_count("A", DAY) == 0
    assert store.waiting_count("B", DAY) == 1
    assert store.reset(DAY, None, AT) == 1
    assert store.issue("A", DAY, priority=False, quota=99, at=AT).number == 7  # never reused


def test_recent_served_at_is_oldest_first_and_limited(store: SqliteTicketStore) -> None:
    tickets = [store.issue("A", DAY, priority=False, quota=99, at=AT) for _ in range(5)]
    for minutes, ticket in zip((1, 3, 6, 10, 15), tickets, strict=True):
        store.mark_served(ticket.ticket_id, AT + timedelta(minutes=minutes))
    assert store.recent_served_at("A", DAY, 3) == [AT + timedelta(minutes=m) for m in (6, 10, 15)]


def test_naive_times_are_refused(store: SqliteTicketStore) -> None:
    with pytest.raises(ValueError):
        store.issue("A", DAY, priority=False, quota=9, at=datetime(2026, 11, 23, 9, 0))
    assert store.issued_count("A", DAY) == 0
