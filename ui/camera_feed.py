"""Camera frames and decoded codes, carried from the scan worker's thread to the GUI thread.

The GUI thread never decodes: a :class:`FrameSource` (the device layer's ScanWorker, see
:mod:`ui.scan_source`) runs camera + decoder + debouncer on its own thread and calls back.
This module turns those callbacks into Qt signals. Frames are dropped while the GUI has not
shown the previous one, so a slow paint can never queue up frames (and memory).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)

FrameCallback = Callable[[Any, list[Any]], None]  # (BGR ndarray, decoded codes)
CodeCallback = Callable[[str, str], None]  # (text, format value: "qr", "code128", "pdf417")


class FrameSource(Protocol):
    """Something that delivers frames and debounced codes from its own thread."""

    def start(self, on_frame: FrameCallback, on_code: CodeCallback) -> None: ...

    def stop(self) -> None:
        """Ask it to stop, without waiting (the GUI thread calls this)."""
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
    """Runs a :class:`FrameSource` while a scan page is shown; emits frames and codes."""

    frame_ready = Signal(QImage)
    code_seen = Signal(str, str)  # text, format

    def __init__(self, source: FrameSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._lock = threading.Lock()
        self._frame_pending = False
        self._running = False
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
        self._source.start(self._on_frame, self._on_code)

    def stop(self) -> None:
        """Stop the source without waiting for it (frames still in flight are dropped)."""
        if not self._running:
            return
        self._running = False
        self._source.stop()

    def close(self) -> None:
        """Stop and wait for the source's threads to end (shutdown, tests)."""
        self.stop()
        self._source.join()

    def frame_consumed(self) -> None:
        """The GUI painted the last frame: the next one may come."""
        with self._lock:
            self._frame_pending = False
        self.frames_shown += 1

    # Called on the source's thread.
    def _on_frame(self, image: Any, codes: list[Any]) -> None:
        if not self._running:
            return
        with self._lock:
            if self._frame_pending:
                self.frames_dropped += 1
                return
            self._frame_pending = True
        try:
            qimage = bgr_to_qimage(image)
        except ValueError:
            log.warning("camera frame of an unexpected shape dropped")
            with self._lock:
                self._frame_pending = False
            return
        self.frame_ready.emit(qimage)

    def _on_code(self, text: str, fmt: str) -> None:
        if self._running:
            self.code_seen.emit(text, fmt)
