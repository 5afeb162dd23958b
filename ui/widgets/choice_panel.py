"""A panel of a few big choices over a page (the priority queue kinds): one tap chooses and
closes it. The page behind is dimmed; nothing behind it can be pressed while it is up."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QPushButton, QVBoxLayout, QWidget

from ui.theme import TouchMetrics
from ui.widgets.controls import make_button, make_label
from ui.widgets.panel_place import place_panel
from ui.widgets.warning_overlay import SCRIM


class ChoicePanel(QWidget):
    chosen = Signal(int)  # the index of the choice

    def __init__(self, parent: QWidget, name: str, names: Sequence[str], metrics: TouchMetrics):
        super().__init__(parent)
        self.setObjectName(f"{name}_scrim")
        self.panel = QFrame(self)
        self.panel.setObjectName("choice_panel")
        self.panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        column = QVBoxLayout(self.panel)
        pad = metrics.margin_px
        column.setContentsMargins(pad, pad, pad, pad)
        column.setSpacing(metrics.gap_px)
        self.title = make_label(f"{name}_title", "title")
        column.addWidget(self.title)
        self.buttons: list[QPushButton] = []
        for index, button_name in enumerate(names):
            button = make_button(button_name, "secondary")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, i=index: self._choose(i))
            column.addWidget(button)
            self.buttons.append(button)
        self.hide()

    def open(self, checked: int) -> None:
        for index, button in enumerate(self.buttons):
            button.setChecked(index == checked)
        self.show()
        self.place()

    def place(self) -> None:
        """Cover the parent; the panel sized to its words, low enough to reach."""
        place_panel(self, self.panel, low=True)

    def _choose(self, index: int) -> None:
        self.hide()
        self.chosen.emit(index)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), SCRIM)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
