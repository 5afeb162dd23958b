"""Technician screens follow the citizen UI's touch rules: targets >= 15 mm, text >= 24 pt."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from tests.ui.technician.conftest import enter_pin
from ui.technician.overlay import TECH_TARGET_MM, TechnicianOverlay
from ui.theme import BODY_PT, TouchMetrics, mm_to_px


def visible(root: QWidget, kind: type[QWidget]) -> list[QWidget]:
    return [w for w in root.findChildren(kind) if w.isVisible()]


def check_page(overlay: TechnicianOverlay, metrics: TouchMetrics) -> list[str]:
    problems = []
    target = mm_to_px(TECH_TARGET_MM, metrics.dpi)  # trained staff: 15 mm (citizens: 24 mm)
    for button in visible(overlay, QPushButton):
        if min(button.width(), button.height()) < target:
            problems.append(f"{button.objectName()} is {button.width()}x{button.height()} px")
    for widget in [*visible(overlay, QPushButton), *visible(overlay, QLabel)]:
        if widget.font().pointSizeF() < BODY_PT:
            problems.append(f"{widget.objectName()} text is {widget.font().pointSizeF()} pt")
    return problems


def test_every_technician_page_meets_the_touch_rules(qtbot, overlay, metrics) -> None:  # type: ignore[no-untyped-def]
    problems = [f"pin: {p}" for p in check_page(overlay, metrics)]
    enter_pin(qtbot, overlay, "246810")
    qtbot.waitUntil(lambda: overlay.top.currentIndex() == 1, timeout=10_000)
    for name in overlay.pages:
        overlay.show_page(name)
        qtbot.waitUntil(lambda: not overlay.runner.busy, timeout=30_000)
        problems += [f"{name}: {p}" for p in check_page(overlay, metrics)]
    overlay.show_page("status")
    assert problems == []
