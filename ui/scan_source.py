"""Adapts the device layer's ScanWorker (camera + decoder + debouncer) to a FrameSource.

A fresh worker runs each time a scan page is shown and is stopped (joined) when it is left,
so the camera's decode load exists only while someone is scanning. Stopping never blocks the
GUI thread: a helper thread joins the worker.
"""

from __future__ import annotations

import logging
import threading

from devices.codes.worker import ScanWorker
from devices.ports import Camera, CodeReader, DecodedCode, Frame
from ui.camera_feed import CodeCallback, FrameCallback

log = logging.getLogger(__name__)


class ScanWorkerSource:
    def __init__(self, camera: Camera, reader: CodeReader) -> None:
        self.camera = camera
        self.reader = reader
        self._worker: ScanWorker | None = None
        self._stoppers: list[threading.Thread] = []

    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.running

    def start(self, on_frame: FrameCallback, on_code: CodeCallback) -> None:
        if self._worker is not None:
            return

        def frame(frame: Frame, codes: list[DecodedCode]) -> None:
            on_frame(frame.image, codes)

        def code(decoded: DecodedCode) -> None:
            on_code(decoded.text, decoded.format.value)

        self._worker = ScanWorker(self.camera, self.reader, on_code=code, on_frame=frame)
        self._worker.start()

    def stop(self) -> None:
        """Ask the worker to stop; a helper thread waits for it, so the GUI never does (a
        decode of a full frame can take tens of milliseconds)."""
        worker, self._worker = self._worker, None
        if worker is None:
            return
        stopper = threading.Thread(target=worker.stop, name="scan-worker-stop", daemon=True)
        stopper.start()
        self._stoppers = [t for t in self._stoppers if t.is_alive()] + [stopper]

    def join(self, timeout_s: float = 5.0) -> None:
        for stopper in self._stoppers:
            stopper.join(timeout_s)
        self._stoppers = [t for t in self._stoppers if t.is_alive()]
