"""Big choice tiles a page at a time: as many rows as the room allows, "previous" and "next"
below when they do not all fit (large text on a small panel, a family with many documents).

The tiles are placed by hand inside this widget (no layout), so the page's layout gives it
whatever room is left and never grows to fit them all: nothing is ever cut off or lost, the
rest waits on the next page. In portrait the tiles keep below ``reach_top`` (the top third of
the panel is out of reach from a wheelchair).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QSize, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from ui.theme import TouchMetrics
from ui.widgets.controls import TileButton, make_button


class PagedTiles(QWidget):
    chosen = Signal(str)  # the chosen item's key

    def __init__(self, name: str, metrics: TouchMetrics, role: str = "primary") -> None:
        super().__init__()
        self.setObjectName(name)
        self._name = name
        self._metrics = metrics
        self._role = role
        self.tiles: list[TileButton] = []
        self._keys: list[str] = []
        self.previous = make_button(f"{name}_previous", "secondary", self)
        self.next = make_button(f"{name}_next", "secondary", self)
        self.previous.clicked.connect(lambda: self._turn(-1))
        self.next.clicked.connect(lambda: self._turn(1))
        self.columns = 2
        self.portrait = False
        self.page = 0
        self.pages: list[list[int]] = [[]]  # item indexes per page
        self._texts = ("", "")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # -- what to show ----------------------------------------------------------------------

    def set_items(self, items: Sequence[tuple[str, str]], *, enabled: bool = True) -> None:
        """``(key, text)`` per tile, in order; the page is kept while the keys stay the same."""
        keys = [key for key, _ in items]
        if keys != self._keys:
            self.page = 0
        self._keys = keys
        while len(self.tiles) < len(items):
            index = len(self.tiles)
            m = self._metrics
            tile = TileButton(
                f"{self._name}_{index}", self._role, min_height=m.target_px, pad=m.target_px // 5
            )
            tile.setParent(self)
            tile.clicked.connect(lambda _=False, i=index: self._chosen(i))
            self.tiles.append(tile)
        for tile, (_, text) in zip(self.tiles, items, strict=False):
            tile.setText(text)
            tile.setEnabled(enabled)
        for tile in self.tiles[len(items) :]:
            tile.hide()
        self._place()

    def set_nav_texts(self, previous: str, next_template: str) -> None:
        """``next_template`` may hold ``{n}``: how many items wait after this page."""
        self._texts = (previous, next_template)
        self._place()

    def set_layout(self, *, columns: int, portrait: bool) -> None:
        self.columns, self.portrait = max(1, columns), portrait
        self._place()

    @property
    def shown_keys(self) -> list[str]:
        return [self._keys[i] for i in self.pages[self.page]] if self.pages else []

    # -- layout ----------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(0, self._metrics.target_px)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._metrics.target_px)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _reach_top(self) -> int:
        """How far down this widget the panel's top third ends (portrait only)."""
        if not self.portrait:
            return 0
        window = self.window()
        return max(0, window.height() // 3 - self.mapTo(window, QPoint(0, 0)).y())

    def _split(self, heights: list[int], room: int) -> list[list[int]]:
        gap = self._metrics.gap_px
        pages: list[list[int]] = [[]]
        used = -gap
        for row_start in range(0, len(heights), self.columns):
            row = list(range(row_start, min(row_start + self.columns, len(heights))))
            row_h = max(heights[i] for i in row)
            if pages[-1] and used + gap + row_h > room:
                pages.append([])
                used = -gap
            pages[-1] += row
            used += gap + row_h
        return pages

    def _place(self) -> None:
        count = len(self._keys)
        width, height = self.width(), self.height()
        if width <= 0 or height <= 0:
            return
        gap, nav_h = self._metrics.gap_px, self._metrics.target_px
        top = self._reach_top()
        col_w = (width - gap * (self.columns - 1)) // self.columns
        tiles = self.tiles[:count]
        for tile in tiles:
            tile.ensurePolished()
        heights = [tile.height_for(col_w) for tile in tiles]
        pages = self._split(heights, height - top)
        if len(pages) > 1:
            pages = self._split(heights, height - top - nav_h - gap)
        self.pages = pages
        self.page = max(0, min(self.page, len(pages) - 1))
        shown = set(pages[self.page])
        y = top
        for start in range(0, count, self.columns):
            row = [i for i in range(start, min(start + self.columns, count)) if i in shown]
            if not row:
                continue
            row_h = max(heights[i] for i in row)
            for column, index in enumerate(row):
                tiles[index].setGeometry(column * (col_w + gap), y, col_w, row_h)
            y += row_h + gap
        for index, tile in enumerate(tiles):
            tile.setVisible(index in shown)
        self._place_nav(len(pages) > 1, width, height, nav_h, count)

    def _place_nav(self, paged: bool, width: int, height: int, nav_h: int, count: int) -> None:
        gap = self._metrics.gap_px
        for button in (self.previous, self.next):
            button.setVisible(paged)
        if not paged:
            return
        half = (width - gap) // 2
        self.previous.setGeometry(0, height - nav_h, half, nav_h)
        self.next.setGeometry(half + gap, height - nav_h, width - half - gap, nav_h)
        after = sum(len(page) for page in self.pages[self.page + 1 :])
        previous, next_template = self._texts
        self.previous.setText(previous)
        self.next.setText(
            next_template.format(n=after) if "{n}" in next_template else next_template
        )
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < len(self.pages) - 1)

    def _turn(self, step: int) -> None:
        self.page = max(0, min(self.page + step, len(self.pages) - 1))
        self._place()

    def _chosen(self, index: int) -> None:
        if index < len(self._keys):
            self.chosen.emit(self._keys[index])

    def buttons(self) -> list[QPushButton]:
        return [*self.tiles, self.previous, self.next]
