"""Typing digits: the NIK (16, masked as typed, with show/hide) and the PIN (6, dots only).

The digits stay in the keypad widget until they are sent, and are wiped when the page is left
or a new attempt starts. The NIK shows only the digit just typed; "Tampilkan" shows them all
to check them, "Sembunyikan" hides them again (and leaving the page always hides them): a
NIK in large type is readable over a shoulder. The PIN is sent when its sixth digit is typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.engine.view import Back, EnterNik, EnterPin, Screen, SessionView, ShowHelp
from ui.screens.base import ScreenContext, ScreenPage, TileButton, make_button, make_label
from ui.screens.layout import page_column, row_or_column
from ui.widgets.keypad import DigitKeypad

NIK_LENGTH = 16
PIN_LENGTH = 6
MASK = "•"


def group_digits(digits: str, total: int = NIK_LENGTH) -> str:
    """'3201' + underscores for the rest, in groups of four: '3201 ____ ____ ____'."""
    padded = digits.ljust(total, "_")
    return " ".join(padded[i : i + 4] for i in range(0, total, 4))


def masked_nik(digits: str, *, reveal: bool = False) -> str:
    """The NIK as shown: every digit masked but the one just typed, unless ``reveal``."""
    if not reveal and digits:
        digits = MASK * (len(digits) - 1) + digits[-1]
    return group_digits(digits)


def help_button(context: ScreenContext, name: str) -> TileButton:
    """ "Belum punya kode QR / lupa PIN?": how to get them, and a ticket for the counter."""
    m = context.metrics
    button = TileButton(name, "secondary", min_height=m.target_px, pad=max(8, m.target_px // 5))
    button.clicked.connect(lambda: context.send(ShowHelp()))
    return button


def pin_dots(count: int, total: int = PIN_LENGTH) -> str:
    return " ".join("●" if i < count else "○" for i in range(total))


class _KeypadPage(ScreenPage):
    length = 0
    prefix = ""
    auto_submit = False

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        metrics = context.metrics
        self.column = page_column(self, metrics)
        self.title = make_label(f"{self.prefix}_title", "title")
        self.hint = make_label(f"{self.prefix}_hint")
        self.display = make_label(f"{self.prefix}_display", "title")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = make_label(f"{self.prefix}_status", "notice")
        self.status.hide()
        self.back = make_button(f"{self.prefix}_back", "secondary")
        self.back.clicked.connect(self._back)
        self.keypad = DigitKeypad(
            self.prefix, self.length, metrics, auto_submit=self.auto_submit, back=self.back
        )
        self.keypad.changed.connect(self._digits_changed)
        self.keypad.submitted.connect(self._submitted)
        # Landscape: the texts left, the keypad (with back) right. Portrait: one column, the
        # texts pushed down towards the keypad.
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(metrics.gap_px)
        texts = QWidget()
        self.texts = QVBoxLayout(texts)
        self.texts.setContentsMargins(0, 0, 0, 0)
        self.texts.setSpacing(metrics.gap_px)
        self.texts.addWidget(self.title)
        self.texts.addWidget(self.hint)
        self.reach.add(self.texts, portrait=1, landscape=0)
        for widget in (self.display, self.status, *self.extra_controls()):
            self.texts.addWidget(widget)
        self.reach.add(self.texts, portrait=0, landscape=1)
        self.body.addWidget(texts, 1)
        self.body.addWidget(self.keypad, 1)
        self.column.addLayout(self.body, 1)

    def extra_controls(self) -> list[QWidget]:
        return []

    def arrange(self) -> None:
        self.body.setDirection(row_or_column(not self.portrait))
        self.body.setStretch(0, 1 if self.portrait else 5)
        self.body.setStretch(1, 0 if self.portrait else 6)

    def show_status(self, text: str | None) -> None:
        """A message (wrong PIN, locked, invalid NIK) takes the hint's place: it matters more
        now, and large text on a small panel has room for one of them."""
        self.status.setVisible(text is not None)
        self.hint.setVisible(text is None)
        if text is not None:
            self.status.setText(text)

    def render_view(self, view: SessionView) -> None:
        self.back.setText(self.t("back"))
        self.keypad.set_texts(self.t("keypad_delete"), self.t("keypad_clear"), self.t("keypad_ok"))
        self._digits_changed(self.keypad.digits)

    def entered(self) -> None:
        self.keypad.reset()

    def left(self) -> None:
        self.keypad.reset()

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

    def __init__(self, context: ScreenContext) -> None:
        self.reveal = False
        self.show_hide = make_button("nik_show", "secondary")
        self.show_hide.setMinimumHeight(context.metrics.target_px)
        self.help = help_button(context, "nik_help")
        super().__init__(context)
        self.show_hide.clicked.connect(self._toggle_reveal)

    def extra_controls(self) -> list[QWidget]:
        return [self.show_hide, self.help]

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("nik_title"))
        self.hint.setText(self.t("nik_hint"))
        self.help.setText(self.t("help_button"))
        self.show_status(self.t(view.notice) if view.notice is not None else None)
        self.keypad.set_enabled_keys(not view.busy)
        super().render_view(view)

    def _toggle_reveal(self) -> None:
        self.reveal = not self.reveal
        self._digits_changed(self.keypad.digits)

    def entered(self) -> None:
        self.reveal = False
        super().entered()

    def left(self) -> None:
        self.reveal = False
        super().left()

    def _digits_changed(self, digits: str) -> None:
        self.display.setText(masked_nik(digits, reveal=self.reveal))
        self.display.setAccessibleName(self.t("nik_count", n=len(digits)))
        self.show_hide.setText(self.t("nik_hide" if self.reveal else "nik_show"))
        self.show_hide.setEnabled(bool(digits))

    def _submitted(self, digits: str) -> None:
        self.send(EnterNik(digits=digits))
        self.reveal = False
        self.keypad.reset()


class PinPage(_KeypadPage):
    screen_id = Screen.PIN
    length = PIN_LENGTH
    prefix = "pin"
    auto_submit = True

    def __init__(self, context: ScreenContext) -> None:
        self.help = help_button(context, "pin_help")
        super().__init__(context)
        self._last_attempts: int | None = None

    def extra_controls(self) -> list[QWidget]:
        return [self.help]

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("pin_title"))
        self.hint.setText(self.t("pin_hint"))
        self.help.setText(self.t("help_button_pin"))
        self.help.setEnabled(not view.busy)
        if view.attempts_left != self._last_attempts:
            self.keypad.reset()  # a new attempt starts empty
            self._last_attempts = view.attempts_left
        locked = view.locked_until is not None
        message = self._status_text(view)
        self.show_status(message)
        if message is not None:
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
