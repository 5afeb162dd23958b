"""What every screen page has: the context it works in, text lookup, and intent sending.

A page renders a :class:`SessionView` and sends intents; it decides nothing about vouchers,
printers or queues. Every interactive widget gets an ``objectName`` so tests (and a technician
reading a log) can name it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import ClassVar

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QWidget

from kiosk.domain.office_time import local_time_text, zone_name
from kiosk.engine.view import Intent, Screen, SessionView
from ui.i18n.catalog import Catalog
from ui.screens.layout import Reach, is_portrait, row_or_column
from ui.theme import TouchMetrics
from ui.widgets.controls import TileButton, make_button, make_label, refresh_style

Send = Callable[[Intent], None]

__all__ = [
    "ScreenContext",
    "ScreenPage",
    "Send",
    "TileButton",
    "make_button",
    "make_label",
    "refresh_style",
]


@dataclass(frozen=True, slots=True)
class ScreenContext:
    catalog: Catalog
    send: Send
    metrics: TouchMetrics
    office_tz: tzinfo = UTC  # times shown to citizens are the office's local time
    now: Callable[[], datetime] = lambda: datetime.now(UTC)  # the clock those times compare to
    kiosk_name: str = ""  # config kiosk.name, e.g. "ADM Kecamatan Cibinong"


class ScreenPage(QWidget):
    """Base of the pages in the kiosk's stack."""

    screen_id: ClassVar[Screen]

    def __init__(self, context: ScreenContext) -> None:
        super().__init__()
        self.setObjectName(f"screen_{self.screen_id.value}")
        self.context = context
        self.language = "id"
        self.large = False  # large-text mode (the view's), for pages that trim in it
        self.portrait = False
        self.reach = Reach()
        self._action_rows: list[QBoxLayout] = []

    def action_row(self) -> QBoxLayout:
        """A page's buttons: side by side in landscape, stacked in portrait."""
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(self.context.metrics.gap_px)
        self._action_rows.append(row)
        return row

    def tile(self, name: str, role: str = "primary", *, height: int = 1) -> TileButton:
        """A big button whose text wraps, at least ``height`` touch targets high."""
        m = self.context.metrics
        return TileButton(name, role, min_height=m.target_px * height, pad=max(8, m.target_px // 5))

    def t(self, key: str, **values: object) -> str:
        return self.context.catalog.text(key, self.language, **values)

    def send(self, intent: Intent) -> None:
        self.context.send(intent)

    def clock_time(self, moment: datetime) -> str:
        """An aware moment in the office's time zone (never the machine's) with its name:
        ``14:35 WIB``, with the date in front when it is not today (kiosk.domain.office_time)."""
        return local_time_text(moment, self.context.office_tz, self.context.now())

    def zone(self) -> str:
        """The office's zone name now (WIB, WITA, WIT), for times the page shows bare."""
        return zone_name(self.context.now(), self.context.office_tz)

    def show_view(self, view: SessionView) -> None:
        self.language = view.language
        if view.large_text != self.large:
            self.large = view.large_text
            self.arrange()
        self.render_view(view)

    def arrange(self) -> None:
        """Choose the layout for ``self.portrait`` and ``self.large`` (pages that need to)."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        portrait = is_portrait(event.size())
        if portrait != self.portrait:
            self.portrait = portrait
            for row in self._action_rows:
                row.setDirection(row_or_column(not portrait))
        self.arrange()
        self.reach.apply(portrait)
        super().resizeEvent(event)

    def render_view(self, view: SessionView) -> None:
        """Show ``view``; called for every view while this page is current."""
        raise NotImplementedError

    def prompt(self, view: SessionView) -> str:
        """The spoken instruction of this screen (catalogue ``prompt_<screen>``); pages whose
        prompt depends on the view override it. Never personal data: no names, no numbers."""
        return self.t(f"prompt_{self.screen_id.value}")

    def entered(self) -> None:
        """This page became current (start a camera, reset local input)."""

    def left(self) -> None:
        """Another page became current (stop a camera, drop local input)."""
