"""The registry locks a citizen (NIK) after 3 wrong PINs, as seen through the kiosk.

Real engine and registry simulator over HTTP. Each wrong PIN counts exactly once (the kiosk
never resends a verify), whether it came through a voucher's QR or through identify by NIK;
the third locks, the right PIN is then refused too, another citizen's voucher is untouched,
and the lock ends when its time is up, not before (kiosk/registry_sim/pin_guard.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.kiosks import started_kiosk

from kiosk.bootstrap import Kiosk
from kiosk.engine.view import (
    Cancel,
    ChooseMenu,
    CodeScanned,
    EnterPin,
    MenuOption,
    Screen,
    SessionView,
    Touch,
)
from kiosk.registry_sim.pin_guard import LOCK_STEPS_S, MAX_PIN_ATTEMPTS
from kiosk.registry_sim.server import RunningSimulator, start_in_thread

pytestmark = pytest.mark.slow
FIRST_LOCK_S = LOCK_STEPS_S[0]
KIOSK_ID, KIOSK_KEY = "KIOSK-SIM-01", "sim-kiosk-key"


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[RunningSimulator]:
    running = start_in_thread(
        db_path=tmp_path / "registry.sqlite", seed=7, families=6, kiosks={KIOSK_ID: KIOSK_KEY}
    )
    yield running
    running.stop()


@pytest.fixture
def kiosk(sim: RunningSimulator, tmp_path: Path) -> Iterator[Kiosk]:
    with started_kiosk(tmp_path / "kiosk", registry_url=sim.url) as running:
        yield running


def _drive(kiosk: Kiosk, *intents: Any) -> SessionView:
    for intent in intents:
        kiosk.session.send(intent)
    assert kiosk.session.wait_idle(30)
    return kiosk.session.view


def _wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 10**6:06d}"


def _events(sim: RunningSimulator, vid: str, name: str) -> int:
    return sum(1 for h in sim.voucher_state(vid)["history"] if h["event"] == name)


def _start(kiosk: Kiosk, code: str, kind: str) -> None:
    if kiosk.session.view.screen is not Screen.ATTRACT:
        _drive(kiosk, Cancel())
    view = _drive(kiosk, Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(code, kind))
    assert view.screen is Screen.PIN, view


def test_three_wrong_pins_lock_the_citizen_until_its_time_is_up(
    kiosk: Kiosk, sim: RunningSimulator
) -> None:
    assert MAX_PIN_ATTEMPTS == 3
    ready = [v for v in sim.list_vouchers() if v["status"] == "ready"]
    voucher, bystander = ready[0], next(v for v in ready[1:] if v["pin"] != ready[0]["pin"])
    _start(kiosk, voucher["token"], "qr")
    first = _drive(kiosk, EnterPin(_wrong(voucher["pin"])))
    assert (first.screen, first.attempts_left, first.notice) == (Screen.PIN, 2, "pin_wrong")
    second = _drive(kiosk, EnterPin(_wrong(voucher["pin"])))
    assert (second.screen, second.attempts_left) == (Screen.PIN, 1)
    third = _drive(kiosk, EnterPin(_wrong(voucher["pin"])))
    assert third.screen is Screen.ERROR and third.error is not None
    assert third.error.code == "VOUCHER_LOCKED"
    assert third.locked_until is not None
    expected = datetime.now(UTC) + timedelta(seconds=FIRST_LOCK_S)
    assert abs((third.locked_until - expected).total_seconds()) < 60
    state = sim.voucher_state(voucher["vid"])
    assert state["status"] == "locked" and state["pin_locks"] == 1
    assert _events(sim, voucher["vid"], "wrong_pin") == 2
    assert _events(sim, voucher["vid"], "locked") == 1

    # Locked: the right PIN is refused too, and nothing was reserved.
    _start(kiosk, voucher["token"], "qr")
    view = _drive(kiosk, EnterPin(voucher["pin"]))
    assert view.error is not None and view.error.code == "VOUCHER_LOCKED"
    assert sim.voucher_state(voucher["vid"])["lease"] is None
    # Another citizen's voucher is not affected.
    _start(kiosk, bystander["token"], "qr")
    assert _drive(kiosk, EnterPin(bystander["pin"])).screen is Screen.CONFIRM
    # Just before the lock ends: still locked. At its end: the right PIN works again.
    sim.advance_clock(FIRST_LOCK_S - 30)
    _start(kiosk, voucher["token"], "qr")
    assert _drive(kiosk, EnterPin(voucher["pin"])).error is not None
    sim.advance_clock(31)
    _start(kiosk, voucher["token"], "qr")
    assert _drive(kiosk, EnterPin(voucher["pin"])).screen is Screen.CONFIRM
    assert sim.voucher_state(voucher["vid"])["failed_pins"] == 0


def test_wrong_pins_by_nik_and_by_qr_share_one_count(kiosk: Kiosk, sim: RunningSimulator) -> None:
    voucher = next(v for v in sim.list_vouchers() if v["status"] == "ready")
    nik = voucher["holder_nik"]
    _start(kiosk, nik, "code128")
    assert _drive(kiosk, EnterPin(_wrong(voucher["pin"]))).attempts_left == 2
    assert _drive(kiosk, EnterPin(_wrong(voucher["pin"]))).attempts_left == 1
    _start(kiosk, voucher["token"], "qr")  # the third guess through the QR counts too
    locked = _drive(kiosk, EnterPin(_wrong(voucher["pin"])))
    assert locked.error is not None and locked.error.code == "VOUCHER_LOCKED"
    # Locked: the right PIN gets the same answer by NIK and by QR; nothing tells it apart.
    _start(kiosk, nik, "code128")
    view = _drive(kiosk, EnterPin(voucher["pin"]))
    assert view.error is not None and view.error.code == "VOUCHER_LOCKED"
    assert view.locked_until == locked.locked_until
    assert nik not in repr(view)
    _start(kiosk, voucher["token"], "qr")
    view = _drive(kiosk, EnterPin(voucher["pin"]))
    assert view.error is not None and view.error.code == "VOUCHER_LOCKED"
    assert sim.voucher_state(voucher["vid"])["lease"] is None
