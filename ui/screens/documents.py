"""Choosing a document (identify path) and confirming it before printing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.domain.documents import DocumentType, Media
from kiosk.engine.view import Back, Cancel, ChooseDocument, Confirm, Screen, SessionView
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label
from ui.screens.layout import page_column, place_tiles, tile_columns

MAX_CHOICES = 6  # a citizen's ready documents on one screen; the rest are said to wait


def document_name(doc: DocumentType, language: str) -> str:
    return doc.name_id if language == "id" else doc.name_en


class ChooseDocumentPage(ScreenPage):
    screen_id = Screen.CHOOSE_DOCUMENT

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.title = make_label("choose_title", "title")
        self.empty = make_label("choose_empty", "notice")
        column.addWidget(self.title)
        column.addWidget(self.empty)
        self.reach.add(column, portrait=1)
        self.grid = QGridLayout()  # two columns in landscape, one in portrait
        self.grid.setSpacing(context.metrics.gap_px)
        column.addLayout(self.grid)
        self.choice_buttons: list[QPushButton] = []
        for i in range(MAX_CHOICES):
            button = self.tile(f"choose_doc_{i}", "primary")
            button.clicked.connect(lambda _=False, index=i: self._chosen(index))
            button.hide()
            self.grid.addWidget(button, i, 0)
            self.choice_buttons.append(button)
        self._columns = 1
        self.more = make_label("choose_more", "notice")
        column.addWidget(self.more)
        self.reach.add(column, portrait=0, landscape=1)
        self.back = make_button("choose_back", "secondary")
        self.back.setMinimumHeight(context.metrics.target_px)
        self.back.clicked.connect(lambda: self.send(Back()))
        column.addWidget(self.back)
        self._vids: list[str] = []

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("choose_title"))
        self.back.setText(self.t("back"))
        choices = view.choices[:MAX_CHOICES]
        self._vids = [choice.vid for choice in choices]
        self.empty.setVisible(not choices)
        self.empty.setText(self.t("choose_none"))
        more = len(view.choices) - len(choices)
        self.more.setVisible(more > 0)
        self.more.setText(self.t("choose_more", count=more) if more > 0 else "")
        for i, button in enumerate(self.choice_buttons):
            if i < len(choices):
                choice = choices[i]
                name = document_name(choice.doc, self.language)
                holder = self.t("choose_for", name=choice.named)
                button.setText(f"{name}\n{holder}")
                button.setEnabled(not view.busy)
                button.show()
            else:
                button.hide()

    def _chosen(self, index: int) -> None:
        if index < len(self._vids):
            self.send(ChooseDocument(vid=self._vids[index]))

    def resizeEvent(self, event: QResizeEvent) -> None:
        columns = tile_columns(event.size())
        if columns != self._columns:
            self._columns = columns
            place_tiles(self.grid, self.choice_buttons, columns)
        super().resizeEvent(event)


class ConfirmPage(ScreenPage):
    screen_id = Screen.CONFIRM

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.title = make_label("confirm_title", "title")
        column.addWidget(self.title)
        details = QWidget()
        grid = QGridLayout(details)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(context.metrics.gap_px)
        grid.setVerticalSpacing(context.metrics.spacing_px)
        self.doc_label = make_label("confirm_doc_label")
        self.doc_value = make_label("confirm_doc_value", "title")
        self.holder_label = make_label("confirm_holder_label")
        self.holder_value = make_label("confirm_holder_value", "title")
        # A form: what each value is on the left, the value (in large type) on the right.
        for line, (label, value) in enumerate(
            ((self.doc_label, self.doc_value), (self.holder_label, self.holder_value))
        ):
            grid.addWidget(label, line, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, line, 1)
        grid.setColumnStretch(1, 1)
        column.addWidget(details)
        self.media = make_label("confirm_media", "notice")
        column.addWidget(self.media)
        self.reach.add(column, portrait=1, landscape=1)
        self.print = make_button("confirm_print", "primary")
        self.print.setMinimumHeight(context.metrics.target_px * 3 // 2)
        self.print.clicked.connect(lambda: self.send(Confirm()))
        self.back = make_button("confirm_back", "secondary")
        self.back.clicked.connect(lambda: self.send(Back()))
        self.cancel = make_button("confirm_cancel", "danger")
        self.cancel.clicked.connect(lambda: self.send(Cancel()))
        # Landscape: back, cancel, then the big print button, in one row; portrait: stacked.
        row = self.action_row()
        row.addWidget(self.back, 1)
        row.addWidget(self.cancel, 1)
        row.addWidget(self.print, 2)
        column.addLayout(row)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft)

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("confirm_title"))
        self.doc_label.setText(self.t("confirm_document"))
        self.holder_label.setText(self.t("confirm_holder"))
        summary = view.document
        self.doc_value.setText(document_name(summary.doc, self.language) if summary else "")
        self.holder_value.setText(summary.named if summary else "")
        media = summary.doc.media if summary else Media.A4
        self.media.setText(
            self.t("confirm_media_card" if media is Media.CARD else "confirm_media_a4")
        )
        self.print.setText(self.t("confirm_print"))
        self.back.setText(self.t("back"))
        self.cancel.setText(self.t("cancel"))
        enabled = summary is not None and not view.busy
        self.print.setEnabled(enabled)
