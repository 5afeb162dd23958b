"""Lockdown in the app: breakout keys and context menus swallowed, crashes exit non-zero."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QApplication

from kiosk.engine.view import Screen
from ui.lockdown import EXIT_CRASH, BreakoutFilter, CrashHandler, is_breakout

UI_ROOT = Path(__file__).resolve().parents[2] / "ui"
M = Qt.KeyboardModifier
K = Qt.Key

BREAKOUTS = [
    (K.Key_F4, M.AltModifier),  # Alt+F4
    (K.Key_Tab, M.AltModifier),  # Alt+Tab
    (K.Key_Delete, M.ControlModifier | M.AltModifier),  # Ctrl+Alt+Del
    (K.Key_F2, M.ControlModifier | M.AltModifier),  # switch VT
    (K.Key_Backspace, M.ControlModifier | M.AltModifier),  # kill X
    (K.Key_Meta, M.NoModifier),  # Super
    (K.Key_D, M.MetaModifier),  # Super+D
    (K.Key_W, M.ControlModifier),
    (K.Key_Q, M.ControlModifier),
    (K.Key_F11, M.NoModifier),
    (K.Key_Escape, M.NoModifier),
    (K.Key_Escape, M.ControlModifier),
    (K.Key_Menu, M.NoModifier),
]
HARMLESS = [
    (K.Key_5, M.NoModifier),
    (K.Key_A, M.ShiftModifier),
    (K.Key_Backspace, M.NoModifier),
]


@pytest.mark.parametrize(("key", "modifiers"), BREAKOUTS)
def test_breakout_combinations_are_recognised(key: Qt.Key, modifiers: M) -> None:
    assert is_breakout(key.value, modifiers)


@pytest.mark.parametrize(("key", "modifiers"), HARMLESS)
def test_ordinary_keys_pass(key: Qt.Key, modifiers: M) -> None:
    assert not is_breakout(key.value, modifiers)


def test_filter_swallows_breakouts_before_any_widget_sees_them(qtbot, qapp, window, show) -> None:
    show(screen=Screen.MENU)
    seen: list[int] = []

    blocker = BreakoutFilter()
    qapp.installEventFilter(blocker)
    window.keyPressEvent = lambda event: seen.append(event.key())  # type: ignore[method-assign]
    try:
        for key, modifiers in BREAKOUTS:
            QApplication.sendEvent(window, QKeyEvent(QEvent.Type.KeyPress, key, modifiers))
        QApplication.sendEvent(window, QKeyEvent(QEvent.Type.KeyPress, K.Key_5, M.NoModifier))
        QApplication.sendEvent(
            window,
            QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(10, 10), QPoint(10, 10)),
        )
    finally:
        qapp.removeEventFilter(blocker)
    assert seen == [K.Key_5.value]
    assert blocker.swallowed >= len(BREAKOUTS) + 1  # and the context menu


def test_no_file_print_or_colour_dialog_anywhere_in_the_ui() -> None:
    forbidden = re.compile(r"\bQ(File|Print|PrintPreview|Color|Font|Input)Dialog\b")
    offenders = [
        str(path.relative_to(UI_ROOT))
        for path in UI_ROOT.rglob("*.py")
        if forbidden.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_dialog_widgets_exist_in_a_running_window(window, show, sample_views) -> None:
    from PySide6.QtWidgets import QDialog

    for fields in sample_views.values():
        show(**fields)
    assert [w for w in QApplication.allWidgets() if isinstance(w, QDialog)] == []


def test_crash_handler_logs_and_terminates_with_exit_70(caplog) -> None:
    codes: list[int] = []
    handler = CrashHandler(terminate=codes.append)
    try:
        raise ValueError("NIK 3201014508900001 went wrong")
    except ValueError as exc:
        handler.sys_hook(type(exc), exc, exc.__traceback__)
    assert codes == [EXIT_CRASH]
    assert "unhandled ValueError" in caplog.text


def _run_crashing_app(tmp_path: Path, where: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "crash.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import threading
            from PySide6.QtCore import QTimer
            from PySide6.QtWidgets import QApplication, QLabel
            from kiosk.logs import setup_logging
            from ui.lockdown import install_crash_handlers

            setup_logging("INFO")
            app = QApplication([])
            install_crash_handlers()
            label = QLabel("kiosk")
            label.show()

            def boom():
                raise RuntimeError("secret detail 3201014508900001")

            if {where!r} == "thread":
                QTimer.singleShot(0, lambda: threading.Thread(target=boom).start())
            else:
                QTimer.singleShot(0, boom)
            QTimer.singleShot(5000, lambda: app.exit(0))
            app.exec()
            """
        )
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, env=env
    )


@pytest.mark.parametrize("where", ["slot", "thread"])
def test_unhandled_exception_exits_non_zero_and_logs_redacted(tmp_path, where) -> None:
    result = _run_crashing_app(tmp_path, where)
    assert result.returncode == EXIT_CRASH
    assert "unhandled RuntimeError" in result.stderr
    assert "3201014508900001" not in result.stderr  # the log's redaction filter masked it
    assert "3201********0001" in result.stderr


def test_kiosk_window_flags_frameless_full_screen_and_hidden_cursor(qtbot, qapp) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.lockdown import apply_kiosk_window_flags

    widget = QWidget()
    qtbot.addWidget(widget)
    apply_kiosk_window_flags(widget, fullscreen=True, hide_cursor=True)
    try:
        assert widget.windowFlags() & Qt.WindowType.FramelessWindowHint
        assert widget.windowState() & Qt.WindowState.WindowFullScreen
        assert widget.contextMenuPolicy() is Qt.ContextMenuPolicy.NoContextMenu
        cursor = QApplication.overrideCursor()
        assert cursor is not None and cursor.shape() is Qt.CursorShape.BlankCursor
    finally:
        QApplication.restoreOverrideCursor()


def test_full_screen_window_refuses_to_close_and_comes_back_when_minimised(qtbot, qapp) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.lockdown import apply_kiosk_window_flags

    widget = QWidget()
    qtbot.addWidget(widget)
    guard = apply_kiosk_window_flags(widget, fullscreen=False, hide_cursor=False)
    assert guard is None  # a developer's window closes as usual
    guard = apply_kiosk_window_flags(widget, fullscreen=True, hide_cursor=False)
    assert guard is not None
    screen = qapp.primaryScreen()
    assert widget.geometry() == screen.geometry()  # the first frame already fills the screen
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.close() is False  # refused
    assert widget.isVisible() and guard.refused == 1
    widget.setWindowState(Qt.WindowState.WindowMinimized)
    qtbot.waitUntil(lambda: bool(widget.windowState() & Qt.WindowState.WindowFullScreen))
    assert not widget.windowState() & Qt.WindowState.WindowMinimized
    guard.release()  # a deliberate exit
    assert widget.close() is True
