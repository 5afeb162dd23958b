"""The kiosk window: a header, a stack of screen pages keyed by Screen, the help bar (call
staff, listen, large text, language, start over), the staff-call panel and the inactivity
overlay.

Views arrive from the engine's thread; :class:`ViewBridge` re-emits them as a Qt signal so they
are rendered on the GUI thread. A 1 s timer sends ``Tick`` so the engine can time out idle
sessions; presses anywhere count as activity (``StillHere``, at most every few seconds: it
keeps the session alive while someone types on a keypad, and changes no screen).

Each screen's spoken prompt is said when the screen opens (and on "Dengarkan") through a
:class:`Speaker` (kiosk.speech.Announcer), which synthesises and plays off the GUI thread.
Large-text mode restyles the page stack only; the header and help bar keep their size.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Protocol

from PySide6.QtCore import QObject, QSize, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.domain.office_time import local_time_text
from kiosk.engine.view import (
    CallStaff,
    Cancel,
    DismissStaffCall,
    Intent,
    Screen,
    SessionView,
    SetLanguage,
    SetLargeText,
    StillHere,
    Tick,
)
from ui.camera_feed import CameraFeed
from ui.i18n.catalog import Catalog
from ui.screens.attract import AttractPage
from ui.screens.base import ScreenContext, ScreenPage
from ui.screens.check import CheckResultPage
from ui.screens.documents import ChooseDocumentPage, ConfirmPage
from ui.screens.error import ErrorPage
from ui.screens.help import HelpPage
from ui.screens.info import InfoListPage, InfoPage
from ui.screens.keypad_pages import NikEntryPage, PinPage
from ui.screens.menu import MenuPage
from ui.screens.progress import DonePage, PrintingPage
from ui.screens.queue import ServicePage, TicketPage
from ui.screens.scan import CheckScanPage, ScanPage, ScanPageBase
from ui.screens.survey import SurveyPage
from ui.session_port import SessionPort
from ui.theme import TouchMetrics, font_rules
from ui.touch_watcher import TouchWatcher
from ui.widgets.header import Header
from ui.widgets.help_bar import BarPlace, HelpBar, bar_place
from ui.widgets.staff_call_overlay import StaffCallOverlay
from ui.widgets.warning_overlay import WarningOverlay

log = logging.getLogger(__name__)

TICK_MS = 1000
ACTIVITY_MIN_INTERVAL_S = 5.0  # at most one activity report (StillHere) per this many seconds


class Speaker(Protocol):
    """Spoken prompts (kiosk.speech.Announcer): every call returns at once."""

    def say(self, text: str, language: str) -> None: ...
    def stop(self) -> None: ...
    def prepare(self, prompts: Iterable[tuple[str, str]]) -> None: ...


class ViewBridge(QObject):
    """Carries views from the engine's thread to the GUI thread (queued signal)."""

    view_arrived = Signal(object)

    def publish(self, view: SessionView) -> None:  # any thread
        self.view_arrived.emit(view)


class PageStack(QStackedWidget):
    """A stack that does not grow the window to its tallest page: each page must fit the
    panel it is shown on (the layout tests check both orientations)."""

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)


class KioskWindow(QWidget):
    """The citizen-facing window. ``technician_requested`` fires on the hidden gesture."""

    technician_requested = Signal()
    screen_shown = Signal(str)  # Screen value, after the page rendered

    def __init__(
        self,
        session: SessionPort,
        *,
        metrics: TouchMetrics,
        catalog: Catalog,
        title: str,
        languages: Sequence[str] = ("id", "en"),
        feed: CameraFeed | None = None,
        tick: bool = True,
        clock: Callable[[], float] = time.monotonic,
        office_tz: tzinfo = UTC,
        wallclock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__()
        self.setObjectName("kiosk_root")
        self.setWindowTitle(title)
        self._session = session
        self._catalog = catalog
        self._languages = tuple(languages) or ("id",)
        self._clock = clock
        self._last_activity = float("-inf")
        self._view: SessionView | None = None
        self._title = title
        self._office_tz = office_tz
        self.warming = False  # warm_up() under way
        context = ScreenContext(
            catalog=catalog,
            send=self.send,
            metrics=metrics,
            office_tz=office_tz,
            now=wallclock,
            kiosk_name=title,
        )
        self._wallclock = wallclock
        self._metrics = metrics
        self.metrics = metrics  # the sizes this window was built with (the demo measures them)
        self.speaker: Speaker | None = None
        self._large = False
        self.header = Header(metrics)
        self.help_bar = HelpBar(metrics)
        self.help_bar.home.clicked.connect(lambda: self.send(Cancel()))
        self.help_bar.language.clicked.connect(self._toggle_language)
        self.help_bar.call_staff.clicked.connect(lambda: self.send(CallStaff()))
        self.help_bar.listen.clicked.connect(self.speak_prompt)
        self.help_bar.large_text.clicked.connect(self._toggle_large_text)
        self.stack = PageStack()
        self.stack.setObjectName("screen_stack")
        pages: list[ScreenPage] = [
            AttractPage(context),
            MenuPage(context),
            ScanPage(context, feed),
            NikEntryPage(context),
            PinPage(context),
            ChooseDocumentPage(context),
            ConfirmPage(context),
            PrintingPage(context),
            DonePage(context),
            ServicePage(context),
            TicketPage(context),
            CheckScanPage(context, feed),
            CheckResultPage(context),
            ErrorPage(context),
            HelpPage(context),
            InfoListPage(context),
            InfoPage(context),
            SurveyPage(context),
        ]
        self.pages: dict[Screen, ScreenPage] = {page.screen_id: page for page in pages}
        missing = set(Screen) - set(self.pages)
        if missing:
            raise RuntimeError(f"no page for screens {sorted(missing)}")
        for page in pages:
            self.stack.addWidget(page)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.header)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(0)
        self.body.addWidget(self.stack, 1)
        self.body.addWidget(self.help_bar)
        column.addLayout(self.body, 1)
        self.staff_overlay = StaffCallOverlay(self, metrics)
        self.staff_overlay.close_button.clicked.connect(lambda: self.send(DismissStaffCall()))
        self.overlay = WarningOverlay(self, metrics)
        self.overlay.still_here.clicked.connect(lambda: self.send(StillHere()))
        self.bridge = ViewBridge(self)
        self.bridge.view_arrived.connect(self.show_view)
        self.watcher = TouchWatcher(self, clock)
        self.watcher.activity.connect(self._activity)
        self.watcher.technician_requested.connect(self.technician_requested)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.watcher)
        self._unsubscribe = session.subscribe(self.bridge.publish)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(lambda: self.send(Tick(now=self._clock())))
        if tick:
            self.tick_timer.start()
        self.show_view(session.view)

    def warm_up(self) -> None:
        """Polish and lay out every page once, one page per event-loop turn, so that the first
        visit of a page does not stall the GUI (stylesheets are applied lazily on first show)."""
        pending = [page for page in self.pages.values() if page is not self.stack.currentWidget()]
        self.warming = True

        def next_page() -> None:
            if not pending:
                self.warming = False
                return
            page = pending.pop()
            if page is self.stack.currentWidget():  # shown for real meanwhile: leave it be
                QTimer.singleShot(0, self, next_page)
                return
            page.resize(self.stack.size())
            page.show_view(SessionView(screen=page.screen_id, language=self._languages[0]))
            page.grab()
            QTimer.singleShot(0, self, next_page)  # dropped if the window is gone meanwhile

        QTimer.singleShot(0, self, next_page)

    def set_speaker(self, speaker: Speaker | None) -> None:
        """Speak prompts through ``speaker`` from now on; every prompt is synthesised ahead."""
        self.speaker = speaker
        if speaker is not None:
            keys = sorted(k for k in self._catalog.keys() if k.startswith("prompt_"))  # noqa: SIM118
            speaker.prepare(
                (self._catalog.text(key, language), language)
                for language in self._languages
                for key in keys
            )

    def attach(self, session: SessionPort, feed: CameraFeed | None = None) -> None:
        """Hand the window to another session (the engine, once the kiosk has started)."""
        self._unsubscribe()
        self._session = session
        if feed is not None:
            for page in self.pages.values():
                if isinstance(page, ScanPageBase):
                    page.set_feed(feed)
        self._unsubscribe = session.subscribe(self.bridge.publish)
        self.show_view(session.view)

    @property
    def current_view(self) -> SessionView | None:
        return self._view

    @property
    def current_screen(self) -> Screen | None:
        return self._view.screen if self._view else None

    @property
    def current_page(self) -> ScreenPage:
        page = self.stack.currentWidget()
        assert isinstance(page, ScreenPage)
        return page

    def send(self, intent: Intent) -> None:
        if not isinstance(intent, Tick):
            log.debug("intent %s", type(intent).__name__)
        self._session.send(intent)

    def show_view(self, view: SessionView) -> None:
        previous = self._view
        if previous is not None and view.seq < previous.seq:
            return  # an older view overtaken by a newer one
        self._view = view
        page = self.pages[view.screen]
        self._apply_text_size(view.large_text)
        opened = (
            previous is None
            or previous.screen != view.screen
            or self.stack.currentWidget() is not page
        )
        if opened:
            old = self.stack.currentWidget()
            if isinstance(old, ScreenPage) and old is not page and previous is not None:
                old.left()
            self.stack.setCurrentWidget(page)
            page.entered()
        page.show_view(view)
        self._render_chrome(view)
        self._render_overlays(view, previous)
        if previous is not None and (opened or previous.language != view.language):
            self.speak_prompt()
        self.screen_shown.emit(view.screen.value)

    def _apply_text_size(self, large: bool) -> None:
        if large == self._large:
            return
        self._large = large
        # Font rules on the stack win over the application's for every page inside it.
        sheet = font_rules(self._metrics, large=True) if large else ""
        for widget in (self.stack, self.staff_overlay, self.overlay):
            widget.setStyleSheet(sheet)

    def prompt_text(self) -> str:
        """What the current screen says aloud (fixed catalogue texts, never personal data)."""
        view = self._view
        if view is None:
            return ""
        if view.warning_seconds_left is not None:
            return self._catalog.text("prompt_warning", view.language)
        if view.staff_called_at is not None:
            return self._catalog.text("prompt_staff_called", view.language)
        return self.current_page.prompt(view)

    def speak_prompt(self) -> None:
        view = self._view
        if self.speaker is not None and view is not None:
            self.speaker.say(self.prompt_text(), view.language)

    def _render_chrome(self, view: SessionView) -> None:
        language = view.language
        t = self._catalog.text
        self.header.title.setText(self._title)
        bar = self.help_bar
        bar.home.setText(t("home", language))
        # Nothing to cancel on the attract loop, and a print under way is not cancelled.
        bar.home.setVisible(view.screen not in (Screen.ATTRACT, Screen.PRINTING))
        bar.language.setText(t("lang_toggle", language))
        bar.language.setAccessibleName(t("lang_toggle_hint", language))
        bar.language.setVisible(len(self._languages) > 1)
        bar.call_staff.setText(t("call_staff", language))
        bar.listen.setText(t("listen", language))
        bar.listen.setEnabled(self.speaker is not None)
        bar.large_text.setText(t("text_normal" if view.large_text else "text_large", language))

    def _render_overlays(self, view: SessionView, previous: SessionView | None) -> None:
        language = view.language
        t = self._catalog.text
        called = view.staff_called_at
        if called is None:
            self.staff_overlay.hide()
        else:
            overlay = self.staff_overlay
            overlay.title.setText(t("staff_call_title", language))
            overlay.body.setText(t("staff_call_body", language))
            when = local_time_text(called, self._office_tz, self._wallclock())
            overlay.when.setText(t("staff_call_when", language, time=when))
            overlay.close_button.setText(t("staff_call_close", language))
            overlay.show()
            overlay.place()
            if previous is not None and previous.staff_called_at is None and self.speaker:
                self.speaker.say(t("prompt_staff_called", language), language)
        seconds = view.warning_seconds_left
        if seconds is None:
            self.overlay.hide()
            return
        self.overlay.title.setText(t("warning_title", language))
        self.overlay.countdown.setText(t("warning_countdown", language, n=max(0, seconds)))
        self.overlay.still_here.setText(t("warning_still_here", language))
        self.overlay.show()
        self.overlay.place()
        if previous is not None and previous.warning_seconds_left is None and self.speaker:
            self.speaker.say(t("prompt_warning", language), language)

    def _toggle_large_text(self) -> None:
        large = self._view.large_text if self._view else False
        self.send(SetLargeText(not large))

    def _toggle_language(self) -> None:
        current = self._view.language if self._view else self._languages[0]
        index = self._languages.index(current) if current in self._languages else -1
        self.send(SetLanguage(self._languages[(index + 1) % len(self._languages)]))

    def _activity(self) -> None:
        if self._view is None or self._view.screen is Screen.ATTRACT:
            return  # the attract page sends its own Touch
        now = self._clock()
        if now - self._last_activity >= ACTIVITY_MIN_INTERVAL_S:
            self._last_activity = now
            self.send(StillHere())  # counts as activity anywhere, changes no screen

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        place = bar_place(size)
        self.help_bar.arrange(place, size.width())
        rail = place is BarPlace.RAIL
        self.header.setVisible(not rail)  # a 16:9 panel's height is for the pages
        self.body.setDirection(
            QBoxLayout.Direction.LeftToRight if rail else QBoxLayout.Direction.TopToBottom
        )
        super().resizeEvent(event)
        for overlay in (self.staff_overlay, self.overlay):
            if not overlay.isHidden():  # shown (the window itself may not be, yet)
                overlay.place()

    def shutdown(self) -> None:
        """Stop timers and the camera, unsubscribe from the engine. Idempotent."""
        self.tick_timer.stop()
        self._unsubscribe()
        self._unsubscribe = lambda: None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.watcher)
        page = self.stack.currentWidget()
        if isinstance(page, ScreenPage):
            page.left()
        if self.speaker is not None:
            self.speaker.stop()
