"""Scanned codes and camera frames, carried from the readers' threads to the GUI thread.

The GUI thread never decodes: the kiosk's scan service (:class:`kiosk.scan.ScanService`) runs
the camera's decoder and every scanner (keyboard wedge, serial) on their own threads and calls
back. This module turns those callbacks into Qt signals: codes from any reader, refused reads,
and preview frames. Frames are dropped while the GUI has not shown the previous one, so a slow
paint can never queue up frames (and memory).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from kiosk.scan import PreviewFrame, ScanEvent, ScannedCode, ScanRefused

log = logging.getLogger(__name__)


class ScanSource(Protocol):
    """What the feed uses of :class:`kiosk.scan.ScanService`."""

    def subscribe(self, listener: Callable[[ScanEvent], None]) -> Callable[[], None]: ...

    def watch_camera(
        self, on_frame: Callable[[PreviewFrame], None] | None = None
    ) -> Callable[[], None]:
        """Decode the camera while watched; the returned call ends the watch without waiting."""
        ...

    def join(self, timeout_s: float = 5.0) -> None:
        """Wait until everything asked to stop has stopped."""
        ...


def bgr_to_qimage(image: Any) -> QImage:
    """A QImage owning a copy of a BGR uint8 (h, w, 3) array; raises ValueError otherwise."""
    import numpy as np  # here, not at import: the attract screen shows before numpy loads

    array = np.asarray(image)
    if array.dtype != np.uint8 or array.ndim != 3 or array.shape[2] != 3:
        raise ValueError(f"expected BGR uint8 (h, w, 3), got {array.dtype} {array.shape}")
    array = np.ascontiguousarray(array)
    height, width, _ = array.shape
    qimage = QImage(array.data, width, height, array.strides[0], QImage.Format.Format_BGR888)
    return qimage.copy()  # detach from the numpy buffer


class CameraFeed(QObject):
    """Follows the scan service while a scan page is shown; emits frames, codes, refusals."""

    frame_ready = Signal(QImage)
    code_seen = Signal(str, str)  # text, format
    scan_refused = Signal(str)  # reason (devices.ports.ScanProblemKind value)

    def __init__(self, source: ScanSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._lock = threading.Lock()
        self._frame_pending = False
        self._running = False
        self._unsubscribe: Callable[[], None] | None = None
        self._unwatch: Callable[[], None] | None = None
        self.frames_shown = 0
        self.frames_dropped = 0

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        with self._lock:
            self._frame_pending = False
        self._unsubscribe = self._source.subscribe(self._on_event)
        self._unwatch = self._source.watch_camera(self._on_frame)

    def stop(self) -> None:
        """Stop following the readers without waiting (frames still in flight are dropped)."""
        if not self._running:
            return
        self._running = False
        for end in (self._unsubscribe, self._unwatch):
            if end is not None:
                end()
        self._unsubscribe = self._unwatch = None

    def close(self) -> None:
        """Stop and wait for the camera worker to end (shutdown, tests)."""
        self.stop()
        self._source.join()

    def frame_consumed(self) -> None:
        """The GUI painted the last frame: the next one may come."""
        with self._lock:
            self._frame_pending = False
        self.frames_shown += 1

    # Called on the readers' threads.
    def _on_frame(self, preview: PreviewFrame) -> None:
        if not self._running:
            return
        with self._lock:
            if self._frame_pending:
                self.frames_dropped += 1
                return
            self._frame_pending = True
        try:
            qimage = bgr_to_qimage(preview.image)
        except ValueError:
            log.warning("camera frame of an unexpected shape dropped")
            with self._lock:
                self._frame_pending = False
            return
        self.frame_ready.emit(qimage)

    def _on_event(self, event: ScanEvent) -> None:
        if not self._running:
            return
        if isinstance(event, ScannedCode):
            self.code_seen.emit(event.text, event.format)
        elif isinstance(event, ScanRefused):
            self.scan_refused.emit(event.reason)
