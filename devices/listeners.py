"""A list of callbacks guarded by its owner's lock: subscribe, unsubscribe, snapshot.

Device status, the session's views and the registry's up/down state all deliver changes this
way. The owner's lock is shared (not one of its own) so that an owner can take a snapshot of
its listeners in the same critical section as the state it is about to deliver.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

L = TypeVar("L", bound=Callable[..., object])


class Listeners(Generic[L]):
    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self._items: list[L] = []

    def subscribe(self, listener: L) -> Callable[[], None]:
        """Add ``listener``; returns the call that removes it (safe to call twice)."""
        with self._lock:
            self._items.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._items:
                    self._items.remove(listener)

        return unsubscribe

    def snapshot(self) -> list[L]:
        """The listeners now; the caller holds the owner's lock. Call them after releasing it."""
        return list(self._items)
