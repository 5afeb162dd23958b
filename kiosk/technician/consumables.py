"""Paper and blanko refills: the device counters at each refill, so "since refill" can be read.

Device statistics only ever grow (pages, lines, cuts, cards). A refill stores their values at
that moment as the new baseline; :meth:`Consumables.since_refill` is today's counters minus the
baseline. One SQLite table (WAL, ``synchronous=FULL``) in the state directory, so the baseline
survives restarts and power cuts.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS refill_baseline (
    device   TEXT NOT NULL,
    counter  TEXT NOT NULL,
    value    REAL NOT NULL,
    PRIMARY KEY (device, counter)
);
CREATE TABLE IF NOT EXISTS refills (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    device   TEXT NOT NULL,
    what     TEXT NOT NULL,
    at       REAL NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class RefillInfo:
    device: str
    last_refill: float | None  # wall-clock seconds (time.time()) of the last refill
    since_refill: dict[str, float]  # counter -> growth since the last refill (or since ever)


class Consumables:
    def __init__(self, path: Path | str, *, wall_clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._now = wall_clock
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            str(self.path), timeout=10.0, check_same_thread=False, isolation_level=None
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def record_refill(self, device: str, what: str, counters: Mapping[str, float]) -> float:
        """Store ``counters`` as ``device``'s new baseline; returns the refill's time."""
        now = float(self._now())
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("DELETE FROM refill_baseline WHERE device = ?", (device,))
                self._conn.executemany(
                    "INSERT INTO refill_baseline (device, counter, value) VALUES (?, ?, ?)",
                    [(device, name, float(value)) for name, value in counters.items()],
                )
                self._conn.execute(
                    "INSERT INTO refills (device, what, at) VALUES (?, ?, ?)", (device, what, now)
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        return now

    def info(self, device: str, counters: Mapping[str, float]) -> RefillInfo:
        with self._lock:
            rows = self._conn.execute(
                "SELECT counter, value FROM refill_baseline WHERE device = ?", (device,)
            ).fetchall()
            last = self._conn.execute(
                "SELECT MAX(at) FROM refills WHERE device = ?", (device,)
            ).fetchone()[0]
        baseline = {str(name): float(value) for name, value in rows}
        since = {
            name: max(0.0, float(value) - baseline.get(name, 0.0))
            for name, value in counters.items()
        }
        return RefillInfo(device, None if last is None else float(last), since)
