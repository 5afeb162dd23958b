"""Registry reachability and the clock skew the offline voucher check uses."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.engine.availability import RegistryStatus


def test_registry_status_corrects_the_clock_and_bounds_the_skew() -> None:
    status = RegistryStatus()
    status.set_clock_skew(3600)
    assert abs((status.now() - datetime.now(UTC)).total_seconds() - 3600) < 5
    status.set_clock_skew(10**9)
    assert status.clock_skew_s == 86_400


def test_listeners_hear_only_changes() -> None:
    status = RegistryStatus()
    heard: list[bool] = []
    unsubscribe = status.subscribe(heard.append)
    status.mark(True)
    status.mark(False)
    status.mark(False)
    status.mark(True)
    unsubscribe()
    status.mark(False)
    assert heard == [False, True]
