"""Buttons and labels made the kiosk way: named, styled by role, never focus-dependent."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget


def refresh_style(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property (``role``) changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def make_button(name: str, role: str = "secondary", parent: QWidget | None = None) -> QPushButton:
    button = QPushButton(parent)
    button.setObjectName(name)
    button.setProperty("role", role)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return button


class WrappingLabel(QLabel):
    """A label that asks for the height its wrapped text needs at its current width.

    Layouts inside a stacked widget do not apply height-for-width, so a plain word-wrapped
    label can be given one line for two lines of text; this one raises its minimum height.
    """

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def _fit(self) -> None:
        if self.wordWrap() and self.width() > 0:
            needed = self.needed_height(self.width())
            if needed != self.minimumHeight():
                self.setMinimumHeight(needed)

    def needed_height(self, width: int) -> int:
        """The wrapped text's height at ``width`` (QLabel.heightForWidth never goes below the
        minimum height, so it cannot be used to shrink it again)."""
        margins = self.contentsMargins()
        extra = 2 * self.margin()
        inner = max(1, width - margins.left() - margins.right() - extra)
        flags = Qt.TextFlag.TextWordWrap.value | self.alignment().value
        rect = self.fontMetrics().boundingRect(QRect(0, 0, inner, 1 << 20), flags, self.text())
        return rect.height() + margins.top() + margins.bottom() + extra


def make_label(name: str, role: str = "body", *, wrap: bool = True) -> QLabel:
    label = WrappingLabel()
    label.setObjectName(name)
    label.setProperty("role", role)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)  # engine data never becomes markup
    # Never taller than its text needs (spare room goes to stretches, not between lines).
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return label
