"""The demo's "out of paper mid-session" step, run on its own: the fault must strike while the
two-page biodata prints (after Confirm), so page 1 is out and the print is SUSPECT; injected
before Confirm it would only show a printer that is out of paper (what the demo once did)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.kiosk_ui import kiosk_on_screen
from fakes.kiosks import fast_sim_config

from kiosk.bootstrap import Kiosk
from kiosk.engine.journal import TxState
from ui.app import KioskUI, create_application
from ui.demo.driver import DemoDriver
from ui.demo.script import Walkthrough

pytestmark = pytest.mark.slow


@pytest.fixture
def running(qtbot, qapp, tmp_path: Path) -> Iterator[tuple[Kiosk, KioskUI]]:  # type: ignore[no-untyped-def]
    sheet, font = qapp.styleSheet(), qapp.font()
    create_application()  # the demo's font and style sheet (its size checks measure them)
    config = fast_sim_config(page_delay_ms=1500, families=3)
    try:
        with kiosk_on_screen(qtbot, qapp, config, tmp_path / "state", background=False) as running:
            yield running
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)


def test_the_demo_runs_out_of_paper_after_confirm_with_page_one_out(  # type: ignore[no-untyped-def]
    qapp, running, tmp_path: Path
) -> None:
    kiosk, ui = running
    out = tmp_path / "demo"
    out.mkdir()
    driver = DemoDriver(qapp, ui.window, ui.top, out)
    walk = Walkthrough(driver, kiosk, out)
    walk.paper_out()
    [record] = [r for r in kiosk.journal.recent() if r.doc == "biodata"]
    assert record.state is TxState.SUSPECT, record.reason
    assert record.pages == 2 and record.pages_out == 1
    assert kiosk.simulator.voucher_state(record.vid)["status"] != "ready"  # never released
    assert driver.current.ok, driver.current.note
    labels = {label for label, _ in driver.current.artefacts}
    assert labels == {"what came out (page 1 of 2)", "ticket"}  # and the handover ticket
