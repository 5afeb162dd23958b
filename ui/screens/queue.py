"""The queue branch: choose a service (with hours, people ahead, priority), then the ticket."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QWidget

from kiosk.engine.view import (
    Back,
    ChooseService,
    Finish,
    Priority,
    ReprintTicket,
    ScanBooking,
    Screen,
    ServiceView,
    SessionView,
    ShowInfo,
)
from ui.screens.base import ScreenContext, ScreenPage, TileButton, make_button, make_label
from ui.screens.layout import page_column, place_tiles, tile_columns
from ui.widgets.choice_panel import ChoicePanel
from ui.widgets.controls import WrappingLabel

INFO_SHARE = (3, 2)  # the priority row: the priority tile, then the service-information tile

PRIORITY_CHOICES: tuple[Priority | None, ...] = (
    None,
    Priority.ELDERLY,
    Priority.DISABLED,
    Priority.PREGNANT,
)


def _priority_key(priority: Priority | None) -> str:
    return f"priority_{priority.value}" if priority else "priority_none"


class ServicePage(ScreenPage):
    """Services as big tiles; the priority queue behind one button (a panel of four choices),
    so the list keeps its room. When the tiles do not all fit (large text on a small panel),
    they come a page at a time with "more" and "previous" beside the back button."""

    screen_id = Screen.SERVICE

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        metrics = context.metrics
        column = page_column(self, metrics)
        self.column = column
        self.title = make_label("service_title", "title")
        column.addWidget(self.title)
        self.notice = make_label("service_notice", "notice")
        self.notice.hide()
        column.addWidget(self.notice)
        self.reach.add(column, portrait=1)
        self.priority_open = self.tile("priority_open", "secondary")
        self.priority_open.clicked.connect(self._open_priority)
        self.info = self.tile("service_info", "secondary")  # requirements, fees, times
        self.info.clicked.connect(lambda: self.send(ShowInfo()))
        top_row = QHBoxLayout()
        top_row.setSpacing(metrics.gap_px)
        top_row.addWidget(self.priority_open, INFO_SHARE[0])
        top_row.addWidget(self.info, INFO_SHARE[1])
        column.addLayout(top_row)
        self.grid = QGridLayout()
        self.grid.setSpacing(metrics.gap_px)
        column.addLayout(self.grid)
        self.reach.add(column, portrait=0, landscape=1)
        self.scan_booking = make_button("service_scan_booking", "secondary")
        self.scan_booking.clicked.connect(lambda: self.send(ScanBooking()))
        column.addWidget(self.scan_booking)
        row = QHBoxLayout()
        row.setSpacing(metrics.gap_px)
        self.back = make_button("service_back", "secondary")
        self.back.clicked.connect(lambda: self.send(Back()))
        self.previous = make_button("service_previous", "secondary")
        self.previous.clicked.connect(lambda: self._turn(-1))
        self.more = make_button("service_more", "primary")
        self.more.clicked.connect(lambda: self._turn(1))
        for button in (self.back, self.previous, self.more):
            row.addWidget(button)
        column.addLayout(row)
        self.panel = ChoicePanel(
            self, "priority", [_priority_key(p) for p in PRIORITY_CHOICES], metrics
        )
        self.panel.chosen.connect(self._priority_chosen)
        self.priority: Priority | None = None
        self.service_buttons: dict[str, TileButton] = {}
        self._columns = 1
        self._pages = 1
        self._page = 0
        self._last: SessionView | None = None

    @property
    def priority_buttons(self) -> dict[Priority | None, QPushButton]:
        return dict(zip(PRIORITY_CHOICES, self.panel.buttons, strict=True))

    def _open_priority(self) -> None:
        self.panel.open(PRIORITY_CHOICES.index(self.priority))

    def _priority_chosen(self, index: int) -> None:
        self.priority = PRIORITY_CHOICES[index]
        if self._last is not None:
            self.render_view(self._last)  # services without a priority queue grey out

    def entered(self) -> None:
        self.priority = None
        self._page = 0
        self.panel.hide()

    def left(self) -> None:
        self.panel.hide()

    def render_view(self, view: SessionView) -> None:
        self._last = view
        self.title.setText(self.t("service_title"))
        self.notice.setVisible(view.notice is not None)
        if view.notice is not None:
            self.notice.setText(self.t(view.notice))
        kind = self.t(_priority_key(self.priority))
        self.priority_open.setText(self.t("priority_button", kind=kind))
        self.panel.title.setText(self.t("priority_title"))
        for priority, button in self.priority_buttons.items():
            button.setText(self.t(_priority_key(priority)))
        self.back.setText(self.t("back"))
        self.previous.setText(self.t("service_previous"))
        self.more.setText(self.t("service_more"))
        self.scan_booking.setText(self.t("service_scan_booking"))
        self.scan_booking.setVisible(view.bookings)
        self.info.setText(self.t("service_info"))
        self._sync_buttons(view.services)
        for service in view.services:
            button = self.service_buttons[service.code]
            allowed = self.priority is None or service.priority_allowed
            button.setText(self._service_text(service, priority_refused=not allowed))
            button.setEnabled(service.available and allowed and not view.busy)
        self._paginate()

    def _service_text(self, service: ServiceView, *, priority_refused: bool = False) -> str:
        name = service.name_id if self.language == "id" else service.name_en
        lines = [f"{service.code}  {name}"]
        if service.available and priority_refused:
            lines.append(self.t("service_no_priority"))  # say why the tile is greyed out
        elif service.available and self.large:  # large text: what matters most, in brief
            lines.append(self.t("service_waiting_short", n=service.waiting))
            return "\n".join(lines)
        elif service.available:
            details = [self.t("service_waiting", n=service.waiting)]
            if service.estimate_min is not None:
                details.append(self.t("service_estimate", n=service.estimate_min))
            details.append(self._hours(service))
            lines.append(" · ".join(details))
        else:
            lines.append(self.t(service.unavailable_reason or "service_unavailable"))
            lines.append(self._hours(service))
        return "\n".join(lines)

    def _hours(self, service: ServiceView) -> str:
        """Opening hours with the office's zone (WIB, WITA, WIT)."""
        return self.t("service_hours", opens=service.opens, closes=service.closes, zone=self.zone())

    def _sync_buttons(self, services: tuple[ServiceView, ...]) -> None:
        codes = [service.code for service in services]
        if codes == list(self.service_buttons):
            return
        for button in self.service_buttons.values():
            self.grid.removeWidget(button)
            button.deleteLater()
        self.service_buttons = {}
        for code in codes:
            button = self.tile(f"service_{code}", "primary")
            button.clicked.connect(lambda _=False, c=code: self._chosen(c))
            self.service_buttons[code] = button
        self._page = 0

    def _chosen(self, code: str) -> None:
        self.send(ChooseService(code=code, priority=self.priority))

    def _turn(self, step: int) -> None:
        self._page += step
        self._paginate()

    def _paginate(self) -> None:
        """As many tiles as fit, a page at a time (tile heights at the column width)."""
        buttons = list(self.service_buttons.values())
        if not buttons or self.width() <= 0:
            return
        metrics = self.context.metrics
        gap, margin = metrics.gap_px, metrics.margin_px
        inner = self.width() - 2 * margin
        for button in buttons:
            button.ensurePolished()
        # Controls only (in portrait they keep to the lower two thirds of the panel).
        info_w = (inner - gap) * INFO_SHARE[1] // sum(INFO_SHARE)
        top_h = max(
            self.priority_open.height_for(inner - gap - info_w), self.info.height_for(info_w)
        )
        heads = [self.title] + ([self.notice] if self.notice.isVisibleTo(self) else [])
        used = top_h + gap + _height_for(self.back, inner) + gap
        top = self._reach_top() if self.portrait else 0
        heads_h = sum(_height_for(widget, inner) + gap for widget in heads)
        room = self.height() - 2 * margin - used - max(top, heads_h)

        def pages_for(columns: int) -> list[list[TileButton]]:
            """Rows of ``columns`` tiles, as many rows a page as their heights allow."""
            width = (inner - gap * (columns - 1)) // columns
            rows = [buttons[i : i + columns] for i in range(0, len(buttons), columns)]
            pages: list[list[TileButton]] = [[]]
            used_h = -gap
            for row in rows:
                row_h = max(button.height_for(width) for button in row) + gap
                if pages[-1] and used_h + row_h > room:
                    pages.append([])
                    used_h = -gap
                pages[-1] += row
                used_h += row_h
            return pages

        columns = tile_columns(self.size())
        pages = pages_for(columns)
        if self.large and len(pages_for(1)) <= len(pages):
            columns, pages = 1, pages_for(1)  # large text: a whole line each, if no more pages
        self._columns = columns
        self._page = max(0, min(self._page, len(pages) - 1))
        self._pages = len(pages)
        shown = pages[self._page]
        for button in buttons:
            if button not in shown:
                self.grid.removeWidget(button)
                button.hide()
        place_tiles(self.grid, shown, self._columns)  # in the page (a parent) before shown
        for button in shown:
            button.show()
        self.previous.setVisible(len(pages) > 1)
        self.more.setVisible(len(pages) > 1)
        self.previous.setEnabled(self._page > 0)
        self.more.setEnabled(self._page < len(pages) - 1)

    def _reach_top(self) -> int:
        """How far down this page the panel's top third ends (0 when it ends above it)."""
        window = self.window()
        offset = self.mapTo(window, QPoint(0, 0)).y()
        return max(0, window.height() // 3 - offset)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._paginate()
        if not self.panel.isHidden():
            self.panel.place()

    def arrange(self) -> None:
        self._paginate()


def _height_for(widget: QWidget, width: int) -> int:
    if isinstance(widget, TileButton):
        return widget.height_for(width)
    if isinstance(widget, WrappingLabel):
        return widget.needed_height(width)
    return max(widget.minimumHeight(), widget.sizeHint().height())


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
        self.finish.clicked.connect(lambda: self.send(Finish()))
        row = self.action_row()
        row.addWidget(self.finish)
        row.addWidget(self.reprint)
        column.addLayout(row)
        self._last: SessionView | None = None

    def arrange(self) -> None:
        """Large text: the number speaks for itself, and people ahead and the estimate share
        a line (the spoken prompt says the rest)."""
        self.title.setVisible(not self.large)
        if self._last is not None:
            self.render_view(self._last)

    def render_view(self, view: SessionView) -> None:
        self._last = view
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
        self.estimate.setVisible(ticket.status == "waiting" and not self.large)
        if self.large and ticket.status == "waiting":
            self.waiting.setText(f"{self.waiting.text()} · {self.estimate.text()}")
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
