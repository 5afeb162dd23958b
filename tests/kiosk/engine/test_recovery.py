"""Crash at every journal boundary (an exception from the pause hook), then recover."""

from __future__ import annotations

from typing import Any

import pytest

from devices.model import DeviceError, DeviceFault
from devices.ports import JobState
from kiosk.engine.journal import JournalError, TxState
from kiosk.engine.recovery import Recovery, resolve_suspect


class Crash(BaseException):
    """Stands in for kill -9 inside one process: nothing after the boundary runs."""


def crash_at(engine: Any, step: str) -> None:
    def pause(name: str) -> None:
        if name == step:
            raise Crash(name)

    engine.transaction.pause = pause
    engine.outbox.pause = pause


def recover(engine: Any) -> Any:
    engine.transaction.pause = engine.outbox.pause = lambda step: None
    return Recovery(
        journal=engine.journal,
        registry=engine.registry,
        printers=engine.printers,
        outbox=engine.outbox,
        audit=engine.audit,
    ).run(flush_timeout_s=2.0)


# step -> (final journal state, voucher state at the registry, pages printed)
EXPECTED = {
    "reserving": (TxState.RELEASED, "ready", 0),
    "reserve_answered": (TxState.RELEASED, "ready", 0),
    "reserved": (TxState.RELEASED, "ready", 0),
    "rendered": (TxState.RELEASED, "ready", 0),
    "holding": (TxState.RELEASED, "ready", 0),
    "hold_answered": (TxState.RELEASED, "ready", 0),
    "submitting": (TxState.SUSPECT, "reserved", 0),
    "submit_answered": (TxState.SUSPECT, "reserved", 1),
    "submitted": (TxState.COMMITTED, "committed", 1),
    "print_answered": (TxState.COMMITTED, "committed", 1),
    "printed": (TxState.COMMITTED, "committed", 1),
    "commit_acknowledged": (TxState.COMMITTED, "committed", 1),
}


@pytest.mark.parametrize("step", list(EXPECTED))
def test_crash_then_recovery_prints_at_most_once(engine: Any, step: str) -> None:
    engine.registry.add("V1")
    v = engine.registry._verified(engine.registry.vouchers["V1"])
    crash_at(engine, step)
    with pytest.raises(Crash):
        engine.transaction.run(v)
    report = recover(engine)
    state, voucher_state, pages = EXPECTED[step]
    [record] = engine.journal.recent()
    assert record.state is state
    assert engine.registry.vouchers["V1"].state == voucher_state
    assert engine.printers.document.pages_printed == pages
    assert (record.txid in report.suspect) == (state is TxState.SUSPECT)
    assert report.outbox_left == 0
    # a second recovery changes nothing and never prints
    recover(engine)
    assert engine.journal.get(record.txid).state is state
    assert engine.printers.document.pages_printed == pages


def test_aborted_job_found_at_recovery_is_released(engine: Any) -> None:
    engine.registry.add("V1")
    v = engine.registry._verified(engine.registry.vouchers["V1"])
    engine.printers.document.next_outcome = (JobState.ABORTED, 0, None)
    crash_at(engine, "submitted")
    with pytest.raises(Crash):
        engine.transaction.run(v)
    recover(engine)
    assert engine.registry.vouchers["V1"].state == "ready"


def test_registry_down_at_recovery_keeps_the_work_for_later(engine: Any) -> None:
    engine.registry.add("V1")
    v = engine.registry._verified(engine.registry.vouchers["V1"])
    crash_at(engine, "printed")
    with pytest.raises(Crash):
        engine.transaction.run(v)
    engine.registry.outage = True
    report = recover(engine)
    assert report.outbox_left == 1
    engine.registry.outage = False
    assert engine.outbox.flush(2.0)
    assert engine.registry.vouchers["V1"].state == "committed"


def test_technician_resolves_a_suspect_and_is_audited(engine: Any) -> None:
    engine.registry.add("V1")
    v = engine.registry._verified(engine.registry.vouchers["V1"])
    engine.printers.document.next_outcome = (JobState.UNKNOWN, None, None)
    result = engine.transaction.run(v)
    assert engine.journal.get(result.txid).state is TxState.SUSPECT
    record = resolve_suspect(engine.journal, engine.audit, result.txid[:6], printed=True)
    assert record.state is TxState.PRINTED
    assert engine.outbox.flush(2.0)
    assert engine.registry.vouchers["V1"].state == "committed"
    decisions = [e for e in engine.audit.entries() if e["event"] == "technician_decision"]
    assert decisions[-1]["decision"] == "printed"
    with pytest.raises(JournalError):
        resolve_suspect(engine.journal, engine.audit, result.txid, printed=False)


def test_technician_not_printed_releases(engine: Any) -> None:
    engine.registry.add("V1")
    v = engine.registry._verified(engine.registry.vouchers["V1"])
    engine.printers.document.next_outcome = (JobState.UNKNOWN, None, None)
    result = engine.transaction.run(v)
    resolve_suspect(engine.journal, engine.audit, result.txid, printed=False)
    assert engine.outbox.flush(2.0)
    assert engine.registry.vouchers["V1"].state == "ready"
    assert engine.journal.get(result.txid).state is TxState.RELEASED


FAULT = DeviceFault("PRINTER_JAM", "jam")


@pytest.mark.parametrize(
    ("outcome", "state", "voucher_state"),
    [
        ((JobState.COMPLETED, 1, None), TxState.COMMITTED, "committed"),
        ((JobState.COMPLETED, None, None), TxState.SUSPECT, "reserved"),
        ((JobState.COMPLETED, 0, None), TxState.SUSPECT, "reserved"),
        ((JobState.ABORTED, 0, FAULT), TxState.RELEASED, "ready"),
        ((JobState.CANCELED, 0, None), TxState.RELEASED, "ready"),
        ((JobState.ABORTED, None, FAULT), TxState.SUSPECT, "reserved"),
        ((JobState.ABORTED, 1, FAULT), TxState.SUSPECT, "reserved"),
        ((JobState.UNKNOWN, None, None), TxState.SUSPECT, "reserved"),
    ],
)
def test_recovery_of_a_submitted_job_applies_decide(
    engine: Any, outcome: tuple[Any, ...], state: TxState, voucher_state: str
) -> None:
    engine.registry.add("V1")
    v = engine.registry._verified(engine.registry.vouchers["V1"])
    engine.printers.document.next_outcome = outcome
    crash_at(engine, "submitted")
    with pytest.raises(Crash):
        engine.transaction.run(v)
    report = recover(engine)
    [record] = engine.journal.recent()
    assert record.state is state, record.reason
    assert engine.registry.vouchers["V1"].state == voucher_state
    assert (record.txid in report.suspect) == (state is TxState.SUSPECT)


def test_recovery_without_a_printer_to_ask_is_suspect(engine: Any) -> None:
    engine.registry.add("V1")
    v = engine.registry._verified(engine.registry.vouchers["V1"])
    crash_at(engine, "submitted")
    with pytest.raises(Crash):
        engine.transaction.run(v)
    engine.transaction.pause = engine.outbox.pause = lambda step: None
    report = Recovery(
        journal=engine.journal,
        registry=engine.registry,
        printers=None,
        outbox=engine.outbox,
        audit=engine.audit,
    ).run(flush_timeout_s=2.0)
    [record] = engine.journal.recent()
    assert record.state is TxState.SUSPECT and report.suspect == [record.txid]
    assert engine.registry.vouchers["V1"].state == "reserved"


def reserving(engine: Any, verification: str | None = "proof-V1") -> str:
    engine.registry.add("V1")
    return str(engine.journal.begin("V1", "kk", verification).txid)


def test_recovery_replays_a_lost_reserve_and_releases_what_it_holds(engine: Any) -> None:
    txid = reserving(engine)
    engine.registry.reserve("V1", "proof-V1", engine.journal.get(txid).reserve_key)
    report = recover(engine)
    assert report.released == [txid]
    assert engine.journal.get(txid).state is TxState.RELEASED
    assert engine.registry.vouchers["V1"].state == "ready"


def test_recovery_of_a_reserve_the_registry_refuses_holds_nothing(engine: Any) -> None:
    txid = reserving(engine)
    engine.registry.vouchers["V1"].state = "committed"  # printed elsewhere meanwhile
    report = recover(engine)
    assert report.released == [txid]
    assert engine.journal.get(txid).state is TxState.RELEASED
    assert engine.registry.count("release") == 0


def test_recovery_of_a_reserve_with_the_registry_down_waits(engine: Any) -> None:
    txid = reserving(engine)
    engine.registry.outage = True
    report = recover(engine)
    assert report.pending == [txid]
    assert engine.journal.get(txid).state is TxState.RESERVING


def test_recovery_of_a_reserve_without_its_proof_holds_nothing(engine: Any) -> None:
    txid = reserving(engine, verification=None)
    report = recover(engine)
    assert report.released == [txid]
    assert engine.journal.get(txid).state is TxState.RELEASED
    assert engine.registry.count("reserve") == 0


@pytest.mark.parametrize("failure", ["device_error", "unknown_printer"])
def test_recovery_when_the_printer_cannot_say_is_suspect(engine: Any, failure: str) -> None:
    """A printer that fails to answer (or is no longer configured) says nothing about the page:
    the job may have printed, so recovery keeps the voucher reserved as SUSPECT, never releases."""
    engine.registry.add("V1")
    v = engine.registry._verified(engine.registry.vouchers["V1"])
    crash_at(engine, "submitted")
    with pytest.raises(Crash):
        engine.transaction.run(v)

    def cannot_say(job_id: str) -> Any:
        raise DeviceError(DeviceFault("PRINTER_OFFLINE", "no answer"))

    if failure == "device_error":
        engine.printers.document.job_outcome = cannot_say
    else:
        engine.printers.call = lambda name, fn, timeout_s=None: fn({}[name])
    report = recover(engine)
    [record] = engine.journal.recent()
    assert record.state is TxState.SUSPECT, record.reason
    assert report.suspect == [record.txid]
    assert engine.registry.vouchers["V1"].state == "reserved"
