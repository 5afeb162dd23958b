"""Code readers: the camera as the decoder sees it, and every reader's last read.

The camera preview outlines and labels each decoded code; the table lists each reader (the
camera, each keyboard-wedge or serial scanner) with its state, what it read last and when.
Everything comes from the kiosk's scan service (:class:`kiosk.scan.ScanService`) on its own
threads; texts are masked and shortened by the service before they reach this page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk.scan import LastRead, PreviewFrame
from kiosk.scan.service import UNKNOWN_FORMAT
from ui.camera_feed import bgr_to_qimage
from ui.technician.base import TechContext, TechPage, make_label, make_table, set_rows
from ui.theme import PAIRS


@dataclass(frozen=True, slots=True)
class CodeMark:
    label: str
    points: tuple[tuple[int, int], ...]


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


class ReadersPage(TechPage):
    nav_key = "tech_nav_readers"
    name = "readers"
    frame_arrived = Signal(QImage, object)  # image, tuple[CodeMark, ...]; queued from the worker
    read_arrived = Signal()  # a reader read something (from its thread)

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.hint = make_label("tech_readers_hint")
        self.view = CodeView()
        self.view.painted.connect(self._painted)
        self.table = make_table("tech_readers_table", 4)
        column = QVBoxLayout(self)
        column.addWidget(self.hint)
        column.addWidget(self.view, 3)
        column.addWidget(self.table, 1)
        column.addWidget(self.message)
        self.frame_arrived.connect(self._show)
        self.read_arrived.connect(self.refresh)
        self._ends: list[Any] = []
        self._lock = threading.Lock()
        self._pending = False
        self._watching = False
        self.frames_shown = 0
        self.seen: list[str] = []
        self.rows: list[list[str]] = []

    @property
    def scan(self) -> Any:
        return self.ctx.kiosk.scan

    def retranslate(self) -> None:
        self.hint.setText(self.t("tech_readers_hint"))
        self.view.placeholder = self.t("tech_camera_none")
        self.table.setHorizontalHeaderLabels(
            [
                self.t("tech_col_reader"),
                self.t("tech_col_state"),
                self.t("tech_col_last_read"),
                self.t("tech_col_time"),
            ]
        )

    def entered(self) -> None:
        if self._watching:
            return
        self._watching = True
        self.seen = []
        with self._lock:
            self._pending = False
        self._ends = [
            self.scan.subscribe(lambda _: self.read_arrived.emit()),
            self.scan.watch_camera(self._frame),
        ]
        self.refresh()
        self.view.update()

    def left(self) -> None:
        self._watching = False
        ends, self._ends = self._ends, []
        for end in ends:
            end()
        with self._lock:
            self._pending = False

    def refresh(self) -> None:
        """The readers table from the service's last reads (in memory: fine on the GUI thread)."""
        states = {name: info["status"].get("state", "") for name, info in
                  self.ctx.kiosk.devices.snapshot().items()}  # fmt: skip
        self.rows = [self._row(entry, states) for entry in self.scan.last_reads()]
        set_rows(self.table, self.rows)

    def _row(self, entry: LastRead, states: dict[str, str]) -> list[str]:
        state = states.get(entry.reader, "")
        if entry.at is None:
            return [entry.reader, state, self.t("tech_read_none"), ""]
        if entry.refused is not None:
            read = self.t("tech_read_refused", reason=entry.refused)
        elif entry.format and entry.format != UNKNOWN_FORMAT:
            read = f"{entry.format}: {entry.shown}"
        else:
            read = entry.shown
        return [entry.reader, state, read, self._time(entry.at)]

    def _time(self, at: datetime) -> str:
        tz = getattr(getattr(getattr(self.ctx.kiosk, "config", None), "kiosk", None), "tz", None)
        return at.astimezone(tz).strftime("%H:%M:%S")

    def _frame(self, preview: PreviewFrame) -> None:  # the camera worker's thread
        with self._lock:
            if self._pending or not self._watching:
                return
            self._pending = True
        marks = tuple(CodeMark(f"{c.format}: {c.label}", c.points) for c in preview.codes)
        self.frame_arrived.emit(bgr_to_qimage(preview.image), marks)

    def _show(self, image: QImage, marks: Any) -> None:
        if not self._watching:
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
