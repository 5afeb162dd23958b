"""Pages with consequences, each behind an inline confirmation: SUSPECT decisions, queue
reset, leaving the kiosk."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from kiosk.domain.documents import DocumentType
from kiosk.engine.journal import TxRecord
from kiosk.technician.actions import QueueLine
from ui.technician.base import TechContext, TechPage, make_button, make_label, make_table, set_rows
from ui.technician.confirm_bar import ConfirmBar


class SuspectPage(TechPage):
    nav_key = "tech_nav_suspect"
    name = "suspect"

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.help = make_label("tech_suspect_help")
        self.table = make_table("tech_suspect_table", 5)
        self.table.itemSelectionChanged.connect(self._selection)
        self.printed = make_button("tech_suspect_printed", "primary")
        self.not_printed = make_button("tech_suspect_not_printed")
        self.printed.clicked.connect(lambda: self.decide(True))
        self.not_printed.clicked.connect(lambda: self.decide(False))
        self.confirm = ConfirmBar(ctx, "tech_suspect")
        self.records: list[TxRecord] = []
        row = QHBoxLayout()
        row.addWidget(self.printed)
        row.addWidget(self.not_printed)
        column = QVBoxLayout(self)
        column.addWidget(self.help)
        column.addWidget(self.table, 1)
        column.addLayout(row)
        column.addWidget(self.confirm)
        column.addWidget(self.message)
        self._selection()

    def retranslate(self) -> None:
        self.help.setText(self.t("tech_suspect_help"))
        self.printed.setText(self.t("tech_suspect_printed"))
        self.not_printed.setText(self.t("tech_suspect_not_printed"))
        self.table.setHorizontalHeaderLabels(
            [
                self.t("tech_col_txid"),
                self.t("tech_col_doc"),
                self.t("tech_col_printer"),
                self.t("tech_col_state"),
                self.t("tech_col_reason"),
            ]
        )
        self.confirm.retranslate()

    def entered(self) -> None:
        self.confirm.cancel()
        self.run(self.ctx.actions.suspects, self._show)

    def _show(self, records: list[TxRecord]) -> None:
        self.records = records
        say = self.ctx.describe
        rows = [
            [
                r.txid,
                self._doc(r.doc),
                say.device(r.printer) if r.printer else "",
                self._state(r.state.value),
                r.reason or "",
            ]
            for r in records
        ]
        set_rows(self.table, rows)
        self.message.setText("" if records else self.t("tech_suspect_none"))
        self._selection()

    def _doc(self, doc: str) -> str:
        try:
            kind = DocumentType(doc)
        except ValueError:
            return doc
        return kind.name_id if self.ctx.language == "id" else kind.name_en

    def _state(self, state: str) -> str:
        key = f"tech_tx_{state}"
        return self.t(key) if self.ctx.catalog.has(key) else state

    def select(self, txid: str) -> None:
        for row, record in enumerate(self.records):
            if record.txid == txid:
                self.table.selectRow(row)
                return
        raise KeyError(txid)

    def _selected(self) -> TxRecord | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        return self.records[rows.pop()] if len(rows) == 1 else None

    def _selection(self) -> None:
        chosen = self._selected() is not None
        self.printed.setEnabled(chosen)
        self.not_printed.setEnabled(chosen)

    def decide(self, printed: bool) -> None:
        record = self._selected()
        if record is None:
            return
        key = "tech_suspect_confirm_printed" if printed else "tech_suspect_confirm_not_printed"
        self.confirm.ask(self.t(key, txid=record.txid), lambda: self._resolve(record, printed))

    def _resolve(self, record: TxRecord, printed: bool) -> None:
        self.run(lambda: self.ctx.actions.resolve(record.txid, printed=printed), self._resolved)

    def _resolved(self, record: TxRecord) -> None:
        self.run(self.ctx.actions.suspects, self._show_after(record))

    def _show_after(self, resolved: TxRecord):  # type: ignore[no-untyped-def]
        def show(records: list[TxRecord]) -> None:
            self._show(records)
            self.message.setText(
                self.t(
                    "tech_suspect_done", txid=resolved.txid, state=self._state(resolved.state.value)
                )
            )

        return show


class QueuePage(TechPage):
    nav_key = "tech_nav_queue"
    name = "queue"

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.lines_label = make_label("tech_queue_lines")
        self.buttons: dict[str, QPushButton] = {}
        self.column = QVBoxLayout(self)
        self.column.addWidget(self.lines_label)
        self.buttons_row = QVBoxLayout()
        self.column.addLayout(self.buttons_row)
        self.reset_all = make_button("tech_queue_reset_all", "danger")
        self.reset_all.clicked.connect(lambda: self.ask_reset(None))
        self.column.addWidget(self.reset_all)
        self.confirm = ConfirmBar(ctx, "tech_queue")
        self.column.addWidget(self.confirm)
        self.column.addWidget(self.message)
        self.column.addStretch(1)
        self.lines: list[QueueLine] = []

    def retranslate(self) -> None:
        self.reset_all.setText(self.t("tech_queue_reset_all"))
        for code, button in self.buttons.items():
            button.setText(self.t("tech_queue_reset_one", code=code))
        self._show_lines()
        self.confirm.retranslate()

    def entered(self) -> None:
        self.confirm.cancel()
        self.run(self.ctx.actions.queue_lines, self._show)

    def _show(self, lines: list[QueueLine]) -> None:
        self.lines = lines
        for line in lines:
            if line.code not in self.buttons:
                button = make_button(f"tech_queue_reset_{line.code}")
                button.clicked.connect(lambda _=False, c=line.code: self.ask_reset(c))
                self.buttons[line.code] = button
                self.buttons_row.addWidget(button)
                button.show()
        self.reset_all.setEnabled(bool(lines))
        self.retranslate()
        self.message.setText("")

    def _show_lines(self) -> None:
        english = self.ctx.language == "en"
        text = "\n".join(
            self.t(
                "tech_queue_waiting",
                code=line.code,
                name=line.name_en if english else line.name_id,
                n=line.waiting,
            )
            for line in self.lines
        )
        self.lines_label.setText(text or self.t("tech_queue_none"))

    def ask_reset(self, code: str | None) -> None:
        target = code or self.t("tech_queue_all")
        self.confirm.ask(self.t("tech_queue_confirm", target=target), lambda: self._reset(code))

    def _reset(self, code: str | None) -> None:
        self.run(lambda: self.ctx.actions.reset_queue(code), self._done)

    def _done(self, cancelled: int) -> None:
        def show(lines: list[QueueLine]) -> None:
            self._show(lines)
            self.message.setText(self.t("tech_queue_done", n=cancelled))

        self.run(self.ctx.actions.queue_lines, show)


class ExitPage(TechPage):
    nav_key = "tech_nav_exit"
    name = "exit"
    exit_approved = Signal()

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.exit_button = make_button("tech_exit", "danger")
        self.exit_button.clicked.connect(self.ask)
        self.confirm = ConfirmBar(ctx, "tech_exit")
        column = QVBoxLayout(self)
        column.addWidget(self.exit_button)
        column.addWidget(self.confirm)
        column.addWidget(self.message)
        column.addStretch(1)

    def retranslate(self) -> None:
        self.exit_button.setText(self.t("tech_nav_exit"))
        self.confirm.retranslate()

    def entered(self) -> None:
        self.confirm.cancel()
        allowed = self.ctx.actions.session.allow_exit
        self.exit_button.setEnabled(allowed)
        self.message.setText("" if allowed else self.t("tech_exit_not_allowed"))

    def ask(self) -> None:
        self.confirm.ask(self.t("tech_exit_confirm"), self._exit)

    def _exit(self) -> None:
        self.run(self.ctx.actions.request_exit, lambda _: self.exit_approved.emit())
