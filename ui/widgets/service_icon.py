"""Big drawn icons for the attract loop: a printed document, a queue ticket, a checked seal.

Drawn with QPainter (no image files, sharp on any panel). ``active`` draws the icon in the
primary colour, otherwise in the page's text colour.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.theme import PAIRS, TouchMetrics

KINDS = ("print", "queue", "check")


class ServiceIcon(QWidget):
    def __init__(self, kind: str, metrics: TouchMetrics) -> None:
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"unknown icon {kind!r}")
        self.setObjectName(f"icon_{kind}")
        self.kind = kind
        self.active = False
        side = metrics.target_px
        self.setMinimumSize(side, side)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) * 0.9
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        colour = QColor(PAIRS["primary"].bg if self.active else PAIRS["page"].fg)
        pen = QPen(colour, max(3.0, side / 28))
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        u = side / 10
        if self.kind == "print":
            page = QRectF(box.left() + 2.2 * u, box.top() + 0.8 * u, 5.6 * u, 7.6 * u)
            painter.setBrush(QColor("#ffffff"))
            painter.drawRect(page)
            for i in range(5):
                y = page.top() + (1.4 + i * 1.1) * u
                painter.drawLine(QPointF(page.left() + u, y), QPointF(page.right() - u, y))
            painter.setBrush(colour)
            painter.drawRect(QRectF(page.right() - 2.2 * u, page.bottom() - 2.2 * u, 1.4 * u,
                                    1.4 * u))  # fmt: skip
        elif self.kind == "queue":
            ticket = QRectF(box.left() + 1.5 * u, box.top() + 2.5 * u, 7 * u, 5 * u)
            painter.setBrush(QColor("#ffffff"))
            painter.drawRoundedRect(ticket, u * 0.6, u * 0.6)
            font = QFont(self.font())
            font.setBold(True)
            font.setPixelSize(max(8, int(1.5 * u)))
            painter.setFont(font)
            painter.drawText(ticket, Qt.AlignmentFlag.AlignCenter, "A-042")
        else:
            seal = QPolygonF(
                [
                    QPointF(box.center().x(), box.top() + 0.6 * u),
                    QPointF(box.right() - 1.4 * u, box.top() + 2.2 * u),
                    QPointF(box.right() - 1.8 * u, box.top() + 6.6 * u),
                    QPointF(box.center().x(), box.bottom() - 0.6 * u),
                    QPointF(box.left() + 1.8 * u, box.top() + 6.6 * u),
                    QPointF(box.left() + 1.4 * u, box.top() + 2.2 * u),
                ]
            )
            painter.setBrush(QColor("#ffffff"))
            painter.drawPolygon(seal)
            check = QPen(colour, max(5.0, side / 14))
            check.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(check)
            painter.drawPolyline(
                QPolygonF(
                    [
                        QPointF(box.left() + 3.2 * u, box.top() + 4.8 * u),
                        QPointF(box.left() + 4.6 * u, box.top() + 6.2 * u),
                        QPointF(box.left() + 7.0 * u, box.top() + 3.4 * u),
                    ]
                )
            )
        painter.end()
