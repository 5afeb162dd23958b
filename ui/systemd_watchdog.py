"""Feeds systemd from the GUI thread: READY=1 when the attract screen first shows, then
WATCHDOG=1 from a timer on the Qt main loop.

The watchdog timer runs on the main loop on purpose: if the GUI thread hangs, the pings stop
and systemd (``WatchdogSec=``) restarts the kiosk. Wire it in ``kiosk run`` with
``SystemdWatchdog(ui.window)`` after :func:`ui.app.build_ui`; without ``NOTIFY_SOCKET`` it
does nothing.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.engine.view import Screen
from kiosk.sd_notify import SystemdNotifier
from ui.window import KioskWindow

log = logging.getLogger(__name__)


class SystemdWatchdog(QObject):
    ready_sent = Signal()

    def __init__(self, window: KioskWindow, notifier: SystemdNotifier | None = None) -> None:
        super().__init__(window)
        self.notifier = notifier or SystemdNotifier.from_env()
        self.pings = 0
        self._ready = False
        self.timer = QTimer(self)
        interval = self.notifier.watchdog_interval_s
        if interval is not None:
            self.timer.setInterval(max(100, int(interval * 1000)))
            self.timer.timeout.connect(self._ping)
        self._window = window
        if self.notifier.enabled:
            window.screen_shown.connect(self._screen_shown)
            # The attract screen may already be current: check once the main loop runs
            # (after the window is shown).
            QTimer.singleShot(0, self, self._check_current)

    def _check_current(self) -> None:
        if self._window.current_screen is Screen.ATTRACT and self._window.isVisible():
            self._screen_shown(Screen.ATTRACT.value)

    @property
    def ready(self) -> bool:
        return self._ready

    def _screen_shown(self, screen: str) -> None:
        if self._ready or screen != Screen.ATTRACT.value:
            return
        self._ready = True
        self.notifier.ready("attract screen shown")
        log.info("told systemd the kiosk is ready")
        self.ready_sent.emit()
        if self.notifier.watchdog_interval_s is not None:
            self._ping()
            self.timer.start()

    def _ping(self) -> None:
        if self.notifier.watchdog():
            self.pings += 1

    def stop(self) -> None:
        self.timer.stop()
        if self._ready:
            self.notifier.stopping()
