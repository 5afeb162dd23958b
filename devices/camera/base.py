"""What the real and the simulated camera share: status, statistics, reads, internal health.

A camera captures only while someone reads frames: every :meth:`CameraBase.read` (and an
external health check) says frames are wanted; ``rest_after_s`` after the last one the capture
stops (the device is released) and the camera *rests*: still IDLE and healthy, no CPU, no USB
traffic. The next read wakes it. A kiosk at its attract screen costs next to nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from devices.camera.frames import FrameSlot
from devices.model import (
    DeviceFault,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    HealthLevel,
    HealthResult,
    StatusEventKind,
    StatusListener,
    StatusNotifier,
    Tristate,
)
from devices.ports import Frame
from devices.stats import DeviceStatistics

if TYPE_CHECKING:
    from devices.drivers import DriverContext

log = logging.getLogger(__name__)

CONSEQUENCE = "code scanning unavailable; manual NIK entry still works"
REST_AFTER_S = 10.0  # default: stop capturing this long after the last read


class CameraBase:
    kind = DeviceKind.CAMERA
    driver: str

    def __init__(
        self,
        name: str,
        context: DriverContext | None,
        nominal_fps: float,
        rest_after_s: float = REST_AFTER_S,
    ) -> None:
        self.name = name
        self.rest_after_s = rest_after_s  # 0: never rest
        self._wanted_at = time.monotonic()  # capture at first, so the status is known
        self._wanted = threading.Event()
        self._resting = False
        self.counters = context.statistics(name) if context is not None else DeviceStatistics(name)
        self._notifier = StatusNotifier(name)
        self._slot = FrameSlot()
        self._read_lock = threading.Lock()
        self._last_read_seq = 0
        self._nominal_fps = nominal_fps
        self._was_online = False
        self._transition = threading.RLock()  # the grab thread, stall checks and faults all mark
        self._online_at = time.monotonic()

    # -- reading ------------------------------------------------------------------------------

    def read(self, timeout_s: float) -> Frame | None:
        """The next frame not yet returned by ``read``, or None within ``timeout_s``."""
        self.want_frames()
        with self._read_lock:
            after = self._last_read_seq
        frame = self._slot.wait_newer(after, timeout_s)
        if frame is None:
            return None
        with self._read_lock:
            self._last_read_seq = max(self._last_read_seq, frame.seq)
        return frame

    # -- capturing only while wanted -----------------------------------------------------------

    def want_frames(self) -> None:
        """Someone reads frames: capture (wake a resting camera)."""
        self._wanted_at = time.monotonic()
        self._wanted.set()

    def frames_wanted(self) -> bool:
        return self.rest_after_s <= 0 or time.monotonic() - self._wanted_at < self.rest_after_s

    @property
    def resting(self) -> bool:
        return self._resting

    def _set_resting(self, resting: bool) -> None:
        if resting != self._resting:
            if resting:
                self._slot.drop()  # a frame from before the rest is not what is in front now
            self._resting = resting
            log.info("%s: %s", self.name, "resting (no reader)" if resting else "capturing")

    def _wait_for_readers(self, timeout_s: float) -> bool:
        """Rest until a reader wants frames (True) or ``timeout_s`` passes (False)."""
        self._set_resting(True)
        self._wanted.clear()
        if self.frames_wanted():  # a read between the check and the clear
            return True
        return self._wanted.wait(timeout_s)

    # -- status -------------------------------------------------------------------------------

    @property
    def status(self) -> DeviceStatus:
        return self._notifier.status

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        return self._notifier.subscribe(listener)

    def statistics(self) -> dict[str, float]:
        return self.counters.snapshot()

    def _mark_online(self) -> None:
        """Frames are (again) available. A return after a loss emits RECONNECTED."""
        with self._transition:
            self._mark_online_locked()

    def _mark_online_locked(self) -> None:
        reconnect = self.status.state is DeviceState.OFFLINE
        self._slot.reset_rate()
        self._online_at = time.monotonic()
        if reconnect:
            self.counters.increment("reconnects")
            log.info("%s: camera reconnected", self.name)
        self._notifier.update(
            StatusEventKind.RECONNECTED if reconnect else StatusEventKind.STATE_CHANGED,
            state=DeviceState.IDLE,
            camera_lost=Tristate.NO,
            last_error=None,
        )
        self._was_online = True

    def _mark_lost(self, detail: str) -> None:
        """No frames: OFFLINE, with CAMERA_LOST if it had been streaming (emitted once per loss)."""
        with self._transition:
            self._mark_lost_locked(detail)

    def _mark_lost_locked(self, detail: str) -> None:
        if self.status.state is DeviceState.OFFLINE:
            return
        log.warning("%s: camera unavailable (%s)", self.name, detail)
        if self._was_online:
            self.counters.increment("camera_lost")
        self._notifier.update(
            StatusEventKind.CAMERA_LOST if self._was_online else StatusEventKind.OFFLINE,
            state=DeviceState.OFFLINE,
            camera_lost=Tristate.YES,
            last_error=DeviceFault("CAMERA_LOST", detail, CONSEQUENCE),
        )

    def _silent_for_s(self) -> float:
        """Seconds without a frame, counted from when the camera last came online at most."""
        since_online = time.monotonic() - self._online_at
        age = self._slot.age_s()
        return since_online if age is None else min(age, since_online)

    def _mark_closed(self) -> None:
        with self._transition:
            self._notifier.update(state=DeviceState.CLOSED, camera_lost=Tristate.UNKNOWN)
            self._was_online = False

    # -- health -------------------------------------------------------------------------------

    def _internal_health(self) -> HealthResult:
        started = time.perf_counter()
        state = self.status.state
        age = self._slot.age_s()
        fps = self._slot.fps()
        details: dict[str, object] = {"state": state.value, "fps": round(fps, 1)}
        if state is DeviceState.CLOSED:
            return _result(False, "camera not opened", started, details)
        if state is DeviceState.OFFLINE:
            err = self.status.last_error
            return _result(
                False, f"camera offline: {err.detail if err else 'no frames'}", started, details
            )
        if self._resting and state is DeviceState.IDLE:
            return _result(True, "camera ready, resting (nobody is scanning)", started, details)
        stale_after = max(1.0, 3.0 / max(self._nominal_fps, 0.1))
        if age is None or age > stale_after:
            return _result(False, "camera open but no frames arriving", started, details)
        low = 0 < fps < 0.5 * self._nominal_fps  # 0: too few frames yet (just woken) to tell
        text = f"camera streaming at {fps:.1f} fps" + (
            f" (below half of {self._nominal_fps:g})" if low else ""
        )
        return _result(not low, text, started, details)


def _result(ok: bool, text: str, started: float, details: dict[str, object]) -> HealthResult:
    return HealthResult(
        ok, HealthLevel.INTERNAL, text, (time.perf_counter() - started) * 1000, details
    )
