"""Technician authentication as shipped: lockout and re-authentication timings, PIN secrecy.

The settings come from the shipped configs (the simulator's real scrypt hash of its PIN, the
production template's defaults); the audit log and the lockout store are the real ones on
disk; only the two clocks are driven by the test, so every boundary is checked to the tick.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.audit import AuditLog, verify_log
from kiosk.config import load_config
from kiosk.config.loader import repo_root
from kiosk.config.models import TechnicianSettings
from kiosk.domain.pin_hash import verify_pin
from kiosk.technician import NotAuthorized, TechnicianSession, TechState
from kiosk.technician.lockout_store import LockoutStore

SIM_PIN = "246810"  # the simulator config's technician PIN (config/simulator.toml)
WRONG = ["135790", "000000", "24681", "２４６８１０", "246810\n" * 1000]  # last ones malformed


class Clocks:
    def __init__(self) -> None:
        self.mono = 5_000.0
        self.wall = 1_800_000_000.0

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += seconds


class CountingVerify:
    """The real scrypt check, counted: a lockout must stop PINs from even being tried."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, pin: str, stored: str) -> bool:
        self.calls += 1
        return verify_pin(pin, stored)


@pytest.fixture(scope="module")
def settings() -> TechnicianSettings:
    return load_config(repo_root() / "config" / "simulator.toml").technician


def _session(
    settings: TechnicianSettings, tmp_path: Path, clocks: Clocks, verify: Callable[..., bool]
) -> tuple[TechnicianSession, LockoutStore]:
    store = LockoutStore(tmp_path / "technician.sqlite")
    session = TechnicianSession(
        settings,
        AuditLog(tmp_path / "audit"),
        clock=lambda: clocks.mono,
        wall_clock=lambda: clocks.wall,
        verify=verify,
        store=store,
    )
    return session, store


def test_shipped_settings_are_strict(tmp_path: Path) -> None:
    production = load_config(repo_root() / "config" / "kiosk.toml").technician
    simulator = load_config(repo_root() / "config" / "simulator.toml").technician
    for tech in (production, simulator):
        assert tech.max_attempts <= 5
        assert tech.lockout_s >= 300
        assert tech.reauth_idle_s <= 900
    assert production.allow_exit is False
    assert production.pin_hash == ""  # no default PIN ships: technician mode starts disabled
    disabled = TechnicianSession(production, AuditLog(tmp_path / "audit"))
    assert disabled.state is TechState.DISABLED
    assert not disabled.enter_pin(SIM_PIN).accepted


def test_a_pin_guess_costs_a_real_hash(settings: TechnicianSettings) -> None:
    started = time.perf_counter()
    assert verify_pin(SIM_PIN, settings.pin_hash)
    assert not verify_pin("135790", settings.pin_hash)
    assert (time.perf_counter() - started) / 2 >= 0.01  # scrypt n=2^14: ~50 ms per guess


def test_lockout_lasts_exactly_lockout_s_and_tries_no_pin_meanwhile(
    settings: TechnicianSettings, tmp_path: Path
) -> None:
    clocks, verify = Clocks(), CountingVerify()
    session, store = _session(settings, tmp_path, clocks, verify)
    try:
        for attempt in range(settings.max_attempts):
            outcome = session.enter_pin(WRONG[attempt % len(WRONG)])
            assert not outcome.accepted
            assert outcome.attempts_left == settings.max_attempts - attempt - 1
        assert session.state is TechState.LOCKED_OUT
        well_formed_guesses = verify.calls
        assert well_formed_guesses <= settings.max_attempts  # malformed PINs are not hashed
        clocks.advance(settings.lockout_s - 0.001)
        for guess in (SIM_PIN, "111111", SIM_PIN):
            refused = session.enter_pin(guess)
            assert not refused.accepted and refused.state is TechState.LOCKED_OUT
            assert 0 < refused.locked_for_s <= 0.001 + 1e-9
        assert verify.calls == well_formed_guesses, "a PIN was checked during the lockout"
        clocks.advance(0.001)
        assert session.state is TechState.LOCKED
        assert session.snapshot().attempts_left == settings.max_attempts
        assert session.enter_pin(SIM_PIN).accepted
    finally:
        store.close()


def test_lockout_survives_a_restart_and_a_clock_set_back(
    settings: TechnicianSettings, tmp_path: Path
) -> None:
    clocks = Clocks()
    session, store = _session(settings, tmp_path, clocks, verify_pin)
    for _ in range(settings.max_attempts):
        session.enter_pin("135790")
    assert session.state is TechState.LOCKED_OUT
    store.close()
    # Power cut 100 s later; on boot the wall clock has been set back a day.
    clocks.advance(100)
    clocks.wall -= 86_400
    clocks.mono = 10.0
    rebooted, store = _session(settings, tmp_path, clocks, verify_pin)
    try:
        assert rebooted.state is TechState.LOCKED_OUT
        assert not rebooted.enter_pin(SIM_PIN).accepted
        left = rebooted.snapshot().locked_for_s
        assert 0 < left <= settings.lockout_s  # clamped: the set-back clock cannot extend it
        clocks.advance(left)
        assert rebooted.state is TechState.LOCKED
    finally:
        store.close()


def test_reauthentication_after_exactly_reauth_idle_s(
    settings: TechnicianSettings, tmp_path: Path
) -> None:
    clocks = Clocks()
    session, store = _session(settings, tmp_path, clocks, verify_pin)
    try:
        assert session.enter_pin(SIM_PIN).accepted
        session.authorize()
        clocks.advance(settings.reauth_idle_s - 1)
        session.authorize()  # activity: the idle timer starts again
        clocks.advance(settings.reauth_idle_s - 0.001)
        assert session.state is TechState.OPEN
        assert session.snapshot().idle_left_s == pytest.approx(0.001)
        clocks.advance(0.001)
        assert session.state is TechState.LOCKED
        with pytest.raises(NotAuthorized):
            session.authorize()
        assert session.enter_pin(SIM_PIN).accepted  # re-authentication opens it again
    finally:
        store.close()


def test_pins_never_reach_the_audit_log_or_the_log(
    settings: TechnicianSettings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    clocks = Clocks()
    session, store = _session(settings, tmp_path, clocks, verify_pin)
    try:
        session.enter_pin("135790")
        session.enter_pin(SIM_PIN)
        session.logout()
    finally:
        store.close()
    audit = (tmp_path / "audit" / "audit.log").read_text("utf-8")
    assert audit.count("technician_session") == 3
    assert caplog.records, "nothing was logged: the check would prove nothing"
    for secret in (SIM_PIN, "135790", settings.pin_hash.split("$")[-1]):
        assert secret not in audit and secret not in caplog.text
        assert secret.encode() not in (tmp_path / "technician.sqlite").read_bytes()
    assert verify_log(tmp_path / "audit")[1] == []
