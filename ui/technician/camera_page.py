"""The camera as the scanner sees it, with every decoded code outlined and labelled.

Frames and codes come from a :class:`devices.codes.worker.ScanWorker` on its own thread (the
GUI thread never decodes); a frame is dropped while the previous one is still unpainted. Code
texts are shortened, and a NIK-shaped number is masked, before they reach the screen.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from devices.codes.worker import ScanWorker
from devices.ports import DecodedCode, Frame
from kiosk.domain.nik import mask_nik_shaped
from ui.camera_feed import bgr_to_qimage
from ui.technician.base import TechContext, TechPage, make_label
from ui.theme import PAIRS

MAX_LABEL_CHARS = 24


@dataclass(frozen=True, slots=True)
class CodeMark:
    label: str
    points: tuple[tuple[int, int], ...]


def code_label(code: DecodedCode) -> str:
    text = mask_nik_shaped(code.text)
    if len(text) > MAX_LABEL_CHARS:
        text = f"{text[: MAX_LABEL_CHARS - 8]}... ({len(code.text)})"
    return f"{code.format.value}: {text}"


class CodeView(QWidget):
    painted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("tech_camera_view")
        self.image: QImage | None = None
        self.marks: tuple[CodeMark, ...] = ()
        self.placeholder = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_frame(self, image: QImage, marks: tuple[CodeMark, ...]) -> None:
        self.image, self.marks = image, marks
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#1a1a1a"))
        area = QRectF(self.rect())
        if self.image is None or self.image.isNull():
            painter.setPen(QColor("#ffffff"))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.placeholder)
            painter.end()
            self.painted.emit()
            return
        img = self.image
        scale = min(area.width() / img.width(), area.height() / img.height())
        left = (area.width() - img.width() * scale) / 2
        top = (area.height() - img.height() * scale) / 2
        painter.drawImage(QRectF(left, top, img.width() * scale, img.height() * scale), img)
        pen = QPen(QColor(PAIRS["success"].bg))
        pen.setWidthF(4.0)
        for mark in self.marks:
            points = [QPointF(left + x * scale, top + y * scale) for x, y in mark.points]
            if not points:
                continue
            painter.setPen(pen)
            painter.drawPolygon(QPolygonF(points))
            anchor = min(points, key=lambda p: (p.y(), p.x()))
            box = painter.fontMetrics().boundingRect(mark.label)
            label = QRectF(anchor.x(), max(0.0, anchor.y() - box.height() - 6),
                           box.width() + 12, box.height() + 6)  # fmt: skip
            painter.fillRect(label, QColor(PAIRS["notice"].bg))
            painter.setPen(QColor(PAIRS["notice"].fg))
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, mark.label)
        painter.end()
        self.painted.emit()


class CameraPage(TechPage):
    nav_key = "tech_nav_camera"
    name = "camera"
    frame_arrived = Signal(QImage, object)  # image, tuple[CodeMark, ...]; queued from the worker

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.hint = make_label("tech_camera_hint")
        self.view = CodeView()
        self.view.painted.connect(self._painted)
        column = QVBoxLayout(self)
        column.addWidget(self.hint)
        column.addWidget(self.view, 1)
        column.addWidget(self.message)
        self.frame_arrived.connect(self._show)
        self._worker: ScanWorker | None = None
        self._lock = threading.Lock()
        self._pending = False
        self.frames_shown = 0
        self.seen: list[str] = []

    def retranslate(self) -> None:
        self.hint.setText(self.t("tech_camera_hint"))
        self.view.placeholder = self.t("tech_camera_none")

    def entered(self) -> None:
        devices = self.ctx.kiosk.devices
        camera, reader = devices.get("camera"), getattr(devices, "code_reader", None)
        if camera is None or reader is None or self._worker is not None:
            self.view.update()
            return
        self.seen = []
        self._worker = ScanWorker(camera, reader, on_code=lambda _: None, on_frame=self._frame)
        self._worker.start()

    def left(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()
        with self._lock:
            self._pending = False

    def _frame(self, frame: Frame, codes: list[DecodedCode]) -> None:  # worker thread
        with self._lock:
            if self._pending:
                return
            self._pending = True
        marks = tuple(CodeMark(code_label(c), tuple(c.points)) for c in codes)
        self.frame_arrived.emit(bgr_to_qimage(frame.image), marks)

    def _show(self, image: QImage, marks: Any) -> None:
        if self._worker is None:
            return
        self.view.show_frame(image, marks)
        for mark in marks:
            if mark.label not in self.seen:
                self.seen.append(mark.label)
        if self.seen:
            self.message.setText(self.t("tech_camera_codes", codes=", ".join(self.seen[-3:])))

    def _painted(self) -> None:
        with self._lock:
            self._pending = False
        self.frames_shown += 1
