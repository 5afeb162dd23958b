"""pytest-qt hygiene for the UI tests: offscreen platform, no leaked threads or windows."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.engine.view import Intent, Screen, SessionView, StillHere, Tick
from ui.i18n.catalog import Catalog
from ui.theme import TouchMetrics, stylesheet
from ui.window import KioskWindow

Listener = Callable[[SessionView], None]
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # the windows' wall clock: 09:00 WIB, 11:00 WIT


class RecordingSession:
    def __init__(self, view: SessionView | None = None) -> None:
        self._lock = threading.Lock()
        self._view = view or SessionView(screen=Screen.ATTRACT)
        self._listeners: list[Listener] = []
        self.intents: list[Intent] = []

    @property
    def view(self) -> SessionView:
        with self._lock:
            return self._view

    def send(self, intent: Intent) -> None:
        with self._lock:
            self.intents.append(intent)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    @property
    def listener_count(self) -> int:
        with self._lock:
            return len(self._listeners)

    def publish(self, **changes: Any) -> SessionView:
        """A new view with ``changes`` (seq incremented), delivered to every listener."""
        with self._lock:
            self._view = replace(self._view, seq=self._view.seq + 1, **changes)
            view = self._view
            listeners = list(self._listeners)
        for listener in listeners:
            listener(view)
        return view

    def publish_fresh(self, **fields: Any) -> SessionView:
        """A whole new view (fields not given take their defaults), seq incremented."""
        with self._lock:
            self._view = SessionView(**{"screen": Screen.ATTRACT, **fields}, seq=self._view.seq + 1)
            view = self._view
            listeners = list(self._listeners)
        for listener in listeners:
            listener(view)
        return view

    def sent(self, kind: type[Any] | None = None) -> list[Intent]:
        """Intents sent so far, only ``kind`` if given, else all but the background ones
        (Tick, and StillHere which the window sends for any press as activity)."""
        with self._lock:
            intents = list(self.intents)
        if kind is not None:
            return [i for i in intents if isinstance(i, kind)]
        return [i for i in intents if not isinstance(i, Tick | StillHere)]


@pytest.fixture(autouse=True)
def _no_leaks(qapp: QApplication) -> Iterator[None]:
    threads_before = {t.ident for t in threading.enumerate()}
    widgets_before = set(map(id, QApplication.topLevelWidgets()))
    yield
    for widget in QApplication.topLevelWidgets():
        if id(widget) not in widgets_before and widget.isVisible():
            widget.close()
    QApplication.processEvents()
    new = [t for t in threading.enumerate() if t.ident not in threads_before]
    for thread in new:  # told to stop, some end a moment later (anyio's workers of a stopped
        thread.join(timeout=2.0)  # in-process server get their stop from its loop's end)
    leaked = [t for t in new if t.is_alive()]
    assert not leaked, f"leaked threads: {[t.name for t in leaked]}"
    visible = [
        w.objectName() or type(w).__name__
        for w in QApplication.topLevelWidgets()
        if id(w) not in widgets_before and w.isVisible()
    ]
    assert not visible, f"leaked visible windows: {visible}"


@pytest.fixture
def metrics(qapp: QApplication) -> TouchMetrics:
    screen = qapp.primaryScreen()
    return TouchMetrics(dpi=screen.logicalDotsPerInch())


@pytest.fixture
def session() -> RecordingSession:
    return RecordingSession()


@pytest.fixture
def window(qtbot, qapp: QApplication, session: RecordingSession, metrics: TouchMetrics):  # type: ignore[no-untyped-def]
    qapp.setStyleSheet(stylesheet(metrics))
    win = KioskWindow(
        session,
        metrics=metrics,
        catalog=Catalog(strict=True),
        title="ADM Kecamatan Contoh",
        tick=False,
        office_tz=ZoneInfo("Asia/Jayapura"),  # UTC+9: a machine-zone time would show wrong
        wallclock=lambda: NOW,
    )
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()


@pytest.fixture
def show(qtbot, session: RecordingSession, window: KioskWindow):  # type: ignore[no-untyped-def]
    """Publish a view (from the engine's side) and wait until the window shows it."""

    def publish(**fields: Any) -> SessionView:
        view = session.publish_fresh(**fields)
        qtbot.waitUntil(
            lambda: window.current_view is not None and window.current_view.seq == view.seq
        )
        return view

    return publish


def click(qtbot, window: KioskWindow, name: str) -> None:  # type: ignore[no-untyped-def]
    """Click the visible, enabled widget called ``name`` (fails if there is none)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    matches = [w for w in window.findChildren(QPushButton, name) if w.isVisible() and w.isEnabled()]
    assert matches, f"no visible enabled button {name!r}"
    qtbot.mouseClick(matches[0], Qt.MouseButton.LeftButton)


@pytest.fixture
def press(qtbot, window: KioskWindow):  # type: ignore[no-untyped-def]
    def do(*names: str) -> None:
        for name in names:
            click(qtbot, window, name)

    return do


def sample_views() -> dict[str, dict[str, Any]]:
    """One view per screen (and per notable state), with the longest realistic texts."""
    from datetime import timedelta

    from kiosk.domain.documents import DocumentType
    from kiosk.engine.view import (
        AuthenticityView,
        DocumentSummary,
        ErrorView,
        MenuOption,
        PrintProgress,
        PrintStep,
        Priority,
        ServiceView,
        TicketView,
    )

    kk = DocumentSummary("V-KK-1", DocumentType.KK, "BU** SAN***** WI*******")
    akta = DocumentSummary("V-AK-2", DocumentType.AKTA_KELAHIRAN, "AN** PU*** LE******")
    ktp = DocumentSummary("V-KTP-3", DocumentType.KTP, "SI** RA******")
    names = {
        "A": ("Perekaman KTP-el", "KTP-el recording"),
        "B": ("Perubahan Kartu Keluarga", "Family card changes"),
        "C": ("Pindah datang / keluar", "Moving in / out"),
        "D": ("Akta kelahiran dan kematian", "Birth and death registration"),
        "E": ("Konsultasi", "Consultation"),
    }
    services = tuple(
        ServiceView(
            code=code,
            name_id=name_id,
            name_en=name_en,
            available=code != "C",
            unavailable_reason="queue_quota" if code == "C" else None,
            opens="08:00",
            closes="15:00",
            waiting=12,
            estimate_min=35 if code != "E" else None,
            priority_allowed=code != "E",
        )
        for code, (name_id, name_en) in names.items()
    )
    ticket = TicketView(
        ticket_id="20261123-A-042",
        number="A-042",
        service_code="A",
        name_id="Perekaman KTP-el",
        name_en="KTP-el recording",
        issued_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        waiting=11,
        priority=Priority.ELDERLY,
        printed=False,
    )
    menu = {MenuOption.PRINT: True, MenuOption.QUEUE: True, MenuOption.CHECK: True}
    family = (
        DocumentSummary("V-2", DocumentType.KIA, "BU** SAN*****", None, "TI*** MA***** WI*****",
                        "ANAK", 2015),
        DocumentSummary("V-3", DocumentType.AKTA_KELAHIRAN, "BU** SAN*****", None,
                        "TI*** MA***** WI*****", "ANAK", 2015),
        DocumentSummary("V-4", DocumentType.KTP, "SI** RA******", None, None, "ISTRI", 1984),
        DocumentSummary("V-5", DocumentType.BIODATA, "BU** SAN*****", None,
                        "SU****** HA********** PR*****", "FAMILI LAIN", 1949),
        DocumentSummary("V-6", DocumentType.AKTA_KEMATIAN, "BU** SAN*****", None,
                        "AN** PU*** LE******", "ORANG TUA", 1938),
    )  # fmt: skip
    topics = sample_topics()
    queue_topic = next(t for t in topics if t.queue_code == "B")
    return {
        "attract": {"screen": Screen.ATTRACT},
        "menu": {"screen": Screen.MENU, "menu": menu},
        "menu_degraded": {
            "screen": Screen.MENU,
            "menu": {**menu, MenuOption.PRINT: False},
            "notice": "option_unavailable",
        },
        "scan": {"screen": Screen.SCAN, "menu": menu, "notice": "code_not_recognised"},
        "scan_busy": {"screen": Screen.SCAN, "busy": True, "notice": None},
        "nik_entry": {"screen": Screen.NIK_ENTRY, "notice": "nik_invalid"},
        "pin": {"screen": Screen.PIN, "notice": None},
        "pin_wrong": {"screen": Screen.PIN, "attempts_left": 2, "notice": "pin_wrong"},
        "pin_locked": {
            "screen": Screen.PIN,
            "attempts_left": 0,
            "locked_until": NOW + timedelta(minutes=30),
        },
        "choose_document": {"screen": Screen.CHOOSE_DOCUMENT, "choices": (kk, akta, ktp)},
        "choose_none": {"screen": Screen.CHOOSE_DOCUMENT, "choices": ()},
        "confirm": {"screen": Screen.CONFIRM, "document": kk},
        "confirm_card": {"screen": Screen.CONFIRM, "document": ktp},
        "printing": {
            "screen": Screen.PRINTING,
            "busy": True,
            "progress": PrintProgress(PrintStep.PRINTING, 0.6),
        },
        "done": {"screen": Screen.DONE, "document": kk},
        "service": {"screen": Screen.SERVICE, "services": services},
        "ticket": {"screen": Screen.TICKET, "ticket": ticket},
        "check_scan": {"screen": Screen.CHECK_SCAN},
        "check_valid": {
            "screen": Screen.CHECK_RESULT,
            "authenticity": AuthenticityView(
                valid=True,
                reason=None,
                doc=DocumentType.KK,
                document_id="KK-3201-000042",
                issued_on="23-11-2026",
                holder_masked="BU** SAN*****",
            ),
        },
        "check_invalid": {
            "screen": Screen.CHECK_RESULT,
            "authenticity": AuthenticityView(valid=False, reason="claim_bad_signature"),
        },
        "error": {
            "screen": Screen.ERROR,
            "menu": menu,
            "error": ErrorView("PRINTER_PAPER_OUT", "take_queue_ticket", "TX-7F3A21"),
            "handover": services[4],
        },
        "error_closed_counter": {
            "screen": Screen.ERROR,
            "error": ErrorView("PRINT_OUTCOME_UNKNOWN", "contact_officer", "7F3A21C09B2D"),
            "handover": services[2],  # its quota is used up: said on the button, disabled
        },
        "error_locked": {
            "screen": Screen.ERROR,
            "error": ErrorView("VOUCHER_LOCKED", "contact_officer", "R1A2B3C4D"),
            "locked_until": NOW + timedelta(minutes=30),
        },
        "warning": {"screen": Screen.MENU, "menu": menu, "warning_seconds_left": 7},
        "choose_family": {"screen": Screen.CHOOSE_DOCUMENT, "choices": (kk, *family)},
        "done_more": {"screen": Screen.DONE, "document": kk, "choices": family},
        "pin_again": {"screen": Screen.PIN, "notice": "pin_again"},
        "help": {"screen": Screen.HELP, "handover": services[4]},
        "help_no_queue": {"screen": Screen.HELP},
        "info_list": {"screen": Screen.INFO_LIST, "topics": topics},
        "info_queue": {"screen": Screen.INFO, "info": queue_topic, "handover": services[1]},
        "info_document": {"screen": Screen.INFO, "info": topics[1]},
        "survey": {"screen": Screen.SURVEY},
        "staff_called": {
            "screen": Screen.PIN,
            "staff_called_at": datetime(2026, 11, 23, 2, 42, tzinfo=UTC),
        },
    }


def sample_topics() -> tuple[Any, ...]:
    """The service information of the simulator's config: every document and counter service."""
    from kiosk.config.loader import load_config, repo_root
    from kiosk.domain.documents import DocumentType
    from kiosk.engine.service_info import info_topics

    config = load_config(repo_root() / "config" / "simulator.toml")
    return info_topics(config.info, config.queue.services, list(DocumentType))


@pytest.fixture(name="sample_views")
def _sample_views() -> dict[str, dict[str, Any]]:
    return sample_views()
