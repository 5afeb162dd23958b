"""pytest-qt hygiene for the UI tests: offscreen platform, no leaked threads or windows."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.engine.view import Intent, Screen, SessionView, Tick
from ui.i18n.catalog import Catalog
from ui.theme import TouchMetrics, stylesheet
from ui.window import KioskWindow

Listener = Callable[[SessionView], None]


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

    def sent(self, kind: type[Any] | None = None) -> list[Intent]:
        """Intents sent so far, without Ticks; only ``kind`` if given."""
        with self._lock:
            intents = list(self.intents)
        return [
            i for i in intents if not isinstance(i, Tick) and (kind is None or isinstance(i, kind))
        ]


@pytest.fixture(autouse=True)
def _no_leaks(qapp: QApplication) -> Iterator[None]:
    threads_before = {t.ident for t in threading.enumerate()}
    widgets_before = set(map(id, QApplication.topLevelWidgets()))
    yield
    for widget in QApplication.topLevelWidgets():
        if id(widget) not in widgets_before and widget.isVisible():
            widget.close()
    QApplication.processEvents()
    leaked = [t for t in threading.enumerate() if t.ident not in threads_before and t.is_alive()]
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
    )
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()
