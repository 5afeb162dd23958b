"""Technician actions against a whole simulated kiosk: real devices, journal, registry, audit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fakes.kiosks import journal_suspect

from devices.faults import Fault
from devices.model import HealthLevel, PaperLevel
from kiosk.audit import verify_log
from kiosk.bootstrap import Kiosk
from kiosk.engine.journal import TxState
from kiosk.technician import (
    ActionError,
    NotAuthorized,
    TechnicianActions,
    TechnicianSession,
    TestPrint,
)

SIM_PIN = "246810"  # the simulator config's technician PIN


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def actions(sim_kiosk: Kiosk, clock: Clock) -> Iterator[TechnicianActions]:
    session = TechnicianSession(sim_kiosk.config.technician, sim_kiosk.audit, clock=clock)
    assert session.enter_pin(SIM_PIN).accepted
    acts = TechnicianActions.from_kiosk(sim_kiosk, session)
    yield acts
    acts.close()


def wait_until(predicate: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    event = threading.Event()
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        event.wait(0.02)


def last_action(kiosk: Kiosk) -> dict[str, Any]:
    return [e for e in kiosk.audit.entries() if e["event"] == "technician_action"][-1]


def test_nothing_runs_without_the_pin(sim_kiosk: Kiosk, clock: Clock) -> None:
    session = TechnicianSession(sim_kiosk.config.technician, sim_kiosk.audit, clock=clock)
    acts = TechnicianActions.from_kiosk(sim_kiosk, session)
    try:
        before = sum(1 for _ in sim_kiosk.audit.entries())
        for call in (
            lambda: acts.health(HealthLevel.INTERNAL),
            lambda: acts.test_print(TestPrint.TICKET),
            lambda: acts.reset_queue(None),
            lambda: acts.suspects(),
        ):
            with pytest.raises(NotAuthorized):
                call()
        assert sum(1 for _ in sim_kiosk.audit.entries()) == before
    finally:
        acts.close()


def test_reauth_after_idle_blocks_actions(
    sim_kiosk: Kiosk, actions: TechnicianActions, clock: Clock
) -> None:
    actions.device_status()
    clock.now += sim_kiosk.config.technician.reauth_idle_s
    with pytest.raises(NotAuthorized):
        actions.device_status()


def test_internal_health_is_audited(sim_kiosk: Kiosk, actions: TechnicianActions) -> None:
    report = actions.health(HealthLevel.INTERNAL)
    expected = {"camera", "receipt", "document", "card", "wedge", "serial"}
    assert {d.name for d in report.devices} == expected
    assert report.ok, report.to_dict()
    entry = last_action(sim_kiosk)
    assert (entry["who"], entry["what"], entry["outcome"]) == (
        "technician",
        "health_internal",
        "ok",
    )
    assert verify_log(sim_kiosk.audit.directory)[1] == []


@pytest.mark.parametrize(
    ("kind", "folder"), [(TestPrint.TICKET, "tickets"), (TestPrint.A4, "documents")]
)
def test_test_prints_come_out_on_virtual_paper(
    sim_kiosk: Kiosk, actions: TechnicianActions, kind: TestPrint, folder: str
) -> None:
    before = set(sim_kiosk.paper_dir.rglob("*.png"))
    result = actions.test_print(kind)
    assert result.ok, result.text
    new = set(sim_kiosk.paper_dir.rglob("*.png")) - before
    assert new, f"no new virtual paper for {kind}"
    assert last_action(sim_kiosk)["what"] == f"test_print_{kind.value}"


def test_card_test_print_uses_one_blanko(sim_kiosk: Kiosk, actions: TechnicianActions) -> None:
    left_before = sim_kiosk.devices.get("card").blanko()[0]  # type: ignore[union-attr]
    assert actions.test_print(TestPrint.CARD).ok
    assert sim_kiosk.devices.get("card").blanko()[0] == left_before - 1  # type: ignore[union-attr]


def test_a_failing_test_print_is_reported_and_audited(
    sim_kiosk: Kiosk, actions: TechnicianActions
) -> None:
    sim_kiosk.devices.inject("document", Fault.JAM)
    try:
        result = actions.test_print(TestPrint.A4)
        assert not result.ok and "jam" in result.text.lower(), result.text
        assert last_action(sim_kiosk)["outcome"] == "failed"
    finally:
        sim_kiosk.devices.clear("document", Fault.JAM)


def test_paper_refill_ends_paper_out_and_resets_since_refill(
    sim_kiosk: Kiosk, actions: TechnicianActions
) -> None:
    assert actions.test_print(TestPrint.TICKET).ok
    stats = {s.name: s for s in actions.statistics()}
    assert stats["receipt"].refill.since_refill.get("jobs", 0) >= 1
    sim_kiosk.devices.inject("receipt", Fault.PAPER_OUT)
    receipt = sim_kiosk.devices.get("receipt")
    assert receipt is not None
    wait_until(lambda: receipt.status.paper is PaperLevel.OUT)
    info = actions.refill_paper("receipt")
    assert info.last_refill is not None
    assert all(v == 0 for v in info.since_refill.values())
    assert Fault.PAPER_OUT not in sim_kiosk.devices.get("receipt").active_faults()  # type: ignore[union-attr]
    wait_until(sim_kiosk.devices.can_issue_tickets)
    assert actions.test_print(TestPrint.TICKET).ok
    stats = {s.name: s for s in actions.statistics()}
    assert stats["receipt"].refill.since_refill["jobs"] == 1
    assert last_action(sim_kiosk)["what"] == "test_print_ticket"


def test_blanko_refill_sets_the_stock(sim_kiosk: Kiosk, actions: TechnicianActions) -> None:
    actions.refill_blanko(37)
    card = sim_kiosk.devices.get("card")
    assert card.blanko() == (37, 10)  # type: ignore[union-attr]
    assert {s.name: s for s in actions.statistics()}["card"].blanko == (37, 10)
    assert last_action(sim_kiosk)["what"] == "refill_blanko_37"


def test_refill_of_an_unknown_device_fails(actions: TechnicianActions) -> None:
    with pytest.raises(ActionError):
        actions.refill_paper("toaster")


@pytest.mark.parametrize(("printed", "final"), [(True, "printed"), (False, "ready")])
def test_resolving_a_suspect_reaches_the_registry(
    sim_kiosk: Kiosk, actions: TechnicianActions, printed: bool, final: str
) -> None:
    txid = journal_suspect(sim_kiosk)
    assert txid in [r.txid for r in actions.suspects()]
    record = actions.resolve(txid, printed=printed)
    assert record.state is (TxState.PRINTED if printed else TxState.RELEASING)
    assert sim_kiosk.outbox.flush(10.0)
    done = sim_kiosk.journal.get(txid)
    assert done.state is (TxState.COMMITTED if printed else TxState.RELEASED)
    assert sim_kiosk.simulator.voucher_state(done.vid)["status"] == final
    assert txid not in [r.txid for r in actions.suspects()]
    decision = [e for e in sim_kiosk.audit.entries() if e["event"] == "technician_decision"][-1]
    assert decision["txid"] == txid
    assert last_action(sim_kiosk)["what"] == f"resolve_{'printed' if printed else 'not_printed'}"


def test_resolving_twice_is_refused(sim_kiosk: Kiosk, actions: TechnicianActions) -> None:
    txid = journal_suspect(sim_kiosk)
    actions.resolve(txid, printed=False)
    with pytest.raises(Exception, match="not suspect"):
        actions.resolve(txid, printed=True)
    assert last_action(sim_kiosk)["outcome"] == "failed"
    sim_kiosk.outbox.flush(10.0)


def test_queue_reset_cancels_waiting_tickets(sim_kiosk: Kiosk, actions: TechnicianActions) -> None:
    from kiosk.engine.view import Priority  # noqa: F401 - the desk takes None for regular

    assert sim_kiosk.desk is not None
    sim_kiosk.desk.issue_and_print("B", None, True)
    sim_kiosk.desk.issue_and_print("B", None, True)
    lines = {line.code: line for line in actions.queue_lines()}
    assert lines["B"].waiting >= 2
    assert actions.reset_queue("B") >= 2
    assert {line.code: line for line in actions.queue_lines()}["B"].waiting == 0
    assert last_action(sim_kiosk)["what"] == "queue_reset_B"


def test_registry_check_reports_skew(sim_kiosk: Kiosk, actions: TechnicianActions) -> None:
    result = actions.check_registry()
    assert result.ok and "clock skew" in result.text
    sim_kiosk.simulator.set_outage(True)
    try:
        assert not actions.check_registry().ok
        assert last_action(sim_kiosk)["outcome"] == "problems"
    finally:
        sim_kiosk.simulator.set_outage(False)


def test_exit_follows_the_config(sim_kiosk: Kiosk, clock: Clock) -> None:
    for allowed in (True, False):
        settings = sim_kiosk.config.technician.model_copy(update={"allow_exit": allowed})
        session = TechnicianSession(settings, sim_kiosk.audit, clock=clock)
        assert session.enter_pin(SIM_PIN).accepted
        acts = TechnicianActions.from_kiosk(sim_kiosk, session)
        try:
            if allowed:
                acts.request_exit()
                assert last_action(sim_kiosk)["outcome"] == "ok"
            else:
                with pytest.raises(ActionError):
                    acts.request_exit()
                assert last_action(sim_kiosk)["outcome"] == "failed"
        finally:
            acts.close()


def test_audit_chain_holds_no_nik(sim_kiosk: Kiosk, actions: TechnicianActions) -> None:
    import re

    nik_shaped = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")
    for entry in sim_kiosk.audit.entries():
        for key, value in entry.items():
            if key not in ("hash", "prev"):  # hex digests may hold 16 digits in a row
                assert not nik_shaped.search(str(value)), (key, entry["event"])
    assert verify_log(sim_kiosk.audit.directory)[1] == []
