"""The help bar on every citizen screen: call staff, listen, large text, language, start over.

Wide landscape panels (16:9): a column at the right edge of the window, so the pages keep the
panel's whole height, its scarcest room. Portrait and squarer panels (5:4): along the bottom,
in reach from a wheelchair. Its buttons keep their size in large-text mode, so the toggle stays
where the citizen found it; their words wrap rather than widen the bar.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from ui.theme import TouchMetrics
from ui.widgets.controls import TileButton

RAIL_MIN_ASPECT = 1.5  # width / height from which the bar is a column at the right
WIDE_BOTTOM_PX = 1250  # a bottom bar this wide (or wider) takes one row of five


class BarPlace(StrEnum):
    RAIL = "rail"  # a column at the right
    BOTTOM = "bottom"  # along the bottom


def bar_place(size: QSize) -> BarPlace:
    wide = size.height() > 0 and size.width() / size.height() >= RAIL_MIN_ASPECT
    return BarPlace.RAIL if wide else BarPlace.BOTTOM


class HelpBar(QWidget):
    def __init__(self, metrics: TouchMetrics) -> None:
        super().__init__()
        self.setObjectName("help_bar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        pad = max(6, metrics.target_px // 8)

        def button(name: str, role: str) -> TileButton:
            made = TileButton(name, role, min_height=metrics.target_px, pad=pad)
            made.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            return made

        self.call_staff = button("call_staff", "help")
        self.listen = button("listen", "secondary")
        self.large_text = button("large_text", "secondary")
        self.language = button("lang_toggle", "secondary")
        self.home = button("home", "secondary")
        self.buttons = (self.call_staff, self.listen, self.large_text, self.language, self.home)
        self.grid = QGridLayout(self)
        self.grid.setSpacing(metrics.gap_px)
        m = metrics.margin_px
        self.grid.setContentsMargins(m, m, m, m)
        self._rail_width = metrics.target_px * 2 + 2 * m + metrics.target_px // 2
        self.place: BarPlace | None = None
        self._columns = 0
        self.arrange(BarPlace.RAIL, 0)

    def arrange(self, place: BarPlace, width: int) -> None:
        """A column (rail), or rows of five or three along the bottom; home always last."""
        columns = 1 if place is BarPlace.RAIL else (5 if width >= WIDE_BOTTOM_PX else 3)
        if place == self.place and columns == self._columns:
            return
        self.place, self._columns = place, columns
        for button in self.buttons:
            self.grid.removeWidget(button)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        for col in range(5):
            self.grid.setColumnStretch(col, 1 if col < columns else 0)
        if place is BarPlace.RAIL:
            for i, button in enumerate(self.buttons[:-1]):
                self.grid.addWidget(button, i, 0)
            spacer_row = len(self.buttons) - 1
            self.grid.setRowStretch(spacer_row, 1)
            self.grid.addWidget(self.home, spacer_row + 1, 0)
            self.setFixedWidth(self._rail_width)
            self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
            return
        self.setMinimumWidth(0)
        self.setMaximumWidth(16777215)
        for i, button in enumerate(self.buttons):
            row, col = divmod(i, columns)
            last = i == len(self.buttons) - 1
            self.grid.addWidget(button, row, col, 1, columns - col if last else 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
