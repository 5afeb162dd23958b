"""The status page's line beside the devices: free space, SUSPECTs and double prints."""

from __future__ import annotations

from fakes.kiosks import journal_suspect
from fakes.sim_kiosk import click

from kiosk.bootstrap import Kiosk
from kiosk.engine.journal import TxState
from tests.ui.technician.test_technician_screens import idle, login
from ui.technician.decision_pages import SuspectPage
from ui.technician.status_pages import StatusPage


def test_status_shows_space_suspects_and_double_prints(qtbot, overlay, sim_kiosk: Kiosk) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    status = overlay.pages["status"]
    assert isinstance(status, StatusPage)
    qtbot.waitUntil(lambda: "MiB free (floor 64 MiB)" in status.attention.text(), timeout=10_000)
    assert "DOUBLE PRINT" not in status.attention.text()
    conflict = journal_suspect(sim_kiosk)
    sim_kiosk.journal.advance(conflict, TxState.CONFLICT, reason="printed here and elsewhere")
    click(qtbot, overlay, "tech_nav_suspect")
    suspects = overlay.pages["suspect"]
    assert isinstance(suspects, SuspectPage)
    qtbot.waitUntil(lambda: conflict in [r.txid for r in suspects.records], timeout=10_000)
    row = [r.txid for r in suspects.records].index(conflict)
    assert suspects.table.item(row, 3).text() == "conflict"
    idle(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_status")
    qtbot.waitUntil(lambda: "DOUBLE PRINT: 1" in status.attention.text(), timeout=10_000)
    idle(qtbot, overlay)
