"""The result of an authenticity check, without overclaiming: the QR code is genuine and was
issued for a document with this number, type, date and (masked) name; whether the paper is
that document only a comparison can tell, and the screen says so plainly."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout

from kiosk.engine.view import Back, ChooseMenu, Finish, MenuOption, Screen, SessionView
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label, refresh_style
from ui.screens.documents import document_name
from ui.screens.layout import page_column


class CheckResultPage(ScreenPage):
    screen_id = Screen.CHECK_RESULT

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.verdict = make_label("check_verdict", "ok_panel")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason = make_label("check_reason")
        column.addWidget(self.verdict)
        column.addWidget(self.reason)
        self.fields = {
            key: (make_label(f"{key}_label"), make_label(f"{key}_value", "title"))
            for key in ("check_holder", "check_doc", "check_number", "check_issued")
        }
        form = QGridLayout()  # what each value is on the left, the value on the right
        form.setHorizontalSpacing(context.metrics.gap_px)
        form.setVerticalSpacing(context.metrics.spacing_px)
        for line, (label, value) in enumerate(self.fields.values()):
            form.addWidget(label, line, 0, Qt.AlignmentFlag.AlignTop)
            form.addWidget(value, line, 1)
        form.setColumnStretch(1, 1)
        column.addLayout(form)
        # Large text: the same facts in three lines instead of a four-line form.
        self.summary = make_label("check_summary", "title")
        column.addWidget(self.summary)
        self.compare = make_label("check_compare", "notice")
        column.addWidget(self.compare)
        column.addStretch(1)
        self.again = make_button("check_again", "primary")
        self.again.clicked.connect(self._again)
        self.finish = make_button("check_finish", "secondary")
        self.finish.clicked.connect(lambda: self.send(Finish()))
        row = self.action_row()
        row.addWidget(self.finish)
        row.addWidget(self.again)
        column.addLayout(row)

    def _again(self) -> None:
        self.send(Back())
        self.send(ChooseMenu(MenuOption.CHECK))

    def render_view(self, view: SessionView) -> None:
        result = view.authenticity
        valid = bool(result and result.valid)
        mark = "✓" if valid else "✗"
        self.verdict.setText(f"{mark}  {self.t('check_valid_for' if valid else 'check_invalid')}")
        self.verdict.setProperty("role", "ok_panel" if valid else "error_panel")
        refresh_style(self.verdict)
        reason = result.reason if result and not result.valid else None
        self.reason.setVisible(reason is not None)
        if reason is not None:
            self.reason.setText(self.t(reason))
        values = {
            "check_doc": document_name(result.doc, self.language)
            if result and result.doc
            else None,
            "check_number": result.document_id if result else None,
            "check_issued": result.issued_on if result else None,
            "check_holder": result.holder_masked if result else None,
        }
        for key, (label, value) in self.fields.items():
            text = values[key] if valid else None
            label.setVisible(text is not None and not self.large)
            value.setVisible(text is not None and not self.large)
            label.setText(self.t(key))
            value.setText(text or "")
        self.summary.setVisible(valid and self.large)
        if valid:
            lines = [
                f"{self.t('check_holder')} {values['check_holder']}",
                self.t("check_summary", doc=values["check_doc"], date=values["check_issued"]),
                f"{self.t('check_number')} {values['check_number']}",
            ]
            self.summary.setText("\n".join(lines))
        self.compare.setVisible(valid)
        self.compare.setText(self.t("check_compare_short" if self.large else "check_compare"))
        self.again.setText(self.t("check_again"))
        self.finish.setText(self.t("finish"))
