"""Device statistics that survive restarts (jobs, pages, cuts, decodes, errors, hours powered).

Counters live in memory and are flushed to SQLite (WAL, synchronous=FULL) at most every
``flush_interval_s`` and on :meth:`close`, so a decode counter bumped 15 times a second does not
cost 15 fsyncs a second. A crash loses at most that interval of counts, never the database.
A flush that fails (a full disk) keeps the counts in memory for the next one: counting a page
never stops a print; :meth:`flush` itself raises the error SQLite gave.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS device_stats (
    device  TEXT NOT NULL,
    counter TEXT NOT NULL,
    value   REAL NOT NULL,
    PRIMARY KEY (device, counter)
)
"""


def open_db(path: Path | str) -> sqlite3.Connection:
    """A connection for state that must survive power cuts (WAL, synchronous=FULL)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=10.0, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


class DeviceStatistics:
    """Counters of one device; ``hours_powered`` grows while the device is open."""

    def __init__(
        self, device: str, db_path: Path | str = ":memory:", flush_interval_s: float = 5.0
    ) -> None:
        self.device = device
        self._lock = threading.Lock()
        self._conn = open_db(db_path)
        self._conn.execute(_SCHEMA)
        self._flush_interval = flush_interval_s
        self._values: dict[str, float] = dict(
            self._conn.execute(
                "SELECT counter, value FROM device_stats WHERE device = ?", (device,)
            ).fetchall()
        )
        self._dirty = False
        self._last_flush = time.monotonic()
        self._powered_since: float | None = None

    def increment(self, counter: str, amount: float = 1) -> None:
        with self._lock:
            self._values[counter] = self._values.get(counter, 0) + amount
            self._dirty = True
            due = time.monotonic() - self._last_flush >= self._flush_interval
        if due:
            try:
                self.flush()
            except sqlite3.Error as exc:  # kept in memory; the next flush tries again
                log.warning("%s: statistics not saved: %s", self.device, exc)

    def set(self, counter: str, value: float) -> None:
        with self._lock:
            self._values[counter] = value
            self._dirty = True
        self.flush()

    def get(self, counter: str) -> float:
        return self.snapshot().get(counter, 0)

    def powered_on(self) -> None:
        with self._lock:
            if self._powered_since is None:
                self._powered_since = time.monotonic()

    def powered_off(self) -> None:
        self._account_power()
        with self._lock:
            self._powered_since = None
        self.flush()

    def _account_power(self) -> None:
        with self._lock:
            if self._powered_since is not None:
                now = time.monotonic()
                hours = (now - self._powered_since) / 3600
                self._values["hours_powered"] = self._values.get("hours_powered", 0) + hours
                self._powered_since = now
                self._dirty = True

    def snapshot(self) -> dict[str, float]:
        self._account_power()
        with self._lock:
            return dict(self._values)

    def flush(self) -> None:
        with self._lock:
            if not self._dirty:
                return
            rows = [(self.device, k, v) for k, v in self._values.items()]
            self._dirty = False
            self._last_flush = time.monotonic()
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT INTO device_stats (device, counter, value) VALUES (?, ?, ?) "
                    "ON CONFLICT (device, counter) DO UPDATE SET value = excluded.value",
                    rows,
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._dirty = True  # not written: the next flush writes them
                # SQLite may have rolled back already (a full disk does that); a ROLLBACK
                # without a transaction would raise and hide the error that matters.
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self.powered_off()
        with self._lock:
            self._conn.close()
