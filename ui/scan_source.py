"""Adapts the device layer's ScanWorker (camera + decoder + debouncer) to a FrameSource.

A fresh worker runs each time a scan page is shown and is stopped (joined) when it is left,
so the camera's decode load exists only while someone is scanning.
"""

from __future__ import annotations

import logging

from devices.codes.worker import ScanWorker
from devices.ports import Camera, CodeReader, DecodedCode, Frame
from ui.camera_feed import CodeCallback, FrameCallback

log = logging.getLogger(__name__)


class ScanWorkerSource:
    def __init__(self, camera: Camera, reader: CodeReader) -> None:
        self.camera = camera
        self.reader = reader
        self._worker: ScanWorker | None = None

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
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()
