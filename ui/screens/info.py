"""Service information (transparency): every document printed here and every counter service,
then one service's requirements (persyaratan), fee, service-time promise, hours and where to
complain, with a queue ticket in one tap for a counter service."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout

from kiosk.engine.service_info import rupiah
from kiosk.engine.view import Back, InfoView, Screen, SessionView, ShowInfo, TakeTicket
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label
from ui.screens.layout import page_column
from ui.widgets.controls import TileButton
from ui.widgets.paged_tiles import PagedTiles


def topic_name(page: ScreenPage, topic: InfoView) -> str:
    return topic.name_id if page.language == "id" else topic.name_en


class InfoListPage(ScreenPage):
    screen_id = Screen.INFO_LIST

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.title = make_label("info_list_title", "title")
        column.addWidget(self.title)
        self.tiles = PagedTiles("info_topic", context.metrics, role="secondary")
        self.tiles.chosen.connect(lambda key: self.send(ShowInfo(key)))
        column.addWidget(self.tiles, 1)
        self.back = make_button("info_list_back", "secondary")
        self.back.setMinimumHeight(context.metrics.target_px)
        self.back.clicked.connect(lambda: self.send(Back()))
        column.addWidget(self.back)

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("info_list_title"))
        self.back.setText(self.t("back"))
        self.tiles.set_nav_texts(self.t("page_previous"), self.t("page_next"))
        items = []
        for topic in view.topics:
            where = self.t("info_at_counter" if topic.queue_code else "info_at_kiosk")
            items.append((topic.key, f"{topic_name(self, topic)}\n{where}"))
        self.tiles.set_items(items, enabled=not view.busy)

    def arrange(self) -> None:
        self.tiles.set_layout(
            columns=1 if self.portrait or self.large else 2, portrait=self.portrait
        )


class InfoPage(ScreenPage):
    screen_id = Screen.INFO
    FIELDS = ("info_requirements", "info_fee", "info_time", "info_hours", "info_complaint")

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        metrics = context.metrics
        column = page_column(self, metrics)
        self.title = make_label("info_title", "title")
        column.addWidget(self.title)
        self.where = make_label("info_where")
        column.addWidget(self.where)
        self.fields = {
            key: (make_label(f"{key}_label"), make_label(f"{key}_value")) for key in self.FIELDS
        }
        form = QGridLayout()  # what each value is on the left, the value on the right
        form.setHorizontalSpacing(metrics.gap_px)
        form.setVerticalSpacing(metrics.spacing_px)
        for line, (label, value) in enumerate(self.fields.values()):
            label.setProperty("role", "strong")
            form.addWidget(label, line, 0, Qt.AlignmentFlag.AlignTop)
            form.addWidget(value, line, 1)
        form.setColumnStretch(1, 1)
        column.addLayout(form)
        # Large text on a landscape panel: the requirements, then the rest, one at a time.
        self.part = 0
        self.parts = self.tile("info_part", "secondary")
        self.parts.clicked.connect(self._turn_part)
        self.notice = make_label("info_notice", "notice")
        self.notice.hide()
        column.addWidget(self.notice)
        column.addStretch(1)
        self.back = make_button("info_back", "secondary")
        self.back.clicked.connect(lambda: self.send(Back()))
        self.take_ticket: TileButton = self.tile("info_take_ticket", "primary")
        self.take_ticket.clicked.connect(lambda: self.send(TakeTicket()))
        row = self.action_row()
        row.addWidget(self.back, 2)
        row.addWidget(self.parts, 3)
        row.addWidget(self.take_ticket, 3)
        column.addLayout(row)
        self._last: SessionView | None = None

    def _values(self, topic: InfoView) -> dict[str, str | None]:
        english = self.language != "id"
        items = topic.requirements_en if english else topic.requirements_id
        requirements = "\n".join(f"• {item}" for item in items) or self.t("info_none")
        fee = self.t("info_free") if topic.fee_rp == 0 else rupiah(topic.fee_rp)
        time = (
            self.t("info_minutes", n=topic.sla_minutes)
            if topic.sla_minutes
            else self.t("info_time_unknown")
        )
        hours = None
        if topic.opens and topic.closes:
            hours = self.t(
                "service_hours", opens=topic.opens, closes=topic.closes, zone=self.zone()
            )
        return {
            "info_requirements": requirements,
            "info_fee": fee,
            "info_time": time,
            "info_hours": hours,
            "info_complaint": topic.complaint_en if english else topic.complaint_id,
        }

    def entered(self) -> None:
        self.part = 0

    def _turn_part(self) -> None:
        self.part = 1 - self.part
        if self._last is not None:
            self.render_view(self._last)

    def render_view(self, view: SessionView) -> None:
        self._last = view
        topic = view.info
        self.title.setText(topic_name(self, topic) if topic else "")
        self.where.setVisible(not self.large)
        if topic is not None:
            self.where.setText(self.t("info_at_counter" if topic.queue_code else "info_at_kiosk"))
        values = self._values(topic) if topic else {}
        parted = self.large and not self.portrait  # a landscape panel's height is short
        for key, (label, value) in self.fields.items():
            text = values.get(key)
            in_part = not parted or (key == "info_requirements") == (self.part == 0)
            label.setVisible(text is not None and in_part)
            value.setVisible(text is not None and in_part)
            label.setText(self.t(key))
            value.setText(text or "")
        self.parts.setVisible(parted)
        self.parts.setText(
            f"{self.t('info_part_more')} ›"
            if self.part == 0
            else f"‹ {self.t('info_part_requirements')}"
        )
        self.back.setText(self.t("back"))
        handover = view.handover
        self.take_ticket.setVisible(handover is not None)
        if handover is not None:
            # The title names the service: the button says what it does, or why it cannot.
            self.take_ticket.setText(
                self.t("info_take_ticket")
                if handover.available
                else self.t(handover.unavailable_reason or "service_unavailable")
            )
            self.take_ticket.setEnabled(handover.available and not view.busy)
        self.notice.setVisible(view.notice is not None)
        if view.notice is not None:
            self.notice.setText(self.t(view.notice))
