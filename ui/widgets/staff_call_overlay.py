"""After "Panggil petugas": a panel over the screen saying that someone is coming.

Not a dead end: "Tutup" closes the panel and the citizen carries on where they were (the call
stands). The screen behind is dimmed, as for the inactivity warning.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.theme import TouchMetrics
from ui.widgets.controls import TileButton, make_label
from ui.widgets.panel_place import place_panel
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
        self.close_button = TileButton(
            "staff_call_close", "primary", min_height=metrics.target_px, pad=metrics.target_px // 5
        )
        for label in (self.title, self.body, self.when):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(label)
        column.addWidget(self.close_button)
        self.hide()

    def place(self) -> None:
        """Cover the parent; the panel sized to its words, low enough to reach."""
        place_panel(self, self.panel)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), SCRIM)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # nothing behind the scrim is pressed
