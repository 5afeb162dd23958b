"""A page's standard frame: a column with margins, used by every screen so they look alike."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QVBoxLayout, QWidget

from ui.theme import TouchMetrics


def page_column(page: QWidget, metrics: TouchMetrics) -> QVBoxLayout:
    column = QVBoxLayout(page)
    m = metrics.margin_px
    column.setContentsMargins(m, m, m, m)
    column.setSpacing(metrics.spacing_px * 2)
    return column


def row_or_column(landscape: bool) -> QBoxLayout.Direction:
    return QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom


def tile_columns(size: QSize) -> int:
    """Big choice tiles: two columns on a landscape screen, one on a portrait screen."""
    return 2 if size.width() > size.height() else 1


def place_tiles(grid: QGridLayout, tiles: Iterable[QWidget], columns: int) -> None:
    """(Re)place ``tiles`` row by row in ``columns`` columns of ``grid``."""
    for i, tile in enumerate(tiles):
        grid.removeWidget(tile)
        grid.addWidget(tile, i // columns, i % columns)
