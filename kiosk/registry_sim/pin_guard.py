"""The PIN lock, per citizen (NIK): one count of wrong PINs across all vouchers and identify.

A citizen's vouchers share one PIN, so the guesses are counted against the NIK, not a voucher:
- every wrong PIN, whether through ``verify`` (any of the citizen's vouchers) or ``identify``,
  counts against the holder's NIK; the third wrong PIN in a row locks the NIK;
- the locks escalate: the first lasts 15 minutes, the second 1 hour, every later one 24 hours
  (:data:`LOCK_STEPS_S`); a right PIN resets both the count and the escalation;
- while a NIK is locked every call about it answers 423 ``locked`` with ``locked_until``,
  whatever the PIN: the right PIN gets the same answer as a wrong one, so a lock tells a guesser
  nothing (a 200 for the right PIN would give the PIN away).

An unknown NIK is counted the same way, so identify never tells which NIKs exist.
"""

from __future__ import annotations

import hmac
import sqlite3
from dataclasses import dataclass

from kiosk.registry_sim.api_errors import ApiError
from kiosk.registry_sim.tables import iso

MAX_PIN_ATTEMPTS = 3
LOCK_STEPS_S = (15 * 60.0, 60 * 60.0, 24 * 60 * 60.0)  # the 1st, 2nd, 3rd and later locks

SCHEMA = """
CREATE TABLE IF NOT EXISTS pin_guard (
    nik TEXT PRIMARY KEY, failed INTEGER NOT NULL, locks INTEGER NOT NULL, locked_until REAL);
"""


def locked(until: float) -> ApiError:
    return ApiError(423, "locked", "too many wrong PINs", locked_until=iso(until))


def lock_seconds(locks: int, steps: tuple[float, ...] = LOCK_STEPS_S) -> float:
    """How long the ``locks``-th lock (1, 2, 3, ...) lasts."""
    return steps[min(max(locks, 1), len(steps)) - 1]


@dataclass(frozen=True, slots=True)
class Guard:
    failed: int = 0
    locks: int = 0
    locked_until: float | None = None

    def locked_at(self, now: float) -> bool:
        return self.locked_until is not None and self.locked_until > now


def read_guard(db: sqlite3.Connection, nik: str) -> Guard:
    row = db.execute(
        "SELECT failed, locks, locked_until FROM pin_guard WHERE nik = ?", (nik,)
    ).fetchone()
    return Guard() if row is None else Guard(int(row[0]), int(row[1]), row[2])


def _save(db: sqlite3.Connection, nik: str, guard: Guard) -> None:
    db.execute(
        "INSERT OR REPLACE INTO pin_guard VALUES (?, ?, ?, ?)",
        (nik, guard.failed, guard.locks, guard.locked_until),
    )


def refuse_if_locked(db: sqlite3.Connection, nik: str, now: float) -> None:
    guard = read_guard(db, nik)
    if guard.locked_at(now):
        assert guard.locked_until is not None
        raise locked(guard.locked_until)


def check_pin(
    db: sqlite3.Connection,
    nik: str,
    pin: str,
    expected: list[str],
    now: float,
    steps: tuple[float, ...] = LOCK_STEPS_S,
) -> Guard:
    """Count one PIN entry against ``nik``; returns the guard after a right PIN.

    ``expected`` holds the PINs that are right (the citizen's vouchers'; empty for an unknown
    NIK). Raises 423 while locked (before the PIN is even looked at), 403 ``wrong_pin`` with
    ``attempts_left``, or 423 on the wrong PIN that locks. Runs inside the caller's
    transaction, which commits the count even when this raises (see ``SimStore.transaction``).
    """
    guard = read_guard(db, nik)
    if guard.locked_at(now):
        assert guard.locked_until is not None
        raise locked(guard.locked_until)
    right = False
    for candidate in expected:  # compare with every one, so the time says nothing
        right |= hmac.compare_digest(pin.encode(), candidate.encode())
    if right:
        if guard != Guard():
            db.execute("DELETE FROM pin_guard WHERE nik = ?", (nik,))
        return Guard()
    failed = guard.failed + 1
    if failed >= MAX_PIN_ATTEMPTS:
        locks = guard.locks + 1
        until = now + lock_seconds(locks, steps)
        _save(db, nik, Guard(0, locks, until))
        raise locked(until)
    _save(db, nik, Guard(failed, guard.locks, None))
    raise ApiError(403, "wrong_pin", "the PIN is wrong", attempts_left=MAX_PIN_ATTEMPTS - failed)


def reset(db: sqlite3.Connection, nik: str) -> None:
    db.execute("DELETE FROM pin_guard WHERE nik = ?", (nik,))
