"""The paper-out-mid-session scenario really strikes: a two-page job, page 1 out, page 2 not.

Its steps are applied in their order (without waiting out their times) to a simulated kiosk
whose document printer is the real CUPS driver in front of the virtual IPP printer.
"""

from __future__ import annotations

from pathlib import Path

from fakes.kiosks import started_kiosk

from kiosk.config import repo_root
from kiosk.engine.journal import TxState
from kiosk.engine.view import ChooseMenu, CodeScanned, Confirm, EnterPin, MenuOption, Screen, Touch
from kiosk.scenario import Scenario, apply_step

SCENARIO = repo_root() / "config" / "scenarios" / "paper-out-mid-session.toml"


def test_paper_out_mid_session_fires_on_a_two_page_document(tmp_path: Path) -> None:
    scenario = Scenario.load(SCENARIO)
    injects = [s for s in scenario.step if s.action == "inject"]
    clears = [s for s in scenario.step if s.action == "clear"]
    with started_kiosk(tmp_path / "kiosk") as kiosk:
        assert kiosk.faults is not None
        voucher = next(
            v
            for v in kiosk.simulator.list_vouchers()
            if v["status"] == "ready" and v["doc"] == "biodata"
        )
        for step in injects:
            apply_step(step, kiosk.faults, kiosk.simulator)
        session = kiosk.session
        for intent in (
            Touch(),
            ChooseMenu(MenuOption.PRINT),
            CodeScanned(voucher["token"], "qr"),
            EnterPin(voucher["pin"]),
        ):
            session.send(intent)
        assert session.wait_idle(60) and session.view.screen is Screen.CONFIRM
        session.send(Confirm())
        assert session.wait_idle(60)
        view = session.view
        assert view.error is not None and view.error.code == "PRINT_OUTCOME_UNKNOWN", view
        [record] = kiosk.journal.recent()
        assert record.state is TxState.SUSPECT and record.pages == 2
        pages = sorted(p.name for p in (kiosk.paper_dir / "documents").glob("*.pdf"))
        assert pages == ["job-000001-p01.pdf"]  # the fault struck between page 1 and page 2
        assert kiosk.simulator.voucher_state(voucher["vid"])["status"] == "reserved"
        assert kiosk.devices.print_problem("a4") == "PRINTER_PAPER_OUT"
        for step in clears:
            apply_step(step, kiosk.faults, kiosk.simulator)
        assert kiosk.devices.can_print("a4")  # the refill at 60 s ends it
