"""Is the registry reachable, and how far is our clock from its clock?

Reachability is updated by every call's outcome and by the heartbeat; the session menu reads
it: with the registry down, printing services show as unavailable while queue tickets keep
working (degraded mode). The clock skew (from ``GET /v1/health`` at start) corrects the time
the offline voucher check uses, so a kiosk whose clock drifted still judges expiry right.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from devices.listeners import Listeners

log = logging.getLogger(__name__)
MAX_SKEW_S = 86_400.0


class RegistryStatus:
    def __init__(self, up: bool = True) -> None:
        self._lock = threading.Lock()
        self._up = up
        self._since = time.monotonic()
        self._listeners: Listeners[Callable[[bool], None]] = Listeners(self._lock)
        self._skew_s = 0.0

    @property
    def clock_skew_s(self) -> float:
        """Server clock minus ours, seconds (0 until the registry has told us)."""
        with self._lock:
            return self._skew_s

    def set_clock_skew(self, seconds: float) -> None:
        bounded = max(-MAX_SKEW_S, min(MAX_SKEW_S, float(seconds)))
        if abs(bounded) > 60:
            log.warning("our clock is %.0f s off the registry's; correcting", bounded)
        with self._lock:
            self._skew_s = bounded

    def now(self) -> datetime:
        """The registry's idea of now (our clock plus the measured skew)."""
        return datetime.now(UTC) + timedelta(seconds=self.clock_skew_s)

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
            listeners = self._listeners.snapshot() if changed else []
        for listener in listeners:
            listener(up)

    def subscribe(self, listener: Callable[[bool], None]) -> Callable[[], None]:
        return self._listeners.subscribe(listener)
