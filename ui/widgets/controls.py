"""Buttons and labels made the kiosk way: named, styled by role, never focus-dependent."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


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

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()  # a new role or text size: the same words need another height

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


class TileButton(QPushButton):
    """A big button whose text wraps (a QPushButton's never does): a word-wrapped label inside.

    The label takes the button's role as ``on_<role>`` (its text colour on that background) and
    ``dim`` when the button is disabled; it lets presses through to the button. The button asks
    for the height its wrapped text needs at its width, like :class:`WrappingLabel`.
    """

    def __init__(self, name: str, role: str = "primary", *, min_height: int = 0, pad: int = 18):
        super().__init__()
        self._pad = pad
        self.setObjectName(name)
        self.setProperty("role", role)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._min_height = min_height
        self.label = WrappingLabel()
        self.label.setObjectName(f"{name}_text")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.label.setProperty("role", f"on_{role}")
        self.label.setProperty("dim", "false")
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(pad, pad, pad, pad)
        self._box.addWidget(self.label)
        self._icon: QWidget | None = None
        self.pressed.connect(self._restyle)
        self.released.connect(self._restyle)
        self.toggled.connect(self._restyle)

    def set_icon(self, icon: QWidget) -> None:
        """A drawing above the text (the attract tiles); presses go through it."""
        icon.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self._box.insertWidget(0, icon, 1)
        self._icon = icon

    def set_role(self, role: str) -> None:
        self.setProperty("role", role)
        refresh_style(self)
        self._restyle()

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)
        self._fit()

    def _restyle(self) -> None:
        role = str(self.property("role"))
        down = self.isDown() or self.isChecked()
        self.label.setProperty("role", "on_pressed" if down else f"on_{role}")
        self.label.setProperty("dim", "false" if self.isEnabled() else "true")
        refresh_style(self.label)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange:
            self._restyle()

    def _padding(self) -> int:
        return self._pad

    def _icon_height(self) -> int:
        icon = self._icon
        if icon is None or not icon.isVisibleTo(self):
            return 0
        return icon.minimumHeight() + self._box.spacing()

    def sizeHint(self) -> QSize:
        hint = self.label.sizeHint()
        pad = 2 * self._padding()
        height = hint.height() + pad + self._icon_height()
        return QSize(hint.width() + pad, max(self._min_height, height))

    def minimumSizeHint(self) -> QSize:
        return QSize(self._min_height, max(self._min_height, self.minimumHeight()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def height_for(self, width: int) -> int:
        """The height this button needs at ``width`` (its text wrapped)."""
        pad = 2 * self._padding()
        text = self.label.needed_height(max(1, width - pad))
        return max(self._min_height, text + pad + self._icon_height())

    def _fit(self) -> None:
        if self.width() <= 0:
            return
        needed = self.height_for(self.width())
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)
