"""Wrong technician PINs and the lockout, kept across restarts.

Without it, pulling the plug would give five fresh tries per boot. One row in the technician
database (WAL, ``synchronous=FULL``): the count of wrong PINs in a row and, during a lockout,
its end as wall-clock time (monotonic clocks do not survive a reboot).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pin_attempts (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    wrong         INTEGER NOT NULL,
    locked_until  REAL
);
"""


class LockoutStore:
    def __init__(self, path: Path | str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            str(path), timeout=10.0, check_same_thread=False, isolation_level=None
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.executescript(_SCHEMA)

    def load(self) -> tuple[int, float | None]:
        """(wrong PINs in a row, lockout end as wall-clock seconds or None)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT wrong, locked_until FROM pin_attempts WHERE id = 1"
            ).fetchone()
        if row is None:
            return 0, None
        wrong, until = row
        return max(0, int(wrong)), None if until is None else float(until)

    def save(self, wrong: int, locked_until: float | None) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO pin_attempts (id, wrong, locked_until) VALUES (1, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET wrong = excluded.wrong,"
                " locked_until = excluded.locked_until",
                (wrong, locked_until),
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()
