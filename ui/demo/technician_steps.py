"""The technician part of the demo: the hidden gesture, the PIN, the dashboard, device checks.

Uses the technician screens (``ui.technician``) through the same hook the kiosk uses; if they
are not installed the demo's report still carries the device health table.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk.engine.view import Screen
from ui.demo.driver import DemoDriver, DemoError
from ui.touch_watcher import CORNER_TAPS

SIMULATOR_TECHNICIAN_PIN = "246810"  # config/simulator.toml (simulator only)


def _overlay(d: DemoDriver) -> QWidget | None:
    return d.window.findChild(QWidget, "technician_overlay")


def _visible(d: DemoDriver, name: str) -> bool:
    widget = d.window.findChild(QWidget, name)
    return widget is not None and widget.isVisible()


def technician_checks(d: DemoDriver) -> None:
    d.scenario("The technician: hidden gesture, PIN, device status and health checks")
    d.wait_screen(Screen.ATTRACT)
    corner = QPoint(4, 4)
    target = d.window.childAt(corner) or d.window
    for _ in range(CORNER_TAPS):
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(d.window, corner))
        d.pump(20)
    d.wait_until(lambda: _visible(d, "technician_overlay"), 10.0, "the technician screen")
    d.pump(50)
    d.shot("Five taps in the top-left corner: technician PIN", "technician")
    d.type_digits("tech_pin", SIMULATOR_TECHNICIAN_PIN)
    d.click("tech_pin_ok")
    d.wait_until(lambda: _visible(d, "tech_dashboard"), 15.0, "the technician dashboard")
    d.pump(50)
    d.shot("Technician dashboard", "technician")
    pages = (
        ("status", "Device status, live"),
        ("health", "Health checks"),
        ("readers", "Code readers: the camera and each scanner, with its last read"),
        ("suspect", "SUSPECT transactions waiting for a decision"),
    )
    for page, caption in pages:
        try:
            d.click(f"tech_nav_{page}")
        except DemoError:
            continue
        d.pump(300)
        if page == "health":
            d.click("tech_health_internal")
            d.pump(2000)  # the checks run on the devices' workers; give them time to answer
        d.shot(caption, "technician")
    d.click("tech_close")
    d.wait_until(lambda: not _visible(d, "technician_overlay"), 10.0, "the kiosk again")
