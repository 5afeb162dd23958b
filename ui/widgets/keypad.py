"""An on-screen digit keypad: big keys, delete, clear and a continue key.

The digits live only in this widget until the citizen presses continue; :meth:`reset` wipes
them (on leaving a page, after a wrong PIN). The keys keep a fixed phone-like order so that
people used to phones and ATMs find them. With ``auto_submit`` (the 6-digit PIN, as in
Indonesian e-wallet and banking apps) the last digit submits and there is no continue key.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.theme import TouchMetrics
from ui.widgets.controls import make_button

_LAYOUT = ("123", "456", "789")


class DigitKeypad(QWidget):
    changed = Signal(str)  # the digits so far
    submitted = Signal(str)  # continue pressed with ``length`` digits

    def __init__(
        self,
        prefix: str,
        length: int,
        metrics: TouchMetrics,
        *,
        auto_submit: bool = False,
        back: QPushButton | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName(f"{prefix}_keypad")
        self._length = length
        self._digits = ""
        self._auto = auto_submit
        column = QVBoxLayout(self)
        column.setSpacing(metrics.gap_px)
        column.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout()
        grid.setSpacing(metrics.gap_px)
        column.addLayout(grid)
        bottom = QHBoxLayout()
        bottom.setSpacing(metrics.gap_px)
        column.addLayout(bottom)
        self.keys: dict[str, QPushButton] = {}
        for row, chars in enumerate(_LAYOUT):
            for col, ch in enumerate(chars):
                self._add_key(grid, prefix, ch, row, col, metrics)
        self.delete = make_button(f"{prefix}_delete", "key_word")
        self.delete.clicked.connect(self._delete)
        self.zero = self._add_key(grid, prefix, "0", 3, 1, metrics)
        self.clear = make_button(f"{prefix}_clear", "key_word")
        self.clear.clicked.connect(self.reset)
        for button, col in ((self.clear, 0), (self.delete, 2)):
            button.setMinimumSize(metrics.key_px, metrics.key_px)
            grid.addWidget(button, 3, col)
        self.ok = make_button(f"{prefix}_ok", "primary")
        self.ok.setMinimumHeight(metrics.key_px)
        self.ok.clicked.connect(self._submit)
        # The last row: back (when given) beside continue, or alone when the PIN sends itself.
        if back is not None:
            back.setMinimumHeight(metrics.key_px)
            bottom.addWidget(back, 1)
        if not auto_submit:
            bottom.addWidget(self.ok, 1)
        self.ok.setVisible(not auto_submit)
        for col in range(3):
            grid.setColumnStretch(col, 1)  # equal keys, whatever the words on some of them
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._update()

    def _add_key(
        self, grid: QGridLayout, prefix: str, ch: str, row: int, col: int, metrics: TouchMetrics
    ) -> QPushButton:
        button = make_button(f"{prefix}_key_{ch}", "key")
        button.setText(ch)
        button.setMinimumSize(metrics.key_px, metrics.key_px)
        button.clicked.connect(lambda _=False, d=ch: self.press(d))
        grid.addWidget(button, row, col)
        self.keys[ch] = button
        return button

    @property
    def digits(self) -> str:
        return self._digits

    def set_texts(self, delete: str, clear: str, ok: str) -> None:
        self.delete.setText(delete)
        self.clear.setText(clear)
        self.ok.setText(ok)

    def set_enabled_keys(self, enabled: bool) -> None:
        for button in (*self.keys.values(), self.delete, self.clear):
            button.setEnabled(enabled)
        self._update(force_disabled=not enabled)

    def press(self, digit: str) -> None:
        if len(digit) != 1 or not digit.isdigit() or len(self._digits) >= self._length:
            return
        self._digits += digit
        self._update()
        if self._auto and len(self._digits) == self._length:
            self._submit()

    def reset(self) -> None:
        self._digits = ""
        self._update()

    def _delete(self) -> None:
        self._digits = self._digits[:-1]
        self._update()

    def _submit(self) -> None:
        if len(self._digits) == self._length:
            self.submitted.emit(self._digits)

    def _update(self, *, force_disabled: bool = False) -> None:
        self.ok.setEnabled(not force_disabled and len(self._digits) == self._length)
        self.changed.emit(self._digits)
