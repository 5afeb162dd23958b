"""Is the registry reachable, how far is our clock from its clock, and is there room to write?

Reachability is updated by every call's outcome and by the heartbeat; the session menu reads
it: with the registry down, printing services show as unavailable while queue tickets keep
working (degraded mode). The clock skew (from ``GET /v1/health`` at start) corrects the time
the offline voucher check uses, so a kiosk whose clock drifted still judges expiry right.

:class:`FreeSpace` watches the state directory's filesystem: below the configured floor
(``state_min_free_mb``) the kiosk takes no new print or queue session, because every one of
them must write the journal (or the queue) before it acts.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

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


MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class SpaceReading:
    free_bytes: int | None  # None: the filesystem could not be asked
    floor_bytes: int

    @property
    def low(self) -> bool:
        """Below the floor, or unknown (a state dir that cannot be asked cannot be trusted)."""
        return self.free_bytes is None or self.free_bytes < self.floor_bytes


class FreeSpace:
    """Free space on the filesystem of ``path`` against ``floor_mb`` (MiB)."""

    def __init__(
        self,
        path: Path,
        floor_mb: float,
        statvfs: Callable[[str], os.statvfs_result] = os.statvfs,
    ) -> None:
        self.path = Path(path)
        self.floor_bytes = int(floor_mb * MIB)
        self._statvfs = statvfs
        self._was_low = False

    def reading(self) -> SpaceReading:
        try:
            stat = self._statvfs(str(self.path))
        except OSError as exc:
            log.error("cannot read free space of %s: %s", self.path, exc)
            return SpaceReading(None, self.floor_bytes)
        reading = SpaceReading(stat.f_bavail * stat.f_frsize, self.floor_bytes)
        if reading.low != self._was_low:  # one line per crossing, not one per look
            self._was_low = reading.low
            if reading.low:
                log.error(
                    "state dir %s: %.1f MiB free, below the %.1f MiB floor: no new sessions",
                    self.path,
                    (reading.free_bytes or 0) / MIB,
                    self.floor_bytes / MIB,
                )
            else:
                log.warning("state dir %s: free space back above the floor", self.path)
        return reading

    @property
    def low(self) -> bool:
        return self.reading().low
