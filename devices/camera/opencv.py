"""The real camera: OpenCV ``VideoCapture`` on a V4L2 device (index or path) or a video file.

A grab thread owns the capture and keeps only the latest frame, so :meth:`read` never blocks past
its timeout however the driver behaves. When frames stop (unplugged, read errors, end of a file)
the camera goes OFFLINE with CAMERA_LOST and the thread reopens the device with exponential
backoff; when it answers again the camera is IDLE and RECONNECTED is emitted, without a restart.
Nobody reading for ``rest_after_s``: the capture is released and the camera rests (see
devices/camera/base.py), checking every few seconds that its device node is still there.
A capture stuck inside the driver (no frame for ``stall_timeout_ms``) is abandoned: a fresh grab
thread takes over and the stuck one exits as soon as its call returns.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from devices.camera.base import CameraBase
from devices.camera.frames import Backoff
from devices.model import Capabilities, DeviceState, HealthLevel, HealthResult
from devices.ports import Frame
from thirdparty import glibc_malloc

if TYPE_CHECKING:
    from devices.drivers import DriverContext

log = logging.getLogger(__name__)

_APIS = {"any": cv2.CAP_ANY, "v4l2": cv2.CAP_V4L2, "ffmpeg": cv2.CAP_FFMPEG}
_FAILED_READS_BEFORE_LOST = 3
_PROBE_S = 2.0  # while resting: how often the device node is looked for


class OpenCVCameraSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    device: int | str = Field(default=0, description="V4L2 index (0), device path or video file")
    width: int = Field(default=1280, ge=160, le=3840, description="Requested width, pixels")
    height: int = Field(default=720, ge=120, le=2160, description="Requested height, pixels")
    fps: float = Field(default=15, gt=0, le=120, description="Requested frames per second")
    api: Literal["any", "v4l2", "ffmpeg"] = Field(default="any", description="OpenCV backend")
    fourcc: str | None = Field(
        default="MJPG", min_length=4, max_length=4, description="Pixel format asked of a device"
    )
    read_timeout_ms: int = Field(default=1000, gt=0, description="Driver read timeout, ms")
    stall_timeout_ms: int = Field(
        default=3000, gt=0, description="No frame for this long while streaming = lost, ms"
    )
    reconnect_initial_ms: int = Field(default=500, gt=0, description="First reconnect delay, ms")
    reconnect_max_ms: int = Field(default=10_000, gt=0, description="Longest reconnect delay, ms")
    loop_file: bool = Field(default=False, description="A video file restarts at its end")
    rest_after_s: float = Field(
        default=10.0, ge=0, description="Stop capturing this long after the last read, s (0: never)"
    )


class OpenCVCamera(CameraBase):
    driver = "opencv"
    Settings = OpenCVCameraSettings

    def __init__(
        self,
        name: str = "camera",
        settings: OpenCVCameraSettings | None = None,
        context: DriverContext | None = None,
    ) -> None:
        self.settings = settings if settings is not None else OpenCVCameraSettings()
        super().__init__(name, context, self.settings.fps, self.settings.rest_after_s)
        self._source = _source(self.settings.device)
        self._is_file = isinstance(self._source, str) and Path(self._source).is_file()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._generation = 0
        self._thread: threading.Thread | None = None
        self._first_attempt = threading.Event()
        self._resolution: tuple[int, int] | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def open(self) -> None:
        """Start the grab thread; returns after the first open attempt (bounded)."""
        with self._lock:
            if self._thread is not None:
                return
            self._stop.clear()
            self._first_attempt.clear()
            self.want_frames()  # open and capture once, so the status says whether it works
            self.counters.powered_on()
            self._start_grabber()
        self._first_attempt.wait(timeout=(self.settings.read_timeout_ms + 5000) / 1000)

    def close(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
            self._generation += 1
        if thread is None:
            return
        self._stop.set()
        self._wanted.set()  # wake a resting grab thread
        thread.join(timeout=(self.settings.read_timeout_ms + 2000) / 1000)
        self.counters.powered_off()
        self._mark_closed()

    def _start_grabber(self) -> None:
        self._generation += 1
        generation = self._generation
        self._thread = threading.Thread(
            target=self._grab_loop, args=(generation,), name=f"camera-{self.name}", daemon=True
        )
        self._thread.start()

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            max_resolution=self._resolution or (self.settings.width, self.settings.height)
        )

    # -- reading ------------------------------------------------------------------------------

    def read(self, timeout_s: float) -> Frame | None:
        self._check_stall()
        return super().read(timeout_s)

    def _check_stall(self) -> None:
        """A grabber with no frame for stall_timeout_ms is abandoned and replaced."""
        if self.status.state is not DeviceState.IDLE or self.resting:
            return
        age = self._silent_for_s()
        if age * 1000 < self.settings.stall_timeout_ms:
            return
        with self._lock:
            if self._thread is None or self.status.state is not DeviceState.IDLE:
                return
            log.warning("%s: no frame for %.1f s, restarting capture", self.name, age)
            self._mark_lost(f"no frame for {age:.1f} s")
            self._start_grabber()

    # -- grab thread --------------------------------------------------------------------------

    def _current(self, generation: int) -> bool:
        return generation == self._generation and not self._stop.is_set()

    def _grab_loop(self, generation: int) -> None:
        s = self.settings
        backoff = Backoff(s.reconnect_initial_ms / 1000, s.reconnect_max_ms / 1000)
        capture: Any = None
        image: Any = None  # the last frame read
        failures = 0
        period = 1.0 / s.fps
        next_at = time.monotonic()
        try:
            while self._current(generation):
                if not self.frames_wanted():
                    if capture is not None:
                        capture.release()
                        capture = image = None
                        self._slot.drop()
                        glibc_malloc.trim()  # the decoder's buffers, back to the system
                    self._first_attempt.set()
                    if not self._wait_for_readers(_PROBE_S) and self._current(generation):
                        self._probe_while_resting()
                    continue
                if capture is None:
                    capture = self._try_open()
                    if capture is None:
                        self._mark_lost(f"cannot open {self._describe()}")
                        self._first_attempt.set()
                        self._stop.wait(backoff.next_delay())
                        continue
                    if not self._current(generation):
                        break
                    backoff.reset()
                    failures = 0
                    self._set_resting(False)
                    self._mark_online()
                    self._first_attempt.set()
                ok, image = capture.read()
                if not self._current(generation):
                    break
                if ok and isinstance(image, np.ndarray) and image.size:
                    failures = 0
                    self._slot.put(image)
                    self.counters.increment("frames")
                    if self._is_file:  # a file plays at the configured rate, not at disk speed
                        next_at = max(next_at + period, time.monotonic() - period)
                        self._stop.wait(max(0.0, next_at - time.monotonic()))
                    continue
                if self._is_file and s.loop_file and capture.get(cv2.CAP_PROP_POS_FRAMES) > 0:
                    capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                    continue
                failures += 1
                if self._is_file or failures >= _FAILED_READS_BEFORE_LOST:
                    capture.release()
                    capture = None
                    self._mark_lost("frames stopped (device unplugged or read error)")
                    self._stop.wait(backoff.next_delay())
        except Exception:
            log.exception("%s: grab thread failed", self.name)
            self._mark_lost("capture error")
        finally:
            if capture is not None:
                capture.release()
            self._first_attempt.set()

    def _probe_while_resting(self) -> None:
        """A device node that vanished is a lost camera; one back after a loss is opened."""
        source = self._source
        node = Path(f"/dev/video{source}") if isinstance(source, int) else Path(source)
        if not node.exists():
            self._mark_lost(f"{self._describe()} is gone")
        elif self.status.state is DeviceState.OFFLINE:
            self.want_frames()  # try it: open, one frame, rest again

    def _try_open(self) -> Any:
        s = self.settings
        source = self._source
        if isinstance(source, str) and not Path(source).exists():
            return None
        params = [
            cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
            s.read_timeout_ms + 2000,
            cv2.CAP_PROP_READ_TIMEOUT_MSEC,
            s.read_timeout_ms,
        ]
        try:
            capture = cv2.VideoCapture(source, _APIS[s.api], params)
        except cv2.error as exc:
            log.debug("%s: open failed: %s", self.name, exc)
            return None
        if not capture.isOpened():
            capture.release()
            return None
        self._is_file = isinstance(source, str) and Path(source).is_file()
        if not self._is_file:
            if s.fourcc:
                capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*s.fourcc))
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, s.width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, s.height)
            capture.set(cv2.CAP_PROP_FPS, s.fps)
            capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        if width > 0 and height > 0:
            self._resolution = (width, height)
        log.info("%s: opened %s at %sx%s", self.name, self._describe(), width, height)
        return capture

    def _describe(self) -> str:
        source = self._source
        return f"camera index {source}" if isinstance(source, int) else Path(source).name

    # -- health -------------------------------------------------------------------------------

    def check_health(self, level: HealthLevel) -> HealthResult:
        self._check_stall()
        internal = self._internal_health()
        if level is HealthLevel.INTERNAL or not internal.ok:
            return HealthResult(internal.ok, level, internal.text, internal.ms, internal.details)
        started = time.perf_counter()
        waking = self.resting  # the device is opened again first
        self.want_frames()
        latest = self._slot.latest
        frame = self._slot.wait_newer(
            latest.seq if latest else 0, self.settings.read_timeout_ms / 1000 * (3 if waking else 1)
        )
        ms = (time.perf_counter() - started) * 1000
        if frame is None:
            return HealthResult(False, level, "no frame captured within the timeout", ms)
        h, w = frame.image.shape[:2]
        brightness = float(frame.image.mean())
        dark = brightness < 8
        text = f"captured a {w}x{h} frame, mean brightness {brightness:.0f}" + (
            " (lens covered or no light?)" if dark else ""
        )
        return HealthResult(not dark, level, text, ms, {"width": w, "height": h})


def _source(device: int | str) -> int | str:
    if isinstance(device, str) and device.strip().isdigit():
        return int(device.strip())
    return device
