"""Inspecting and nudging the simulator's vouchers (the ``/sim/`` admin operations)."""

from __future__ import annotations

import sqlite3
from typing import Any

from kiosk.domain.nik import mask_number
from kiosk.registry_sim.api_errors import already_printed
from kiosk.registry_sim.pin_guard import read_guard
from kiosk.registry_sim.pin_guard import reset as reset_pin_guard
from kiosk.registry_sim.store import SimStore
from kiosk.registry_sim.tables import (
    active_lease,
    expire_leases,
    iso,
    record_event,
    voucher_row,
)


def _status(db: sqlite3.Connection, v: sqlite3.Row, now: float) -> str:
    if v["status"] == "printed":
        return "printed"
    if v["expires_at"] <= now:
        return "expired"
    if read_guard(db, v["holder_nik"]).locked_at(now):
        return "locked"
    return "reserved" if active_lease(db, v["vid"]) is not None else "ready"


def list_vouchers(store: SimStore, now: float) -> list[dict[str, Any]]:
    with store.transaction() as db:
        expire_leases(db, now)
        rows = db.execute("SELECT * FROM vouchers ORDER BY rowid").fetchall()
        return [
            {
                "vid": v["vid"],
                "doc": v["doc"],
                "token": v["token"],
                "pin": v["pin"],
                "holder_nik": v["holder_nik"],
                "holder_nik_masked": mask_number(v["holder_nik"]),
                "status": _status(db, v, now),
                "expires": iso(v["expires_at"]),
            }
            for v in rows
        ]


def voucher_state(store: SimStore, vid: str, now: float) -> dict[str, Any]:
    with store.transaction() as db:
        expire_leases(db, now)
        v = voucher_row(db, vid)
        guard = read_guard(db, v["holder_nik"])
        lease = active_lease(db, vid)
        history = db.execute(
            "SELECT at, kiosk_id, event, detail FROM history WHERE vid = ? ORDER BY id",
            (vid,),
        ).fetchall()
        return {
            "vid": vid,
            "doc": v["doc"],
            "status": _status(db, v, now),
            # the PIN lock is the holder's (pin_guard): shared by all of the citizen's vouchers
            "failed_pins": guard.failed,
            "pin_locks": guard.locks,
            "locked_until": iso(guard.locked_until)
            if guard.locked_until is not None and guard.locked_at(now)
            else None,
            "expires": iso(v["expires_at"]),
            "lease": None
            if lease is None
            else {
                "rid": lease["rid"],
                "kiosk_id": lease["kiosk_id"],
                "lease_expires": iso(lease["lease_expires"]),
                "printing": lease["printing_at"] is not None,  # held until commit or release
            },
            "history": [
                {
                    "at": iso(h["at"]),
                    "kiosk_id": h["kiosk_id"],
                    "event": h["event"],
                    "detail": h["detail"],
                }
                for h in history
            ],
        }


def reset_voucher(store: SimStore, vid: str, now: float) -> None:
    """Unlock the voucher's holder (PIN count and lock) and drop the voucher's lease
    (simulator only). A printed one stays printed: a voucher commits at most once, ever."""
    with store.transaction() as db:
        v = voucher_row(db, vid)
        if v["status"] == "printed":
            raise already_printed()
        db.execute(
            "UPDATE reservations SET status = 'released', reason = 'reset' "
            "WHERE vid = ? AND status = 'active'",
            (vid,),
        )
        reset_pin_guard(db, v["holder_nik"])
        record_event(db, vid, now, None, "reset")
