"""The survey's faces, drawn with QPainter: 1 very sad ... 4 very happy (no emoji font needed).

Black features on a light face whose colour runs from red to green; readable on the tile's
light background and on its dark "chosen" background alike.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.theme import TouchMetrics

FACE_COLOURS = {1: "#f4a3a3", 2: "#f8c98f", 3: "#cfe8a0", 4: "#9fd8a4"}
# How far the mouth's middle drops below its corners, in units of the face (negative: a frown).
SMILES = {1: -0.9, 2: -0.35, 3: 0.45, 4: 1.0}


class FaceIcon(QWidget):
    def __init__(self, score: int, metrics: TouchMetrics) -> None:
        super().__init__()
        if score not in SMILES:
            raise ValueError("a face for scores 1-4")
        self.setObjectName(f"face_{score}")
        self.score = score
        side = metrics.target_px
        self.setMinimumSize(side, side)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) * 0.9
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        u = side / 10
        pen = QPen(QColor("#1a1a1a"), max(3.0, side / 24))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(QColor(FACE_COLOURS[self.score]))
        painter.drawEllipse(box.adjusted(u * 0.3, u * 0.3, -u * 0.3, -u * 0.3))
        painter.setBrush(QColor("#1a1a1a"))
        for x in (3.4, 6.6):
            painter.drawEllipse(QPointF(box.left() + x * u, box.top() + 3.8 * u), u * 0.5, u * 0.5)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        left = QPointF(box.left() + 2.9 * u, box.top() + 6.6 * u)
        right = QPointF(box.left() + 7.1 * u, box.top() + 6.6 * u)
        mouth = QPainterPath(left)
        middle = QPointF(box.center().x(), left.y() + SMILES[self.score] * 2 * u)
        mouth.quadTo(middle, right)
        painter.drawPath(mouth)
        painter.end()
