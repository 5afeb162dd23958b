"""Device statistics when SQLite fails mid-flush (a full disk rolls the transaction back)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from devices.stats import DeviceStatistics


def refuse_writes(db: Path, message: str) -> None:
    """Make every insert fail the way SQLite fails on a full disk: the transaction is gone."""
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON device_stats "
            f"BEGIN SELECT RAISE(ROLLBACK, '{message}'); END"
        )


def allow_writes(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER refuse")


def test_a_failed_flush_raises_the_real_error_and_keeps_the_counts(tmp_path: Path) -> None:
    db = tmp_path / "devices.sqlite"
    stats = DeviceStatistics("document", db, flush_interval_s=0)
    refuse_writes(db, "database or disk is full")
    with pytest.raises(sqlite3.DatabaseError, match="disk is full"):  # not "no transaction"
        stats.set("pages", 3)
    stats.increment("pages")  # counting never stops a print: kept in memory
    assert stats.get("pages") == 4
    allow_writes(db)
    stats.flush()  # the connection is usable again: no transaction was left open
    stats.close()
    again = DeviceStatistics("document", db)
    assert again.get("pages") == 4
    again.close()
