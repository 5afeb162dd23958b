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

from PySide6.QtWidgets import QWidget

from kiosk.domain.office_time import local_time_text
from kiosk.engine.view import Intent, Screen, SessionView
from ui.i18n.catalog import Catalog
from ui.theme import TouchMetrics
from ui.widgets.controls import make_button, make_label, refresh_style

Send = Callable[[Intent], None]

__all__ = ["ScreenContext", "ScreenPage", "Send", "make_button", "make_label", "refresh_style"]


@dataclass(frozen=True, slots=True)
class ScreenContext:
    catalog: Catalog
    send: Send
    metrics: TouchMetrics
    office_tz: tzinfo = UTC  # times shown to citizens are the office's local time
    now: Callable[[], datetime] = lambda: datetime.now(UTC)  # the clock those times compare to


class ScreenPage(QWidget):
    """Base of the pages in the kiosk's stack."""

    screen_id: ClassVar[Screen]

    def __init__(self, context: ScreenContext) -> None:
        super().__init__()
        self.setObjectName(f"screen_{self.screen_id.value}")
        self.context = context
        self.language = "id"

    def t(self, key: str, **values: object) -> str:
        return self.context.catalog.text(key, self.language, **values)

    def send(self, intent: Intent) -> None:
        self.context.send(intent)

    def clock_time(self, moment: datetime) -> str:
        """An aware moment in the office's time zone (never the machine's) with its name:
        ``14:35 WIB``, with the date in front when it is not today (kiosk.domain.office_time)."""
        return local_time_text(moment, self.context.office_tz, self.context.now())

    def show_view(self, view: SessionView) -> None:
        self.language = view.language
        self.render_view(view)

    def render_view(self, view: SessionView) -> None:
        """Show ``view``; called for every view while this page is current."""
        raise NotImplementedError

    def entered(self) -> None:
        """This page became current (start a camera, reset local input)."""

    def left(self) -> None:
        """Another page became current (stop a camera, drop local input)."""
