"""ScanWorker: camera -> decoder -> debouncer on one background thread.

The UI shows frames (``on_frame(frame, codes)``, decoded codes with their corners for drawing)
and the engine receives accepted codes (``on_code(code)``); both callbacks run on this worker's
thread, so a GUI must hand them to its own thread (a Qt signal) and return quickly. The GUI thread
never decodes. Decode attempts, successes and accepted codes are counted into statistics.

Code texts (which may be a NIK) are never logged.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from devices.codes.debounce import Debouncer
from devices.ports import Camera, CodeReader, DecodedCode, Frame
from devices.stats import DeviceStatistics

log = logging.getLogger(__name__)

CodeCallback = Callable[[DecodedCode], None]
FrameCallback = Callable[[Frame, list[DecodedCode]], None]


class ScanWorker:
    def __init__(
        self,
        camera: Camera,
        reader: CodeReader,
        *,
        on_code: CodeCallback,
        on_frame: FrameCallback | None = None,
        stable_frames: int = 3,
        absent_frames: int = 5,
        statistics: DeviceStatistics | None = None,
        read_timeout_s: float = 0.25,
    ) -> None:
        """``statistics`` defaults to the reader's own counters when it has them."""
        self.camera = camera
        self.reader = reader
        self._on_code = on_code
        self._on_frame = on_frame
        self._debouncer = Debouncer(stable_frames, absent_frames)
        counters = getattr(reader, "counters", None)
        self._stats = statistics or (counters if isinstance(counters, DeviceStatistics) else None)
        self._read_timeout_s = read_timeout_s
        self._stop = threading.Event()
        self._reset = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.frames_decoded = 0
        self.last_decode_ms = 0.0

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="scan-worker", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop and join; callbacks are not called after this returns."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout_s)
        if thread.is_alive():
            log.warning("scan worker did not stop within %.1f s", timeout_s)

    def reset_debounce(self) -> None:
        """Forget codes in view, so the same code may be accepted again (e.g. a new session)."""
        self._reset.set()

    def _count(self, counter: str) -> None:
        if self._stats is not None:
            self._stats.increment(counter)

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._reset.is_set():
                self._reset.clear()
                self._debouncer.reset()
            try:
                frame = self.camera.read(self._read_timeout_s)
            except Exception:
                log.exception("camera read failed")
                self._stop.wait(self._read_timeout_s)
                continue
            if frame is None or self._stop.is_set():
                continue
            started = time.perf_counter()
            try:
                codes = self.reader.decode(frame.image)
            except Exception:
                log.exception("decode failed on frame %d", frame.seq)
                self._count("decode_errors")
                codes = []
            self.last_decode_ms = (time.perf_counter() - started) * 1000
            self.frames_decoded += 1
            self._count("decode_attempts")
            if codes:
                self._count("decode_successes")
            if self._stop.is_set():
                break
            self._deliver_frame(frame, codes)
            accepted = self._debouncer.feed(codes)
            if accepted is not None and not self._stop.is_set():
                self._count("codes_accepted")
                log.info("accepted a %s code (%d chars)", accepted.format.value, len(accepted.text))
                try:
                    self._on_code(accepted)
                except Exception:
                    log.exception("on_code callback failed")

    def _deliver_frame(self, frame: Frame, codes: list[DecodedCode]) -> None:
        if self._on_frame is None:
            return
        try:
            self._on_frame(frame, codes)
        except Exception:
            log.exception("on_frame callback failed")
