"""What the real and the simulated camera share: status, statistics, reads, internal health."""

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


class CameraBase:
    kind = DeviceKind.CAMERA
    driver: str

    def __init__(self, name: str, context: DriverContext | None, nominal_fps: float) -> None:
        self.name = name
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
        with self._read_lock:
            after = self._last_read_seq
        frame = self._slot.wait_newer(after, timeout_s)
        if frame is None:
            return None
        with self._read_lock:
            self._last_read_seq = max(self._last_read_seq, frame.seq)
        return frame

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
        stale_after = max(1.0, 3.0 / max(self._nominal_fps, 0.1))
        if age is None or age > stale_after:
            return _result(False, "camera open but no frames arriving", started, details)
        low = fps < 0.5 * self._nominal_fps
        text = f"camera streaming at {fps:.1f} fps" + (
            f" (below half of {self._nominal_fps:g})" if low else ""
        )
        return _result(not low, text, started, details)


def _result(ok: bool, text: str, started: float, details: dict[str, object]) -> HealthResult:
    return HealthResult(
        ok, HealthLevel.INTERNAL, text, (time.perf_counter() - started) * 1000, details
    )
