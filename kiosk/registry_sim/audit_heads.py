"""The audit heads the registry keeps per kiosk, from the ``audit_head`` of each heartbeat.

The longest head wins: a heartbeat whose head has more entries replaces the kept one; the same
head refreshes its time; fewer entries, or another hash for the same count, is a *conflict* (the
kiosk's log was cut short, replaced or rewritten): the earlier head is kept and the conflict is
recorded beside it, so the log can still be checked against what the registry saw. Without the
kiosk's chain key the registry cannot check the chain itself; it keeps the evidence.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from kiosk.registry.models import AuditHeadWire
from kiosk.registry_sim.tables import iso

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_heads (
    kiosk_id TEXT PRIMARY KEY, entries INTEGER NOT NULL, head TEXT NOT NULL, at REAL NOT NULL,
    conflict TEXT);
"""


def record(db: sqlite3.Connection, kiosk: str, head: AuditHeadWire, now: float) -> None:
    kept = db.execute(
        "SELECT entries, head FROM audit_heads WHERE kiosk_id = ?", (kiosk,)
    ).fetchone()
    if kept is None or head.entries > kept[0]:
        db.execute(
            "INSERT OR REPLACE INTO audit_heads (kiosk_id, entries, head, at, conflict) "
            "VALUES (?, ?, ?, ?, (SELECT conflict FROM audit_heads WHERE kiosk_id = ?))",
            (kiosk, head.entries, head.head, now, kiosk),
        )
    elif head.entries == kept[0] and head.head == kept[1]:
        db.execute("UPDATE audit_heads SET at = ? WHERE kiosk_id = ?", (now, kiosk))
    else:
        conflict = f"at {iso(now)} sent {head.entries} entries ending in {head.head[:12]}"
        log.warning("audit head of %s went back: kept %d entries, %s", kiosk, kept[0], conflict)
        db.execute("UPDATE audit_heads SET conflict = ? WHERE kiosk_id = ?", (conflict, kiosk))


def read(db: sqlite3.Connection, kiosk: str) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT entries, head, at, conflict FROM audit_heads WHERE kiosk_id = ?", (kiosk,)
    ).fetchone()
    if row is None:
        return None
    return {"entries": row[0], "head": row[1], "recorded_at": iso(row[2]), "conflict": row[3]}
