"""The queue tickets table in SQLite (WAL, ``synchronous=FULL``): survives kill -9 and power cuts.

A number is the day's highest number plus one, read and inserted inside one ``BEGIN IMMEDIATE``
transaction: the write lock is taken before the read, so two processes on the same file cannot
both take the same number, and a crash before ``COMMIT`` leaves nothing behind (no gap).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kiosk.queue.models import QuotaExhausted, StoreUnavailable, Ticket, ticket_id_for

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS queue_tickets (
    ticket_id TEXT PRIMARY KEY,
    service TEXT NOT NULL CHECK (length(service) = 1),
    day TEXT NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    priority INTEGER NOT NULL CHECK (priority IN (0, 1)),
    issued_at TEXT NOT NULL,
    printed_at TEXT,
    print_attempts INTEGER NOT NULL DEFAULT 0,
    served_at TEXT,
    cancelled_at TEXT,
    UNIQUE (service, day, number)
);
CREATE INDEX IF NOT EXISTS queue_tickets_served ON queue_tickets (service, day, served_at);
"""
_SELECT_TICKET = (
    "SELECT ticket_id, service, day, number, priority, issued_at, printed_at, print_attempts,"
    " served_at, cancelled_at FROM queue_tickets WHERE ticket_id = ?"
)


def _when(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("times must be aware datetimes")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _parse(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _ticket(row: tuple[Any, ...]) -> Ticket:
    issued_at = datetime.fromisoformat(row[5])
    return Ticket(
        ticket_id=row[0],
        service=row[1],
        day=date.fromisoformat(row[2]),
        number=int(row[3]),
        priority=bool(row[4]),
        issued_at=issued_at,
        printed_at=_parse(row[6]),
        print_attempts=int(row[7]),
        served_at=_parse(row[8]),
        cancelled_at=_parse(row[9]),
    )


class SqliteTicketStore:
    """:class:`kiosk.queue.store.TicketStore` on one SQLite file; thread- and process-safe."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = 5000) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000
        )
        self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"{path}: WAL mode refused (got {mode})")
        self._db.execute("PRAGMA synchronous = FULL")
        self._create_schema()

    def _create_schema(self) -> None:
        with self._transaction() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"{self.path}: schema {version} is newer than this")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, the write lock taken up front (BEGIN IMMEDIATE)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def issue(self, service: str, day: date, *, priority: bool, quota: int, at: datetime) -> Ticket:
        issued_at = _when(at)
        try:
            with self._transaction() as db:
                (last,) = db.execute(
                    "SELECT COALESCE(MAX(number), 0) FROM queue_tickets"
                    " WHERE service = ? AND day = ?",
                    (service, day.isoformat()),
                ).fetchone()
                if last >= quota:
                    raise QuotaExhausted(f"{service}: {last} of {quota} issued on {day}")
                number = int(last) + 1
                ticket_id = ticket_id_for(service, day, number)
                db.execute(
                    "INSERT INTO queue_tickets"
                    " (ticket_id, service, day, number, priority, issued_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (ticket_id, service, day.isoformat(), number, int(priority), issued_at),
                )
        except sqlite3.Error as exc:  # locked past the busy timeout, disk full, I/O error
            log.error("queue store %s could not issue for %s: %s", self.path, service, exc)
            raise StoreUnavailable(str(exc)) from exc
        log.info("issued %s (priority=%s)", ticket_id, priority)
        return Ticket(ticket_id, service, day, number, priority, datetime.fromisoformat(issued_at))

    def get(self, ticket_id: str) -> Ticket | None:
        rows = self._read(_SELECT_TICKET, (ticket_id,))
        return _ticket(rows[0]) if rows else None

    def record_print(self, ticket_id: str, *, printed: bool, at: datetime) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE queue_tickets SET print_attempts = print_attempts + 1,"
                " printed_at = CASE WHEN ? THEN COALESCE(printed_at, ?) ELSE printed_at END"
                " WHERE ticket_id = ?",
                (int(printed), _when(at), ticket_id),
            )

    def mark_served(self, ticket_id: str, at: datetime) -> Ticket | None:
        with self._transaction() as db:
            db.execute(
                "UPDATE queue_tickets SET served_at = COALESCE(served_at, ?) WHERE ticket_id = ?",
                (_when(at), ticket_id),
            )
        return self.get(ticket_id)

    def issued_count(self, service: str, day: date) -> int:
        rows = self._read(
            "SELECT COALESCE(MAX(number), 0) FROM queue_tickets WHERE service = ? AND day = ?",
            (service, day.isoformat()),
        )
        return int(rows[0][0])

    def waiting_count(
        self,
        service: str,
        day: date,
        *,
        before_number: int | None = None,
        priority_only: bool = False,
    ) -> int:
        sql = (
            "SELECT COUNT(*) FROM queue_tickets WHERE service = ? AND day = ?"
            " AND served_at IS NULL AND cancelled_at IS NULL"
        )
        params: list[Any] = [service, day.isoformat()]
        if before_number is not None:
            sql += " AND number < ?"
            params.append(before_number)
        if priority_only:
            sql += " AND priority = 1"
        return int(self._read(sql, tuple(params))[0][0])

    def recent_served_at(self, service: str, day: date, limit: int) -> list[datetime]:
        rows = self._read(
            "SELECT served_at FROM queue_tickets WHERE service = ? AND day = ?"
            " AND served_at IS NOT NULL ORDER BY served_at DESC LIMIT ?",
            (service, day.isoformat(), limit),
        )
        return sorted(datetime.fromisoformat(row[0]) for row in rows)

    def reset(self, day: date, service: str | None, at: datetime) -> int:
        sql = (
            "UPDATE queue_tickets SET cancelled_at = ? WHERE day = ?"
            " AND served_at IS NULL AND cancelled_at IS NULL"
        )
        params: list[Any] = [_when(at), day.isoformat()]
        if service is not None:
            sql += " AND service = ?"
            params.append(service)
        with self._transaction() as db:
            count = db.execute(sql, tuple(params)).rowcount
        log.info("queue reset on %s for %s: %d waiting tickets cancelled", day, service, count)
        return int(count)

    def prune_days_before(self, day: date) -> int:
        """Delete the tickets of office days before ``day`` (over: every ticket of a past day is
        finished, numbers start again each day); returns how many (kiosk/retention.py)."""
        with self._transaction() as db:
            cursor = db.execute("DELETE FROM queue_tickets WHERE day < ?", (day.isoformat(),))
            return cursor.rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()
