"""Showing the attract screen at once, while the kiosk itself starts behind it.

Starting a kiosk (registry client, devices opening, journal recovery, in simulator mode the
registry simulator) takes seconds; the attract loop needs none of it. :class:`StartingSession`
stands in for the engine until it is ready: it shows ATTRACT and keeps the last few intents (a
touch, a language choice) to hand to the real session. :class:`KioskStarter` builds the kiosk on
a worker thread and reports back on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.engine.view import (
    CallStaff,
    Intent,
    Screen,
    SessionView,
    SetLanguage,
    SetLargeText,
    Tick,
    Touch,
)
from ui.session_port import ViewListener

log = logging.getLogger(__name__)

# What is worth handing on to the real session; ticks and the rest are not.
KEPT_INTENTS = (Touch, SetLanguage, SetLargeText, CallStaff)


class StartingSession:
    """A SessionPort showing ATTRACT until the real session takes over."""

    def __init__(self, language: str = "id") -> None:
        self._view = SessionView(screen=Screen.ATTRACT, language=language)
        self._lock = threading.Lock()
        self._pending: list[Intent] = []

    @property
    def view(self) -> SessionView:
        return self._view

    def send(self, intent: Intent) -> None:
        if isinstance(intent, Tick) or not isinstance(intent, KEPT_INTENTS):
            return
        with self._lock:
            self._pending = [i for i in self._pending if type(i) is not type(intent)]
            self._pending.append(intent)

    def subscribe(self, listener: ViewListener) -> Callable[[], None]:
        return lambda: None  # this view never changes

    def take_pending(self) -> list[Intent]:
        with self._lock:
            pending, self._pending = self._pending, []
        return pending


class KioskStarter(QObject):
    """Runs ``build`` on a worker thread; ``ready(kiosk)`` or ``failed(reason)`` on the GUI's."""

    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, build: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._thread: threading.Thread | None = None
        self.result: Any = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kiosk-start", daemon=True)
        self._thread.start()

    def join(self, timeout_s: float = 60.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        try:
            self.result = self._build()
        except Exception as exc:
            log.exception("the kiosk could not start")
            self.failed.emit(type(exc).__name__)
            return
        self.ready.emit(self.result)
