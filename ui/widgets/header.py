"""The bar on top of every screen: the kiosk's name, start over, and the language toggle."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from ui.theme import TouchMetrics
from ui.widgets.controls import make_button, make_label


class Header(QWidget):
    def __init__(self, metrics: TouchMetrics) -> None:
        super().__init__()
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(
            metrics.margin_px, metrics.spacing_px, metrics.margin_px, metrics.spacing_px
        )
        row.setSpacing(metrics.spacing_px)
        self.title = make_label("header_title", "body", wrap=True)
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.home: QPushButton = make_button("home", "secondary")
        self.language: QPushButton = make_button("lang_toggle", "secondary")
        for button in (self.home, self.language):
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        row.addWidget(self.title, 1)
        row.addWidget(self.home)
        row.addWidget(self.language)
