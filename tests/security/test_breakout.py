"""Kiosk breakout: breakout keys, right clicks and long presses on every citizen screen.

The real kiosk (bootstrap in simulator mode) in the real window as it runs in production
(full screen, the application-wide breakout filter installed by ``build_ui``). Each screen is
reached through the engine with real vouchers; then the usual ways out are tried. After each
screen: the kiosk window is still the one visible top-level window and still the active one,
no popup, menu, dialog or other window exists, the application is not quitting, and the
filter counted what it swallowed. The hidden technician gesture opens its overlay inside the
window, never as a window of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fakes.kiosks import fast_sim_config
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.bootstrap import Kiosk, build_kiosk
from kiosk.engine.view import (
    Back,
    Cancel,
    ChooseMenu,
    ChooseService,
    CodeScanned,
    Confirm,
    EnterPin,
    Finish,
    MenuOption,
    Screen,
    ShowHelp,
    ShowInfo,
    StartManualNik,
    Touch,
)
from ui.app import KioskUI, build_ui

pytestmark = pytest.mark.slow
K, M = Qt.Key, Qt.KeyboardModifier
BREAKOUT_KEYS: list[tuple[Qt.Key, Qt.KeyboardModifier]] = [
    (K.Key_F4, M.AltModifier),  # close window
    (K.Key_Tab, M.AltModifier),  # switch window
    (K.Key_Escape, M.AltModifier),
    (K.Key_Space, M.AltModifier),  # window menu
    (K.Key_Delete, M.ControlModifier | M.AltModifier),
    (K.Key_Backspace, M.ControlModifier | M.AltModifier),  # kill X
    (K.Key_F1, M.ControlModifier | M.AltModifier),  # switch VT
    (K.Key_F2, M.ControlModifier | M.AltModifier),
    (K.Key_T, M.ControlModifier | M.AltModifier),  # terminal
    (K.Key_Escape, M.ControlModifier | M.ShiftModifier),  # task manager
    (K.Key_Escape, M.ControlModifier),
    (K.Key_Escape, M.NoModifier),
    (K.Key_D, M.MetaModifier),  # show desktop
    (K.Key_L, M.MetaModifier),
    (K.Key_W, M.ControlModifier),
    (K.Key_Q, M.ControlModifier),
    (K.Key_N, M.ControlModifier),
    (K.Key_O, M.ControlModifier),
    (K.Key_P, M.ControlModifier),
    (K.Key_S, M.ControlModifier),
    (K.Key_F11, M.NoModifier),
    (K.Key_F10, M.ShiftModifier),  # context menu
    (K.Key_Menu, M.NoModifier),
]
LONE_MODIFIERS = {K.Key_Control.value, K.Key_Alt.value, K.Key_Shift.value, K.Key_AltGr.value}
LONG_PRESS_MS = 800  # longer than Qt's tap-and-hold (700 ms) and a browser's long press


@dataclass
class Running:
    kiosk: Kiosk
    ui: KioskUI
    quitting: list[bool]


@pytest.fixture
def running(qtbot: Any, qapp: QApplication, tmp_path: Path) -> Iterator[Running]:
    config = fast_sim_config(page_delay_ms=2500)
    config = config.model_copy(update={"ui": config.ui.model_copy(update={"fullscreen": True})})
    kiosk = build_kiosk(config, simulate=True, state_dir=tmp_path, serve_metrics=False)
    kiosk.start(background=False)
    ui = None
    quitting: list[bool] = []

    def on_quit() -> None:
        quitting.append(True)

    qapp.aboutToQuit.connect(on_quit)
    try:
        ui = build_ui(kiosk, config, app=qapp, simulate=False, windowed=False, tick=False)
        ui.top.show()
        qtbot.waitExposed(ui.top)
        ui.top.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is ui.top, timeout=5000)
        yield Running(kiosk, ui, quitting)
    finally:
        if ui is not None:
            ui.shutdown()
            ui.top.close()
            ui.top.deleteLater()
        QApplication.processEvents()
        qapp.aboutToQuit.disconnect(on_quit)
        kiosk.stop()


def _visible_top_levels() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def _reset(qtbot: Any, run: Running) -> None:
    session = run.kiosk.session
    for _ in range(4):
        screen = session.view.screen
        if screen is Screen.ATTRACT:
            break
        session.send(Confirm() if screen is Screen.DONE else Cancel())
        assert session.wait_idle(30)
        if session.view.screen is screen:
            session.send(Back())
            assert session.wait_idle(30)
    assert session.view.screen is Screen.ATTRACT
    _wait_shown(qtbot, run, Screen.ATTRACT)


def _wait_shown(qtbot: Any, run: Running, screen: Screen, timeout: int = 30_000) -> None:
    qtbot.waitUntil(lambda: run.ui.window.current_screen is screen, timeout=timeout)


def _send(run: Running, *intents: Any) -> None:
    for intent in intents:
        run.kiosk.session.send(intent)
    assert run.kiosk.session.wait_idle(30)


def _press_keys(target: QWidget) -> None:
    for key, modifiers in BREAKOUT_KEYS:
        QTest.keyClick(target, key, modifiers)
    for key in (K.Key_Meta, K.Key_Super_L):  # a lone Super press opens a desktop's launcher
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, M.MetaModifier))


def _long_presses(qtbot: Any, window: QWidget) -> None:
    """A right click, then a mouse and a finger held down together (away from the corner of
    the technician gesture) for longer than any long-press threshold."""
    spot = QPoint(window.width() - 4, window.height() - 4)
    finger = QPoint(window.width() // 2, window.height() - 4)
    QTest.mouseClick(window, Qt.MouseButton.RightButton, M.NoModifier, spot)
    device = QTest.createTouchDevice()
    QTest.mousePress(window, Qt.MouseButton.LeftButton, M.NoModifier, spot)
    QTest.touchEvent(window, device).press(0, finger, window)
    qtbot.wait(LONG_PRESS_MS)
    QTest.touchEvent(window, device).release(0, finger, window)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, M.NoModifier, spot)


class KeySpy(QObject):
    """Records key events that reach a widget (the filter must have eaten them first)."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            assert isinstance(event, QKeyEvent)
            if event.key() not in LONE_MODIFIERS:  # QTest presses Ctrl, Alt, Shift first
                self.keys.append(event.key())
        return False


def _attack_and_check(qtbot: Any, run: Running, screen: Screen) -> None:
    top = run.ui.top
    swallowed = run.ui.breakout.swallowed
    target = QApplication.focusWidget() or run.ui.window
    spy = KeySpy()
    target.installEventFilter(spy)
    try:
        _press_keys(target)
    finally:
        target.removeEventFilter(spy)
    _long_presses(qtbot, run.ui.window)
    QApplication.processEvents()
    where = f"on {screen.value}"
    assert spy.keys == [], f"{where}: breakout keys reached {type(target).__name__}"
    assert _visible_top_levels() == [top], f"{where}: {_visible_top_levels()}"
    assert QApplication.activePopupWidget() is None, where
    assert QApplication.activeModalWidget() is None, where
    assert QApplication.activeWindow() is top, f"{where}: the kiosk window lost focus"
    assert top.isVisible() and top.windowState() & Qt.WindowState.WindowFullScreen, where
    assert run.quitting == [], f"{where}: the application is quitting"
    assert run.ui.breakout.swallowed - swallowed >= len(BREAKOUT_KEYS), where


def _voucher(run: Running, doc: str | None = None, skip: int = 0) -> dict[str, Any]:
    ready = [
        v
        for v in run.kiosk.simulator.list_vouchers()
        if v["status"] == "ready" and (doc is None or v["doc"] == doc)
    ]
    return ready[skip]


def _two_documents_one_pin(run: Running) -> dict[str, Any]:
    """A NIK holding two ready vouchers under one PIN (the choose-document screen)."""
    vouchers = [v for v in run.kiosk.simulator.list_vouchers() if v["status"] == "ready"]
    by_holder: dict[str, list[dict[str, Any]]] = {}
    for v in vouchers:
        by_holder.setdefault(v["holder_nik"], []).append(v)
    holder = next(vs for vs in by_holder.values() if len(vs) >= 2)
    with run.kiosk.simulator.store.transaction() as db:
        db.execute(
            "UPDATE vouchers SET pin = ? WHERE holder_nik = ?",
            (holder[0]["pin"], holder[0]["holder_nik"]),
        )
    return holder[0]


def _claim(run: Running) -> str:
    vid = _voucher(run)["vid"]
    with run.kiosk.simulator.store.transaction() as db:
        row = db.execute("SELECT envelope FROM vouchers WHERE vid = ?", (vid,)).fetchone()
    found = re.search(r'"verification_qr": "([^"]+)"', row[0])
    assert found is not None
    return found.group(1)


Setup = Callable[[Running], list[Any]]
PRINT = (Touch(), ChooseMenu(MenuOption.PRINT))
SCREENS: list[tuple[Screen, Setup]] = [
    (Screen.ATTRACT, lambda run: []),
    (Screen.MENU, lambda run: [Touch()]),
    (Screen.SCAN, lambda run: [*PRINT]),
    (Screen.NIK_ENTRY, lambda run: [*PRINT, StartManualNik()]),
    (Screen.PIN, lambda run: [*PRINT, CodeScanned(_voucher(run)["token"], "qr")]),
    (
        Screen.CHOOSE_DOCUMENT,
        lambda run: [
            *PRINT,
            CodeScanned((v := _two_documents_one_pin(run))["holder_nik"], "code128"),
            EnterPin(v["pin"]),
        ],
    ),
    (
        Screen.CONFIRM,
        lambda run: [
            *PRINT,
            CodeScanned((v := _voucher(run, "kk"))["token"], "qr"),
            EnterPin(v["pin"]),
        ],
    ),
    (Screen.SERVICE, lambda run: [Touch(), ChooseMenu(MenuOption.QUEUE)]),
    (
        Screen.TICKET,
        lambda run: [Touch(), ChooseMenu(MenuOption.QUEUE), ChooseService("A")],
    ),
    (Screen.CHECK_SCAN, lambda run: [Touch(), ChooseMenu(MenuOption.CHECK)]),
    (
        Screen.CHECK_RESULT,
        lambda run: [Touch(), ChooseMenu(MenuOption.CHECK), CodeScanned(_claim(run), "qr")],
    ),
    (
        Screen.ERROR,
        lambda run: [
            *PRINT,
            CodeScanned((v := _voucher(run, skip=3))["token"], "qr"),
            *[EnterPin(f"{(int(v['pin']) + 1) % 10**6:06d}")] * 3,
        ],
    ),
    (Screen.HELP, lambda run: [*PRINT, ShowHelp()]),
    (Screen.INFO_LIST, lambda run: [Touch(), ShowInfo()]),
    (Screen.INFO, lambda run: [Touch(), ShowInfo(), ShowInfo("queue:A")]),
    (
        Screen.SURVEY,
        lambda run: [Touch(), ChooseMenu(MenuOption.QUEUE), ChooseService("B"), Finish()],
    ),
]


def test_no_way_out_from_any_citizen_screen(qtbot: Any, running: Running) -> None:
    seen: list[Screen] = []
    for screen, setup in SCREENS:
        _reset(qtbot, running)
        _send(running, *setup(running))
        assert running.kiosk.session.view.screen is screen, running.kiosk.session.view
        _wait_shown(qtbot, running, screen)
        _attack_and_check(qtbot, running, screen)
        seen.append(screen)
    # Printing and done: the print takes a few seconds of simulated paper.
    _reset(qtbot, running)
    voucher = _voucher(running, "biodata")
    _send(running, *PRINT, CodeScanned(voucher["token"], "qr"), EnterPin(voucher["pin"]))
    running.kiosk.session.send(Confirm())
    _wait_shown(qtbot, running, Screen.PRINTING)
    _attack_and_check(qtbot, running, Screen.PRINTING)
    assert running.kiosk.session.wait_idle(60)
    _wait_shown(qtbot, running, Screen.DONE)
    _attack_and_check(qtbot, running, Screen.DONE)
    seen += [Screen.PRINTING, Screen.DONE]
    assert set(seen) == set(Screen), set(Screen) - set(seen)
    # The hidden gesture: the technician overlay opens inside the kiosk window.
    window = running.ui.window
    for _ in range(5):
        QTest.mouseClick(window, Qt.MouseButton.LeftButton, M.NoModifier, QPoint(3, 3))
    qtbot.waitUntil(
        lambda: any(w.isVisible() for w in window.findChildren(QWidget, "technician_overlay")),
        timeout=5000,
    )
    _attack_and_check(qtbot, running, Screen.ATTRACT)
