"""The PIN lock is per citizen (kiosk/registry_sim/pin_guard.py), at the store, with a moved clock.

Wrong PINs through any of a citizen's vouchers and through identify share one count; locks
escalate 15 min -> 1 h -> 24 h; a locked citizen gets the same 423 whatever the PIN.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.registry_sim import inspection
from kiosk.registry_sim.api_errors import ApiError
from kiosk.registry_sim.pin_guard import LOCK_STEPS_S, MAX_PIN_ATTEMPTS, lock_seconds
from kiosk.registry_sim.proofs import ProofMaker
from kiosk.registry_sim.seeding import seed_store
from kiosk.registry_sim.store import SimStore

NOW = 1_795_000_000.0  # a fixed moment (2026-11-18): nothing here depends on the day
KIOSK = "KIOSK-T1"
PROOFS = ProofMaker(b"0123456789abcdef-pin-guard")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SimStore]:
    store = SimStore(tmp_path / "registry.sqlite")
    seed_store(store, seed=7, families=6, now=NOW)
    yield store
    store.close()


def _ready(store: SimStore) -> list[dict[str, Any]]:
    return [v for v in inspection.list_vouchers(store, NOW) if v["status"] == "ready"]


def _citizen_with_two(store: SimStore) -> tuple[dict[str, Any], dict[str, Any]]:
    ready = _ready(store)
    for one in ready:
        other = [v for v in ready if v["holder_nik"] == one["holder_nik"] and v is not one]
        if other:
            return one, other[0]
    raise AssertionError("the seed has no citizen with two ready vouchers")


def _wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 10**6:06d}"


def _verify(store: SimStore, v: dict[str, Any], pin: str, now: float = NOW) -> Any:
    token_doc = v["doc"]
    return store.verify(KIOSK, v["vid"], token_doc, pin, now, PROOFS)


def _answer(call: Any, *args: Any) -> tuple[int, str, dict[str, Any]]:
    try:
        call(*args)
    except ApiError as exc:
        return exc.status, exc.code, exc.extra
    return 200, "ok", {}


def test_wrong_pins_count_per_citizen_across_vouchers_and_identify(store: SimStore) -> None:
    first, second = _citizen_with_two(store)
    nik, wrong = first["holder_nik"], _wrong(first["pin"])
    assert MAX_PIN_ATTEMPTS == 3
    assert _answer(_verify, store, first, wrong)[:2] == (403, "wrong_pin")
    status, _, extra = _answer(_verify, store, second, wrong)
    assert (status, extra["attempts_left"]) == (403, 1)  # the other voucher shares the count
    status, code, extra = _answer(store.identify, KIOSK, nik, wrong, NOW, PROOFS)
    assert (status, code) == (423, "locked")
    assert datetime.fromisoformat(extra["locked_until"]).timestamp() == NOW + 15 * 60
    for v in (first, second):
        assert inspection.voucher_state(store, v["vid"], NOW)["status"] == "locked"


def test_a_locked_citizen_gets_the_same_answer_whatever_the_pin(store: SimStore) -> None:
    first, second = _citizen_with_two(store)
    nik, wrong = first["holder_nik"], _wrong(first["pin"])
    for _ in range(MAX_PIN_ATTEMPTS):
        _answer(store.identify, KIOSK, nik, wrong, NOW, PROOFS)
    later = NOW + 60
    answers = {
        "identify, right PIN": _answer(store.identify, KIOSK, nik, first["pin"], later, PROOFS),
        "identify, wrong PIN": _answer(store.identify, KIOSK, nik, wrong, later, PROOFS),
        "verify, right PIN": _answer(_verify, store, second, first["pin"], later),
        "verify, wrong PIN": _answer(_verify, store, second, wrong, later),
    }  # fmt: skip
    assert len(set(map(repr, answers.values()))) == 1, answers
    assert next(iter(answers.values()))[:2] == (423, "locked")
    # ... and none of them counted: the lock did not grow while it held
    state = inspection.voucher_state(store, first["vid"], later)
    assert (state["pin_locks"], state["failed_pins"]) == (1, 0)


def test_locks_escalate_and_a_right_pin_resets_them(store: SimStore) -> None:
    v = _ready(store)[0]
    wrong = _wrong(v["pin"])
    assert [lock_seconds(n) for n in (1, 2, 3, 4, 9)] == [900.0, 3600.0, 86400.0, 86400.0, 86400.0]
    assert LOCK_STEPS_S == (900.0, 3600.0, 86400.0)
    now = NOW
    for expected in (900.0, 3600.0, 86400.0, 86400.0):
        for _ in range(MAX_PIN_ATTEMPTS):
            status, _, extra = _answer(_verify, store, v, wrong, now)
        assert status == 423
        until = datetime.fromisoformat(extra["locked_until"]).timestamp()
        assert until - now == expected
        assert _answer(_verify, store, v, v["pin"], until - 1)[0] == 423  # not before
        now = until
    assert _answer(_verify, store, v, v["pin"], now)[0] == 200
    assert inspection.voucher_state(store, v["vid"], now)["pin_locks"] == 0
    for _ in range(MAX_PIN_ATTEMPTS):
        status, _, extra = _answer(_verify, store, v, wrong, now)
    assert datetime.fromisoformat(extra["locked_until"]).timestamp() - now == 900.0


def test_an_unknown_nik_is_counted_like_a_known_one(store: SimStore) -> None:
    unknown = "3201010101990001"
    known = _ready(store)[0]
    for nik in (unknown, known["holder_nik"]):
        lefts = [_answer(store.identify, KIOSK, nik, "135791", NOW, PROOFS)
                 for _ in range(MAX_PIN_ATTEMPTS)]  # fmt: skip
        assert [a[:2] for a in lefts] == [(403, "wrong_pin")] * 2 + [(423, "locked")]
        assert [a[2].get("attempts_left") for a in lefts[:2]] == [2, 1]


def test_another_citizen_is_not_affected_and_a_lock_blocks_reserve(store: SimStore) -> None:
    ready = _ready(store)
    victim = ready[0]
    bystander = next(v for v in ready if v["holder_nik"] != victim["holder_nik"])
    proof = _verify(store, victim, victim["pin"])["verification"]  # verified before the lock
    for _ in range(MAX_PIN_ATTEMPTS):
        _answer(_verify, store, victim, _wrong(victim["pin"]))
    assert _answer(_verify, store, bystander, bystander["pin"])[0] == 200
    PROOFS.check(proof, kiosk_id=KIOSK, vid=victim["vid"], now=NOW)
    refused = _answer(store.reserve, KIOSK, victim["vid"], "key-00000001", NOW, 120.0)
    assert refused[:2] == (423, "locked")
