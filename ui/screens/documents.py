"""Choosing a document (all of a citizen's ready ones, paged) and confirming it before
printing; a family's documents say who each is about (relation, birth year)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.domain.documents import DocumentType, Media
from kiosk.engine.view import (
    Back,
    Cancel,
    ChooseDocument,
    Confirm,
    DocumentSummary,
    Screen,
    SessionView,
)
from ui.screens.base import ScreenContext, ScreenPage, TileButton, make_button, make_label
from ui.screens.layout import page_column
from ui.widgets.paged_tiles import PagedTiles


def document_name(doc: DocumentType, language: str) -> str:
    return doc.name_id if language == "id" else doc.name_en


def who(page: ScreenPage, summary: DocumentSummary) -> str:
    """What tells a family's members apart: "Anak, lahir 2015" (empty when not known)."""
    relation = summary.relation
    if relation:
        key = "relation_" + "_".join(relation.lower().split())
        words = page.t(key) if page.context.catalog.has(key) else relation.capitalize()
        if summary.birth_year is not None:
            return page.t("family_who", relation=words, year=summary.birth_year)
        return words
    if summary.birth_year is not None:
        return page.t("family_year", year=summary.birth_year)
    return ""


def document_tile(page: ScreenPage, summary: DocumentSummary) -> str:
    """A document's tile: its type, the masked name it is in, and who that is."""
    lines = [document_name(summary.doc, page.language), summary.named, who(page, summary)]
    return "\n".join(line for line in lines if line)


class ChooseDocumentPage(ScreenPage):
    """Every ready document, a page at a time (none is left out)."""

    screen_id = Screen.CHOOSE_DOCUMENT

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.title = make_label("choose_title", "title")
        self.empty = make_label("choose_empty", "notice")
        column.addWidget(self.title)
        column.addWidget(self.empty)
        self.tiles = PagedTiles("choose_doc", context.metrics)
        self.tiles.chosen.connect(lambda vid: self.send(ChooseDocument(vid=vid)))
        column.addWidget(self.tiles, 1)
        self.back = make_button("choose_back", "secondary")
        self.back.setMinimumHeight(context.metrics.target_px)
        self.back.clicked.connect(lambda: self.send(Back()))
        column.addWidget(self.back)

    @property
    def choice_buttons(self) -> list[TileButton]:
        return self.tiles.tiles

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("choose_title"))
        self.back.setText(self.t("back"))
        self.empty.setVisible(not view.choices)
        self.empty.setText(self.t("choose_none"))
        self.tiles.set_nav_texts(self.t("page_previous"), self.t("page_next"))
        items = [(choice.vid, document_tile(self, choice)) for choice in view.choices]
        self.tiles.set_items(items, enabled=not view.busy)

    def arrange(self) -> None:
        self.tiles.set_layout(
            columns=1 if self.portrait or self.large else 2, portrait=self.portrait
        )


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
        lines = [summary.named, who(self, summary)] if summary else []
        self.holder_value.setText("\n".join(line for line in lines if line))
        media = summary.doc.media if summary else Media.A4
        self.media.setText(
            self.t("confirm_media_card" if media is Media.CARD else "confirm_media_a4")
        )
        self.print.setText(self.t("confirm_print"))
        self.back.setText(self.t("back"))
        self.cancel.setText(self.t("cancel"))
        enabled = summary is not None and not view.busy
        self.print.setEnabled(enabled)
