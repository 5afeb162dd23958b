"""Both citizen flows end to end: the real kiosk (bootstrap in simulator mode: registry
simulator over HTTP, simulated printers and camera, real decoder) driven by clicks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.kiosk_ui import kiosk_on_screen

from devices.ports import CodeFormat
from kiosk.bootstrap import Kiosk
from kiosk.config import load_config
from kiosk.config.loader import repo_root
from kiosk.engine.view import Screen
from ui.app import KioskUI

pytestmark = pytest.mark.slow


@pytest.fixture
def running(qtbot, qapp, tmp_path: Path) -> Iterator[tuple[Kiosk, KioskUI]]:
    config = load_config(repo_root() / "config" / "simulator.toml")
    with kiosk_on_screen(qtbot, qapp, config, tmp_path) as running:
        yield running


def _wait_screen(qtbot, ui: KioskUI, screen: Screen, timeout: int = 20_000) -> None:  # type: ignore[no-untyped-def]
    def shown() -> bool:
        view = ui.window.current_view
        return view is not None and view.screen is screen and not view.busy

    qtbot.waitUntil(shown, timeout=timeout)


def _click(qtbot, ui: KioskUI, *names: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    for name in names:
        buttons = [
            b for b in ui.window.findChildren(QPushButton, name) if b.isVisible() and b.isEnabled()
        ]
        assert buttons, f"no button {name}"
        qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)


def _ready(kiosk: Kiosk, doc: str) -> dict[str, Any]:
    return next(
        v for v in kiosk.simulator.list_vouchers() if v["status"] == "ready" and v["doc"] == doc
    )


def _scan(qtbot, kiosk: Kiosk, ui: KioskUI, text: str, leave: Screen) -> None:  # type: ignore[no-untyped-def]
    camera = kiosk.devices.get("camera")
    camera.present(text, CodeFormat.QR)
    try:
        qtbot.waitUntil(lambda: ui.window.current_screen is not leave, timeout=20_000)
    finally:
        camera.remove()


def test_print_a_document_with_a_voucher(qtbot, running) -> None:
    kiosk, ui = running
    voucher = _ready(kiosk, "kk")
    _wait_screen(qtbot, ui, Screen.ATTRACT)
    _click(qtbot, ui, "attract_tile_print")
    _wait_screen(qtbot, ui, Screen.SCAN)
    _scan(qtbot, kiosk, ui, voucher["token"], Screen.SCAN)
    _wait_screen(qtbot, ui, Screen.PIN)
    _click(qtbot, ui, *(f"pin_key_{d}" for d in voucher["pin"]))  # the sixth digit sends it
    _wait_screen(qtbot, ui, Screen.CONFIRM)
    assert ui.window.current_view.document.doc.value == "kk"  # type: ignore[union-attr]
    _click(qtbot, ui, "confirm_print")
    _wait_screen(qtbot, ui, Screen.DONE, timeout=60_000)
    pages = list((kiosk.paper_dir / "documents").glob("*.pdf"))
    assert len(pages) >= 1
    qtbot.waitUntil(
        lambda: kiosk.simulator.voucher_state(voucher["vid"])["status"] == "printed",
        timeout=20_000,
    )
    _click(qtbot, ui, "done_finish")
    _wait_screen(qtbot, ui, Screen.SURVEY)
    _click(qtbot, ui, "home")  # "Kembali ke awal" skips it too
    _wait_screen(qtbot, ui, Screen.ATTRACT)


def test_queue_ticket_and_registry_outage(qtbot, running) -> None:
    kiosk, ui = running
    kiosk.simulator.set_outage(True)
    voucher = _ready(kiosk, "biodata")
    _click(qtbot, ui, "attract_tile_print")
    _wait_screen(qtbot, ui, Screen.SCAN)
    _scan(qtbot, kiosk, ui, voucher["token"], Screen.SCAN)
    _wait_screen(qtbot, ui, Screen.PIN)
    _click(qtbot, ui, *(f"pin_key_{d}" for d in voucher["pin"]))
    _wait_screen(qtbot, ui, Screen.ERROR, timeout=60_000)
    assert ui.window.current_view.error.code == "REGISTRY_UNAVAILABLE"  # type: ignore[union-attr]
    _click(qtbot, ui, "error_take_ticket")  # one tap: the counter that helps ([handover])
    _wait_screen(qtbot, ui, Screen.TICKET)
    handed = ui.window.current_view.ticket  # type: ignore[union-attr]
    assert handed is not None and handed.number.startswith("E-")
    _click(qtbot, ui, "ticket_finish")
    _wait_screen(qtbot, ui, Screen.SURVEY)
    _click(qtbot, ui, "survey_skip")
    _wait_screen(qtbot, ui, Screen.ATTRACT)
    _click(qtbot, ui, "attract_tile_queue")
    _wait_screen(qtbot, ui, Screen.SERVICE)
    _click(qtbot, ui, "priority_open", "priority_pregnant", "service_D")
    _wait_screen(qtbot, ui, Screen.TICKET)
    ticket = ui.window.current_view.ticket  # type: ignore[union-attr]
    assert ticket is not None and ticket.printed and ticket.number.startswith("D-")
    qtbot.waitUntil(lambda: any((kiosk.paper_dir / "tickets").glob("*.png")), timeout=10_000)
    _click(qtbot, ui, "ticket_finish")
    _wait_screen(qtbot, ui, Screen.SURVEY)
    _click(qtbot, ui, "survey_skip")
    _wait_screen(qtbot, ui, Screen.ATTRACT)
