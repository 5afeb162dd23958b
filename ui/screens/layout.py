"""A page's standard frame and the few layout rules every screen shares.

- ``page_column``: margins, and gaps between blocks wide enough between touch targets;
- reach: in portrait every control sits in the lower two thirds of the panel (a wheelchair
  user reaches it), so pages put a stretch above their controls that only grows in portrait;
- tiles: two columns in landscape, one in portrait.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QVBoxLayout, QWidget

from ui.theme import TouchMetrics


def page_column(page: QWidget, metrics: TouchMetrics) -> QVBoxLayout:
    column = QVBoxLayout(page)
    m = metrics.margin_px
    column.setContentsMargins(m, m, m, m)
    column.setSpacing(metrics.gap_px)
    return column


def is_portrait(size: QSize) -> bool:
    """A page clearly taller than wide (a portrait panel). A landscape panel's page beside the
    help bar may be a little taller than wide (1280 x 1024) and still lays out side by side."""
    return size.height() > size.width() * 1.25


def row_or_column(landscape: bool) -> QBoxLayout.Direction:
    return QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom


def tile_columns(size: QSize) -> int:
    """Big choice tiles: two columns on a landscape screen, one on a portrait screen."""
    return 1 if is_portrait(size) else 2


def place_tiles(grid: QGridLayout, tiles: Iterable[QWidget], columns: int) -> None:
    """(Re)place ``tiles`` row by row in ``columns`` equal columns of ``grid``."""
    for i, tile in enumerate(tiles):
        grid.removeWidget(tile)
        grid.addWidget(tile, i // columns, i % columns)
    for col in range(max(columns, grid.columnCount())):
        grid.setColumnStretch(col, 1 if col < columns else 0)


class Reach:
    """Stretches above a page's controls: 0 in landscape, ``weight`` in portrait."""

    def __init__(self) -> None:
        self._slots: list[tuple[QBoxLayout, int, int, int]] = []

    def add(self, layout: QBoxLayout, *, portrait: int = 1, landscape: int = 0) -> None:
        self._slots.append((layout, layout.count(), portrait, landscape))
        layout.addStretch(landscape)

    def apply(self, portrait: bool) -> None:
        for layout, index, in_portrait, in_landscape in self._slots:
            layout.setStretch(index, in_portrait if portrait else in_landscape)
