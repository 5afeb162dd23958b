"""The technician session state machine: PIN, lockout timing, re-authentication timing, exit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.audit import AuditLog, verify_log
from kiosk.config.models import TechnicianSettings
from kiosk.domain.pin_hash import hash_pin
from kiosk.technician.session import (
    TRANSITIONS,
    NotAuthorized,
    TechEvent,
    TechnicianSession,
    TechState,
)

PIN = "246810"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin(PIN)


def make(
    tmp_path: Path, pin_hash: str, clock: Clock, **settings: Any
) -> tuple[TechnicianSession, AuditLog]:
    audit = AuditLog(tmp_path / "audit")
    config = TechnicianSettings(pin_hash=pin_hash, **settings)
    return TechnicianSession(config, audit, clock=clock), audit


def events(audit: AuditLog) -> list[tuple[str, str, str]]:
    return [(e["event"], e["what"], e["outcome"]) for e in audit.entries()]


def test_right_pin_opens_and_is_audited_without_the_pin(tmp_path: Path, pin_hash: str) -> None:
    session, audit = make(tmp_path, pin_hash, Clock())
    assert session.state is TechState.LOCKED
    outcome = session.enter_pin(PIN)
    assert outcome.accepted and outcome.state is TechState.OPEN
    assert session.state is TechState.OPEN
    assert events(audit) == [("technician_session", "pin_ok", "open")]
    assert PIN not in (tmp_path / "audit" / "audit.log").read_text()
    assert verify_log(tmp_path / "audit")[1] == []


def test_five_wrong_pins_lock_out_for_exactly_the_lockout(tmp_path: Path, pin_hash: str) -> None:
    clock = Clock()
    session, audit = make(tmp_path, pin_hash, clock)
    lefts = [session.enter_pin("111111").attempts_left for _ in range(4)]
    assert lefts == [4, 3, 2, 1]
    last = session.enter_pin("222222")
    assert not last.accepted and last.state is TechState.LOCKED_OUT
    assert last.locked_for_s == 900
    # While locked out even the right PIN is refused, without being checked.
    clock.advance(899.9)
    refused = session.enter_pin(PIN)
    assert not refused.accepted and refused.state is TechState.LOCKED_OUT
    assert refused.locked_for_s == pytest.approx(0.1)
    assert session.snapshot().locked_for_s == pytest.approx(0.1)
    clock.advance(0.1)
    assert session.state is TechState.LOCKED
    assert session.snapshot().attempts_left == 5
    assert session.enter_pin(PIN).accepted
    assert [e[1] for e in events(audit)] == ["pin_wrong"] * 4 + [
        "pin_wrong_last",
        "lockout_over",
        "pin_ok",
    ]


def test_configured_attempts_and_lockout(tmp_path: Path, pin_hash: str) -> None:
    clock = Clock()
    session, _ = make(tmp_path, pin_hash, clock, max_attempts=2, lockout_s=60)
    session.enter_pin("000000")
    assert session.enter_pin("000000").state is TechState.LOCKED_OUT
    clock.advance(59)
    assert session.state is TechState.LOCKED_OUT
    clock.advance(1)
    assert session.state is TechState.LOCKED


def test_a_right_pin_resets_the_wrong_count(tmp_path: Path, pin_hash: str) -> None:
    session, _ = make(tmp_path, pin_hash, Clock())
    for _ in range(4):
        session.enter_pin("999999")
    assert session.enter_pin(PIN).accepted
    session.logout()
    assert session.state is TechState.LOCKED
    assert session.enter_pin("999999").attempts_left == 4


@pytest.mark.parametrize("junk", ["", "12345", "123456789", "12345a", "١٢٣٤٥٦", " 246810"])
def test_malformed_pins_count_as_wrong(tmp_path: Path, pin_hash: str, junk: str) -> None:
    session, _ = make(tmp_path, pin_hash, Clock())
    outcome = session.enter_pin(junk)
    assert not outcome.accepted and outcome.malformed and outcome.attempts_left == 4


def test_idle_for_reauth_time_locks_again(tmp_path: Path, pin_hash: str) -> None:
    clock = Clock()
    session, audit = make(tmp_path, pin_hash, clock)
    session.enter_pin(PIN)
    clock.advance(600)
    session.authorize()  # activity at t+600 restarts the idle timer
    clock.advance(899)
    assert session.state is TechState.OPEN
    assert session.snapshot().idle_left_s == pytest.approx(1)
    clock.advance(1)
    assert session.state is TechState.LOCKED
    with pytest.raises(NotAuthorized) as raised:
        session.authorize()
    assert raised.value.state is TechState.LOCKED
    assert events(audit)[-1] == ("technician_session", "idle", "locked")
    assert session.enter_pin(PIN).accepted


def test_reauth_idle_is_configurable(tmp_path: Path, pin_hash: str) -> None:
    clock = Clock()
    session, _ = make(tmp_path, pin_hash, clock, reauth_idle_s=30)
    session.enter_pin(PIN)
    clock.advance(29.5)
    assert session.touch()
    clock.advance(29.5)
    assert session.state is TechState.OPEN
    clock.advance(0.5)
    assert not session.touch()


def test_no_pin_hash_disables_technician_mode(tmp_path: Path) -> None:
    session, audit = make(tmp_path, "", Clock())
    assert session.state is TechState.DISABLED
    assert not session.enter_pin("000000").accepted
    with pytest.raises(NotAuthorized):
        session.authorize()
    assert events(audit) == []


def test_a_malformed_stored_hash_never_opens(tmp_path: Path) -> None:
    session, _ = make(tmp_path, "scrypt$1$1$1$AA$AA", Clock())
    assert session.state is TechState.LOCKED
    assert not session.enter_pin("000000").accepted


@pytest.mark.parametrize("allowed", [True, False])
def test_allow_exit_comes_from_config(tmp_path: Path, pin_hash: str, allowed: bool) -> None:
    session, _ = make(tmp_path, pin_hash, Clock(), allow_exit=allowed)
    assert session.allow_exit is allowed


def test_transition_table_is_closed() -> None:
    """Every state but DISABLED can be left; DISABLED has no transitions at all."""
    sources = {state for state, _ in TRANSITIONS}
    assert sources == {TechState.LOCKED, TechState.OPEN, TechState.LOCKED_OUT}
    assert TRANSITIONS[(TechState.OPEN, TechEvent.IDLE)] is TechState.LOCKED
    assert TRANSITIONS[(TechState.LOCKED, TechEvent.PIN_WRONG_LAST)] is TechState.LOCKED_OUT


class Wall(Clock):
    def __init__(self) -> None:
        self.now = 1_800_000_000.0


def restart(
    tmp_path: Path, pin_hash: str, wall: Wall, **settings: Any
) -> tuple[TechnicianSession, Clock]:
    """A new session as after a reboot: a fresh monotonic clock, the same database."""
    from kiosk.technician.lockout_store import LockoutStore

    clock = Clock()
    clock.now = 5.0
    store = LockoutStore(tmp_path / "technician.sqlite")
    config = TechnicianSettings(pin_hash=pin_hash, **settings)
    session = TechnicianSession(
        config, AuditLog(tmp_path / "audit"), clock=clock, wall_clock=wall, store=store
    )
    return session, clock


def test_wrong_pins_survive_a_restart(tmp_path: Path, pin_hash: str) -> None:
    wall = Wall()
    session, _ = restart(tmp_path, pin_hash, wall)
    for _ in range(3):
        session.enter_pin("000000")
    session, _ = restart(tmp_path, pin_hash, wall)
    assert session.snapshot().attempts_left == 2
    assert session.enter_pin(PIN).accepted
    session, _ = restart(tmp_path, pin_hash, wall)
    assert session.snapshot().attempts_left == 5


def test_a_lockout_survives_a_restart(tmp_path: Path, pin_hash: str) -> None:
    wall = Wall()
    session, _ = restart(tmp_path, pin_hash, wall)
    for _ in range(5):
        session.enter_pin("000000")
    assert session.state is TechState.LOCKED_OUT
    wall.now += 100  # power cut, reboot
    session, clock = restart(tmp_path, pin_hash, wall)
    assert session.state is TechState.LOCKED_OUT
    assert session.snapshot().locked_for_s == pytest.approx(800)
    assert not session.enter_pin(PIN).accepted
    clock.now += 800
    assert session.state is TechState.LOCKED
    session, _ = restart(tmp_path, pin_hash, wall)  # the end of the lockout was saved
    assert session.state is TechState.LOCKED and session.snapshot().attempts_left == 5


def test_a_wall_clock_jump_back_cannot_lengthen_a_lockout(tmp_path: Path, pin_hash: str) -> None:
    wall = Wall()
    session, _ = restart(tmp_path, pin_hash, wall, lockout_s=60)
    for _ in range(5):
        session.enter_pin("000000")
    wall.now -= 86_400
    session, clock = restart(tmp_path, pin_hash, wall, lockout_s=60)
    assert session.snapshot().locked_for_s == pytest.approx(60)
    clock.now += 60
    assert session.state is TechState.LOCKED
