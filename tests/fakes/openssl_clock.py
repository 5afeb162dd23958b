"""The clock OpenSSL checks certificates against, for tests that make certificates.

``make test-future`` shifts Python's wall clock with time-machine (tests/clock_shift); C
libraries keep reading the real one. A certificate dated by the shifted clock would be "not yet
valid" to OpenSSL, a failure of the simulation, not of the kiosk: on the real day both clocks
agree. So certificates are dated by the clock that will check them.
"""

from __future__ import annotations

import datetime as dt

from time_machine import escape_hatch


def openssl_now() -> dt.datetime:
    """Now by the C library's clock (the real one, even while time-machine travels)."""
    if escape_hatch.is_travelling():
        return dt.datetime.fromtimestamp(escape_hatch.time.time(), dt.UTC)
    return dt.datetime.now(dt.UTC)
