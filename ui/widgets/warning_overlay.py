"""The inactivity warning: a panel over the current screen with a countdown and one button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.theme import TouchMetrics
from ui.widgets.controls import make_button, make_label


class WarningOverlay(QFrame):
    def __init__(self, parent: QWidget, metrics: TouchMetrics) -> None:
        super().__init__(parent)
        self.setObjectName("warning_overlay")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        column = QVBoxLayout(self)
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
        """Centre over the parent, 80 % of its width."""
        parent = self.parentWidget()
        if parent is None:
            return
        width = int(parent.width() * 0.8)
        self.setFixedWidth(width)
        layout = self.layout()
        wanted = layout.heightForWidth(width) if layout is not None else 0
        height = max(self.sizeHint().height(), wanted)
        self.setFixedHeight(height)
        self.move((parent.width() - width) // 2, (parent.height() - height) // 2)
        self.raise_()
