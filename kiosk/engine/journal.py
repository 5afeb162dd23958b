"""The transaction journal: every print step written here BEFORE it is acted on.

One SQLite database (WAL, ``synchronous=FULL``) holds two tables:

- ``transactions``: one row per print attempt, its :class:`TxState` and what is known so far
  (idempotency keys, reservation id, printer job id, PDF hash). No NIK, no name, no document data.
- ``outbox``: commit / release calls still owed to the registry, each with its own idempotency
  key, so a retry after a lost response is recognised by the registry as the same call.

A state change and the outbox row it implies are written in one SQLite transaction. A write
that fails (a full disk) raises SQLite's own error and leaves no transaction open. While a
voucher has a transaction here that is neither committed nor released (:meth:`Journal.holding`:
in flight, SUSPECT, or CONFLICT), the kiosk starts no other print of it.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS transactions (
    txid          TEXT PRIMARY KEY,
    vid           TEXT NOT NULL,
    doc           TEXT NOT NULL,
    state         TEXT NOT NULL,
    reserve_key   TEXT NOT NULL,
    verification  TEXT,
    rid           TEXT,
    lease_expires TEXT,
    printer       TEXT,
    job_id        TEXT,
    pdf_sha256    TEXT,
    pages         INTEGER,
    pages_out     INTEGER,
    reason        TEXT,
    created       REAL NOT NULL,
    updated       REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS transactions_state ON transactions(state);
CREATE INDEX IF NOT EXISTS transactions_vid ON transactions(vid);
CREATE TABLE IF NOT EXISTS outbox (
    key        TEXT PRIMARY KEY,
    txid       TEXT NOT NULL,
    op         TEXT NOT NULL,
    rid        TEXT NOT NULL,
    payload    TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    REAL NOT NULL,
    last_error TEXT,
    created    REAL NOT NULL
);
"""


class TxState(StrEnum):
    """Where a print transaction stands. The journal row is written before each step is taken."""

    RESERVING = "reserving"  # reserve call about to be sent (its idempotency key is stored)
    RESERVED = "reserved"  # the registry leased the voucher to us (rid known)
    HOLDING = "holding"  # the printing hold is asked for (printer, PDF hash known); not printed
    SUBMITTING = "submitting"  # the hold is granted; the PDF is about to go to the printer
    SUBMITTED = "submitted"  # the printer accepted the job (job id known)
    PRINTED = "printed"  # paper out; commit owed (outbox)
    RELEASING = "releasing"  # nothing reached paper; release owed (outbox)
    SUSPECT = "suspect"  # outcome unknown: a technician decides
    COMMITTED = "committed"  # the registry acknowledged the commit
    RELEASED = "released"  # the registry acknowledged the release (or nothing was reserved)
    CONFLICT = "conflict"  # printed here, and the registry says printed elsewhere: an alarm

    @property
    def finished(self) -> bool:
        return self in (TxState.COMMITTED, TxState.RELEASED)

    @property
    def needs_technician(self) -> bool:
        """SUSPECT (a decision is owed) or CONFLICT (a double print to look into)."""
        return self in (TxState.SUSPECT, TxState.CONFLICT)


class OutboxOp(StrEnum):
    COMMIT = "commit"
    RELEASE = "release"


@dataclass(frozen=True, slots=True)
class TxRecord:
    txid: str
    vid: str
    doc: str
    state: TxState
    reserve_key: str
    verification: str | None
    rid: str | None
    lease_expires: str | None
    printer: str | None
    job_id: str | None
    pdf_sha256: str | None
    pages: int | None
    pages_out: int | None
    reason: str | None
    created: float
    updated: float

    def to_dict(self) -> dict[str, Any]:
        """For ``kiosk journal list --json``; the verification proof is left out."""
        return {
            "txid": self.txid,
            "vid": self.vid,
            "doc": self.doc,
            "state": self.state.value,
            "rid": self.rid,
            "printer": self.printer,
            "job_id": self.job_id,
            "pages": self.pages,
            "pages_out": self.pages_out,
            "reason": self.reason,
            "created": self.created,
            "updated": self.updated,
        }


@dataclass(frozen=True, slots=True)
class OutboxItem:
    key: str
    txid: str
    op: OutboxOp
    rid: str
    payload: dict[str, Any]
    attempts: int
    next_at: float
    last_error: str | None


_TX_COLUMNS = (
    "txid, vid, doc, state, reserve_key, verification, rid, lease_expires, printer, job_id,"
    " pdf_sha256, pages, pages_out, reason, created, updated"
)
_UPDATABLE = frozenset(
    {
        "verification",
        "rid",
        "lease_expires",
        "printer",
        "job_id",
        "pdf_sha256",
        "pages",
        "pages_out",
        "reason",
    }
)


_TXID_LETTERS = "abcdefghijkmnpqrstuvwxyz"


def new_txid() -> str:
    """12 letters: short to read out, and never a digit run a title check could take for an ID."""
    return "".join(secrets.choice(_TXID_LETTERS) for _ in range(12))


def new_key() -> str:
    """A fresh idempotency key (random, no personal data)."""
    return uuid.uuid4().hex


class JournalError(Exception):
    """A journal operation that cannot be applied (unknown txid, illegal state change)."""


class Journal:
    """Thread-safe access to the journal database. Every write is durable when it returns."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            str(self.path), timeout=10.0, check_same_thread=False, isolation_level=None
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA busy_timeout=10000")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                # SQLite may have rolled back already (a full disk does that): a second
                # ROLLBACK would raise and hide the error that matters.
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    # transactions

    def begin(self, vid: str, doc: str, verification: str | None) -> TxRecord:
        """Write a new transaction in RESERVING, with the reserve idempotency key, and return it."""
        now = time.time()
        txid = new_txid()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO transactions (txid, vid, doc, state, reserve_key, verification,"
                " created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (txid, vid, doc, TxState.RESERVING.value, new_key(), verification, now, now),
            )
        return self.get(txid)

    def advance(self, txid: str, state: TxState, **fields: Any) -> TxRecord:
        """Move ``txid`` to ``state`` and store ``fields``; returns the new record."""
        self._update(txid, state, fields, outbox=None)
        return self.get(txid)

    def advance_with_outbox(
        self, txid: str, state: TxState, op: OutboxOp, payload: Mapping[str, Any], **fields: Any
    ) -> OutboxItem:
        """Move to ``state`` and queue a registry call, atomically. Returns the outbox item."""
        key = new_key()
        self._update(txid, state, fields, outbox=(key, op, dict(payload)))
        item = self.outbox_item(key)
        assert item is not None
        return item

    def _update(
        self,
        txid: str,
        state: TxState,
        fields: Mapping[str, Any],
        outbox: tuple[str, OutboxOp, dict[str, Any]] | None,
    ) -> None:
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise JournalError(f"not journal fields: {sorted(unknown)}")
        now = time.time()
        assignments = ", ".join(f"{name} = ?" for name in fields)
        sql = "UPDATE transactions SET state = ?, updated = ?"
        sql += f", {assignments}" if assignments else ""
        with self._write() as conn:
            cursor = conn.execute(
                sql + " WHERE txid = ?", (state.value, now, *fields.values(), txid)
            )
            if cursor.rowcount != 1:
                raise JournalError(f"unknown transaction {txid}")
            if outbox is not None:
                key, op, payload = outbox
                row = conn.execute("SELECT rid FROM transactions WHERE txid = ?", (txid,))
                rid = row.fetchone()[0]
                if not rid:
                    raise JournalError(f"transaction {txid} has no reservation to {op.value}")
                conn.execute(
                    "INSERT INTO outbox (key, txid, op, rid, payload, next_at, created)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (key, txid, op.value, rid, json.dumps(payload), now, now),
                )

    def get(self, txid: str) -> TxRecord:
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_TX_COLUMNS} FROM transactions WHERE txid = ?",  # noqa: S608 (constant)
                (txid,),
            ).fetchone()
        if row is None:
            raise JournalError(f"unknown transaction {txid}")
        return _record(row)

    def find(self, txid_prefix: str) -> list[TxRecord]:
        """Transactions whose id starts with ``txid_prefix`` (technicians type short ids)."""
        if not txid_prefix.isalnum():
            return []
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_TX_COLUMNS} FROM transactions WHERE txid LIKE ? ORDER BY created",  # noqa: S608
                (txid_prefix + "%",),
            ).fetchall()
        return [_record(row) for row in rows]

    def recent(self, states: frozenset[TxState] | None = None, limit: int = 1000) -> list[TxRecord]:
        """The newest ``limit`` transactions in ``states`` (all states if None), newest first.

        The state is filtered in SQL, before the LIMIT: an old SUSPECT behind a thousand newer
        committed prints is still listed for the technician."""
        where = ""
        params: tuple[str, ...] = ()
        if states is not None:
            where = f"WHERE state IN ({', '.join('?' * len(states))})"
            params = tuple(sorted(state.value for state in states))
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_TX_COLUMNS} FROM transactions {where} ORDER BY created DESC LIMIT ?",  # noqa: S608
                (*params, limit),
            ).fetchall()
        return [_record(row) for row in rows]

    def unfinished(self) -> list[TxRecord]:
        """Transactions recovery must look at (not committed, released, suspect or conflict)."""
        done = (TxState.COMMITTED, TxState.RELEASED, TxState.SUSPECT, TxState.CONFLICT)
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_TX_COLUMNS} FROM transactions WHERE state NOT IN (?, ?, ?, ?)"  # noqa: S608
                " ORDER BY created",
                tuple(state.value for state in done),
            ).fetchall()
        return [_record(row) for row in rows]

    def holding(self, vid: str) -> TxRecord | None:
        """The newest transaction of ``vid`` that is neither committed nor released: while one
        exists (in flight, SUSPECT, CONFLICT), this kiosk must not start another for ``vid``."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_TX_COLUMNS} FROM transactions WHERE vid = ?"  # noqa: S608
                " AND state NOT IN (?, ?) ORDER BY created DESC LIMIT 1",
                (vid, TxState.COMMITTED.value, TxState.RELEASED.value),
            ).fetchone()
        return None if row is None else _record(row)

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT state, COUNT(*) FROM transactions GROUP BY state"
            ).fetchall()
        return {str(state): int(n) for state, n in rows}

    # outbox

    def outbox_item(self, key: str) -> OutboxItem | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT key, txid, op, rid, payload, attempts, next_at, last_error FROM outbox"
                " WHERE key = ?",
                (key,),
            ).fetchone()
        return _outbox_item(row) if row else None

    def outbox_due(self, now: float, limit: int = 20) -> list[OutboxItem]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT key, txid, op, rid, payload, attempts, next_at, last_error FROM outbox"
                " WHERE next_at <= ? ORDER BY next_at LIMIT ?",
                (now, limit),
            ).fetchall()
        return [_outbox_item(row) for row in rows]

    def outbox_depth(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def outbox_next_at(self) -> float | None:
        with self._lock:
            value = self._conn.execute("SELECT MIN(next_at) FROM outbox").fetchone()[0]
        return None if value is None else float(value)

    def outbox_failed(self, key: str, error: str, next_at: float) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_at = ?"
                " WHERE key = ?",
                (error[:200], next_at, key),
            )

    def outbox_done(self, item: OutboxItem, state: TxState, reason: str | None = None) -> None:
        """``item`` is settled: drop it and move its transaction to ``state``, atomically.

        ``state`` is COMMITTED / RELEASED when the registry acknowledged, SUSPECT when it
        refused for good (then ``reason`` says why, for the technician).
        """
        with self._write() as conn:
            conn.execute("DELETE FROM outbox WHERE key = ?", (item.key,))
            conn.execute(
                "UPDATE transactions SET state = ?, updated = ?, reason = COALESCE(?, reason)"
                " WHERE txid = ?",
                (state.value, time.time(), reason, item.txid),
            )


def _record(row: tuple[Any, ...]) -> TxRecord:
    (txid, vid, doc, state, reserve_key, verification, rid, lease, printer, job_id, sha, pages,
     pages_out, reason, created, updated) = row  # fmt: skip
    return TxRecord(
        txid=txid,
        vid=vid,
        doc=doc,
        state=TxState(state),
        reserve_key=reserve_key,
        verification=verification,
        rid=rid,
        lease_expires=lease,
        printer=printer,
        job_id=job_id,
        pdf_sha256=sha,
        pages=pages,
        pages_out=pages_out,
        reason=reason,
        created=created,
        updated=updated,
    )


def _outbox_item(row: tuple[Any, ...]) -> OutboxItem:
    key, txid, op, rid, payload, attempts, next_at, last_error = row
    return OutboxItem(
        key=key,
        txid=txid,
        op=OutboxOp(op),
        rid=rid,
        payload=json.loads(payload),
        attempts=attempts,
        next_at=next_at,
        last_error=last_error,
    )
