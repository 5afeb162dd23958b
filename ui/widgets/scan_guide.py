"""A drawn illustration of how to scan: a phone (or document) with a QR held up to the camera.

Drawn with QPainter so it scales to any panel and needs no image files.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.theme import PAIRS, TouchMetrics

# A fixed 7x7 pattern that reads as "a QR code" at a glance (finder squares in three corners).
_QR = (
    "1110111",
    "1010100",
    "1110111",
    "0001000",
    "1110101",
    "1010010",
    "1110111",
)


class ScanGuide(QWidget):
    def __init__(self, metrics: TouchMetrics, *, document: bool = False) -> None:
        super().__init__()
        self.setObjectName("scan_guide")
        self._document = document
        size = metrics.target_px
        self.setMinimumSize(size, size)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(8, 8, -8, -8)
        side = min(area.width(), area.height())
        unit = side / 10
        origin = QPointF(area.center().x() - side / 2, area.center().y() - side / 2)
        blue = QColor(PAIRS["primary"].bg)
        dark = QColor(PAIRS["page"].fg)
        # The camera: a dark bar with a lens at the top.
        cam = QRectF(origin.x() + 3 * unit, origin.y(), 4 * unit, unit)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(dark)
        painter.drawRoundedRect(cam, unit / 3, unit / 3)
        painter.setBrush(QColor(PAIRS["notice"].bg))
        painter.drawEllipse(cam.center(), unit * 0.3, unit * 0.3)
        # An arrow from the phone up to the camera.
        pen = QPen(blue)
        pen.setWidthF(unit * 0.3)
        painter.setPen(pen)
        top = QPointF(cam.center().x(), cam.bottom() + unit * 0.4)
        painter.drawLine(top, QPointF(top.x(), origin.y() + 3.2 * unit))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(blue)
        painter.drawPolygon(
            QPolygonF(
                [
                    top,
                    QPointF(top.x() - unit * 0.6, top.y() + unit * 0.8),
                    QPointF(top.x() + unit * 0.6, top.y() + unit * 0.8),
                ]
            )
        )
        # The phone (or a sheet of paper) holding the code.
        if self._document:
            body = QRectF(origin.x() + 2.2 * unit, origin.y() + 3.4 * unit, 5.6 * unit, 6.6 * unit)
            painter.setBrush(QColor("#ffffff"))
            painter.setPen(QPen(dark, unit * 0.12))
            painter.drawRect(body)
            code_box = QRectF(
                body.right() - 2.6 * unit, body.bottom() - 2.6 * unit, 2.2 * unit, 2.2 * unit
            )
            painter.setPen(QPen(QColor("#707070"), unit * 0.12))
            for i in range(4):
                y = body.top() + (0.8 + i * 0.7) * unit
                painter.drawLine(
                    QPointF(body.left() + 0.5 * unit, y), QPointF(body.right() - 0.5 * unit, y)
                )
        else:
            body = QRectF(origin.x() + 3 * unit, origin.y() + 3.4 * unit, 4 * unit, 6.6 * unit)
            path = QPainterPath()
            path.addRoundedRect(body, unit * 0.5, unit * 0.5)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.fillPath(path, dark)
            screen = body.adjusted(unit * 0.3, unit * 0.6, -unit * 0.3, -unit * 0.6)
            painter.fillRect(screen, QColor("#ffffff"))
            code_box = QRectF(
                screen.center().x() - 1.5 * unit,
                screen.center().y() - 1.5 * unit,
                3 * unit,
                3 * unit,
            )
        cell = code_box.width() / len(_QR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(dark)
        for r, row in enumerate(_QR):
            for c, bit in enumerate(row):
                if bit == "1":
                    painter.drawRect(
                        QRectF(code_box.left() + c * cell, code_box.top() + r * cell, cell, cell)
                    )
        painter.end()
