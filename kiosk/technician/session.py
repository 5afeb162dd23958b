"""The technician session: who may use technician mode, and for how long. Plain Python, no Qt.

States::

    DISABLED    no PIN hash configured: technician mode cannot be opened
    LOCKED      waiting for the technician PIN
    OPEN        authenticated; every action goes through :meth:`TechnicianSession.authorize`
    LOCKED_OUT  ``max_attempts`` wrong PINs in a row: no PIN is even checked for ``lockout_s``

Time comes from an injected monotonic clock and is evaluated on every call, so the timed
transitions (end of a lockout, re-authentication after ``reauth_idle_s`` idle) happen exactly
when the clock says so; a test moves the clock, the UI polls :attr:`state`.

All transitions are in :data:`TRANSITIONS`; every one is written to the audit log
(``technician_session`` events, who = "technician"). The PIN itself is never logged.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from kiosk.domain.pin_hash import verify_pin

log = logging.getLogger(__name__)

WHO = "technician"
PIN_MIN_DIGITS = 6
PIN_MAX_DIGITS = 8


class TechState(StrEnum):
    DISABLED = "disabled"
    LOCKED = "locked"
    OPEN = "open"
    LOCKED_OUT = "locked_out"


class TechEvent(StrEnum):
    PIN_OK = "pin_ok"
    PIN_WRONG = "pin_wrong"
    PIN_WRONG_LAST = "pin_wrong_last"  # the wrong PIN that used up the attempts
    LOCKOUT_OVER = "lockout_over"
    IDLE = "idle"  # OPEN for reauth_idle_s without activity
    LOGOUT = "logout"


# (state, event) -> next state. Anything not listed is not a legal transition.
TRANSITIONS: dict[tuple[TechState, TechEvent], TechState] = {
    (TechState.LOCKED, TechEvent.PIN_OK): TechState.OPEN,
    (TechState.LOCKED, TechEvent.PIN_WRONG): TechState.LOCKED,
    (TechState.LOCKED, TechEvent.PIN_WRONG_LAST): TechState.LOCKED_OUT,
    (TechState.LOCKED_OUT, TechEvent.LOCKOUT_OVER): TechState.LOCKED,
    (TechState.OPEN, TechEvent.IDLE): TechState.LOCKED,
    (TechState.OPEN, TechEvent.LOGOUT): TechState.LOCKED,
}


class Auditor(Protocol):
    def append(self, event: str, **fields: object) -> object: ...


class AttemptStore(Protocol):
    """Keeps wrong PINs and the lockout across restarts (see lockout_store.LockoutStore)."""

    def load(self) -> tuple[int, float | None]: ...

    def save(self, wrong: int, locked_until: float | None) -> None: ...


class TechnicianSettingsLike(Protocol):
    @property
    def pin_hash(self) -> str: ...
    @property
    def max_attempts(self) -> int: ...
    @property
    def lockout_s(self) -> int: ...
    @property
    def reauth_idle_s(self) -> int: ...
    @property
    def allow_exit(self) -> bool: ...


class NotAuthorized(Exception):
    """An action was asked for while the session is not OPEN."""

    def __init__(self, state: TechState) -> None:
        super().__init__(f"technician session is {state.value}")
        self.state = state


@dataclass(frozen=True, slots=True)
class PinOutcome:
    """What a PIN entry did. ``attempts_left`` counts before a lockout; ``locked_for_s`` > 0
    while locked out."""

    accepted: bool
    state: TechState
    attempts_left: int
    locked_for_s: float = 0.0
    malformed: bool = False


@dataclass(frozen=True, slots=True)
class SessionSnapshot:
    state: TechState
    attempts_left: int
    locked_for_s: float  # seconds of lockout left (0 when not locked out)
    idle_left_s: float  # seconds before re-authentication (0 when not open)


class TechnicianSession:
    """Thread-safe: the UI polls it on the GUI thread, PIN checks run on a worker thread."""

    def __init__(
        self,
        settings: TechnicianSettingsLike,
        audit: Auditor,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        verify: Callable[[str, str], bool] = verify_pin,
        store: AttemptStore | None = None,
    ) -> None:
        self._settings = settings
        self._audit = audit
        self._clock = clock
        self._verify = verify
        self._lock = threading.RLock()
        self._state = TechState.LOCKED if settings.pin_hash else TechState.DISABLED
        self._wrong = 0
        self._locked_until = 0.0
        self._last_activity = 0.0
        self._wall = wall_clock
        self._store = store
        if store is not None and self._state is TechState.LOCKED:
            self._restore(store)

    def _restore(self, store: AttemptStore) -> None:
        wrong, until = store.load()
        self._wrong = min(wrong, self._settings.max_attempts)
        if until is not None:
            # A lockout never lasts longer than configured, even if the wall clock jumped.
            left = min(max(0.0, until - self._wall()), float(self._settings.lockout_s))
            if left > 0:
                self._state = TechState.LOCKED_OUT
                self._locked_until = self._clock() + left
                log.warning(
                    "technician PIN still locked out for %.0f s (from before restart)", left
                )
                return
            self._wrong = 0
        elif self._wrong >= self._settings.max_attempts:
            self._wrong = 0

    def _persist(self) -> None:
        if self._store is None:
            return
        until = None
        if self._state is TechState.LOCKED_OUT:
            until = self._wall() + max(0.0, self._locked_until - self._clock())
        try:
            self._store.save(self._wrong, until)
        except Exception:
            log.exception("could not save the technician PIN attempts")

    @property
    def allow_exit(self) -> bool:
        return bool(self._settings.allow_exit)

    # -- time ---------------------------------------------------------------------------

    def _advance_time(self) -> None:
        """Apply the timed transitions due at the clock's current reading (lock held)."""
        now = self._clock()
        if self._state is TechState.LOCKED_OUT and now >= self._locked_until:
            self._wrong = 0
            self._fire(TechEvent.LOCKOUT_OVER)
            self._persist()
        elif (
            self._state is TechState.OPEN
            and now - self._last_activity >= self._settings.reauth_idle_s
        ):
            self._fire(TechEvent.IDLE)

    def _fire(self, event: TechEvent) -> None:
        nxt = TRANSITIONS.get((self._state, event))
        if nxt is None:
            raise RuntimeError(f"no transition from {self._state.value} on {event.value}")
        before, self._state = self._state, nxt
        log.info("technician session: %s --%s--> %s", before.value, event.value, nxt.value)
        self._audit.append("technician_session", who=WHO, what=event.value, outcome=nxt.value)

    @property
    def state(self) -> TechState:
        with self._lock:
            self._advance_time()
            return self._state

    def snapshot(self) -> SessionSnapshot:
        with self._lock:
            self._advance_time()
            now = self._clock()
            locked_for = (
                max(0.0, self._locked_until - now) if self._state is TechState.LOCKED_OUT else 0.0
            )
            idle_left = (
                max(0.0, self._settings.reauth_idle_s - (now - self._last_activity))
                if self._state is TechState.OPEN
                else 0.0
            )
            return SessionSnapshot(self._state, self._attempts_left(), locked_for, idle_left)

    def _attempts_left(self) -> int:
        return max(0, self._settings.max_attempts - self._wrong)

    # -- events ---------------------------------------------------------------------------

    def enter_pin(self, pin: str) -> PinOutcome:
        """Check a PIN (slow: scrypt; call it off the GUI thread)."""
        with self._lock:
            self._advance_time()
            if self._state is TechState.OPEN:
                self._last_activity = self._clock()
                return PinOutcome(True, self._state, self._attempts_left())
            if self._state is TechState.DISABLED:
                return PinOutcome(False, self._state, 0)
            if self._state is TechState.LOCKED_OUT:
                return PinOutcome(
                    False, self._state, 0, locked_for_s=self._locked_until - self._clock()
                )
            well_formed = (
                pin.isascii() and pin.isdigit() and (PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS)
            )
            if well_formed and self._verify(pin, self._settings.pin_hash):
                self._wrong = 0
                self._last_activity = self._clock()
                self._fire(TechEvent.PIN_OK)
                self._persist()
                return PinOutcome(True, self._state, self._attempts_left())
            self._wrong += 1
            if self._wrong >= self._settings.max_attempts:
                self._locked_until = self._clock() + self._settings.lockout_s
                self._fire(TechEvent.PIN_WRONG_LAST)
                self._persist()
                return PinOutcome(
                    False, self._state, 0, float(self._settings.lockout_s), not well_formed
                )
            self._fire(TechEvent.PIN_WRONG)
            self._persist()
            return PinOutcome(False, self._state, self._attempts_left(), 0.0, not well_formed)

    def touch(self) -> bool:
        """The technician did something: restart the idle timer. False if not OPEN."""
        with self._lock:
            self._advance_time()
            if self._state is not TechState.OPEN:
                return False
            self._last_activity = self._clock()
            return True

    def authorize(self) -> None:
        """Raise :class:`NotAuthorized` unless OPEN; counts as activity."""
        if not self.touch():
            raise NotAuthorized(self.state)

    def logout(self) -> None:
        with self._lock:
            self._advance_time()
            if self._state is TechState.OPEN:
                self._fire(TechEvent.LOGOUT)
