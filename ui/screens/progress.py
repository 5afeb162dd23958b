"""Printing (steps and a progress bar) and done ("take your document")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar

from kiosk.domain.documents import Media
from kiosk.engine.view import Finish, MoreDocuments, PrintStep, Screen, SessionView
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label, refresh_style
from ui.screens.layout import page_column

STEPS = (PrintStep.RESERVING, PrintStep.RENDERING, PrintStep.PRINTING, PrintStep.FINISHING)


class PrintingPage(ScreenPage):
    screen_id = Screen.PRINTING

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.title = make_label("printing_title", "title")
        self.hint = make_label("printing_hint", "notice")
        column.addWidget(self.title)
        column.addWidget(self.hint)
        self.step_labels = {step: make_label(f"printing_step_{step.value}") for step in STEPS}
        for label in self.step_labels.values():
            column.addWidget(label)
        self.bar = QProgressBar()
        self.bar.setObjectName("printing_progress")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        column.addWidget(self.bar)
        column.addStretch(1)

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("printing_title"))
        self.hint.setText(self.t("printing_hint"))
        progress = view.progress
        current = STEPS.index(progress.step) if progress else 0
        for i, (step, label) in enumerate(self.step_labels.items()):
            mark = "✓" if i < current else ("▶" if i == current else "•")
            label.setText(f"{mark}  {self.t('step_' + step.value)}")
            label.setProperty("role", "title" if i == current else "body")
            refresh_style(label)
        fraction = min(max(progress.fraction, 0.0), 1.0) if progress else 0.0
        self.bar.setValue(int(fraction * 1000))


class DonePage(ScreenPage):
    """Take the document (and phone, card); then, when the family has more ready documents,
    one big button to choose the next (no PIN again), or "Selesai"."""

    screen_id = Screen.DONE

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.title = make_label("done_title", "title")
        self.where = make_label("done_where", "ok_panel")
        self.remember = make_label("done_remember", "notice")
        self.thanks = make_label("done_thanks", "title")
        for label in (self.title, self.where, self.remember, self.thanks):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.where)
        column.addWidget(self.remember)
        column.addWidget(self.thanks)
        column.addStretch(1)
        self.more = self.tile("done_more", "primary")
        self.more.clicked.connect(lambda: self.send(MoreDocuments()))
        self.finish = make_button("done_finish", "primary")
        self.finish.clicked.connect(lambda: self.send(Finish()))
        row = self.action_row()
        row.addWidget(self.finish, 1)
        row.addWidget(self.more, 1)
        column.addLayout(row)

    @staticmethod
    def _card(view: SessionView) -> bool:
        return view.document is not None and view.document.doc.media is Media.CARD

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("done_title"))
        card = self._card(view)
        self.where.setText(self.t("done_hint_card" if card else "done_hint_a4"))
        self.remember.setText(self.t("done_remember"))
        self.thanks.setText(self.t("done_thanks"))
        self.finish.setText(self.t("finish"))
        more = len(view.choices)
        self.thanks.setVisible(not more)
        self.more.setVisible(more > 0)
        self.more.setText(self.t("done_more", n=more))
        self.more.setEnabled(not view.busy)
        # Finish is the main button until the family has more: then both are equal.
        self.finish.setProperty("role", "secondary" if more else "primary")
        refresh_style(self.finish)

    def prompt(self, view: SessionView) -> str:
        if view.choices:
            return self.t("prompt_done_more")
        return self.t("prompt_done_card" if self._card(view) else "prompt_done")
