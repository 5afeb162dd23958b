"""Survey answers kept on the kiosk (SQLite in the state dir, WAL, synchronous=FULL): durable
before the citizen sees the next screen, delivered to the office later, reported per day.

One table, ``feedback``: the answer (service, score, reasons, ticket or txid, time), the office
day it belongs to (office local date) and when the office acknowledged it (NULL: not yet).
Nothing personal is stored: a service letter, a score, reason codes, a ticket id or, for a
kiosk session, a random survey id (``txid``; never the print's transaction id, which the journal
links to a voucher).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from kiosk.feedback.model import DayScore, FeedbackAnswer, day_scores

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, day TEXT NOT NULL, service TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4), reasons TEXT NOT NULL,
    ticket TEXT, txid TEXT, delivered_at TEXT, refused TEXT);
CREATE INDEX IF NOT EXISTS feedback_by_day ON feedback (day);
"""
PENDING_INDEX = """
CREATE INDEX IF NOT EXISTS feedback_unsent ON feedback (id)
    WHERE delivered_at IS NULL AND refused IS NULL;
"""


class FeedbackStore:
    """Records answers (:class:`kiosk.feedback.ports.FeedbackRecorder`); thread-safe."""

    def __init__(self, path: Path, tz: tzinfo) -> None:
        self.path = path
        self.tz = tz  # the office's zone: an answer's day is the office's local date
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(feedback)")}
        if "refused" not in columns:  # a store from before refusals were kept
            self._db.execute("ALTER TABLE feedback ADD COLUMN refused TEXT")
        self._db.executescript("DROP INDEX IF EXISTS feedback_pending;" + PENDING_INDEX)
        self._lock = threading.Lock()
        self._listeners: list[threading.Event] = []

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def record(self, answer: FeedbackAnswer) -> int:
        """Store ``answer`` durably; returns its id."""
        day = answer.at.astimezone(self.tz).date()
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO feedback (at, day, service, score, reasons, ticket, txid) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    answer.at.astimezone(UTC).isoformat(),
                    day.isoformat(),
                    answer.service,
                    answer.score,
                    json.dumps(list(answer.reasons)),
                    answer.ticket,
                    answer.txid,
                ),
            )
            listeners = list(self._listeners)
        for wake in listeners:
            wake.set()
        return int(cursor.lastrowid or 0)

    def notify(self, event: threading.Event) -> None:
        """Set ``event`` whenever an answer is recorded (the sender's wake-up)."""
        with self._lock:
            self._listeners.append(event)

    def pending(self, limit: int = 50) -> list[tuple[int, FeedbackAnswer]]:
        """Answers the office has not acknowledged yet, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, at, service, score, reasons, ticket, txid FROM feedback "
                "WHERE delivered_at IS NULL AND refused IS NULL ORDER BY id LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            (
                int(row[0]),
                FeedbackAnswer(
                    at=datetime.fromisoformat(row[1]),
                    service=row[2],
                    score=int(row[3]),
                    reasons=tuple(json.loads(row[4])),
                    ticket=row[5],
                    txid=row[6],
                ),
            )
            for row in rows
        ]

    def mark_delivered(self, answer_id: int, at: datetime) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE feedback SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL",
                (at.astimezone(UTC).isoformat(), answer_id),
            )

    def mark_refused(self, answer_id: int, reason: str) -> None:
        """The office will never take it: kept here (and in the day's score), not sent again."""
        with self._lock:
            self._db.execute(
                "UPDATE feedback SET refused = ? WHERE id = ? AND delivered_at IS NULL",
                (reason[:64], answer_id),
            )

    def day(self, day: date) -> list[DayScore]:
        """The day's score per service (IKM = mean x 25)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT service, score FROM feedback WHERE day = ? ORDER BY id", (day.isoformat(),)
            ).fetchall()
        return day_scores((str(service), int(score)) for service, score in rows)

    def counts(self) -> tuple[int, int]:
        """(answers stored, answers still to be delivered: neither delivered nor refused)."""
        with self._lock:
            total, pending = self._db.execute(
                "SELECT COUNT(*), SUM(delivered_at IS NULL AND refused IS NULL) FROM feedback"
            ).fetchone()
        return int(total), int(pending or 0)
