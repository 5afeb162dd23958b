"""Whole sessions through build_kiosk: the registry simulator over HTTP, the real renderer,
the simulated printers writing virtual paper, faults injected through the device manager."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakes.kiosks import fast_sim_config

from devices.faults import Fault
from kiosk.audit import verify_log
from kiosk.bootstrap import Kiosk, build_kiosk
from kiosk.config.models import KioskConfig
from kiosk.engine.journal import TxState
from kiosk.engine.view import (
    Back,
    ChooseDocument,
    ChooseMenu,
    ChooseService,
    CodeScanned,
    Confirm,
    EnterPin,
    MenuOption,
    Screen,
    SessionView,
    Touch,
)
from kiosk.registry.client import RegistryClient
from kiosk.registry_sim.server import RunningSimulator, start_in_thread

pytestmark = pytest.mark.slow
KIOSKS = {"KIOSK-SIM-01": "sim-kiosk-key", "KIOSK-SIM-02": "sim-kiosk-key-2"}
_NIK = re.compile(r"[0-9]{16}")


@pytest.fixture(scope="module")
def base_config() -> KioskConfig:
    return fast_sim_config()


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[RunningSimulator]:
    running = start_in_thread(
        db_path=tmp_path / "registry.sqlite", seed=7, families=6, kiosks=KIOSKS
    )
    yield running
    running.stop()


def make_kiosk(
    config: KioskConfig, sim: RunningSimulator, state_dir: Path, kiosk_id: str = "KIOSK-SIM-01"
) -> Kiosk:
    if kiosk_id != config.registry.kiosk_id:
        registry = config.registry.model_copy(update={"kiosk_id": kiosk_id})
        simulator = config.simulator.model_copy(update={"kiosk_key": KIOSKS[kiosk_id]})
        config = config.model_copy(update={"registry": registry, "simulator": simulator})
    kiosk = build_kiosk(config, simulate=True, state_dir=state_dir, registry_url=sim.url)
    kiosk.start(background=False)
    return kiosk


@pytest.fixture
def kiosk(base_config: KioskConfig, sim: RunningSimulator, tmp_path: Path) -> Iterator[Kiosk]:
    running = make_kiosk(base_config, sim, tmp_path / "kiosk")
    yield running
    running.stop()


def ready(sim: RunningSimulator, docs: tuple[str, ...] = ("kk", "biodata")) -> dict[str, Any]:
    return next(v for v in sim.list_vouchers() if v["status"] == "ready" and v["doc"] in docs)


def drive(kiosk: Kiosk, *intents: Any, timeout: float = 60.0) -> SessionView:
    for intent in intents:
        kiosk.session.send(intent)
    assert kiosk.session.wait_idle(timeout)
    return kiosk.session.view


def to_confirm(kiosk: Kiosk, voucher: dict[str, Any]) -> SessionView:
    view = drive(
        kiosk,
        Touch(),
        ChooseMenu(MenuOption.PRINT),
        CodeScanned(voucher["token"], "qr"),
        EnterPin(voucher["pin"]),
    )
    assert view.screen is Screen.CONFIRM, view
    return view


def paper(kiosk: Kiosk) -> list[Path]:
    root = kiosk.paper_dir
    return sorted(p for p in root.rglob("*.pdf")) if root.exists() else []


def test_print_session_commits_once_and_leaves_nothing_personal(
    kiosk: Kiosk, sim: RunningSimulator
) -> None:
    voucher = ready(sim)
    view = to_confirm(kiosk, voucher)
    assert view.document is not None and view.document.vid == voucher["vid"]
    view = drive(kiosk, Confirm())
    assert view.screen is Screen.DONE, view
    assert sim.voucher_state(voucher["vid"])["status"] == "printed"
    assert paper(kiosk), "the simulated printer put out no paper"
    for path in kiosk.state_dir.rglob("*"):
        assert not _NIK.search(path.name), path
    [record] = kiosk.journal.recent()
    assert record.state is TxState.COMMITTED
    view = drive(kiosk, Confirm())
    assert view.screen is Screen.ATTRACT and view.document is None
    assert not kiosk.session.holds_personal_data
    count, problems = verify_log(kiosk.state_dir / "audit")
    assert count >= 2 and problems == []


def test_identify_by_nik_lists_ready_documents(kiosk: Kiosk, sim: RunningSimulator) -> None:
    voucher = ready(sim)
    view = drive(
        kiosk,
        Touch(),
        ChooseMenu(MenuOption.PRINT),
        CodeScanned(voucher["holder_nik"], "code128"),
        EnterPin(voucher["pin"]),
    )
    assert view.screen in (Screen.CONFIRM, Screen.CHOOSE_DOCUMENT), view
    if view.screen is Screen.CHOOSE_DOCUMENT:
        view = drive(kiosk, ChooseDocument(voucher["vid"]))
    assert view.document is not None
    assert voucher["holder_nik"] not in repr(view)


@pytest.mark.parametrize("fault", [Fault.PAPER_OUT, Fault.COVER_OPEN, Fault.OFFLINE])
def test_printer_fault_before_the_job_releases(
    kiosk: Kiosk, sim: RunningSimulator, fault: Fault
) -> None:
    voucher = ready(sim)
    to_confirm(kiosk, voucher)
    kiosk.faults.inject("document", fault)
    view = drive(kiosk, Confirm())
    assert view.screen is Screen.ERROR
    assert view.error is not None and view.error.next_step == "take_queue_ticket"
    assert sim.voucher_state(voucher["vid"])["status"] == "ready"
    assert paper(kiosk) == []


@pytest.mark.parametrize("fault", [Fault.PAPER_OUT, Fault.COVER_OPEN, Fault.OFFLINE])
def test_printer_fault_after_submit_before_paper_releases(
    kiosk: Kiosk, sim: RunningSimulator, fault: Fault
) -> None:
    """The printer stops after taking the job but before a page is out: release, queue."""
    voucher = ready(sim)
    to_confirm(kiosk, voucher)
    original = kiosk.transaction.pause

    def fault_after_submit(step: str) -> None:
        if step == "submitted":
            kiosk.faults.inject("document", fault)
        original(step)

    kiosk.transaction.pause = fault_after_submit
    view = drive(kiosk, Confirm())
    assert view.error is not None and view.error.next_step == "take_queue_ticket", view
    assert sim.voucher_state(voucher["vid"])["status"] == "ready"
    [record] = kiosk.journal.recent()
    assert record.state is TxState.RELEASED and record.job_id is not None
    assert paper(kiosk) == []


def test_paper_out_mid_job_is_suspect_with_page_one_out(
    kiosk: Kiosk, sim: RunningSimulator
) -> None:
    """A two-page biodata; the paper runs out after page 1: a page came out, so SUSPECT."""
    voucher = ready(sim, ("biodata",))
    to_confirm(kiosk, voucher)
    kiosk.faults.inject("document", Fault.PAPER_OUT_MID_JOB)
    assert kiosk.devices.can_print("a4")  # nothing shows until the paper really runs out
    view = drive(kiosk, Confirm())
    assert view.error is not None and view.error.code == "PRINT_OUTCOME_UNKNOWN", view
    [record] = kiosk.journal.recent()
    assert record.state is TxState.SUSPECT and record.pages == 2
    assert [p.name for p in paper(kiosk)] == ["job-000001-p01.pdf"]  # page 2 never came out
    assert sim.voucher_state(voucher["vid"])["status"] == "reserved"  # neither spent nor freed
    assert kiosk.outbox.depth() == 0
    assert kiosk.devices.print_problem("a4") == "PRINTER_PAPER_OUT"
    kiosk.faults.clear("document", Fault.PAPER_OUT_MID_JOB)  # the technician refills
    assert kiosk.devices.can_print("a4")


def test_a_lost_print_job_answer_prints_once_and_commits(
    kiosk: Kiosk, sim: RunningSimulator
) -> None:
    """Print-Job reached the printer, its answer did not: the driver finds the job by its
    title instead of sending it again."""
    voucher = ready(sim, ("kk",))
    to_confirm(kiosk, voucher)
    kiosk.faults.inject("document", Fault.LOST_ANSWER)
    try:
        view = drive(kiosk, Confirm())
    finally:
        kiosk.faults.clear("document", Fault.LOST_ANSWER)
    assert view.screen is Screen.DONE, view
    assert [p.name for p in paper(kiosk)] == ["job-000001-p01.pdf"]  # one job, one page
    assert sim.voucher_state(voucher["vid"])["status"] == "printed"


def test_a_completed_job_without_a_page_count_is_suspect(
    kiosk: Kiosk, sim: RunningSimulator
) -> None:
    voucher = ready(sim, ("kk",))
    to_confirm(kiosk, voucher)
    kiosk.faults.inject("document", Fault.PAGES_UNKNOWN)
    view = drive(kiosk, Confirm())
    [record] = kiosk.journal.recent()
    assert record.state is TxState.SUSPECT, (record.state, record.reason)
    assert view.error is not None and view.error.code == "PRINT_OUTCOME_UNKNOWN"
    assert sim.voucher_state(voucher["vid"])["status"] == "reserved"  # neither spent nor freed


def test_unknown_job_outcome_is_suspect(kiosk: Kiosk, sim: RunningSimulator) -> None:
    voucher = ready(sim)
    to_confirm(kiosk, voucher)
    kiosk.transaction.print_timeout_s = 1.0
    kiosk.faults.inject("document", Fault.UNKNOWN_OUTCOME)
    view = drive(kiosk, Confirm())
    assert view.error is not None and view.error.code == "PRINT_OUTCOME_UNKNOWN"
    assert sim.voucher_state(voucher["vid"])["status"] in ("reserved", "ready")
    [record] = kiosk.journal.recent()
    assert record.state is TxState.SUSPECT
    assert kiosk.outbox.depth() == 0  # never released automatically


def test_registry_outage_during_commit_is_delivered_later(
    kiosk: Kiosk, sim: RunningSimulator
) -> None:
    voucher = ready(sim)
    to_confirm(kiosk, voucher)
    original = kiosk.transaction.pause

    def outage_at_commit(step: str) -> None:
        if step == "printed":
            sim.set_outage(True)
        original(step)

    kiosk.transaction.pause = outage_at_commit
    view = drive(kiosk, Confirm())
    assert view.screen is Screen.DONE
    assert kiosk.outbox.depth() == 1
    assert sim.voucher_state(voucher["vid"])["status"] == "reserved"
    sim.set_outage(False)
    assert kiosk.outbox.flush(10.0)
    assert sim.voucher_state(voucher["vid"])["status"] == "printed"
    assert len(paper(kiosk)) >= 1


class LosingTransport(httpx.BaseTransport):
    """Delivers each request to the real simulator; loses the first commit's response."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.lost = 0
        self.commit_keys: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path.endswith("/commit"):
            self.commit_keys.append(request.headers.get("Idempotency-Key", ""))
            if not self.lost:
                self.lost += 1
                response.read()
                response.close()
                raise httpx.ReadTimeout("response lost", request=request)
        return response


def test_lost_commit_response_is_retried_under_the_same_key(
    kiosk: Kiosk, sim: RunningSimulator, base_config: KioskConfig
) -> None:
    transport = LosingTransport()
    settings = base_config.registry.model_copy(update={"url": sim.url, "retries": 0})
    lossy = RegistryClient(settings, key="sim-kiosk-key", transport=transport)
    kiosk.outbox.registry = lossy
    try:
        voucher = ready(sim)
        to_confirm(kiosk, voucher)
        assert drive(kiosk, Confirm()).screen is Screen.DONE
        assert kiosk.outbox.flush(10.0)
    finally:
        lossy.close()
    assert transport.lost == 1
    assert len(transport.commit_keys) >= 2 and len(set(transport.commit_keys)) == 1
    assert sim.voucher_state(voucher["vid"])["status"] == "printed"


def test_same_voucher_twice_prints_once(kiosk: Kiosk, sim: RunningSimulator) -> None:
    voucher = ready(sim)
    to_confirm(kiosk, voucher)
    assert drive(kiosk, Confirm()).screen is Screen.DONE
    drive(kiosk, Confirm())
    view = drive(
        kiosk,
        Touch(),
        ChooseMenu(MenuOption.PRINT),
        CodeScanned(voucher["token"], "qr"),
        EnterPin(voucher["pin"]),
    )
    assert view.error is not None and view.error.code == "VOUCHER_ALREADY_PRINTED"
    assert len(kiosk.journal.recent()) == 1


def test_two_kiosks_at_once_print_exactly_once(
    base_config: KioskConfig, sim: RunningSimulator, tmp_path: Path
) -> None:
    voucher = ready(sim)
    first = make_kiosk(base_config, sim, tmp_path / "k1", "KIOSK-SIM-01")
    second = make_kiosk(base_config, sim, tmp_path / "k2", "KIOSK-SIM-02")
    try:
        to_confirm(first, voucher)
        to_confirm(second, voucher)
        barrier = threading.Barrier(2)
        views: dict[str, SessionView] = {}

        def confirm(name: str, kiosk: Kiosk) -> None:
            barrier.wait()
            views[name] = drive(kiosk, Confirm())

        threads = [
            threading.Thread(target=confirm, args=("a", first)),
            threading.Thread(target=confirm, args=("b", second)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        screens = sorted(v.screen.value for v in views.values())
        assert screens == ["done", "error"], views
        assert len(paper(first)) + len(paper(second)) >= 1
        printed_by = [k for k in (first, second) if paper(k)]
        assert len(printed_by) == 1
        assert sim.voucher_state(voucher["vid"])["status"] == "printed"
    finally:
        first.stop()
        second.stop()


def test_queue_ticket_works_while_the_registry_is_down(kiosk: Kiosk, sim: RunningSimulator) -> None:
    sim.set_outage(True)
    assert kiosk.heartbeat.beat() is False
    view = drive(kiosk, Touch())
    assert view.menu[MenuOption.PRINT] is False
    assert view.menu[MenuOption.QUEUE] is True
    view = drive(kiosk, ChooseMenu(MenuOption.QUEUE))
    assert view.screen is Screen.SERVICE and view.services
    view = drive(kiosk, ChooseService(view.services[0].code))
    assert view.screen is Screen.TICKET and view.ticket is not None
    assert view.ticket.printed
    sim.set_outage(False)
    assert kiosk.heartbeat.beat() is True
    view = drive(kiosk, Back(), Touch())
    assert view.menu[MenuOption.PRINT] is True


def test_metrics_endpoint_reports_sessions(
    base_config: KioskConfig, sim: RunningSimulator, tmp_path: Path
) -> None:
    before = {t.name for t in threading.enumerate()}
    kiosk = build_kiosk(base_config, simulate=True, state_dir=tmp_path / "m", registry_url=sim.url)
    kiosk.start()
    try:
        voucher = ready(sim)
        to_confirm(kiosk, voucher)
        drive(kiosk, Confirm(), Confirm())
        port = kiosk.metrics.port
        assert port
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        kiosk.stop()
    assert 'kiosk_sessions_total{outcome="printed"} 1.0' in text
    assert 'kiosk_print_transactions_total{doc="' in text
    assert "kiosk_outbox_depth 0.0" in text
    assert 'kiosk_device_state{device="document",state="idle"} 1.0' in text
    assert 'kiosk_blanko_cards{device="card"}' in text
    assert 'kiosk_paper_level{device="document",level="ok"} 1.0' in text
    # every thread the kiosk started (devices, workers, session, outbox, heartbeat, metrics)
    # is gone; the simulator's own request threads belong to the test
    leftover = {t.name for t in threading.enumerate()} - before - {"AnyIO worker thread"}
    assert leftover == set()
