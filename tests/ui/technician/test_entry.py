"""The hook ui.app calls on the hidden gesture, and the technician text in the catalog."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.bootstrap import Kiosk
from ui.app import build_ui
from ui.i18n.catalog import MESSAGES
from ui.i18n.technician_text import TECHNICIAN_TEXT
from ui.technician.entry import technician_overlay
from ui.technician.overlay import PAGE_TYPES, TechnicianOverlay

TECH_ROOT = Path(__file__).resolve().parents[3] / "ui" / "technician"


def test_gesture_opens_one_overlay_over_the_kiosk_window(
    qtbot, qapp: QApplication, sim_kiosk: Kiosk
) -> None:  # type: ignore[no-untyped-def]
    ui = build_ui(sim_kiosk, sim_kiosk.config, app=qapp, simulate=False, windowed=True, tick=False)
    qtbot.addWidget(ui.top)
    try:
        ui.top.show()
        qtbot.waitExposed(ui.top)
        ui.window.technician_requested.emit()
        overlay = ui.window.findChild(TechnicianOverlay, "technician_overlay")
        assert overlay is not None and overlay.isVisible()
        assert overlay.geometry() == ui.window.rect()
        assert overlay.top.currentWidget() is overlay.pin_page
        overlay.close_technician()
        ui.window.technician_requested.emit()
        assert technician_overlay(ui.window, sim_kiosk, sim_kiosk.config) is overlay
        assert len(ui.window.findChildren(TechnicianOverlay)) == 1
        overlay.shutdown()
    finally:
        ui.shutdown()


def test_technician_keys_are_in_the_catalog_in_both_languages() -> None:
    assert set(TECHNICIAN_TEXT) <= set(MESSAGES)
    pattern = re.compile(r"""\bt\(\s*["'](tech_[a-z0-9_]+)["']""")
    used: set[str] = set()
    for path in TECH_ROOT.rglob("*.py"):
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert len(used) > 40
    used |= {page.nav_key for page in PAGE_TYPES}
    used |= {f"tech_print_{kind}" for kind in ("ticket", "a4", "card")}
    assert used - set(MESSAGES) == set()
    for key in used:
        assert MESSAGES[key]["id"].strip() and MESSAGES[key]["en"].strip()
