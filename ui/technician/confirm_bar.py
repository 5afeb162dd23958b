"""An inline confirmation (no modal dialog): a question with "yes" and "cancel"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui.technician.base import TechContext, make_button, make_label


class ConfirmBar(QWidget):
    def __init__(self, ctx: TechContext, name: str) -> None:
        super().__init__()
        self.setObjectName(f"{name}_confirm_bar")
        self.ctx = ctx
        self.question = make_label(f"{name}_confirm_question", "notice")
        self.yes = make_button(f"{name}_confirm_yes", "danger")
        self.no = make_button(f"{name}_confirm_no")
        self.yes.clicked.connect(self._yes)
        self.no.clicked.connect(self.cancel)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.question)
        row = QHBoxLayout()
        row.addWidget(self.no)
        row.addWidget(self.yes)
        column.addLayout(row)
        self._on_yes: Callable[[], None] | None = None
        self.hide()

    def retranslate(self) -> None:
        self.yes.setText(self.ctx.t("tech_confirm"))
        self.no.setText(self.ctx.t("tech_cancel"))

    def ask(self, question: str, on_yes: Callable[[], None]) -> None:
        self.retranslate()
        self.question.setText(question)
        self._on_yes = on_yes
        self.show()

    def cancel(self) -> None:
        self._on_yes = None
        self.hide()

    def _yes(self) -> None:
        action, self._on_yes = self._on_yes, None
        self.hide()
        if action is not None:
            action()
