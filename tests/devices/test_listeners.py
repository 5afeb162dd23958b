"""The shared listener list: subscribe returns its own removal; a snapshot is a copy."""

from __future__ import annotations

import threading

from devices.listeners import Listeners


def test_subscribe_unsubscribe_and_snapshot() -> None:
    lock = threading.Lock()
    listeners: Listeners[object] = Listeners(lock)
    first, second = print, repr
    remove_first = listeners.subscribe(first)
    listeners.subscribe(second)
    with lock:
        taken = listeners.snapshot()
    assert taken == [first, second]
    remove_first()
    remove_first()  # twice is harmless
    with lock:
        assert listeners.snapshot() == [second]
    assert taken == [first, second]  # a snapshot does not follow later changes
    assert not lock.locked()
