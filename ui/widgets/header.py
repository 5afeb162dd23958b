"""The bar on top of every screen: the kiosk's name (the controls live in the help bar)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

from ui.theme import TouchMetrics
from ui.widgets.controls import make_label


class Header(QWidget):
    def __init__(self, metrics: TouchMetrics) -> None:
        super().__init__()
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(
            metrics.margin_px, metrics.spacing_px, metrics.margin_px, metrics.spacing_px
        )
        self.title = make_label("header_title", "body", wrap=True)
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(self.title, 1)
