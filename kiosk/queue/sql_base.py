"""What the SQLite and PostgreSQL stores share: one SQL text for both, with ``?`` placeholders.

A backend supplies transactions (:meth:`SqlBase._tx`, the write lock taken up front or rows
locked as read), plain reads, and how times and days travel (SQLite: ISO-8601 text in UTC,
which sorts like time; PostgreSQL: ``timestamptz`` and ``date``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any, Protocol

from kiosk.queue.models import Priority, Ticket, TicketStatus

Row = tuple[Any, ...]

TICKET_COLUMNS = (
    "ticket_id, service, prefix, day, number, hop, priority, source, status, issued_at,"
    " created_at, counter, called_at, last_called_at, recalls, started_at, finished_at,"
    " printed_at, print_attempts, booking_code, slot_start, transferred_from, transferred_to"
)


class Tx(Protocol):
    """One open transaction (or a read-only connection)."""

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]: ...

    def run(self, sql: str, params: Sequence[object] = ()) -> int:
        """Execute; the number of rows changed."""
        ...


class SqlBase(ABC):
    #: appended to a SELECT of rows the transaction will change (PostgreSQL: FOR UPDATE)
    for_update = ""

    @abstractmethod
    def _tx(self) -> AbstractContextManager[Tx]:
        """A write transaction: commits when the block ends, rolls back on an exception."""

    @abstractmethod
    def _reader(self) -> AbstractContextManager[Tx]:
        """A connection for reads (no write lock)."""

    @abstractmethod
    def _t(self, value: datetime) -> object:
        """A time as the database takes it."""

    @abstractmethod
    def _d(self, value: date) -> object:
        """A day as the database takes it."""

    @abstractmethod
    def _lock_lines(self, tx: Tx, day: date, counter: str, services: Sequence[str]) -> None:
        """Serialise the calls of one counter, and of counters that share a service (SQLite's
        write lock does both)."""

    @abstractmethod
    def _next_call_seq(self, day: object) -> tuple[str, tuple[object, ...]]:
        """SQL for the next call's order number, and its parameters."""

    @abstractmethod
    def _is_conflict(self, exc: Exception) -> bool:
        """A unique-constraint violation (a concurrent writer won a race)."""

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        with self._reader() as tx:
            return tx.rows(sql, params)


def aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("times must be aware datetimes")
    return value


def as_time(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def as_day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def ticket_from(row: Row) -> Ticket:
    issued_at = as_time(row[9])
    assert issued_at is not None
    return Ticket(
        ticket_id=row[0],
        service=row[1],
        prefix=row[2],
        day=as_day(row[3]),
        number=int(row[4]),
        hop=int(row[5]),
        priority=None if row[6] is None else Priority(row[6]),
        source=row[7],
        status=TicketStatus(row[8]),
        issued_at=issued_at,
        created_at=as_time(row[10]),
        counter=row[11],
        called_at=as_time(row[12]),
        last_called_at=as_time(row[13]),
        recalls=int(row[14]),
        started_at=as_time(row[15]),
        finished_at=as_time(row[16]),
        printed_at=as_time(row[17]),
        print_attempts=int(row[18]),
        booking_code=row[19],
        slot_start=as_time(row[20]),
        transferred_from=row[21],
        transferred_to=row[22],
    )


def placeholders(count: int) -> str:
    return ", ".join("?" * count)
