"""After "Panggil petugas": a panel over the screen saying that someone is coming.

Not a dead end: "Tutup" closes the panel and the citizen carries on where they were (the call
stands). The screen behind is dimmed, as for the inactivity warning.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.theme import TouchMetrics
from ui.widgets.controls import make_button, make_label
from ui.widgets.warning_overlay import SCRIM


class StaffCallOverlay(QWidget):
    def __init__(self, parent: QWidget, metrics: TouchMetrics) -> None:
        super().__init__(parent)
        self.setObjectName("staff_call_scrim")
        self.panel = QFrame(self)
        self.panel.setObjectName("staff_call_panel")
        self.panel.setFrameShape(QFrame.Shape.NoFrame)
        self.panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        column = QVBoxLayout(self.panel)
        pad = metrics.margin_px
        column.setContentsMargins(pad, pad, pad, pad)
        column.setSpacing(metrics.gap_px)
        self.title = make_label("staff_call_title", "title")
        self.body = make_label("staff_call_body", "body")
        self.when = make_label("staff_call_when", "body")
        self.close_button = make_button("staff_call_close", "primary")
        self.close_button.setMinimumHeight(metrics.target_px)
        for label in (self.title, self.body, self.when):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(label)
        column.addWidget(self.close_button)
        self.hide()

    def place(self) -> None:
        """Cover the parent; the panel centred, 80 % of its width."""
        parent = self.parentWidget()
        if parent is None:
            return
        self.setGeometry(parent.rect())
        width = int(parent.width() * 0.8)
        self.panel.setFixedWidth(width)
        layout = self.panel.layout()
        wanted = layout.heightForWidth(width) if layout is not None else 0
        height = min(parent.height(), max(self.panel.sizeHint().height(), wanted))
        self.panel.setFixedHeight(height)
        self.panel.move((parent.width() - width) // 2, (parent.height() - height) // 2)
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), SCRIM)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # nothing behind the scrim is pressed
