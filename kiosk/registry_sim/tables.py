"""The simulator's tables and the row-level steps shared inside its transactions.

Times are UNIX seconds (float); ``iso`` renders them for the wire (ISO 8601, UTC offset).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from kiosk.registry_sim.api_errors import not_found

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS citizens (
    nik TEXT PRIMARY KEY, name TEXT NOT NULL, sex TEXT NOT NULL, birth_date TEXT NOT NULL,
    kk_number TEXT NOT NULL, alive INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vouchers (
    vid TEXT PRIMARY KEY, doc TEXT NOT NULL, token TEXT NOT NULL, pin TEXT NOT NULL,
    holder_nik TEXT NOT NULL, subject_nik TEXT NOT NULL, holder_masked TEXT NOT NULL,
    document_id TEXT NOT NULL, envelope TEXT NOT NULL, expires_at REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ready', 'printed')), subject_masked TEXT,
    relation TEXT, birth_year INTEGER);
CREATE INDEX IF NOT EXISTS vouchers_by_holder ON vouchers (holder_nik);
CREATE TABLE IF NOT EXISTS reservations (
    rid TEXT PRIMARY KEY, vid TEXT NOT NULL REFERENCES vouchers (vid), kiosk_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL, created_at REAL NOT NULL, lease_expires REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'committed', 'released', 'expired')),
    reason TEXT, committed_at REAL, pdf_sha256 TEXT, pages INTEGER, printer TEXT,
    printing_at REAL,
    UNIQUE (kiosk_id, idempotency_key));
CREATE UNIQUE INDEX IF NOT EXISTS one_active_lease ON reservations (vid) WHERE status = 'active';
CREATE UNIQUE INDEX IF NOT EXISTS one_commit ON reservations (vid) WHERE status = 'committed';
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY, vid TEXT NOT NULL, at REAL NOT NULL, kiosk_id TEXT,
    event TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS history_by_voucher ON history (vid, id);
CREATE TABLE IF NOT EXISTS heartbeats (
    kiosk_id TEXT PRIMARY KEY, at REAL NOT NULL, payload TEXT NOT NULL);
"""


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def record_event(
    db: sqlite3.Connection, vid: str, now: float, kiosk: str | None, event: str, detail: str = ""
) -> None:
    """One line of a voucher's history (no NIK or name ever goes here)."""
    db.execute(
        "INSERT INTO history (vid, at, kiosk_id, event, detail) VALUES (?, ?, ?, ?, ?)",
        (vid, now, kiosk, event, detail),
    )


def expire_leases(db: sqlite3.Connection, now: float) -> None:
    """Leases expire lazily: every transaction first marks the overdue ones expired.

    A reservation with a printing hold (``printing_at`` set) never expires: only its kiosk's
    commit or release ends it (DESIGN section 4).
    """
    overdue = db.execute(
        "SELECT rid, vid, kiosk_id FROM reservations WHERE status = 'active' "
        "AND printing_at IS NULL AND lease_expires <= ?",
        (now,),
    ).fetchall()
    for row in overdue:
        db.execute("UPDATE reservations SET status = 'expired' WHERE rid = ?", (row["rid"],))
        record_event(db, row["vid"], now, row["kiosk_id"], "lease_expired", row["rid"])


def voucher_row(db: sqlite3.Connection, vid: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute("SELECT * FROM vouchers WHERE vid = ?", (vid,)).fetchone()
    if row is None:
        raise not_found()
    return row


def active_lease(db: sqlite3.Connection, vid: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM reservations WHERE vid = ? AND status = 'active'", (vid,)
    ).fetchone()
    return row
