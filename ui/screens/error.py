"""Error: what happened, what to do next, and a reference code for the officer."""

from __future__ import annotations

from kiosk.engine.view import Back, Cancel, ChooseMenu, MenuOption, Screen, SessionView
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label
from ui.screens.layout import page_column


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
        self.take_ticket = make_button("error_take_ticket", "primary")
        self.take_ticket.clicked.connect(self._take_ticket)
        self.try_again = make_button("error_try_again", "primary")
        self.try_again.clicked.connect(lambda: self.send(Back()))
        self.finish = make_button("error_finish", "secondary")
        self.finish.clicked.connect(lambda: self.send(Cancel()))
        row = self.action_row()
        for button in (self.finish, self.try_again, self.take_ticket):
            row.addWidget(button)
        column.addLayout(row)

    def _take_ticket(self) -> None:
        # Back to the menu, then straight on to the queue: intents are handled in order.
        self.send(Back())
        self.send(ChooseMenu(MenuOption.QUEUE))

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
        self.next.setText(self.t(next_step))
        self.reference.setVisible(bool(error and error.reference))
        self.reference.setText(self.t("error_reference", ref=error.reference if error else ""))
        queue_available = view.menu.get(MenuOption.QUEUE, True)
        self.take_ticket.setVisible(next_step == "take_queue_ticket" and queue_available)
        self.take_ticket.setText(self.t("error_take_ticket"))
        self.try_again.setVisible(next_step in ("try_again", "scan_again"))
        self.try_again.setText(self.t("error_try_again"))
        self.finish.setText(self.t("finish"))
