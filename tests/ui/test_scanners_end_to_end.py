"""The scan screen takes codes from every reader: a keyboard-wedge and a serial scanner on the
real kiosk (bootstrap in simulator mode, scanners simulated at the wire, real drivers), with a
voucher the registry simulator issued, and refused reads shown to the citizen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.kiosk_ui import kiosk_on_screen
from fakes.kiosks import fast_sim_config

from devices.faults import Fault
from kiosk.bootstrap import Kiosk
from kiosk.engine.view import ChooseMenu, MenuOption, Screen, Touch
from ui.app import KioskUI
from ui.i18n.catalog import Catalog

pytestmark = pytest.mark.slow


@pytest.fixture
def running(qtbot, qapp, tmp_path: Path) -> Iterator[tuple[Kiosk, KioskUI]]:  # type: ignore[no-untyped-def]
    config = fast_sim_config(families=3)
    with kiosk_on_screen(qtbot, qapp, config, tmp_path, background=False) as running:
        yield running


def _to_scan(qtbot, kiosk: Kiosk, ui: KioskUI) -> None:  # type: ignore[no-untyped-def]
    kiosk.session.send(Touch())
    kiosk.session.send(ChooseMenu(MenuOption.PRINT))
    qtbot.waitUntil(lambda: ui.window.current_screen is Screen.SCAN, timeout=10_000)


def test_a_wedge_scan_opens_the_pin_screen(qtbot, running) -> None:  # type: ignore[no-untyped-def]
    kiosk, ui = running
    wedge = kiosk.devices.get("wedge")
    assert wedge is not None and wedge.transport in ("replay", "uinput")  # type: ignore[attr-defined]
    voucher = next(v for v in kiosk.simulator.list_vouchers() if v["status"] == "ready")
    _to_scan(qtbot, kiosk, ui)
    wedge.scan(voucher["token"])  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: ui.window.current_screen is Screen.PIN, timeout=10_000)


def test_half_a_code_asks_to_scan_again_and_noise_is_refused(qtbot, running) -> None:  # type: ignore[no-untyped-def]
    kiosk, ui = running
    catalog = Catalog(strict=True)
    page = ui.window.pages[Screen.SCAN]
    _to_scan(qtbot, kiosk, ui)
    serial = kiosk.devices.get("serial")
    kiosk.faults.inject("serial", Fault.HALF_CODE)
    serial.scan("3201014508900001")  # type: ignore[union-attr]
    expected = catalog.text("scan_incomplete", "id")
    qtbot.waitUntil(lambda: page.notice.text() == expected, timeout=10_000)  # type: ignore[attr-defined]
    kiosk.faults.clear("serial", Fault.HALF_CODE)
    kiosk.faults.inject("wedge", Fault.GARBAGE)
    kiosk.devices.get("wedge").scan("3201014508900001")  # type: ignore[union-attr]
    expected = catalog.text("scan_unreadable", "id")
    qtbot.waitUntil(lambda: page.notice.text() == expected, timeout=10_000)  # type: ignore[attr-defined]
    kiosk.faults.clear("wedge", Fault.GARBAGE)
    assert ui.window.current_screen is Screen.SCAN
    serial.scan("3201014508900001")  # type: ignore[union-attr]  # a NIK barcode: identify
    qtbot.waitUntil(lambda: ui.window.current_screen is Screen.PIN, timeout=10_000)


def test_a_scan_while_no_scan_screen_is_shown_does_nothing(qtbot, running) -> None:  # type: ignore[no-untyped-def]
    kiosk, ui = running
    voucher = next(v for v in kiosk.simulator.list_vouchers() if v["status"] == "ready")
    kiosk.devices.get("wedge").scan(voucher["token"])  # type: ignore[union-attr]
    wedge_read = lambda: {r.reader: r for r in kiosk.scan.last_reads()}["wedge"]  # noqa: E731
    qtbot.waitUntil(lambda: wedge_read().at is not None, timeout=10_000)
    assert ui.window.current_screen is Screen.ATTRACT
