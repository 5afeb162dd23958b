"""The technician PIN keypad: 6-8 digits, masked, with attempts left and the lockout countdown.

The PIN is checked on the worker thread (scrypt takes tens of milliseconds); the digits live
only in this widget until OK and are wiped right after.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.technician import PinOutcome, TechnicianSession, TechState
from kiosk.technician.session import PIN_MAX_DIGITS, PIN_MIN_DIGITS
from ui.technician.base import TechContext, make_button, make_label

_ROWS = ("123", "456", "789")


class PinPage(QWidget):
    opened = Signal()
    close_requested = Signal()

    def __init__(self, ctx: TechContext, session: TechnicianSession) -> None:
        super().__init__()
        self.setObjectName("tech_pin_page")
        self.ctx = ctx
        self.session = session
        self._digits = ""
        self._reason: str | None = None
        self.title = make_label("tech_pin_title", "title")
        self.dots = make_label("tech_pin_dots", "hero")
        self.message = make_label("tech_pin_message")
        grid = QGridLayout()
        grid.setSpacing(ctx.metrics.spacing_px)
        self.keys: dict[str, QPushButton] = {}
        for row, chars in enumerate(_ROWS):
            for col, ch in enumerate(chars):
                grid.addWidget(self._key(ch), row, col)
        self.clear_key = make_button("tech_pin_clear", "key")
        self.clear_key.clicked.connect(self._clear)
        self.delete_key = make_button("tech_pin_delete", "key")
        self.delete_key.clicked.connect(self._delete)
        grid.addWidget(self.clear_key, 3, 0)
        grid.addWidget(self._key("0"), 3, 1)
        grid.addWidget(self.delete_key, 3, 2)
        self.ok = make_button("tech_pin_ok", "primary")
        self.ok.clicked.connect(self._submit)
        grid.addWidget(self.ok, 4, 0, 1, 3)
        self.close_button = make_button("tech_pin_close")
        self.close_button.clicked.connect(self.close_requested)
        column = QVBoxLayout(self)
        margin = ctx.metrics.margin_px
        column.setContentsMargins(margin, margin, margin, margin)
        column.addWidget(self.title)
        column.addWidget(self.dots)
        column.addWidget(self.message)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addLayout(grid, 3)
        centred.addStretch(1)
        column.addLayout(centred)
        column.addStretch(1)
        column.addWidget(self.close_button)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self.refresh)
        self._checking = False

    def _key(self, ch: str) -> QPushButton:
        button = make_button(f"tech_pin_key_{ch}", "key")
        button.setText(ch)
        button.setMinimumSize(self.ctx.metrics.key_px, self.ctx.metrics.key_px)
        button.clicked.connect(lambda _=False, d=ch: self.press(d))
        self.keys[ch] = button
        return button

    # -- showing -------------------------------------------------------------------------

    def show_for(self, reason: str | None = None) -> None:
        """Shown because the session is not open; ``reason`` is a message key or None."""
        self._reason = reason
        self._digits = ""
        self.refresh()
        self.countdown.start()

    def hide_page(self) -> None:
        self.countdown.stop()
        self._digits = ""

    def retranslate(self) -> None:
        t = self.ctx.t
        self.title.setText(t("tech_title"))
        self.clear_key.setText(t("tech_clear"))
        self.delete_key.setText(t("tech_delete"))
        self.ok.setText(t("tech_checking") if self._checking else t("tech_ok"))
        self.close_button.setText(t("tech_close"))
        self.refresh()

    def refresh(self) -> None:
        snap = self.session.snapshot()
        t = self.ctx.t
        self.dots.setText("●" * len(self._digits) or " ")
        can_type = snap.state is TechState.LOCKED and not self._checking
        for button in (*self.keys.values(), self.clear_key, self.delete_key):
            button.setEnabled(can_type)
        self.ok.setEnabled(can_type and PIN_MIN_DIGITS <= len(self._digits) <= PIN_MAX_DIGITS)
        if snap.state is TechState.DISABLED:
            self.message.setText(t("tech_disabled"))
        elif snap.state is TechState.LOCKED_OUT:
            left = int(snap.locked_for_s + 0.999)
            self.message.setText(t("tech_pin_locked_out", minutes=left // 60, seconds=left % 60))
        elif self._reason is not None:
            self.message.setText(t(self._reason, n=snap.attempts_left))
        else:
            self.message.setText(t("tech_pin_prompt"))

    # -- typing ----------------------------------------------------------------------------

    @property
    def digits(self) -> int:
        return len(self._digits)

    def press(self, digit: str) -> None:
        if len(self._digits) < PIN_MAX_DIGITS and digit.isdigit():
            self._digits += digit
            self.refresh()

    def _delete(self) -> None:
        self._digits = self._digits[:-1]
        self.refresh()

    def _clear(self) -> None:
        self._digits = ""
        self.refresh()

    def _submit(self) -> None:
        pin, self._digits = self._digits, ""
        self._checking = True
        self.retranslate()
        self.ctx.runner.run(lambda: self.session.enter_pin(pin), self._outcome, self._error)

    def _outcome(self, outcome: PinOutcome) -> None:
        self._checking = False
        if outcome.accepted:
            self._reason = None
            self.retranslate()
            self.opened.emit()
            return
        self._reason = "tech_pin_wrong" if outcome.state is TechState.LOCKED else None
        self.retranslate()

    def _error(self, error: BaseException) -> None:
        self._checking = False
        self.retranslate()
        self.message.setText(self.ctx.t("tech_failed", error=type(error).__name__))
