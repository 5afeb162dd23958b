"""READY=1 when the attract screen shows, WATCHDOG=1 from the Qt main loop (real socket)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.engine.view import Screen
from kiosk.sd_notify import SystemdNotifier
from ui.systemd_watchdog import SystemdWatchdog
from ui.window import KioskWindow


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.setblocking(False)
    yield path, sock
    sock.close()


def received(sock: socket.socket) -> list[bytes]:
    out = []
    while True:
        try:
            out.append(sock.recv(4096))
        except BlockingIOError:
            return out


def test_ready_then_watchdog_pings(qtbot, window: KioskWindow, listener) -> None:  # type: ignore[no-untyped-def]
    path, sock = listener
    notifier = SystemdNotifier(path, watchdog_usec=400_000)  # ping every 200 ms
    assert window.current_screen is Screen.ATTRACT
    watchdog = SystemdWatchdog(window, notifier)
    with qtbot.waitSignal(watchdog.ready_sent, timeout=5000):
        pass
    qtbot.waitUntil(lambda: watchdog.pings >= 3, timeout=5000)
    watchdog.stop()
    messages = received(sock)
    assert messages[0] == b"READY=1\nSTATUS=attract screen shown"
    assert messages[1:] and set(messages[1:-1]) == {b"WATCHDOG=1"}
    assert messages[-1] == b"STOPPING=1"


def test_ready_waits_for_the_attract_screen(qtbot, window, show, listener) -> None:  # type: ignore[no-untyped-def]
    path, sock = listener
    show(screen=Screen.MENU)
    watchdog = SystemdWatchdog(window, SystemdNotifier(path))
    qtbot.wait(50)  # let the deferred first check run: nothing is sent on the menu
    assert not watchdog.ready and received(sock) == []
    with qtbot.waitSignal(watchdog.ready_sent, timeout=5000):
        show(screen=Screen.ATTRACT)
    assert received(sock) == [b"READY=1\nSTATUS=attract screen shown"]
    watchdog.stop()


def test_outside_systemd_it_does_nothing(qtbot, window: KioskWindow) -> None:  # type: ignore[no-untyped-def]
    watchdog = SystemdWatchdog(window, SystemdNotifier(None))
    assert not watchdog.ready and not watchdog.timer.isActive()
