"""The simulated camera: real frames, with a code drawn in them, at the configured frame rate.

A code is "presented" through :meth:`SimulatedCamera.present` (drawn with segno / zxing-cpp and
placed on a textured background with perspective, rotation, blur, glare and low contrast, then
sensor noise per frame), or an image through :meth:`present_image` (e.g. a printed ticket held
to the lens). Without a presentation it shows the background, or plays a folder of images
(``source_dir``) or a video file (``video``). Faults: ``camera_lost`` (frames stop, OFFLINE,
CAMERA_LOST; clearing it emits RECONNECTED) and ``slow`` (``slow_fps`` frames per second).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from devices.camera.base import CameraBase
from devices.camera.scene import (
    Pose,
    add_noise,
    as_bgr,
    fit_into,
    noise_bank,
    place,
    random_pose,
    textured_background,
)
from devices.camera.sources import ImageFolder, VideoLoop
from devices.faults import Fault, FaultSet
from devices.model import Capabilities, DeviceState, HealthLevel, HealthResult
from devices.ports import CodeFormat

if TYPE_CHECKING:
    from devices.drivers import DriverContext
    from devices.ports import Image

log = logging.getLogger(__name__)

HEALTH_QR_TEXT = "ADM-CAMERA-HEALTH"


class SimulatedCameraSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    width: int = Field(default=1280, ge=160, le=3840, description="Frame width, pixels")
    height: int = Field(default=720, ge=120, le=2160, description="Frame height, pixels")
    fps: float = Field(default=15, gt=0, le=60, description="Frames per second")
    slow_fps: float = Field(default=2, gt=0, le=60, description="Frame rate under the slow fault")
    read_timeout_ms: int = Field(default=1000, gt=0, description="Health-check read timeout, ms")
    seed: int | None = Field(default=None, description="Random seed (poses, noise); None = random")
    difficulty: float = Field(
        default=0.4, ge=0, le=1, description="0 = flat, sharp code; 1 = tilted, blurred, glare"
    )
    module_px: int = Field(default=4, ge=1, le=16, description="Pixels per code module, drawn")
    noise_sigma: float = Field(default=3.0, ge=0, le=40, description="Sensor noise, grey levels")
    source_dir: Path | None = Field(default=None, description="Play the images of this folder")
    video: Path | None = Field(default=None, description="Play this video file (looped)")
    frames_per_image: int = Field(default=15, ge=1, description="Frames each folder image shows")
    repose_s: float = Field(
        default=1.0,
        ge=0,
        description="A hand-held card moves to a new pose this often, s (0 = never)",
    )
    rest_after_s: float = Field(
        default=10.0, ge=0, description="Stop capturing this long after the last read, s (0: never)"
    )

    @model_validator(mode="after")
    def _one_source(self) -> SimulatedCameraSettings:
        if self.source_dir is not None and self.video is not None:
            raise ValueError("source_dir and video are exclusive")
        return self


class SimulatedCamera(CameraBase):
    driver = "sim"
    Settings = SimulatedCameraSettings
    supported_faults = frozenset({Fault.CAMERA_LOST, Fault.SLOW})

    def __init__(
        self,
        name: str = "camera",
        settings: SimulatedCameraSettings | None = None,
        context: DriverContext | None = None,
    ) -> None:
        self.settings = settings if settings is not None else SimulatedCameraSettings()
        super().__init__(name, context, self.settings.fps, self.settings.rest_after_s)
        self._faults = FaultSet(self.supported_faults)
        self._rng = np.random.default_rng(self.settings.seed)
        self._scene_lock = threading.Lock()
        self._background: Image | None = None
        self._noise: list[Any] = []
        self._held: _Held | None = None
        self._source: ImageFolder | VideoLoop | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def open(self) -> None:
        if self._thread is not None:
            return
        s = self.settings
        self._background = textured_background(s.width, s.height, self._rng)
        self._noise = (
            noise_bank(s.width, s.height, s.noise_sigma, self._rng) if s.noise_sigma else []
        )
        if s.source_dir is not None:
            self._source = ImageFolder(s.source_dir, s.frames_per_image)
        elif s.video is not None:
            self._source = VideoLoop(s.video)
        self._stop.clear()
        self.want_frames()
        self.counters.powered_on()
        if Fault.CAMERA_LOST in self._faults:
            self._mark_lost("simulated camera_lost fault")
        else:
            self._mark_online()
        self._thread = threading.Thread(target=self._run, name=f"camera-{self.name}", daemon=True)
        self._thread.start()

    def close(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        self._wake.set()
        self._wanted.set()
        thread.join(timeout=5)
        if self._source is not None:
            self._source.close()
            self._source = None
        self.counters.powered_off()
        self._mark_closed()

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(max_resolution=(self.settings.width, self.settings.height))

    # -- what is in front of the lens ---------------------------------------------------------

    def present(self, text: str, kind: CodeFormat, pose: Pose | None = None) -> None:
        """Hold a code drawn as ``kind`` in front of the camera (until :meth:`remove`).

        Without a ``pose`` the card is hand-held: a random pose at the configured difficulty,
        moving to a new one every ``repose_s`` seconds, as a citizen adjusts their hand.
        """
        from devices.codes.symbols import render_symbol

        self._hold(render_symbol(text, kind, self.settings.module_px), pose, is_image=False)

    def present_image(self, image: Image, pose: Pose | None = None) -> None:
        """Hold an image (grey/BGR/BGRA uint8, e.g. a printed ticket) in front of the camera."""
        self._hold(as_bgr(np.asarray(image)), pose, is_image=True)

    def remove(self) -> None:
        with self._scene_lock:
            self._held = None

    def _pose_for(self, held: _Held) -> Pose:
        if held.fixed_pose is not None:
            return held.fixed_pose
        with self._scene_lock:  # the generator is shared with the capture thread
            if not held.is_image:
                return random_pose(self._rng, self.settings.difficulty)
            base = random_pose(self._rng, self.settings.difficulty * 0.5)
        return replace(base, size=0.92, center=(0.5, 0.5))

    def _hold(self, content: Image, pose: Pose | None, *, is_image: bool) -> None:
        if self._background is None:
            s = self.settings
            self._background = textured_background(s.width, s.height, self._rng)
        held = _Held(content, pose, is_image)
        held.scene = place(self._background, content, self._pose_for(held))
        held.posed_at = time.monotonic()
        with self._scene_lock:
            self._held = held

    def _held_scene(self) -> Image | None:
        """The scene of what is held, re-posed when a hand-held card is due to move."""
        with self._scene_lock:
            held = self._held
        if held is None:
            return None
        repose = self.settings.repose_s
        due = repose > 0 and held.fixed_pose is None and time.monotonic() - held.posed_at >= repose
        if due and self._background is not None:
            held.scene = place(self._background, held.content, self._pose_for(held))
            held.posed_at = time.monotonic()
        return held.scene

    # -- faults -------------------------------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        self._faults.add(fault)
        if fault is Fault.CAMERA_LOST and self._thread is not None:
            self._mark_lost("simulated camera_lost fault")
        self._wake.set()

    def clear(self, fault: Fault) -> None:
        self._faults.discard(fault)
        lost_cleared = fault is Fault.CAMERA_LOST and self._thread is not None
        if lost_cleared and self.status.state is DeviceState.OFFLINE:
            self._mark_online()
        self._wake.set()

    def active_faults(self) -> frozenset[Fault]:
        return self._faults.snapshot()

    # -- capture thread -----------------------------------------------------------------------

    def _run(self) -> None:
        index = 0
        next_at = time.monotonic()
        while not self._stop.is_set():
            if not self.frames_wanted():
                self._wait_for_readers(1.0)
                next_at = time.monotonic()
                continue
            self._set_resting(False)
            fps = self.settings.slow_fps if Fault.SLOW in self._faults else self.settings.fps
            delay = next_at - time.monotonic()
            if delay > 0:
                self._wake.wait(delay)
                self._wake.clear()
                if time.monotonic() < next_at:
                    continue  # woken early (fault change, close): re-evaluate
            next_at = max(next_at + 1.0 / fps, time.monotonic() - 1.0 / fps)
            if Fault.CAMERA_LOST in self._faults:
                continue
            try:
                image = self._compose(index)
            except Exception:
                log.exception("%s: could not compose a frame", self.name)
                continue
            index += 1
            self._slot.put(image)
            self.counters.increment("frames")

    def _compose(self, index: int) -> Image:
        base = self._held_scene()
        if base is None and self._source is not None:
            raw = self._source.next_image()
            if raw is not None:
                base = fit_into(raw, self.settings.width, self.settings.height)
        if base is None:
            base = self._background
        assert base is not None
        if not self._noise:
            return base.copy()
        return add_noise(base, self._noise[index % len(self._noise)])

    # -- health -------------------------------------------------------------------------------

    def check_health(self, level: HealthLevel) -> HealthResult:
        internal = self._internal_health()
        if level is HealthLevel.INTERNAL or not internal.ok:
            return HealthResult(internal.ok, level, internal.text, internal.ms, internal.details)
        return self._closed_loop_check()

    def _closed_loop_check(self) -> HealthResult:
        """Present a test QR, read frames and decode them with the real decoder."""
        from devices.codes.zxing_reader import ZxingReader

        started = time.perf_counter()
        reader = ZxingReader("camera-health")
        with self._scene_lock:
            previous = self._held
        self.present(HEALTH_QR_TEXT, CodeFormat.QR, Pose(size=0.6, tilt=0.03, rotation_deg=4))
        self.want_frames()
        deadline = time.monotonic() + self.settings.read_timeout_ms / 1000 * 3
        latest = self._slot.latest
        seen = latest.seq if latest is not None else 0
        frames, decoded = 0, False
        try:
            while time.monotonic() < deadline and not decoded:
                self.want_frames()
                frame = self._slot.wait_newer(seen, 0.2)
                if frame is None:
                    continue
                seen, frames = frame.seq, frames + 1
                decoded = any(c.text == HEALTH_QR_TEXT for c in reader.decode(frame.image))
        finally:
            with self._scene_lock:
                self._held = previous
            reader.counters.close()
        ms = (time.perf_counter() - started) * 1000
        text = "test QR captured and decoded" if decoded else "test QR not decoded from frames"
        return HealthResult(decoded, HealthLevel.EXTERNAL, text, ms, {"frames": frames})


@dataclass(eq=False, slots=True)
class _Held:
    """What is in front of the lens: the content, how it is posed, and its current scene."""

    content: Image
    fixed_pose: Pose | None
    is_image: bool
    scene: Image | None = None
    posed_at: float = 0.0
