"""`Journal.recent()` filters by state before its LIMIT: old SUSPECTs are never crowded out."""

from __future__ import annotations

from pathlib import Path

from kiosk.engine.journal import Journal, TxState


def test_an_old_suspect_behind_newer_prints_is_still_listed(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite")
    try:
        old = journal.begin("VOLD", "kk", None)
        journal.advance(old.txid, TxState.SUSPECT, reason="printer stopped answering")
        newer = []
        for n in range(6):
            record = journal.begin(f"V{n}", "kk", None)
            journal.advance(record.txid, TxState.COMMITTED)
            newer.append(record.txid)
        assert [r.txid for r in journal.recent(limit=3)] == newer[::-1][:3]
        suspects = journal.recent(frozenset({TxState.SUSPECT}), limit=3)
        assert [r.txid for r in suspects] == [old.txid]
        both = journal.recent(frozenset({TxState.SUSPECT, TxState.COMMITTED}), limit=10)
        assert len(both) == 7 and both[-1].txid == old.txid
        assert journal.recent(frozenset(), limit=10) == []
    finally:
        journal.close()
