"""The registry client's watchdog: actions run at their deadline, never after a disarm."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from kiosk.registry.watchdog import Watchdog


@pytest.fixture
def watchdog() -> Iterator[Watchdog]:
    dog = Watchdog()
    yield dog
    dog.close()


def test_actions_run_at_their_deadlines_in_order(watchdog: Watchdog) -> None:
    fired: list[tuple[str, float]] = []
    done = threading.Event()
    start = time.monotonic()

    def note(name: str) -> None:
        fired.append((name, time.monotonic() - start))
        if len(fired) == 3:
            done.set()

    watchdog.arm(start + 0.30, lambda: note("late"))
    watchdog.arm(start + 0.10, lambda: note("early"))  # a new earliest wakes the thread
    watchdog.arm(start - 1.0, lambda: note("overdue"))  # already past: runs at once
    assert done.wait(5)
    assert [name for name, _ in fired] == ["overdue", "early", "late"]
    assert fired[1][1] >= 0.10 and fired[2][1] >= 0.30


def test_a_disarmed_action_never_runs(watchdog: Watchdog) -> None:
    fired = threading.Event()
    ticket = watchdog.arm(time.monotonic() + 0.05, fired.set)
    watchdog.disarm(ticket)
    canary = threading.Event()
    watchdog.arm(time.monotonic() + 0.1, canary.set)
    assert canary.wait(5)
    assert not fired.is_set()


def test_disarm_waits_for_a_running_action(watchdog: Watchdog) -> None:
    entered, finished = threading.Event(), threading.Event()

    def slow() -> None:
        entered.set()
        time.sleep(0.2)
        finished.set()

    ticket = watchdog.arm(time.monotonic(), slow)
    assert entered.wait(5)
    watchdog.disarm(ticket)
    assert finished.is_set()  # the connection may be reused only after this


def test_a_failing_action_does_not_stop_the_watchdog(watchdog: Watchdog) -> None:
    def broken() -> None:
        raise OSError("socket already gone")

    watchdog.arm(time.monotonic(), broken)
    later = threading.Event()
    watchdog.arm(time.monotonic() + 0.05, later.set)
    assert later.wait(5)


def test_many_calls_share_one_thread(watchdog: Watchdog) -> None:
    before = threading.active_count()
    for _ in range(200):
        watchdog.disarm(watchdog.arm(time.monotonic() + 30, lambda: None))
    assert threading.active_count() <= before + 1
    watchdog.close()
    with pytest.raises(RuntimeError):
        watchdog.arm(time.monotonic(), lambda: None)
