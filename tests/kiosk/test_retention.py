"""Housekeeping prunes the audit files, the journal and the queue past their retention."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import time_machine

from kiosk.audit import AuditLog, verify_log
from kiosk.config.models import RetentionSettings
from kiosk.engine.journal import Journal, OutboxOp, TxState
from kiosk.queue import SqliteTicketStore
from kiosk.retention import Housekeeping

NOW = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)
SETTINGS = RetentionSettings(audit_days=30, journal_days=10, queue_days=7)


def journal_on(journal: Journal, when: datetime, state: TxState, *, owed: bool = False) -> str:
    with time_machine.travel(when, tick=False):
        record = journal.begin(f"V-{state.value}-{when.day}", "kk", None)
        journal.advance(record.txid, TxState.RESERVED, rid=f"R-{record.txid}")
        if owed:
            journal.advance_with_outbox(record.txid, state, OutboxOp.COMMIT, {"pages": 1})
        else:
            journal.advance(record.txid, state)
    return record.txid


def test_housekeeping_prunes_only_what_is_finished_and_old(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite")
    audit = AuditLog(tmp_path / "audit")
    old, recent = datetime(2030, 5, 1, tzinfo=UTC), datetime(2030, 5, 30, tzinfo=UTC)
    gone = [journal_on(journal, old, TxState.COMMITTED), journal_on(journal, old, TxState.RELEASED)]
    kept = [
        journal_on(journal, old, TxState.SUSPECT),  # a technician has not decided yet
        journal_on(journal, old, TxState.SUBMITTED),  # unfinished: recovery needs it
        journal_on(journal, old, TxState.COMMITTED, owed=True),  # the registry is still owed
        journal_on(journal, recent, TxState.COMMITTED),  # not old enough
    ]
    store = SqliteTicketStore(tmp_path / "queue.sqlite")
    for day in (date(2030, 5, 20), date(2030, 5, 20), date(2030, 5, 25), date(2030, 6, 1)):
        store.issue("A", day, priority=False, quota=100, at=NOW)
    store.close()
    with time_machine.travel(datetime(2030, 4, 1, tzinfo=UTC), tick=False):
        audit.append("session", outcome="printed", seconds=1.0)  # seq 1: a rotated file, old
    keeper = Housekeeping(
        SETTINGS,
        state_dir=tmp_path,
        audit=audit,
        journal=journal,
        tz=UTC,
        clock=NOW.timestamp,
    )
    with time_machine.travel(NOW, tick=False):  # the audit log's own clock too
        report = keeper.run_once()
        again = keeper.run_once()
    assert report.rotated == "audit-000000000001.log"  # April's file closed ...
    assert (report.audit_files, report.audit_through_seq) == (1, 1)  # ... and past 30 days
    assert (report.transactions, report.tickets) == (2, 2)
    remaining = {r.txid for r in journal.recent()}
    assert remaining == set(kept) and not remaining & set(gone)
    store = SqliteTicketStore(tmp_path / "queue.sqlite")
    assert store.issued_count("A", date(2030, 5, 25)) == 1  # 7 days back is kept
    assert store.issued_count("A", date(2030, 5, 20)) == 0
    store.close()
    entries = list(audit.entries())
    assert [e["event"] for e in entries] == ["audit_rotated", "retention"]
    assert entries[0]["closed"] == "audit-000000000001.log" and entries[1]["transactions"] == 2
    assert verify_log(audit.directory) == (2, [])  # rotation and pruning audited, chain intact
    assert not again.pruned and again.rotated is None  # nothing more to do
    journal.close()


def test_housekeeping_thread_runs_once_at_start_and_stops(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite")
    journal_on(journal, datetime(2030, 1, 1, tzinfo=UTC), TxState.COMMITTED)
    keeper = Housekeeping(
        SETTINGS,
        state_dir=tmp_path,
        audit=AuditLog(tmp_path / "audit"),
        journal=journal,
        tz=UTC,
        clock=NOW.timestamp,
        interval_s=3600,
    )
    keeper.start()
    keeper.stop()  # returns once the first run is over
    assert journal.recent() == []
    journal.close()
