"""Typing digits: the NIK (16, shown in groups of four) and the PIN (6, shown as dots).

The digits stay in the keypad widget until continue is pressed, and are wiped when the page
is left or a new attempt starts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from kiosk.engine.view import Back, EnterNik, EnterPin, Screen, SessionView
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label
from ui.screens.layout import page_column, row_or_column
from ui.widgets.keypad import DigitKeypad

NIK_LENGTH = 16
PIN_LENGTH = 6


def group_digits(digits: str, total: int = NIK_LENGTH) -> str:
    """'3201' + underscores for the rest, in groups of four: '3201 ____ ____ ____'."""
    padded = digits.ljust(total, "_")
    return " ".join(padded[i : i + 4] for i in range(0, total, 4))


def pin_dots(count: int, total: int = PIN_LENGTH) -> str:
    return " ".join("●" if i < count else "○" for i in range(total))


class _KeypadPage(ScreenPage):
    length = 0
    prefix = ""

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        metrics = context.metrics
        self.column = page_column(self, metrics)
        self.title = make_label(f"{self.prefix}_title", "title")
        self.hint = make_label(f"{self.prefix}_hint")
        self.display = make_label(f"{self.prefix}_display", "hero", wrap=False)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = make_label(f"{self.prefix}_status", "notice")
        self.status.hide()
        self.keypad = DigitKeypad(self.prefix, self.length, metrics)
        self.keypad.changed.connect(self._digits_changed)
        self.keypad.submitted.connect(self._submitted)
        self.back = make_button(f"{self.prefix}_back", "secondary")
        self.back.clicked.connect(self._back)
        # Landscape: the texts left, the keypad right; portrait: one column.
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(metrics.spacing_px * 2)
        texts = QVBoxLayout()
        texts.setSpacing(metrics.spacing_px * 2)
        for widget in (self.title, self.hint, self.display, self.status):
            texts.addWidget(widget)
        texts.addStretch(1)
        self.body.addLayout(texts, 1)
        self.body.addWidget(self.keypad, 1)
        self.column.addLayout(self.body)
        self.column.addStretch(1)
        self.column.addWidget(self.back)

    def render_view(self, view: SessionView) -> None:
        self.back.setText(self.t("back"))
        self.keypad.set_texts(self.t("keypad_delete"), self.t("keypad_clear"), self.t("keypad_ok"))
        self._digits_changed(self.keypad.digits)

    def entered(self) -> None:
        self.keypad.reset()

    def left(self) -> None:
        self.keypad.reset()

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        self.body.setDirection(row_or_column(size.width() > size.height()))
        super().resizeEvent(event)

    def _back(self) -> None:
        self.keypad.reset()
        self.send(Back())

    def _digits_changed(self, digits: str) -> None:
        raise NotImplementedError

    def _submitted(self, digits: str) -> None:
        raise NotImplementedError


class NikEntryPage(_KeypadPage):
    screen_id = Screen.NIK_ENTRY
    length = NIK_LENGTH
    prefix = "nik"

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("nik_title"))
        self.hint.setText(self.t("nik_hint"))
        self.status.setVisible(view.notice is not None)
        if view.notice is not None:
            self.status.setText(self.t(view.notice))
        self.keypad.set_enabled_keys(not view.busy)
        super().render_view(view)

    def _digits_changed(self, digits: str) -> None:
        self.display.setText(group_digits(digits))
        self.display.setAccessibleName(self.t("nik_count", n=len(digits)))

    def _submitted(self, digits: str) -> None:
        self.send(EnterNik(digits=digits))
        self.keypad.reset()


class PinPage(_KeypadPage):
    screen_id = Screen.PIN
    length = PIN_LENGTH
    prefix = "pin"

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self._last_attempts: int | None = None

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("pin_title"))
        self.hint.setText(self.t("pin_hint"))
        if view.attempts_left != self._last_attempts:
            self.keypad.reset()  # a new attempt starts empty
            self._last_attempts = view.attempts_left
        locked = view.locked_until is not None
        message = self._status_text(view)
        self.status.setVisible(message is not None)
        if message is not None:
            self.status.setText(message)
            self.status.setProperty("role", "error_panel" if locked else "notice")
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)
        self.keypad.set_enabled_keys(not locked and not view.busy)
        super().render_view(view)

    def _status_text(self, view: SessionView) -> str | None:
        if view.locked_until is not None:
            return self.t("pin_locked", time=self.clock_time(view.locked_until))
        if view.busy:
            return self.t("verifying")
        if view.attempts_left is not None and view.notice in (None, "pin_wrong"):
            return self.t("pin_attempts_left", n=view.attempts_left)
        if view.notice is not None:
            return self.t(view.notice)
        return None

    def entered(self) -> None:
        super().entered()
        self._last_attempts = None

    def _digits_changed(self, digits: str) -> None:
        self.display.setText(pin_dots(len(digits)))

    def _submitted(self, digits: str) -> None:
        self.send(EnterPin(digits=digits))
        self.keypad.reset()
