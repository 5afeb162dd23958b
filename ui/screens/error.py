"""Error: what happened, what to do next, a reference code for the officer, and a queue
ticket in one tap for the counter service that can solve it (the reference printed on it)."""

from __future__ import annotations

from kiosk.engine.view import Back, Finish, Screen, SessionView, TakeTicket
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label
from ui.screens.handover import handover_text
from ui.screens.layout import page_column
from ui.widgets.controls import TileButton


class ErrorPage(ScreenPage):
    screen_id = Screen.ERROR

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.title = make_label("error_title", "title")
        self.what = make_label("error_what", "error_panel")
        self.next_heading = make_label("error_next_heading", "title")
        self.next = make_label("error_next")
        self.reference = make_label("error_reference")
        for widget in (self.title, self.what, self.next_heading, self.next, self.reference):
            column.addWidget(widget)
        column.addStretch(1)
        self.take_ticket: TileButton = self.tile("error_take_ticket", "primary")
        self.take_ticket.clicked.connect(lambda: self.send(TakeTicket()))
        self.try_again = make_button("error_try_again", "primary")
        self.try_again.clicked.connect(lambda: self.send(Back()))
        self.finish = make_button("error_finish", "secondary")
        self.finish.clicked.connect(lambda: self.send(Finish()))
        row = self.action_row()
        row.addWidget(self.finish, 1)
        row.addWidget(self.try_again, 1)
        row.addWidget(self.take_ticket, 2)
        column.addLayout(row)

    def render_view(self, view: SessionView) -> None:
        error = view.error
        self.title.setText(self.t("error_title"))
        what = self.t(error.code if error else "ERROR_UNKNOWN")
        if view.locked_until is not None:
            moment = self.clock_time(view.locked_until)
            what = f"{what}\n{self.t('error_locked_until', time=moment)}"
        self.what.setText(what)
        self.next_heading.setText(self.t("error_what_next"))
        self.next_heading.setVisible(not self.large)  # large text: the room goes to the words
        next_step = error.next_step if error else "contact_officer"
        notice = self.t(view.notice) if view.notice else None  # a ticket that was refused
        self.next.setText(notice or self.t(next_step))
        self.reference.setVisible(bool(error and error.reference))
        self.reference.setText(self.t("error_reference", ref=error.reference if error else ""))
        handover = view.handover
        self.take_ticket.setVisible(handover is not None)
        if handover is not None:
            self.take_ticket.setText(handover_text(self, handover))
            self.take_ticket.setEnabled(handover.available and not view.busy)
        self.try_again.setVisible(next_step in ("try_again", "scan_again"))
        self.try_again.setText(self.t("error_try_again"))
        self.finish.setText(self.t("finish"))

    def prompt(self, view: SessionView) -> str:
        return self.t("prompt_error" if view.handover else "prompt_error_no_ticket")
