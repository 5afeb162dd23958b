"""The queue store on one SQLite file (WAL, ``synchronous=FULL``): the stand-alone kiosk's and
the embedded default of ``kiosk queue-server``. Survives kill -9 and power cuts.

Every write runs in ``BEGIN IMMEDIATE``: the write lock is taken before the first read, so
two processes on the same file take turns, and a crash before ``COMMIT`` leaves nothing behind.
Schema 1 (the stand-alone kiosk's first queue) is migrated in place to schema 2 on open.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

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
    day TEXT NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    hop INTEGER NOT NULL DEFAULT 0,
    priority TEXT,
    source TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'waiting',
    issued_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    counter TEXT,
    called_at TEXT,
    last_called_at TEXT,
    recalls INTEGER NOT NULL DEFAULT 0,
    call_seq INTEGER,
    started_at TEXT,
    finished_at TEXT,
    printed_at TEXT,
    print_attempts INTEGER NOT NULL DEFAULT 0,
    booking_code TEXT,
    slot_start TEXT,
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
    service TEXT NOT NULL, day TEXT NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (service, day)
);
CREATE TABLE IF NOT EXISTS queue_slots (
    service TEXT NOT NULL, slot_start TEXT NOT NULL, booked INTEGER NOT NULL,
    PRIMARY KEY (service, slot_start)
);
CREATE TABLE IF NOT EXISTS queue_bookings (
    code TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    day TEXT NOT NULL,
    slot_start TEXT NOT NULL,
    slot_end TEXT NOT NULL,
    created_at TEXT NOT NULL,
    client TEXT NOT NULL,
    idem_key TEXT,
    ticket_id TEXT,
    checked_in_at TEXT,
    UNIQUE (client, idem_key)
);
CREATE TABLE IF NOT EXISTS queue_feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    day TEXT NOT NULL,
    service TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4),
    reasons TEXT NOT NULL,
    at TEXT NOT NULL,
    client TEXT NOT NULL,
    ticket_id TEXT UNIQUE,
    txid TEXT UNIQUE
);
CREATE TABLE IF NOT EXISTS queue_alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    kiosk TEXT NOT NULL,
    screen TEXT NOT NULL,
    at TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT
);
CREATE TABLE IF NOT EXISTS queue_pins (
    counter TEXT PRIMARY KEY, wrong INTEGER NOT NULL, locked_until TEXT
);
CREATE TABLE IF NOT EXISTS queue_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Schema 1 had: ticket_id, service, day, number, priority (0/1), issued_at, printed_at,
# print_attempts, served_at, cancelled_at.
_FROM_V1 = """
INSERT INTO queue_tickets (ticket_id, service, prefix, day, number, priority, status,
    issued_at, created_at, started_at, finished_at, printed_at, print_attempts)
SELECT ticket_id, service, service, day, number,
    CASE WHEN priority = 1 THEN 'prioritas' END,
    CASE WHEN served_at IS NOT NULL THEN 'served'
         WHEN cancelled_at IS NOT NULL THEN 'cancelled' ELSE 'waiting' END,
    issued_at, issued_at, served_at, COALESCE(served_at, cancelled_at), printed_at, print_attempts
FROM queue_tickets_v1;
INSERT INTO queue_numbers (service, day, last)
SELECT service, day, MAX(number) FROM queue_tickets_v1 GROUP BY service, day;
DROP TABLE queue_tickets_v1
"""


class _SqliteTx:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return self._db.execute(sql, tuple(params)).fetchall()

    def run(self, sql: str, params: Sequence[object] = ()) -> int:
        return int(self._db.execute(sql, tuple(params)).rowcount)


class SqliteTicketStore(SqlRecords):
    """:class:`kiosk.queue.store.QueueStore` on one SQLite file; thread- and process-safe."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = 5000) -> None:
        self.path = path
        self._busy_timeout_ms = busy_timeout_ms
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = self._connect()
        mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"{path}: WAL mode refused (got {mode})")
        self._db.execute("PRAGMA synchronous = FULL")
        self._create_schema()
        # Reads go through one connection per thread: in WAL mode they see the last commit and
        # never wait for a writer's fsync.
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._closed = False

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path,
            isolation_level=None,
            check_same_thread=False,
            timeout=self._busy_timeout_ms / 1000,
        )
        db.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
        return db

    def _create_schema(self) -> None:
        with self._tx() as tx:
            version = int(tx.rows("PRAGMA user_version")[0][0])
            if version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"{self.path}: schema {version} is newer than this")
            migrate = version == 1
            if migrate:
                tx.run("ALTER TABLE queue_tickets RENAME TO queue_tickets_v1")
                for index in ("queue_tickets_served",):
                    tx.run(f"DROP INDEX IF EXISTS {index}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    tx.run(statement)
            if migrate:
                for statement in _FROM_V1.split(";"):
                    tx.run(statement)
                log.warning(
                    "queue store %s migrated from schema 1 to %d", self.path, SCHEMA_VERSION
                )
            tx.run(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _tx(self) -> Iterator[Tx]:
        """One write transaction, the write lock taken up front (BEGIN IMMEDIATE)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:  # locked past the busy timeout, disk full, I/O error
                log.error("queue store %s: cannot begin a transaction: %s", self.path, exc)
                raise StoreUnavailable(str(exc)) from exc
            try:
                yield _SqliteTx(self._db)
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                log.error("queue store %s: %s", self.path, exc)
                raise StoreUnavailable(str(exc)) from exc
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    @contextmanager
    def _reader(self) -> Iterator[Tx]:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            with self._lock:
                if self._closed:
                    raise sqlite3.ProgrammingError("the queue store is closed")
                db = self._connect()
                self._readers.append(db)
            self._local.db = db
        try:
            yield _SqliteTx(db)
        except sqlite3.Error as exc:
            log.error("queue store %s: %s", self.path, exc)
            raise StoreUnavailable(str(exc)) from exc

    def _t(self, value: datetime) -> object:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("times must be aware datetimes")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def _d(self, value: date) -> object:
        return value.isoformat()

    def _lock_lines(self, tx: Tx, day: date, counter: str, services: Sequence[str]) -> None:
        pass  # BEGIN IMMEDIATE holds the database's one write lock

    def _next_call_seq(self, day: object) -> tuple[str, tuple[object, ...]]:
        return "(SELECT COALESCE(MAX(call_seq), 0) + 1 FROM queue_tickets WHERE day = ?)", (day,)

    def _is_conflict(self, exc: Exception) -> bool:
        return isinstance(exc, sqlite3.IntegrityError)

    def prune_days_before(self, day: date) -> int:
        """Delete the tickets, number counters and bookings of office days before ``day``;
        returns how many tickets (retention, kiosk/retention.py). A past day's ticket is
        finished whatever its status: it can no longer be called or reprinted, and numbers
        start again each day. Feedback and alerts (the office's figures) stay."""
        cut = self._d(day)
        with self._tx() as tx:
            tickets = tx.run("DELETE FROM queue_tickets WHERE day < ?", (cut,))
            tx.run("DELETE FROM queue_numbers WHERE day < ?", (cut,))
            tx.run("DELETE FROM queue_bookings WHERE day < ?", (cut,))
            return tickets

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for reader in self._readers:
                reader.close()
            self._db.close()
