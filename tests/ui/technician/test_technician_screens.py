"""Technician screens driven by clicks on object names, against a simulated kiosk."""

from __future__ import annotations

import threading

import pytest
from fakes.kiosks import journal_suspect
from fakes.sim_kiosk import click
from PySide6.QtCore import Qt

from devices.faults import Fault
from devices.model import PaperLevel
from devices.ports import CodeFormat
from kiosk.bootstrap import Kiosk
from kiosk.engine.journal import TxState
from kiosk.technician import TechState
from tests.ui.technician.conftest import Clock, enter_pin
from ui.technician.decision_pages import QueuePage, SuspectPage
from ui.technician.overlay import TechnicianOverlay
from ui.technician.readers_page import ReadersPage
from ui.technician.service_pages import PrintsPage, RegistryPage
from ui.technician.status_pages import HealthPage, StatsPage, StatusPage

PIN = "246810"  # config/simulator.toml


def login(qtbot, overlay: TechnicianOverlay) -> None:  # type: ignore[no-untyped-def]
    enter_pin(qtbot, overlay, PIN)
    qtbot.waitUntil(lambda: overlay.top.currentIndex() == 1, timeout=10_000)


def idle(qtbot, overlay: TechnicianOverlay) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not overlay.runner.busy, timeout=30_000)


def test_right_pin_opens_the_dashboard_with_live_status(qtbot, overlay, sim_kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    assert overlay.isVisible() and overlay.top.currentWidget() is overlay.pin_page
    assert not overlay.pin_page.ok.isEnabled()
    login(qtbot, overlay)
    status = overlay.pages["status"]
    assert isinstance(status, StatusPage)
    assert status.table.rowCount() == len(sim_kiosk.devices.names)
    sim_kiosk.devices.inject("receipt", Fault.PAPER_OUT)
    try:
        qtbot.waitUntil(lambda: "paper out" in status.row_for("receipt")[2], timeout=10_000)
    finally:
        sim_kiosk.devices.clear("receipt", Fault.PAPER_OUT)
    qtbot.waitUntil(lambda: "paper out" not in status.row_for("receipt")[2], timeout=10_000)
    _wait_transient_threads(qtbot)


def _wait_transient_threads(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The simulated receipt printer refreshes its status on a short-lived thread."""
    qtbot.waitUntil(
        lambda: not any(t.name == "sim-receipt-status" for t in threading.enumerate()),
        timeout=10_000,
    )


def test_wrong_pins_count_down_then_lock_out(qtbot, overlay, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    page = overlay.pin_page
    for left in (4, 3, 2, 1):
        enter_pin(qtbot, overlay, "111111")
        qtbot.waitUntil(lambda n=left: f"Attempts left: {n}" in page.message.text())
    enter_pin(qtbot, overlay, "111111")
    qtbot.waitUntil(lambda: "Too many wrong PINs" in page.message.text())
    # The lockout shows as soon as the session locks, before the worker's answer reaches the
    # page; until then the page is still "checking" and keeps its keys off whatever the clock.
    qtbot.waitUntil(lambda: page.ok.text() == "Enter")
    assert "15 min 0 s" in page.message.text()
    assert not page.keys["1"].isEnabled()
    clock.now += 900
    page.refresh()
    assert page.keys["1"].isEnabled()
    login(qtbot, overlay)


def test_idle_session_asks_for_the_pin_again(qtbot, overlay, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    clock.now += 900
    qtbot.waitUntil(lambda: overlay.top.currentWidget() is overlay.pin_page, timeout=5000)
    assert "inactivity" in overlay.pin_page.message.text()
    login(qtbot, overlay)


def test_health_checks_fill_the_table(qtbot, overlay) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_health")
    page = overlay.pages["health"]
    assert isinstance(page, HealthPage)
    click(qtbot, overlay, "tech_health_internal")
    qtbot.waitUntil(lambda: page.report is not None, timeout=30_000)
    assert page.report is not None and page.report.ok
    assert page.table.rowCount() == len(page.report.devices) + len(page.report.checks)
    assert page.message.text() == "All healthy"


def test_test_print_ticket(qtbot, overlay, sim_kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_prints")
    page = overlay.pages["prints"]
    assert isinstance(page, PrintsPage)
    before = set(sim_kiosk.paper_dir.rglob("*.png"))
    click(qtbot, overlay, "tech_print_ticket")
    qtbot.waitUntil(lambda: page.last is not None, timeout=30_000)
    assert page.last is not None and page.last.ok, page.last
    assert page.message.text().startswith("Done:")
    assert set(sim_kiosk.paper_dir.rglob("*.png")) - before


def test_resolve_a_suspect_with_confirmation(qtbot, overlay, sim_kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    txid = journal_suspect(sim_kiosk)
    login(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_suspect")
    page = overlay.pages["suspect"]
    assert isinstance(page, SuspectPage)
    qtbot.waitUntil(lambda: txid in [r.txid for r in page.records], timeout=10_000)
    assert not page.printed.isEnabled()
    row = [r.txid for r in page.records].index(txid)
    cell = page.table.visualItemRect(page.table.item(row, 0)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    click(qtbot, overlay, "tech_suspect_not_printed")
    assert page.confirm.isVisible() and txid in page.confirm.question.text()
    assert sim_kiosk.journal.get(txid).state is TxState.SUSPECT  # nothing before the confirmation
    click(qtbot, overlay, "tech_suspect_confirm_yes")
    qtbot.waitUntil(lambda: txid in page.message.text(), timeout=10_000)
    assert txid not in [r.txid for r in page.records]
    assert sim_kiosk.outbox.flush(10.0)
    assert sim_kiosk.journal.get(txid).state is TxState.RELEASED
    entry = [e for e in sim_kiosk.audit.entries() if e["event"] == "technician_action"][-1]
    assert (entry["what"], entry["outcome"]) == ("resolve_not_printed", f"{txid}:releasing")


def test_cancel_leaves_the_suspect_alone(qtbot, overlay, sim_kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    txid = journal_suspect(sim_kiosk)
    login(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_suspect")
    page = overlay.pages["suspect"]
    assert isinstance(page, SuspectPage)
    qtbot.waitUntil(lambda: txid in [r.txid for r in page.records], timeout=10_000)
    page.select(txid)
    click(qtbot, overlay, "tech_suspect_printed")
    click(qtbot, overlay, "tech_suspect_confirm_no")
    assert not page.confirm.isVisible()
    assert sim_kiosk.journal.get(txid).state is TxState.SUSPECT


def test_paper_and_blanko_refill(qtbot, overlay, sim_kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    receipt, card = sim_kiosk.devices.get("receipt"), sim_kiosk.devices.get("card")
    assert receipt is not None and card is not None
    sim_kiosk.devices.inject("receipt", Fault.PAPER_OUT)
    qtbot.waitUntil(lambda: receipt.status.paper is PaperLevel.OUT, timeout=10_000)
    login(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_refill")
    click(qtbot, overlay, "tech_refill_paper_receipt")
    page = overlay.pages["refill"]
    qtbot.waitUntil(lambda: page.message.text() == "Recorded: receipt refilled", timeout=10_000)
    qtbot.waitUntil(lambda: receipt.status.paper is not PaperLevel.OUT, timeout=10_000)
    _wait_transient_threads(qtbot)
    left = card.blanko()[0]  # type: ignore[attr-defined]
    click(qtbot, overlay, "tech_refill_blanko_plus10")
    click(qtbot, overlay, "tech_refill_blanko_plus1")
    click(qtbot, overlay, "tech_refill_blanko_set")
    qtbot.waitUntil(lambda: card.blanko()[0] == left + 11, timeout=10_000)  # type: ignore[attr-defined]
    idle(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_stats")
    stats = overlay.pages["stats"]
    assert isinstance(stats, StatsPage)
    qtbot.waitUntil(lambda: bool(stats.stats), timeout=10_000)
    assert {s.name: s for s in stats.stats}["card"].blanko == (left + 11, 10)


def test_queue_reset_after_confirmation(qtbot, overlay, sim_kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    assert sim_kiosk.desk is not None
    sim_kiosk.desk.issue_and_print("A", None, True)
    login(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_queue")
    page = overlay.pages["queue"]
    assert isinstance(page, QueuePage)
    qtbot.waitUntil(lambda: any(line.waiting for line in page.lines), timeout=10_000)
    click(qtbot, overlay, "tech_queue_reset_A")
    click(qtbot, overlay, "tech_queue_confirm_yes")
    qtbot.waitUntil(lambda: "tickets cancelled" in page.message.text(), timeout=10_000)
    assert {line.code: line.waiting for line in page.lines}["A"] == 0
    _wait_transient_threads(qtbot)


def test_registry_reachability_and_skew(qtbot, overlay) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_registry")
    click(qtbot, overlay, "tech_registry_check")
    page = overlay.pages["registry"]
    assert isinstance(page, RegistryPage)
    qtbot.waitUntil(lambda: page.result is not None, timeout=10_000)
    assert page.message.text().startswith("Reachable:") and "clock skew" in page.message.text()


def test_camera_preview_draws_decoded_codes(qtbot, overlay, sim_kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    camera = sim_kiosk.devices.get("camera")
    camera.present("ADM-TECH-PREVIEW", CodeFormat.QR)  # type: ignore[union-attr]
    try:
        login(qtbot, overlay)
        click(qtbot, overlay, "tech_nav_readers")
        page = overlay.pages["readers"]
        assert isinstance(page, ReadersPage)
        qtbot.waitUntil(lambda: "qr: ADM-TECH-PREVIEW" in page.seen, timeout=15_000)
        assert page.frames_shown > 0 and page.view.marks
        assert len(page.view.marks[0].points) >= 3
        click(qtbot, overlay, "tech_nav_status")
        qtbot.waitUntil(lambda: not any(t.name == "scan-worker" for t in threading.enumerate()))
        sim_kiosk.scan.join()
    finally:
        camera.remove()  # type: ignore[union-attr]


def test_exit_needs_confirmation(qtbot, overlay) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_exit")
    click(qtbot, overlay, "tech_exit")
    with qtbot.waitSignal(overlay.exit_approved, timeout=10_000):
        click(qtbot, overlay, "tech_exit_confirm_yes")


def test_close_logs_out(qtbot, overlay) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    with qtbot.waitSignal(overlay.closed):
        click(qtbot, overlay, "tech_close")
    assert not overlay.isVisible()
    assert overlay.session.state is TechState.LOCKED
    overlay.open()
    assert overlay.top.currentWidget() is overlay.pin_page


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_page_renders_in_both_languages(qtbot, overlay, language: str) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    if overlay.ctx.language != language:
        click(qtbot, overlay, "tech_language")
    for name in overlay.pages:
        click(qtbot, overlay, f"tech_nav_{name}")
        idle(qtbot, overlay)
        assert overlay.nav[name].text()
    click(qtbot, overlay, "tech_nav_status")


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_page_buttons_fit_in_both_orientations(qtbot, overlay, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    host = overlay.parentWidget()
    host.resize(*size)
    login(qtbot, overlay)
    qtbot.waitUntil(lambda: overlay.size() == host.size())
    buttons = [b for b in overlay.nav.values() if b.isVisible()]
    assert buttons
    for button in buttons:
        needed = button.fontMetrics().horizontalAdvance(button.text())
        assert needed <= button.contentsRect().width(), (size, button.text())
    rects = [
        b.geometry().translated(b.parentWidget().mapTo(overlay, b.pos()) - b.pos()) for b in buttons
    ]
    for i, a in enumerate(rects):
        assert overlay.rect().contains(a), (size, buttons[i].text())
        for b in rects[i + 1 :]:
            assert not a.intersects(b)
    content = overlay.content
    assert content.width() >= size[0] * 0.6  # the page keeps most of the width


def test_code_readers_page_shows_each_readers_last_read_masked(
    qtbot, overlay, sim_kiosk: Kiosk
) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_readers")
    page = overlay.pages["readers"]
    assert isinstance(page, ReadersPage)
    assert [row[0] for row in page.rows] == ["camera", "wedge", "serial"]
    assert page.rows[1][2] == "none yet"
    sim_kiosk.devices.get("serial").scan("3201014508900001")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.rows[2][2] != "none yet", timeout=10_000)
    reader, state, read, at = page.rows[2]
    assert (reader, state, read) == ("serial", "idle", "3201********0001")
    assert len(at) == 8 and at.count(":") == 2  # HH:MM:SS, office time
    sim_kiosk.devices.inject("wedge", Fault.HALF_CODE)  # type: ignore[union-attr]
    try:
        sim_kiosk.devices.get("wedge").scan("ADM1.abcdefgh")  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: page.rows[1][2] == "refused: incomplete", timeout=10_000)
    finally:
        sim_kiosk.devices.clear("wedge", Fault.HALF_CODE)
    click(qtbot, overlay, "tech_nav_status")
    qtbot.waitUntil(lambda: not any(t.name == "scan-worker" for t in threading.enumerate()))
    sim_kiosk.scan.join()
