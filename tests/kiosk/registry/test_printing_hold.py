"""The printing hold (DESIGN section 4) between the client and the simulator over real HTTP.

Once a kiosk has the registry's 200 for ``POST /v1/reservations/{rid}/printing``, the
reservation never expires on its own and no other kiosk (nor another session of the same kiosk)
can take the voucher: only that kiosk's commit or release ends it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.registry import (
    AlreadyPrinted,
    Expired,
    NotFound,
    RegistryClient,
    ReservedElsewhere,
)
from kiosk.registry_sim.server import RunningSimulator
from kiosk.registry_sim.store import SimStore

Pick = Callable[..., list[dict[str, Any]]]
SHA = "ab" * 32


def _reserve(client: RegistryClient, voucher: dict[str, Any], key: str = "reserve-key-1") -> Any:
    verified = client.verify_voucher(voucher["token"], voucher["pin"])
    return client.reserve(verified.vid, verified.verification, key)


def _hold(client: RegistryClient, rid: str, key: str = "printing-key-1") -> Any:
    return client.start_printing(
        rid, pdf_sha256=SHA, pages=1, printer="sim-a4", idempotency_key=key
    )


def test_a_held_reservation_never_expires_and_nobody_else_gets_it(
    client: RegistryClient, other_client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    voucher = pick("ready")[0]
    lease = _reserve(client, voucher)
    hold = _hold(client, lease.rid)
    assert (hold.rid, hold.vid, hold.status) == (lease.rid, voucher["vid"], "printing")
    assert _hold(client, lease.rid).since == hold.since  # idempotent
    sim.advance_clock(86_400)  # a day later, long past the 120 s lease
    state = sim.voucher_state(voucher["vid"])
    assert state["status"] == "reserved"
    assert state["lease"]["printing"] is True
    assert "lease_expired" not in [h["event"] for h in state["history"]]
    theirs = other_client.verify_voucher(voucher["token"], voucher["pin"])
    with pytest.raises(ReservedElsewhere):
        other_client.reserve(theirs.vid, theirs.verification, "their-key-1")
    with pytest.raises(ReservedElsewhere):  # this kiosk, another session
        _reserve(client, voucher, "reserve-key-2")
    client.commit(lease.rid, pdf_sha256=SHA, pages=1, printer="sim-a4", idempotency_key="c-key-01")
    assert sim.voucher_state(voucher["vid"])["status"] == "printed"


def test_an_explicit_release_ends_the_hold(
    client: RegistryClient, other_client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    voucher = pick("ready")[0]
    lease = _reserve(client, voucher)
    _hold(client, lease.rid)
    with pytest.raises(NotFound):  # only the holding kiosk may release it
        other_client.release(lease.rid, reason="not mine", idempotency_key="release-key-1")
    client.release(lease.rid, reason="printer jam", idempotency_key="release-key-2")
    assert sim.voucher_state(voucher["vid"])["status"] == "ready"
    with pytest.raises(Expired):  # a released reservation cannot be held again
        _hold(client, lease.rid, "printing-key-2")


def test_no_hold_once_the_lease_ran_out_or_the_voucher_is_spent(
    client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    first, second = pick("ready")[:2]
    lease = _reserve(client, first)
    sim.advance_clock(121)
    with pytest.raises(Expired):  # the kiosk must not print: it releases
        _hold(client, lease.rid)
    printed = _reserve(client, second, "reserve-key-2")
    client.commit(printed.rid, pdf_sha256=SHA, pages=1, printer="p", idempotency_key="c-key-01")
    with pytest.raises(AlreadyPrinted):
        _hold(client, printed.rid, "printing-key-2")
    with pytest.raises(NotFound):
        _hold(client, "RNOSUCHRESERVATION", "printing-key-3")


def test_the_hold_needs_an_idempotency_key(
    client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    lease = _reserve(client, pick("ready")[0])
    answer = httpx.post(
        f"{sim.url}/v1/reservations/{lease.rid}/printing",
        json={"pdf_sha256": SHA, "pages": 1, "printer": "p"},
        headers={"Authorization": "Bearer test-kiosk-key-1", "X-Kiosk-Id": "KIOSK-T1"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_request"
    spec = httpx.get(f"{sim.url}/openapi.json").json()
    assert "/v1/reservations/{rid}/printing" in spec["paths"]


def test_a_database_from_before_the_hold_gains_its_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE reservations (rid TEXT PRIMARY KEY, vid TEXT NOT NULL, kiosk_id TEXT"
            " NOT NULL, idempotency_key TEXT NOT NULL, created_at REAL NOT NULL, lease_expires"
            " REAL NOT NULL, status TEXT NOT NULL, reason TEXT, committed_at REAL, pdf_sha256"
            " TEXT, pages INTEGER, printer TEXT, UNIQUE (kiosk_id, idempotency_key))"
        )
    store = SimStore(path)
    store.close()
    with sqlite3.connect(path) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(reservations)")}
    assert "printing_at" in columns
