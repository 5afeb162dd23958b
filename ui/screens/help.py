"""No QR code yet, or a forgotten PIN: how to get them (in plain words), and a queue ticket for
the counter that helps, in one tap."""

from __future__ import annotations

from kiosk.engine.view import Back, Screen, SessionView, TakeTicket
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label
from ui.screens.handover import handover_text
from ui.screens.layout import page_column
from ui.widgets.controls import TileButton


class HelpPage(ScreenPage):
    screen_id = Screen.HELP

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.title = make_label("help_title", "title")
        self.paragraphs = [make_label(f"help_{key}") for key in ("get_code", "forgot", "nik")]
        self.notice = make_label("help_notice", "notice")
        self.notice.hide()
        for widget in (self.title, *self.paragraphs, self.notice):
            column.addWidget(widget)
        column.addStretch(1)
        self.back = make_button("help_back", "secondary")
        self.back.clicked.connect(lambda: self.send(Back()))
        self.take_ticket: TileButton = self.tile("help_take_ticket", "primary")
        self.take_ticket.clicked.connect(lambda: self.send(TakeTicket()))
        row = self.action_row()
        row.addWidget(self.back, 1)
        row.addWidget(self.take_ticket, 2)
        column.addLayout(row)

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("help_title"))
        for label, key in zip(self.paragraphs, ("get_code", "forgot", "nik"), strict=True):
            label.setText(self.t(f"help_{key}"))
        self.paragraphs[2].setVisible(not self.large)  # large text: the two that matter most
        self.back.setText(self.t("back"))
        handover = view.handover
        self.take_ticket.setVisible(handover is not None)
        if handover is not None:
            self.take_ticket.setText(handover_text(self, handover))
            self.take_ticket.setEnabled(handover.available and not view.busy)
        notice = view.notice or (None if handover else "help_no_queue")
        self.notice.setVisible(notice is not None)
        if notice is not None:
            self.notice.setText(self.t(notice))
