"""The queue branch: choose a service (with hours, people ahead, priority), then the ticket."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QHBoxLayout, QPushButton

from kiosk.engine.view import (
    Back,
    Cancel,
    ChooseService,
    Priority,
    ReprintTicket,
    ScanBooking,
    Screen,
    ServiceView,
    SessionView,
)
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label
from ui.screens.layout import page_column, place_tiles, tile_columns

PRIORITY_CHOICES: tuple[Priority | None, ...] = (
    None,
    Priority.ELDERLY,
    Priority.DISABLED,
    Priority.PREGNANT,
)


def _priority_key(priority: Priority | None) -> str:
    return f"priority_{priority.value}" if priority else "priority_none"


class ServicePage(ScreenPage):
    screen_id = Screen.SERVICE

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        metrics = context.metrics
        column = page_column(self, metrics)
        self.title = make_label("service_title", "title")
        column.addWidget(self.title)
        self.notice = make_label("service_notice", "notice")
        self.notice.hide()
        column.addWidget(self.notice)
        self.priority_title = make_label("priority_title")
        column.addWidget(self.priority_title)
        row = QHBoxLayout()
        row.setSpacing(metrics.spacing_px)
        self.priority_group = QButtonGroup(self)
        self.priority_group.setExclusive(True)
        self.priority_buttons: dict[Priority | None, QPushButton] = {}
        for priority in PRIORITY_CHOICES:
            button = make_button(_priority_key(priority), "secondary")
            button.setCheckable(True)
            self.priority_group.addButton(button)
            self.priority_buttons[priority] = button
            row.addWidget(button)
        self.priority_buttons[None].setChecked(True)
        self.priority_group.buttonClicked.connect(self._priority_changed)
        column.addLayout(row)
        self.grid = QGridLayout()
        self.grid.setSpacing(metrics.spacing_px)
        column.addLayout(self.grid)
        column.addStretch(1)
        self.scan_booking = make_button("service_scan_booking", "secondary")
        self.scan_booking.clicked.connect(lambda: self.send(ScanBooking()))
        column.addWidget(self.scan_booking)
        self.back = make_button("service_back", "secondary")
        self.back.clicked.connect(lambda: self.send(Back()))
        column.addWidget(self.back)
        self.service_buttons: dict[str, QPushButton] = {}
        self._columns = 1
        self._last: SessionView | None = None

    def _priority_changed(self) -> None:
        if self._last is not None:
            self.render_view(self._last)  # services without a priority queue grey out

    @property
    def priority(self) -> Priority | None:
        for priority, button in self.priority_buttons.items():
            if button.isChecked():
                return priority
        return None

    def entered(self) -> None:
        self.priority_buttons[None].setChecked(True)

    def render_view(self, view: SessionView) -> None:
        self._last = view
        self.title.setText(self.t("service_title"))
        self.notice.setVisible(view.notice is not None)
        if view.notice is not None:
            self.notice.setText(self.t(view.notice))
        self.priority_title.setText(self.t("priority_title"))
        for priority, button in self.priority_buttons.items():
            button.setText(self.t(_priority_key(priority)))
        self.back.setText(self.t("back"))
        self.scan_booking.setText(self.t("service_scan_booking"))
        self.scan_booking.setVisible(view.bookings)
        self._sync_buttons(view.services)
        chosen_priority = self.priority
        for service in view.services:
            button = self.service_buttons[service.code]
            allowed = chosen_priority is None or service.priority_allowed
            button.setText(self._service_text(service, priority_refused=not allowed))
            button.setEnabled(service.available and allowed and not view.busy)

    def _service_text(self, service: ServiceView, *, priority_refused: bool = False) -> str:
        name = service.name_id if self.language == "id" else service.name_en
        lines = [f"{service.code}  {name}"]
        if service.available and priority_refused:
            lines.append(self.t("service_no_priority"))  # say why the tile is greyed out
        elif service.available:
            details = [self.t("service_waiting", n=service.waiting)]
            if service.estimate_min is not None:
                details.append(self.t("service_estimate", n=service.estimate_min))
            lines.append(" · ".join(details))
        else:
            lines.append(self.t(service.unavailable_reason or "service_unavailable"))
        lines.append(self.t("service_hours", opens=service.opens, closes=service.closes))
        return "\n".join(lines)

    def _sync_buttons(self, services: tuple[ServiceView, ...]) -> None:
        codes = [service.code for service in services]
        if codes == list(self.service_buttons):
            return
        for button in self.service_buttons.values():
            self.grid.removeWidget(button)
            button.deleteLater()
        self.service_buttons = {}
        for code in codes:
            button = make_button(f"service_{code}", "primary")
            button.setMinimumHeight(self.context.metrics.target_px * 2)
            button.clicked.connect(lambda _=False, c=code: self._chosen(c))
            self.service_buttons[code] = button
        self._place_buttons()

    def _place_buttons(self) -> None:
        place_tiles(self.grid, self.service_buttons.values(), self._columns)
        for button in self.service_buttons.values():
            button.show()

    def _chosen(self, code: str) -> None:
        self.send(ChooseService(code=code, priority=self.priority))

    def resizeEvent(self, event: QResizeEvent) -> None:
        columns = tile_columns(event.size())
        if columns != self._columns:
            self._columns = columns
            self._place_buttons()
        super().resizeEvent(event)


class TicketPage(ScreenPage):
    screen_id = Screen.TICKET

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.title = make_label("ticket_title", "title")
        self.number = make_label("ticket_number", "hero", wrap=False)
        self.service = make_label("ticket_service", "title")
        self.waiting = make_label("ticket_waiting")
        self.estimate = make_label("ticket_estimate")
        self.priority = make_label("ticket_priority")
        self.booking = make_label("ticket_booking")
        self.status = make_label("ticket_status", "ok_panel")
        labels = (self.waiting, self.estimate, self.priority, self.booking)
        for label in (self.title, self.number, self.service, *labels):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(label)
        column.addWidget(self.status)
        column.addStretch(1)
        self.reprint = make_button("ticket_reprint", "primary")
        self.reprint.clicked.connect(lambda: self.send(ReprintTicket()))
        self.finish = make_button("ticket_finish", "secondary")
        self.finish.clicked.connect(lambda: self.send(Cancel()))
        column.addWidget(self.reprint)
        column.addWidget(self.finish)

    def render_view(self, view: SessionView) -> None:
        ticket = view.ticket
        self.title.setText(self.t("ticket_title"))
        self.finish.setText(self.t("finish"))
        self.reprint.setText(self.t("ticket_reprint"))
        if ticket is None:
            for label in (self.number, self.service, self.waiting, self.estimate, self.priority):
                label.setText("")
            self.booking.hide()
            self.status.setText(self.t("please_wait"))
            self.reprint.hide()
            return
        self.number.setText(ticket.number)
        self.service.setText(ticket.name_id if self.language == "id" else ticket.name_en)
        self.waiting.setText(self.t("ticket_waiting", n=ticket.waiting))
        if ticket.status in ("called", "serving") and ticket.counter_number is not None:
            self.waiting.setText(self.t("ticket_called", counter=ticket.counter_number))
        if ticket.estimate_min is None:
            self.estimate.setText(self.t("ticket_estimate_unknown"))
        else:
            self.estimate.setText(self.t("ticket_estimate", n=ticket.estimate_min))
        self.estimate.setVisible(ticket.status == "waiting")
        self.booking.setVisible(view.booking is not None)
        if view.booking is not None:
            booking = view.booking
            self.booking.setText(self.t(f"booking_{booking.outcome}", **booking.values()))
        self.priority.setVisible(ticket.priority is not None)
        if ticket.priority is not None:
            kind = self.t(_priority_key(ticket.priority))
            self.priority.setText(self.t("ticket_priority", kind=kind))
        status = self.t("ticket_printed" if ticket.printed else "ticket_not_printed")
        if view.notice is not None:
            status = self.t(view.notice)
        self.status.setText(status)
        self.status.setProperty("role", "ok_panel" if ticket.printed else "error_panel")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.reprint.setVisible(not ticket.printed)
        self.reprint.setEnabled(not view.busy)
