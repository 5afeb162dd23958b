"""The queue store on PostgreSQL (psycopg 3, a connection pool): an office's shared queue.

The same SQL as SQLite (:mod:`kiosk.queue.sql_tickets`, :mod:`kiosk.queue.sql_records`) at READ
COMMITTED: a number is an ``INSERT ... ON CONFLICT DO UPDATE`` on the service's row of
``queue_numbers``, which stays locked until the ticket's transaction ends; rows a transaction
changes are read ``FOR UPDATE``; call-next takes a transaction-scoped advisory lock per service
it calls from (in one order), so counters sharing a service take turns and never get the same
ticket, while counters of other agencies call at the same time; calls are ordered by a sequence.
A connection lost in the middle of a transaction means it rolled back: nothing half-written.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime

import psycopg
from psycopg import errors as pg_errors
from psycopg_pool import ConnectionPool, PoolTimeout

from kiosk.queue.models import StoreUnavailable
from kiosk.queue.sql_base import Row, Tx
from kiosk.queue.sql_records import SqlRecords

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS queue_tickets (
    ticket_id TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    prefix TEXT NOT NULL,
    day DATE NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    hop INTEGER NOT NULL DEFAULT 0,
    priority TEXT,
    source TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'waiting',
    issued_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    counter TEXT,
    called_at TIMESTAMPTZ,
    last_called_at TIMESTAMPTZ,
    recalls INTEGER NOT NULL DEFAULT 0,
    call_seq INTEGER,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    printed_at TIMESTAMPTZ,
    print_attempts INTEGER NOT NULL DEFAULT 0,
    booking_code TEXT,
    slot_start TIMESTAMPTZ,
    transferred_from TEXT,
    transferred_to TEXT,
    client TEXT,
    idem_key TEXT,
    UNIQUE (prefix, day, number, hop),
    UNIQUE (client, idem_key)
);
CREATE INDEX IF NOT EXISTS queue_tickets_line ON queue_tickets (day, status, service, issued_at);
CREATE INDEX IF NOT EXISTS queue_tickets_counter ON queue_tickets (day, counter, status);
CREATE INDEX IF NOT EXISTS queue_tickets_calls ON queue_tickets (day, call_seq);
CREATE INDEX IF NOT EXISTS queue_tickets_recent ON queue_tickets (day, last_called_at);
CREATE TABLE IF NOT EXISTS queue_numbers (
    service TEXT NOT NULL, day DATE NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (service, day)
);
CREATE TABLE IF NOT EXISTS queue_slots (
    service TEXT NOT NULL, slot_start TIMESTAMPTZ NOT NULL, booked INTEGER NOT NULL,
    PRIMARY KEY (service, slot_start)
);
CREATE TABLE IF NOT EXISTS queue_bookings (
    code TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    day DATE NOT NULL,
    slot_start TIMESTAMPTZ NOT NULL,
    slot_end TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    client TEXT NOT NULL,
    idem_key TEXT,
    ticket_id TEXT,
    checked_in_at TIMESTAMPTZ,
    UNIQUE (client, idem_key)
);
CREATE TABLE IF NOT EXISTS queue_feedback (
    id BIGSERIAL PRIMARY KEY,
    day DATE NOT NULL,
    service TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4),
    reasons TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    client TEXT NOT NULL,
    ticket_id TEXT UNIQUE,
    txid TEXT UNIQUE
);
CREATE TABLE IF NOT EXISTS queue_alerts (
    id BIGSERIAL PRIMARY KEY,
    day DATE NOT NULL,
    kind TEXT NOT NULL,
    kiosk TEXT NOT NULL,
    screen TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    acknowledged_at TIMESTAMPTZ,
    acknowledged_by TEXT
);
CREATE TABLE IF NOT EXISTS queue_pins (
    counter TEXT PRIMARY KEY, wrong INTEGER NOT NULL, locked_until TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS queue_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE SEQUENCE IF NOT EXISTS queue_call_seq;
"""
_SCHEMA_LOCK = 0x51554555  # advisory lock: one process creates the schema at a time


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


class _PgTx:
    def __init__(self, conn: psycopg.Connection[Row]) -> None:
        self._conn = conn

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        cursor = self._conn.execute(_pg(sql), tuple(params))
        return cursor.fetchall() if cursor.description is not None else []

    def run(self, sql: str, params: Sequence[object] = ()) -> int:
        return int(self._conn.execute(_pg(sql), tuple(params)).rowcount)


class PostgresQueueStore(SqlRecords):
    """:class:`kiosk.queue.store.QueueStore` on a PostgreSQL database (``postgresql://...``)."""

    for_update = " FOR UPDATE"

    def __init__(
        self, url: str, *, min_size: int = 4, max_size: int = 16, timeout_s: float = 5.0
    ) -> None:
        self.url = url
        self._timeout_s = timeout_s
        self._pool: ConnectionPool[psycopg.Connection[Row]] = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout_s,
            kwargs={"options": "-c timezone=UTC", "connect_timeout": max(1, int(timeout_s))},
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=timeout_s)
        except PoolTimeout as exc:
            self._pool.close()
            raise StoreUnavailable(f"PostgreSQL not reachable: {exc}") from exc
        try:
            self._create_schema()
        except BaseException:
            self._pool.close()
            raise

    def _create_schema(self) -> None:
        with self._tx() as tx:
            tx.rows("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    tx.run(statement)
            tx.run(
                "INSERT INTO queue_meta (name, value) VALUES ('schema_version', ?)"
                " ON CONFLICT (name) DO NOTHING",
                (str(SCHEMA_VERSION),),
            )
            (version,) = tx.rows("SELECT value FROM queue_meta WHERE name = 'schema_version'")[0]
            if int(version) > SCHEMA_VERSION:
                raise StoreUnavailable(f"database schema {version} is newer than this")

    @contextmanager
    def _tx(self) -> Iterator[Tx]:
        try:
            with self._pool.connection() as conn, conn.transaction():
                yield _PgTx(conn)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            log.error("queue store (PostgreSQL): %s", exc)
            raise StoreUnavailable(str(exc)) from exc

    @contextmanager
    def _reader(self) -> Iterator[Tx]:
        try:
            with self._pool.connection() as conn:
                yield _PgTx(conn)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            log.error("queue store (PostgreSQL): %s", exc)
            raise StoreUnavailable(str(exc)) from exc

    def _t(self, value: datetime) -> object:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("times must be aware datetimes")
        return value

    def _d(self, value: date) -> object:
        return value

    def _lock_lines(self, tx: Tx, day: date, counter: str, services: Sequence[str]) -> None:
        # the counter first, then its services in one order for everyone: no deadlock
        names = [f"counter {day} {counter}", *(f"call {day} {s}" for s in sorted(set(services)))]
        for name in names:
            tx.rows("SELECT pg_advisory_xact_lock(?)", (zlib.crc32(name.encode()),))

    def _next_call_seq(self, day: object) -> tuple[str, tuple[object, ...]]:
        return "nextval('queue_call_seq')", ()

    def _is_conflict(self, exc: Exception) -> bool:
        return isinstance(exc, pg_errors.UniqueViolation)

    def close(self) -> None:
        self._pool.close()
