"""Run this process's Python clock ``KIOSK_TEST_CLOCK_SHIFT_DAYS`` days ahead (another day).

Python imports ``sitecustomize`` at start-up from the first folder of ``sys.path`` that has one, so
with this folder on ``PYTHONPATH`` every Python process of a test run (pytest itself and every
subprocess it starts, which inherit the environment) travels forward by the same number of days,
with time-machine: ``time.time``, ``datetime.now``, ``date.today`` and friends are shifted, the
monotonic clocks and the file system are not. Without the variable (or with 0) nothing happens
and time-machine is not even imported. ``make test-future`` runs the whole suite 400 days ahead;
``tests/conftest.py`` arms the same hook when only the variable is set.
"""

from __future__ import annotations

import os
import time

ENV = "KIOSK_TEST_CLOCK_SHIFT_DAYS"


def shift_days() -> float:
    """The requested shift in days (0: none); ``400.5`` also moves the time of day by 12 h."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return 0.0
    try:
        return float(raw)
    except ValueError:
        raise SystemExit(f"{ENV}={raw!r}: a number of days, please") from None


_traveller = None


def start() -> float:
    """Shift this process's clock (once); returns the shift in days."""
    global _traveller
    days = shift_days()
    if days and _traveller is None:
        import time_machine

        _traveller = time_machine.travel(time.time() + days * 86_400, tick=True)
        _traveller.start()
    return days if _traveller is not None else 0.0


start()
