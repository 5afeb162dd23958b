"""In-app lockdown: no way out of the kiosk through the application.

- :class:`BreakoutFilter`, an application event filter that swallows window-manager and
  breakout key combinations (Alt+F4, Alt+Tab, Ctrl+Alt+..., Super/Meta, Ctrl+W/Q, F11, ...)
  and every context menu request;
- :func:`install_crash_handlers`: an unhandled exception on any thread is logged (redacted by
  the root handler), nothing internal is shown, and the process exits non-zero so the
  supervisor (systemd ``Restart=always``) starts a clean kiosk;
- :func:`apply_kiosk_window_flags`: frameless full screen at the screen's size from the first
  frame, cursor hidden on touch panels, and a :class:`FullScreenGuard` that refuses to close
  and brings a minimised window back (no title bar, so no close or minimise button either).

The UI has no file, print or colour dialog anywhere (a test checks the source for them).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

EXIT_CRASH = 70  # EX_SOFTWARE: the supervisor restarts the kiosk

_K = Qt.Key
_M = Qt.KeyboardModifier

# Keys swallowed whatever the modifiers.
ALWAYS_BLOCKED: frozenset[int] = frozenset(
    {
        _K.Key_Meta.value,
        _K.Key_Super_L.value,
        _K.Key_Super_R.value,
        _K.Key_Hyper_L.value,
        _K.Key_Hyper_R.value,
        _K.Key_Menu.value,
        _K.Key_Escape.value,
        _K.Key_F11.value,
        _K.Key_Print.value,
        _K.Key_SysReq.value,
        _K.Key_PowerOff.value,
        _K.Key_Sleep.value,
        _K.Key_Suspend.value,
        _K.Key_LaunchMedia.value,
        _K.Key_Explorer.value,
        _K.Key_HomePage.value,
        _K.Key_WWW.value,
        _K.Key_Search.value,
        _K.Key_Close.value,
        *(k.value for k in (getattr(_K, f"Key_F{i}") for i in range(1, 36))),
    }
)
CTRL_BLOCKED: frozenset[int] = frozenset(
    k.value
    for k in (
        _K.Key_W,
        _K.Key_Q,
        _K.Key_N,
        _K.Key_T,
        _K.Key_O,
        _K.Key_P,
        _K.Key_S,
        _K.Key_R,
        _K.Key_L,
        _K.Key_Tab,
        _K.Key_Escape,
        _K.Key_Plus,
        _K.Key_Minus,
        _K.Key_Equal,
        _K.Key_0,
    )
)


def is_breakout(key: int, modifiers: Qt.KeyboardModifier) -> bool:
    """True for a key combination a citizen could use to leave or disturb the kiosk."""
    if key in ALWAYS_BLOCKED:
        return True
    if modifiers & (_M.MetaModifier | _M.AltModifier):
        return True  # Alt+F4, Alt+Tab, Alt+Esc, Super+anything, Ctrl+Alt+Del/F1..F12/Backspace
    return bool(modifiers & _M.ControlModifier) and key in CTRL_BLOCKED


_KEY_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
)
_SWALLOWED = frozenset({QEvent.Type.ContextMenu, QEvent.Type.WhatsThis, QEvent.Type.QueryWhatsThis})


class BreakoutFilter(QObject):
    """Installed on the QApplication; counts what it swallowed (for the technician log)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.swallowed = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _SWALLOWED:
            self.swallowed += 1
            return True
        if (
            kind in _KEY_EVENTS
            and isinstance(event, QKeyEvent)
            and is_breakout(event.key(), event.modifiers())
        ):
            self.swallowed += 1
            event.accept()
            return True
        return False


class FullScreenGuard(QObject):
    """Keeps the production window where it is: a close request (from the compositor, or a key
    combination that got past :class:`BreakoutFilter`) is refused, and a minimised window is
    shown full screen again. :meth:`release` it before closing the window on purpose."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.released = False
        self.refused = 0
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._window or self.released:
            return False
        kind = event.type()
        if kind == QEvent.Type.Close:
            event.ignore()
            self.refused += 1
            log.warning("refused to close the kiosk window")
            return True
        if kind == QEvent.Type.WindowStateChange and (
            self._window.windowState() & Qt.WindowState.WindowMinimized
        ):
            QTimer.singleShot(0, self, self._restore)
        return False

    def _restore(self) -> None:
        if not self.released and self._window.windowState() & Qt.WindowState.WindowMinimized:
            log.warning("the kiosk window was minimised: back to full screen")
            self._window.setWindowState(Qt.WindowState.WindowFullScreen)

    def release(self) -> None:
        self.released = True


def apply_kiosk_window_flags(
    window: QWidget, *, fullscreen: bool, hide_cursor: bool
) -> FullScreenGuard | None:
    """Frameless full screen (with its guard, returned) or a plain window (None)."""
    window.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    guard = None
    if fullscreen:
        window.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        screen = QApplication.primaryScreen()
        if screen is not None:  # the first frame at the screen's size, not Qt's default 2/3
            window.setGeometry(screen.geometry())
        window.setWindowState(Qt.WindowState.WindowFullScreen)
        guard = FullScreenGuard(window)
    if hide_cursor:
        QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
    return guard


Terminate = Callable[[int], None]


def _hard_exit(code: int) -> None:
    for handler in logging.getLogger().handlers:
        with contextlib.suppress(Exception):  # best effort while dying
            handler.flush()
    os._exit(code)


class CrashHandler:
    """Unhandled exceptions: log with the traceback, show nothing, exit ``EXIT_CRASH``."""

    def __init__(self, terminate: Terminate = _hard_exit) -> None:
        self._terminate = terminate
        self._previous_sys = sys.excepthook
        self._previous_thread = threading.excepthook
        self.crashes = 0

    def install(self) -> None:
        sys.excepthook = self.sys_hook
        threading.excepthook = self.thread_hook

    def uninstall(self) -> None:
        sys.excepthook = self._previous_sys
        threading.excepthook = self._previous_thread

    def sys_hook(
        self,
        kind: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
    ) -> None:
        self._crash("main thread", kind, value, tb)

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        self._crash(f"thread {name}", args.exc_type, args.exc_value, args.exc_traceback)

    def _crash(
        self,
        where: str,
        kind: type[BaseException],
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.crashes += 1
        log.critical(
            "unhandled %s in %s; the kiosk exits for a clean restart",
            kind.__name__,
            where,
            exc_info=(kind, value or kind(), tb),
        )
        self._terminate(EXIT_CRASH)


def install_crash_handlers(terminate: Terminate = _hard_exit) -> CrashHandler:
    handler = CrashHandler(terminate)
    handler.install()
    return handler
