"""The latest-frame slot a camera's capture thread fills and readers wait on.

Only the newest frame is kept: a reader that falls behind skips frames instead of queueing them,
so a slow decoder never builds up latency. Waits are bounded by the caller's timeout.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import TYPE_CHECKING

from devices.ports import Frame

if TYPE_CHECKING:
    from devices.ports import Image


class FrameSlot:
    def __init__(self, fps_window: int = 30) -> None:
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self._seq = 0
        self._times: deque[float] = deque(maxlen=fps_window)

    def put(self, image: Image) -> Frame:
        now = time.monotonic()
        with self._cond:
            self._seq += 1
            frame = Frame(image=image, seq=self._seq, at=now)
            self._frame = frame
            self._times.append(now)
            self._cond.notify_all()
        return frame

    def wait_newer(self, after_seq: int, timeout_s: float) -> Frame | None:
        """The latest frame if its seq is above ``after_seq``, waiting up to ``timeout_s``."""
        deadline = time.monotonic() + max(0.0, timeout_s)
        with self._cond:
            while self._frame is None or self._frame.seq <= after_seq:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)
            return self._frame

    @property
    def latest(self) -> Frame | None:
        with self._cond:
            return self._frame

    def age_s(self) -> float | None:
        """Seconds since the last frame, or None if there was none."""
        with self._cond:
            return None if self._frame is None else time.monotonic() - self._frame.at

    def fps(self) -> float:
        """Frames per second over the recent window (0 when fewer than two frames)."""
        with self._cond:
            if len(self._times) < 2:
                return 0.0
            span = self._times[-1] - self._times[0]
            return (len(self._times) - 1) / span if span > 0 else 0.0

    def reset_rate(self) -> None:
        with self._cond:
            self._times.clear()

    def drop(self) -> None:
        """Forget the latest frame (the camera rests): no reader ever gets a stale picture."""
        with self._cond:
            self._frame = None
            self._times.clear()


class Backoff:
    """Reconnect delays: ``initial_s``, doubling, capped at ``maximum_s``."""

    def __init__(self, initial_s: float, maximum_s: float) -> None:
        self.initial_s = initial_s
        self.maximum_s = max(initial_s, maximum_s)
        self._next = initial_s

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self.maximum_s, self._next * 2)
        return delay

    def reset(self) -> None:
        self._next = self.initial_s
