"""A stand-alone kiosk's queue file of schema 1 opens as schema 2 with every ticket kept."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from kiosk.queue.models import Priority, TicketStatus
from kiosk.queue.sqlite_store import SqliteTicketStore

V1 = """
CREATE TABLE queue_tickets (
    ticket_id TEXT PRIMARY KEY, service TEXT NOT NULL CHECK (length(service) = 1),
    day TEXT NOT NULL, number INTEGER NOT NULL CHECK (number >= 1),
    priority INTEGER NOT NULL CHECK (priority IN (0, 1)), issued_at TEXT NOT NULL,
    printed_at TEXT, print_attempts INTEGER NOT NULL DEFAULT 0, served_at TEXT, cancelled_at TEXT,
    UNIQUE (service, day, number)
);
CREATE INDEX queue_tickets_served ON queue_tickets (service, day, served_at);
"""
AT = "2026-11-23T02:00:00.000000+00:00"


def test_schema_1_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "queue.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(V1)
        rows = [
            ("20261123-A-001", "A", "2026-11-23", 1, 0, AT, AT, 1, AT, None),
            ("20261123-A-002", "A", "2026-11-23", 2, 1, AT, None, 0, None, None),
            ("20261123-A-003", "A", "2026-11-23", 3, 0, AT, None, 0, None, AT),
        ]
        db.executemany("INSERT INTO queue_tickets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("PRAGMA user_version = 1")
    store = SqliteTicketStore(path)
    try:
        served, waiting, cancelled = (store.get(f"20261123-A-00{n}") for n in (1, 2, 3))
        assert served is not None and served.status is TicketStatus.SERVED
        assert served.served_at == datetime(2026, 11, 23, 2, tzinfo=UTC)
        assert served.print_attempts == 1 and served.printed_at is not None
        assert waiting is not None and waiting.priority is Priority.PRIORITAS and waiting.waiting
        assert cancelled is not None and cancelled.status is TicketStatus.CANCELLED
        day = date(2026, 11, 23)
        assert store.issue("A", day, priority=None, quota=99, at=served.issued_at).number == 4
    finally:
        store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
