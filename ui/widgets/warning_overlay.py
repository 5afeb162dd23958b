"""The inactivity warning: the screen dims, a panel asks "are you still there?" with a
countdown and one big button. A tap anywhere counts as an answer (the window reports presses
as activity), so nobody loses their session for tapping beside the button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.theme import TouchMetrics
from ui.widgets.controls import make_button, make_label
from ui.widgets.panel_place import place_panel

SCRIM = QColor(0, 0, 0, 115)  # the dimmed screen behind the panel


class WarningOverlay(QWidget):
    def __init__(self, parent: QWidget, metrics: TouchMetrics) -> None:
        super().__init__(parent)
        self.setObjectName("warning_scrim")
        self.panel = QFrame(self)
        self.panel.setObjectName("warning_overlay")
        self.panel.setFrameShape(QFrame.Shape.NoFrame)
        self.panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        column = QVBoxLayout(self.panel)
        pad = metrics.margin_px
        column.setContentsMargins(pad, pad, pad, pad)
        column.setSpacing(metrics.spacing_px * 2)
        self.title = make_label("warning_title", "title")
        self.countdown = make_label("warning_countdown", "body")
        self.still_here = make_button("warning_still_here", "primary")
        for label in (self.title, self.countdown):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.title)
        column.addWidget(self.countdown)
        column.addWidget(self.still_here)
        self.hide()

    def place(self) -> None:
        """Cover the parent; the panel sized to its words, low enough to reach."""
        place_panel(self, self.panel)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), SCRIM)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # nothing behind the scrim is pressed; the press itself is activity
