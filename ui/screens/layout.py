"""A page's standard frame: a column with margins, used by every screen so they look alike."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from ui.theme import TouchMetrics


def page_column(page: QWidget, metrics: TouchMetrics) -> QVBoxLayout:
    column = QVBoxLayout(page)
    m = metrics.margin_px
    column.setContentsMargins(m, m, m, m)
    column.setSpacing(metrics.spacing_px * 2)
    return column


def row_or_column(landscape: bool) -> QBoxLayout.Direction:
    return QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
