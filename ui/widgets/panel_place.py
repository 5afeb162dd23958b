"""Placing a message panel over the window (inactivity warning, staff call, a choice list).

The panel is as tall as its wrapped words need at its width (layouts in a stacked window do
not ask labels for height-for-width, so it is counted here), centred, and never in the top
third of a portrait panel: its buttons stay in reach.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QWidget

from ui.widgets.controls import TileButton, WrappingLabel

WIDTH_SHARE = 0.8


def content_height(panel: QFrame, width: int) -> int:
    layout = panel.layout()
    if layout is None:
        return panel.sizeHint().height()
    panel.ensurePolished()
    frame = panel.contentsMargins()  # the panel's own border (QSS), outside its layout
    margins = layout.contentsMargins()
    inner = width - margins.left() - margins.right() - frame.left() - frame.right()
    heights = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        widget = item.widget() if item is not None else None
        if widget is None or widget.isHidden():
            continue
        widget.ensurePolished()
        if isinstance(widget, TileButton):
            heights.append(widget.height_for(inner))
        elif isinstance(widget, WrappingLabel) and widget.wordWrap():
            heights.append(max(widget.needed_height(inner), widget.sizeHint().height() // 2))
        else:
            heights.append(max(widget.minimumHeight(), widget.sizeHint().height()))
    spacing = layout.spacing() * max(0, len(heights) - 1)
    return sum(heights) + spacing + margins.top() + margins.bottom() + frame.top() + frame.bottom()


def place_panel(scrim: QWidget, panel: QFrame, *, low: bool = False) -> None:
    """Cover the scrim's parent and place ``panel`` on it (``low``: at the bottom)."""
    parent = scrim.parentWidget()
    if parent is None:
        return
    scrim.setGeometry(parent.rect())
    width = int(parent.width() * WIDTH_SHARE)
    height = min(parent.height(), content_height(panel, width))
    panel.setFixedSize(width, height)
    top = (parent.height() - height) // 2
    if low:
        top = parent.height() - height - (parent.width() - width) // 8
    elif parent.height() > parent.width():
        top = max(top, parent.height() // 3)  # portrait: in the lower two thirds
    panel.move((parent.width() - width) // 2, max(0, min(top, parent.height() - height)))
    scrim.raise_()
