"""The live camera picture with a box showing where to hold the code.

The picture is mirrored (like a mirror, so moving the code left moves it left on screen);
decoding happens elsewhere on the unmirrored frame. Painting is cheap: one scaled draw.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.theme import PAIRS, TouchMetrics


class CameraPreview(QWidget):
    painted = Signal()

    def __init__(self, metrics: TouchMetrics) -> None:
        super().__init__()
        self.setObjectName("camera_preview")
        self._image: QImage | None = None
        self._placeholder = ""
        self.setMinimumSize(QSize(metrics.target_px * 3, metrics.target_px * 2))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        self.update()

    def show_frame(self, image: QImage) -> None:
        self._image = image
        self.update()

    def clear(self) -> None:
        self._image = None
        self.update()

    def has_frame(self) -> bool:
        return self._image is not None

    def heightForWidth(self, width: int) -> int:
        return width * 3 // 4

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.fillRect(self.rect(), QColor("#1a1a1a"))
        area = QRectF(self.rect())
        if self._image is not None and not self._image.isNull():
            img = self._image
            scale = min(area.width() / img.width(), area.height() / img.height())
            w, h = img.width() * scale, img.height() * scale
            target = QRectF(area.center().x() - w / 2, area.center().y() - h / 2, w, h)
            painter.save()
            painter.translate(target.center())
            painter.scale(-1.0, 1.0)  # mirror
            painter.translate(-target.center())
            painter.drawImage(target, img)
            painter.restore()
        else:
            painter.setPen(QColor("#ffffff"))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(area, flags, self._placeholder)
        # The "hold it here" box: a square with thick corner brackets.
        side = min(area.width(), area.height()) * 0.62
        box = QRectF(area.center().x() - side / 2, area.center().y() - side / 2, side, side)
        pen = QPen(QColor(PAIRS["notice"].bg))
        pen.setWidthF(max(6.0, side / 40))
        painter.setPen(pen)
        arm = side / 5
        for x, y, dx, dy in (
            (box.left(), box.top(), 1, 1),
            (box.right(), box.top(), -1, 1),
            (box.left(), box.bottom(), 1, -1),
            (box.right(), box.bottom(), -1, -1),
        ):
            painter.drawLine(int(x), int(y), int(x + dx * arm), int(y))
            painter.drawLine(int(x), int(y), int(x), int(y + dy * arm))
        painter.end()
        self.painted.emit()
