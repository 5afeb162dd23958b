"""Is the registry reachable? Updated by every call's outcome and by the heartbeat.

The session menu reads it: with the registry down, printing services show as unavailable
while queue tickets keep working (degraded mode).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RegistryStatus:
    def __init__(self, up: bool = True) -> None:
        self._lock = threading.Lock()
        self._up = up
        self._since = time.monotonic()
        self._listeners: list[Callable[[bool], None]] = []

    @property
    def up(self) -> bool:
        with self._lock:
            return self._up

    def mark(self, up: bool) -> None:
        with self._lock:
            changed = up != self._up
            self._up = up
            if changed:
                self._since = time.monotonic()
            listeners = list(self._listeners) if changed else []
        for listener in listeners:
            listener(up)

    def subscribe(self, listener: Callable[[bool], None]) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe
