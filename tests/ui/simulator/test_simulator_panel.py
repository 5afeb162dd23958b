"""The simulator panel driven by clicks: vouchers to the camera, faults, scenarios, paper."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from fakes.sim_kiosk import click
from PySide6.QtWidgets import QApplication

from devices.faults import Fault
from devices.model import PaperLevel
from kiosk.bootstrap import Kiosk
from kiosk.engine.view import Cancel, Screen
from kiosk.registry.errors import RegistryError
from printing.tickets.diagnostic import diagnostic_ticket
from ui.app import build_ui
from ui.simulator.panel import SimulatorPanel

_NIK = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")


def ready_voucher(panel: SimulatorPanel, qtbot) -> dict:  # type: ignore[no-untyped-def,type-arg]
    qtbot.waitUntil(lambda: bool(panel.vouchers.vouchers), timeout=10_000)
    return next(v for v in panel.vouchers.vouchers if v["status"] == "ready")


def test_voucher_list_masks_the_nik(qtbot, panel: SimulatorPanel) -> None:  # type: ignore[no-untyped-def]
    ready_voucher(panel, qtbot)
    table = panel.vouchers.table
    assert table.rowCount() == len(panel.vouchers.vouchers) > 0
    cells = [table.item(r, c).text() for r in range(table.rowCount()) for c in range(5)]
    assert not any(_NIK.search(text) for text in cells)
    assert all("*" in table.item(r, 4).text() for r in range(table.rowCount()))
    assert not panel.vouchers.present_qr.isEnabled()  # nothing selected yet


@pytest.mark.parametrize(
    "button", ["sim_present_qr", "sim_present_nik", "sim_scan_wedge", "sim_scan_serial"]
)
def test_presented_code_reaches_the_citizen_flow(  # type: ignore[no-untyped-def]
    qtbot, qapp: QApplication, sim_kiosk: Kiosk, button: str
) -> None:
    ui = build_ui(sim_kiosk, sim_kiosk.config, app=qapp, simulate=True, windowed=True, tick=False)
    qtbot.addWidget(ui.top)
    panel = ui.panel
    assert isinstance(panel, SimulatorPanel)
    camera = sim_kiosk.devices.get("camera")
    try:
        ui.top.show()
        qtbot.waitExposed(ui.top)
        qtbot.waitUntil(lambda: not ui.window.warming)  # a quick scan could outrun the warm-up
        click(qtbot, ui.window, "attract_start")
        qtbot.waitUntil(lambda: ui.window.current_screen is Screen.MENU, timeout=10_000)
        click(qtbot, ui.window, "menu_print")
        qtbot.waitUntil(lambda: ui.window.current_screen is Screen.SCAN, timeout=10_000)
        voucher = ready_voucher(panel, qtbot)
        panel.vouchers.select(voucher["vid"])
        click(qtbot, panel, button)
        qtbot.waitUntil(lambda: ui.window.current_screen is Screen.PIN, timeout=20_000)
    finally:
        camera.remove()  # type: ignore[union-attr]
        sim_kiosk.session.send(Cancel())
        qtbot.waitUntil(lambda: ui.window.current_screen is Screen.ATTRACT, timeout=10_000)
        panel.shutdown()
        ui.shutdown()


def test_inject_and_clear_paper_out(qtbot, panel: SimulatorPanel, sim_kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    receipt = sim_kiosk.devices.get("receipt")
    assert receipt is not None
    label = panel.faults.state_labels["receipt"]
    panel.tabs.setCurrentWidget(panel.faults)
    click(qtbot, panel, "sim_fault_receipt_paper_out")
    qtbot.waitUntil(lambda: receipt.status.paper is PaperLevel.OUT, timeout=10_000)
    qtbot.waitUntil(lambda: "paper out" in label.text(), timeout=10_000)
    assert not sim_kiosk.devices.can_issue_tickets()
    click(qtbot, panel, "sim_fault_receipt_paper_out")
    qtbot.waitUntil(lambda: receipt.status.paper is not PaperLevel.OUT, timeout=10_000)
    qtbot.waitUntil(lambda: "paper out" not in label.text(), timeout=10_000)
    assert Fault.PAPER_OUT not in receipt.active_faults()  # type: ignore[attr-defined]
    _wait_transient_threads(qtbot)


def _wait_transient_threads(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: not any(t.name == "sim-receipt-status" for t in threading.enumerate()),
        timeout=10_000,
    )


def test_registry_outage_toggle(qtbot, panel: SimulatorPanel, sim_kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    panel.tabs.setCurrentWidget(panel.faults)
    click(qtbot, panel, "sim_registry_outage")
    try:
        with pytest.raises(RegistryError):
            sim_kiosk.registry.health()
    finally:
        click(qtbot, panel, "sim_registry_outage")
    assert sim_kiosk.registry.health().latency_ms >= 0
    click(qtbot, panel, "sim_registry_latency_500")
    assert sim_kiosk.registry.health().latency_ms >= 500
    click(qtbot, panel, "sim_registry_latency_0")
    assert panel.faults.latency[0].isChecked() and not panel.faults.latency[500].isChecked()


def test_shipped_scenarios_are_listed_and_load(qtbot, panel: SimulatorPanel) -> None:  # type: ignore[no-untyped-def]
    tab = panel.scenario
    panel.tabs.setCurrentWidget(tab)
    names = [tab.files.item(i).text() for i in range(tab.files.count())]
    assert {"paper-out-mid-session.toml", "registry-outage.toml"} <= set(names)
    tab.files.setCurrentRow(names.index("registry-outage.toml"))
    assert tab.path.text().endswith("registry-outage.toml")
    click(qtbot, panel, "sim_scenario_run")
    assert tab.runner is not None and tab.total_steps == 4
    click(qtbot, panel, "sim_scenario_stop")
    assert tab.runner is None


def test_a_typed_scenario_runs(  # type: ignore[no-untyped-def]
    qtbot, panel: SimulatorPanel, sim_kiosk: Kiosk, tmp_path: Path
) -> None:
    script = tmp_path / "near-end.toml"
    script.write_text(
        '[[step]]\nat_s = 0\ntarget = "document"\nfault = "paper_near_end"\n'
        '[[step]]\nat_s = 0.1\ntarget = "document"\nfault = "paper_near_end"\naction = "clear"\n'
        '[[step]]\nat_s = 0.1\ntarget = "registry"\nfault = "error_rate"\nvalue = 0\n',
        encoding="utf-8",
    )
    tab = panel.scenario
    panel.tabs.setCurrentWidget(tab)
    qtbot.keyClicks(tab.path, str(script))
    click(qtbot, panel, "sim_scenario_run")
    qtbot.waitUntil(lambda: tab.finished, timeout=10_000)
    qtbot.waitUntil(lambda: "3/3 steps applied (finished)" in tab.status.text(), timeout=5000)
    document = sim_kiosk.devices.get("document")
    assert Fault.PAPER_NEAR_END not in document.active_faults()  # type: ignore[union-attr]
    tab.stop()


def test_a_broken_scenario_is_refused(qtbot, panel: SimulatorPanel, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text('[[step]]\nat_s = 0\ntarget = "receipt"\nfault = "on_fire"\n')
    tab = panel.scenario
    panel.tabs.setCurrentWidget(tab)
    qtbot.keyClicks(tab.path, str(bad))
    click(qtbot, panel, "sim_scenario_run")
    assert tab.status.text().startswith("not loaded:") and "on_fire" in tab.status.text()
    assert tab.runner is None


def test_virtual_paper_newest_first(qtbot, panel: SimulatorPanel, sim_kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    panel.tabs.setCurrentWidget(panel.paper)
    job = diagnostic_ticket("PANEL TEST", "virtual paper", "ADM-PANEL-TEST")
    outcome = sim_kiosk.devices.call("receipt", lambda d: d.print_raw(job, 10.0), timeout_s=20)
    assert outcome.state.value == "completed"
    newest = max(sim_kiosk.paper_dir.rglob("*.png"), key=lambda p: p.stat().st_mtime)
    qtbot.waitUntil(
        lambda: bool(panel.paper.sheets) and panel.paper.sheets[0].path == newest, timeout=10_000
    )
    assert panel.paper.list.count() == len(panel.paper.sheets)
    assert not panel.paper.sheets[0].thumb.isNull()


def test_voucher_statuses_refresh_when_the_tab_is_shown(  # type: ignore[no-untyped-def]
    qtbot, panel: SimulatorPanel, sim_kiosk: Kiosk
) -> None:
    voucher = ready_voucher(panel, qtbot)
    verified = sim_kiosk.registry.verify_voucher(voucher["token"], voucher["pin"])
    sim_kiosk.registry.reserve(verified.vid, verified.verification, "panel-refresh-test")
    panel.tabs.setCurrentWidget(panel.faults)
    panel.tabs.setCurrentWidget(panel.vouchers)
    qtbot.waitUntil(
        lambda: (
            {v["vid"]: v["status"] for v in panel.vouchers.vouchers}[voucher["vid"]] == "reserved"
        ),
        timeout=10_000,
    )
