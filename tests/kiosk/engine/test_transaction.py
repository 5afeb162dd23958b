"""Exactly-once printing against recording fakes: every branch of reserve -> print -> commit."""

from __future__ import annotations

from typing import Any

import pytest

from devices.model import DeviceFault, DeviceState
from devices.ports import JobState
from kiosk.domain.documents import DocumentType
from kiosk.engine.journal import TxState
from kiosk.engine.outcomes import TxOutcome


def verified(engine: Any, vid: str = "V1", doc: DocumentType = DocumentType.KK) -> Any:
    engine.registry.add(vid, doc)
    v = engine.registry.vouchers[vid]
    return engine.registry._verified(v)


def test_happy_path_reserves_prints_once_and_commits(engine: Any) -> None:
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.PRINTED
    assert engine.registry.vouchers["V1"].state == "committed"
    assert engine.printers.document.pages_printed == 1
    record = engine.journal.get(result.txid)
    assert record.state is TxState.COMMITTED
    assert record.verification is None  # the proof is dropped once reserved
    assert engine.outbox.depth() == 0
    assert engine.steps == [
        "reserving",
        "reserve_answered",
        "reserved",
        "rendered",
        "holding",
        "hold_answered",
        "submitting",
        "submit_answered",
        "submitted",
        "print_answered",
        "printed",
        "commit_acknowledged",
    ]


def test_card_documents_go_to_the_card_printer(engine: Any) -> None:
    result = engine.transaction.run(verified(engine, "V2", DocumentType.KTP))
    assert result.outcome is TxOutcome.PRINTED
    assert engine.printers.card.pages_printed == 1
    assert engine.printers.document.pages_printed == 0


def test_journal_row_precedes_each_step(engine: Any) -> None:
    seen: dict[str, TxState] = {}

    def pause(step: str) -> None:
        rows = engine.journal.recent()
        seen[step] = rows[0].state

    engine.transaction.pause = pause
    engine.outbox.pause = pause
    engine.transaction.run(verified(engine))
    assert seen["reserving"] is TxState.RESERVING
    assert seen["reserved"] is TxState.RESERVED
    assert seen["holding"] is TxState.HOLDING
    assert seen["submitting"] is TxState.SUBMITTING
    assert seen["submitted"] is TxState.SUBMITTED
    assert seen["printed"] is TxState.PRINTED
    assert seen["commit_acknowledged"] is TxState.PRINTED  # acknowledged, not yet journaled


def test_paper_out_before_the_job_releases_and_sends_to_the_queue(engine: Any) -> None:
    engine.printers.document.submit_error = DeviceFault("PRINTER_PAPER_OUT", "no paper")
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.RELEASED
    assert result.error is not None
    assert result.error.code == "PRINTER_PAPER_OUT"
    assert result.error.next_step.value == "take_queue_ticket"
    assert engine.registry.vouchers["V1"].state == "ready"
    assert engine.journal.get(result.txid).state is TxState.RELEASED


@pytest.mark.parametrize("code", ["PRINTER_SUBMIT_UNCERTAIN", "DEVICE_TIMEOUT"])
def test_submit_that_may_have_queued_the_job_is_suspect(engine: Any, code: str) -> None:
    # The request reached the printer and its answer was lost: the job may still print.
    engine.printers.document.submit_error = DeviceFault(code, "answer lost")
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.SUSPECT
    assert engine.registry.count("release") == 0
    assert engine.registry.vouchers["V1"].state == "reserved"
    assert engine.journal.get(result.txid).state is TxState.SUSPECT


def test_printer_offline_is_checked_before_submitting(engine: Any) -> None:
    engine.printers.document.state = DeviceState.OFFLINE
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.RELEASED
    assert engine.printers.document.submitted == []
    assert engine.registry.vouchers["V1"].state == "ready"


def test_job_aborted_with_no_page_out_releases(engine: Any) -> None:
    fault = DeviceFault("PRINTER_COVER_OPEN", "cover open")
    engine.printers.document.next_outcome = (JobState.ABORTED, 0, fault)
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.RELEASED
    assert result.error is not None and result.error.code == "PRINTER_COVER_OPEN"
    assert engine.registry.vouchers["V1"].state == "ready"


def test_fault_mid_job_is_suspect_never_released(engine: Any) -> None:
    fault = DeviceFault("PRINTER_PAPER_OUT", "ran out after page 1")
    engine.printers.document.next_outcome = (JobState.ABORTED, 1, fault)
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.SUSPECT
    assert engine.registry.vouchers["V1"].state == "reserved"
    assert engine.registry.count("release") == 0
    assert engine.journal.get(result.txid).state is TxState.SUSPECT
    assert any(e["event"] == "suspect" for e in engine.audit.entries())


def test_unknown_outcome_is_suspect(engine: Any) -> None:
    engine.printers.document.next_outcome = (JobState.UNKNOWN, None, None)
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.SUSPECT
    assert result.label == "suspect"


def test_bad_document_data_releases(engine: Any) -> None:
    v = verified(engine)
    engine.transaction.renderer = lambda envelope: (_ for _ in ()).throw(ValueError("bad"))
    result = engine.transaction.run(v)
    assert result.outcome is TxOutcome.RELEASED
    assert result.error is not None and result.error.code == "DOCUMENT_DATA_INVALID"
    assert engine.printers.document.submitted == []


def test_registry_outage_during_commit_keeps_the_commit_in_the_outbox(engine: Any) -> None:
    v = verified(engine)
    real_commit = engine.registry.commit

    def down(*args: Any, **kwargs: Any) -> Any:
        engine.registry.outage = True
        try:
            return real_commit(*args, **kwargs)
        finally:
            engine.registry.outage = False

    engine.registry.commit = down
    result = engine.transaction.run(v)
    assert result.outcome is TxOutcome.PRINTED
    assert engine.outbox.depth() == 1
    assert engine.journal.get(result.txid).state is TxState.PRINTED
    engine.registry.commit = real_commit
    assert engine.outbox.flush(2.0)
    assert engine.registry.vouchers["V1"].state == "committed"
    assert engine.journal.get(result.txid).state is TxState.COMMITTED
    assert engine.printers.document.pages_printed == 1


def test_lost_commit_response_is_retried_under_the_same_key(engine: Any) -> None:
    engine.registry.lose_commit_responses = 1
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.PRINTED
    assert engine.outbox.depth() == 1
    assert engine.outbox.flush(2.0)
    assert len(engine.registry.commit_keys) == 1  # both attempts carried one key
    assert engine.registry.count("commit") == 2
    assert engine.journal.get(result.txid).state is TxState.COMMITTED


def test_reserve_refused_reserves_nothing(engine: Any) -> None:
    v = verified(engine)
    engine.registry.vouchers["V1"].state = "committed"
    result = engine.transaction.run(v)
    assert result.outcome is TxOutcome.FAILED
    assert result.label == "VOUCHER_ALREADY_PRINTED"
    assert engine.printers.document.submitted == []


def test_lost_reserve_answer_is_replayed_and_released(engine: Any) -> None:
    engine.registry.lose_reserve_responses = 1
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.FAILED
    assert engine.registry.vouchers["V1"].state == "ready"
    assert engine.journal.get(result.txid).state is TxState.RELEASED


def test_same_voucher_twice_prints_once(engine: Any) -> None:
    v = verified(engine)
    first = engine.transaction.run(v)
    second = engine.transaction.run(v)
    assert first.outcome is TxOutcome.PRINTED
    assert second.outcome is TxOutcome.FAILED
    assert engine.printers.document.pages_printed == 1


def test_audit_records_masked_outcome(engine: Any) -> None:
    result = engine.transaction.run(verified(engine))
    entries = [e for e in engine.audit.entries() if e["event"] == "print"]
    assert entries[-1]["txid"] == result.txid
    assert entries[-1]["outcome"] == "printed"
    assert entries[-1]["holder"] == "B*** S******"
