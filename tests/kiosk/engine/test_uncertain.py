"""Uncertain means SUSPECT: every branch that chooses between release, commit and SUSPECT.

Each test here fails when its branch in kiosk/engine/transaction.py (``decide()``, the submit's
exception branches, the printing hold, the journal's failures) is swapped for another.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from typing import Any

import pytest

from devices.model import DeviceError, DeviceFault
from devices.ports import JobOutcome, JobState
from devices.printers.job_input import JobInputError
from kiosk.domain.documents import DocumentType
from kiosk.engine.journal import TxState
from kiosk.engine.outcomes import TxOutcome
from kiosk.engine.transaction import decide
from kiosk.registry.errors import Expired, Unavailable

FAULT = DeviceFault("PRINTER_JAM", "jam")


@pytest.mark.parametrize(
    ("state", "pages_out", "pages", "expected"),
    [
        (JobState.COMPLETED, 2, 2, TxState.PRINTED),
        (JobState.COMPLETED, 3, 2, TxState.PRINTED),  # a banner page is not a doubt
        (JobState.COMPLETED, None, 2, TxState.SUSPECT),  # "completed" may be "handed over"
        (JobState.COMPLETED, 1, 2, TxState.SUSPECT),  # short of the job
        (JobState.COMPLETED, 0, 1, TxState.SUSPECT),
        (JobState.COMPLETED, 1, None, TxState.SUSPECT),  # nothing to compare with
        (JobState.ABORTED, 0, 2, TxState.RELEASING),
        (JobState.CANCELED, 0, 2, TxState.RELEASING),
        (JobState.ABORTED, 1, 2, TxState.SUSPECT),  # a page out before the fault
        (JobState.CANCELED, 2, 2, TxState.SUSPECT),
        (JobState.ABORTED, None, 2, TxState.SUSPECT),  # an abort without a count
        (JobState.UNKNOWN, None, 2, TxState.SUSPECT),
        (JobState.UNKNOWN, 0, 2, TxState.SUSPECT),
        (JobState.PRINTING, None, 2, TxState.SUSPECT),
        (JobState.PENDING, 0, 2, TxState.SUSPECT),
    ],
)
def test_decide_table(
    state: JobState, pages_out: int | None, pages: int | None, expected: TxState
) -> None:
    assert decide(JobOutcome("1", state, pages_out, FAULT), pages).state is expected


def verified(engine: Any, vid: str = "V1") -> Any:
    engine.registry.add(vid, DocumentType.KK)
    return engine.registry._verified(engine.registry.vouchers[vid])


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    sha256: str


def render_pages(pages: int) -> Any:
    """A renderer whose documents have ``pages`` pages."""
    pdf = b"%PDF-1.7 " + b"page " * pages
    return lambda envelope: Rendered(pdf, pages, hashlib.sha256(pdf).hexdigest())


def assert_held_not_released(engine: Any, result: Any) -> None:
    """SUSPECT: the voucher stays reserved under its printing hold; nothing is owed."""
    assert result.outcome is TxOutcome.SUSPECT
    assert result.error is not None and result.error.code == "PRINT_OUTCOME_UNKNOWN"
    assert engine.journal.get(result.txid).state is TxState.SUSPECT
    assert engine.registry.count("release") == 0
    assert engine.registry.count("commit") == 0
    voucher = engine.registry.vouchers["V1"]
    assert voucher.state == "reserved" and voucher.rid in engine.registry.holds
    assert engine.outbox.depth() == 0


@pytest.mark.parametrize(
    ("outcome", "rendered_pages"),
    [
        ((JobState.COMPLETED, None, None), 1),  # CUPS: completed, no page count
        ((JobState.COMPLETED, 0, None), 1),
        ((JobState.COMPLETED, 1, None), 2),  # one page of two
        ((JobState.ABORTED, None, FAULT), 1),  # aborted, count unknown
        ((JobState.CANCELED, 1, FAULT), 1),
    ],
)
def test_uncertain_printer_answers_are_suspect(
    engine: Any, outcome: tuple[JobState, int | None, Any], rendered_pages: int
) -> None:
    engine.transaction.renderer = render_pages(rendered_pages)
    engine.printers.document.next_outcome = outcome
    assert_held_not_released(engine, engine.transaction.run(verified(engine)))


def test_canceled_with_nothing_out_releases(engine: Any) -> None:
    engine.printers.document.next_outcome = (JobState.CANCELED, 0, None)
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.RELEASED
    assert engine.registry.vouchers["V1"].state == "ready"


def test_input_refused_before_queueing_releases(engine: Any) -> None:
    engine.printers.document.refuse_input = JobInputError("not a PDF document")
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.RELEASED
    assert engine.printers.document.submitted == []
    assert engine.registry.vouchers["V1"].state == "ready"
    assert engine.journal.get(result.txid).state is TxState.RELEASED


@pytest.mark.parametrize(
    "raised",
    [
        ValueError("job-id 'x' is not a number"),  # a ValueError after the job was queued
        RuntimeError("driver bug"),
        KeyError("job-id"),
    ],
)
def test_any_other_exception_from_the_submit_is_suspect(engine: Any, raised: Exception) -> None:
    engine.printers.document.submit_raises = raised
    result = engine.transaction.run(verified(engine))
    assert engine.printers.document.pages_printed == 1  # it did reach the printer
    assert_held_not_released(engine, result)


@pytest.mark.parametrize(
    "raised",
    [
        DeviceError(DeviceFault("DEVICE_TIMEOUT", "the printer's worker did not answer")),
        RuntimeError("driver bug"),
    ],
)
def test_an_exception_while_waiting_for_the_job_is_suspect(engine: Any, raised: Exception) -> None:
    engine.printers.document.wait_raises = raised
    assert_held_not_released(engine, engine.transaction.run(verified(engine)))


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (Unavailable("registry down"), "REGISTRY_UNAVAILABLE"),
        (Expired("the lease ran out"), "SESSION_EXPIRED"),
    ],
)
def test_no_printing_hold_no_print(engine: Any, error: Exception, code: str) -> None:
    engine.registry.printing_error = error
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.RELEASED
    assert result.error is not None and result.error.code == code
    assert engine.printers.document.submitted == []
    assert engine.registry.vouchers["V1"].state == "ready"


def test_a_lost_printing_hold_answer_releases_the_hold_it_may_have_granted(engine: Any) -> None:
    engine.registry.lose_printing_responses = 1
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.RELEASED
    assert engine.printers.document.submitted == []
    assert engine.registry.holds == set()
    assert engine.registry.vouchers["V1"].state == "ready"


def fail_journal_when(engine: Any, state: str) -> None:
    """A real SQLite failure (as a full disk gives: the transaction is rolled back) whenever
    the journal moves a transaction to ``state``."""
    conn = sqlite3.connect(engine.journal.path)
    conn.execute(
        f"CREATE TRIGGER full_disk_{state} BEFORE UPDATE ON transactions WHEN NEW.state = "
        f"'{state}' BEGIN SELECT RAISE(ROLLBACK, 'database or disk is full'); END"
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize("state", ["reserved", "holding", "submitting"])
def test_a_journal_failure_before_the_submit_prints_nothing_and_gives_the_voucher_back(
    engine: Any, state: str
) -> None:
    fail_journal_when(engine, state)
    result = engine.transaction.run(verified(engine))
    assert result.error is not None and result.error.code == "KIOSK_STORAGE_FULL"
    assert engine.printers.document.submitted == []
    assert engine.registry.vouchers["V1"].state == "ready"  # released directly
    assert engine.registry.holds == set()


def test_an_audit_log_that_cannot_be_written_before_the_submit_prints_nothing(
    engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit entry is written before the submit, so a full disk shows there, loudly, while
    the voucher can still go back (after the submit nothing could undo the paper)."""
    append = engine.audit.append

    def full_disk(event: str, **fields: Any) -> None:
        if event == "printing":
            raise OSError(28, "No space left on device")
        append(event, **fields)

    monkeypatch.setattr(engine.audit, "append", full_disk)
    result = engine.transaction.run(verified(engine))
    assert result.error is not None and result.error.code == "KIOSK_STORAGE_FULL"
    assert engine.printers.document.submitted == []
    assert engine.registry.vouchers["V1"].state == "ready"
    assert engine.registry.holds == set()


def test_the_audit_entry_before_the_submit_names_the_job(engine: Any) -> None:
    result = engine.transaction.run(verified(engine))
    [entry] = [e for e in engine.audit.entries() if e["event"] == "printing"]
    assert entry["txid"] == result.txid and entry["pages"] == 1
    assert entry["printer"] == "document"


@pytest.mark.parametrize("state", ["submitted", "printed"])
def test_a_journal_failure_after_the_submit_is_suspect_never_a_release(
    engine: Any, state: str
) -> None:
    fail_journal_when(engine, state)
    result = engine.transaction.run(verified(engine))
    assert engine.printers.document.pages_printed == 1
    assert_held_not_released(engine, result)


def test_a_journal_that_cannot_write_at_all_after_the_submit_leaves_it_for_recovery(
    engine: Any,
) -> None:
    for state in ("submitted", "printed", "suspect", "releasing"):
        fail_journal_when(engine, state)
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.SUSPECT
    record = engine.journal.get(result.txid)
    assert record.state is TxState.SUBMITTING  # recovery: SUSPECT, never a release
    assert engine.registry.count("release") == 0
    assert engine.registry.vouchers["V1"].rid in engine.registry.holds


def test_a_journal_that_cannot_begin_reserves_nothing(engine: Any) -> None:
    conn = sqlite3.connect(engine.journal.path)
    conn.execute(
        "CREATE TRIGGER full_disk BEFORE INSERT ON transactions "
        "BEGIN SELECT RAISE(ROLLBACK, 'database or disk is full'); END"
    )
    conn.commit()
    conn.close()
    result = engine.transaction.run(verified(engine))
    assert result.outcome is TxOutcome.FAILED
    assert result.error is not None and result.error.code == "KIOSK_STORAGE_FULL"
    assert engine.registry.count("reserve") == 0


def test_a_journal_write_that_fails_raises_its_own_error_and_leaves_no_transaction_open(
    engine: Any,
) -> None:
    record = engine.journal.begin("V9", "kk", "proof")
    fail_journal_when(engine, "reserved")
    with pytest.raises(sqlite3.IntegrityError, match="disk is full"):
        engine.journal.advance(record.txid, TxState.RESERVED, rid="R9")
    engine.journal.advance(record.txid, TxState.RELEASED)  # the connection still works
    assert engine.journal.get(record.txid).state is TxState.RELEASED


@pytest.mark.parametrize(
    ("state", "code"),
    [
        (TxState.SUSPECT, "VOUCHER_UNDER_REVIEW"),
        (TxState.CONFLICT, "VOUCHER_UNDER_REVIEW"),
        (TxState.SUBMITTED, "VOUCHER_IN_USE"),
        (TxState.RELEASING, "VOUCHER_IN_USE"),
    ],
)
def test_a_voucher_the_journal_still_holds_is_refused_before_any_call(
    engine: Any, state: TxState, code: str
) -> None:
    v = verified(engine)
    held = engine.journal.begin(v.vid, "kk", None)
    engine.journal.advance(held.txid, state, rid="R-old")
    result = engine.transaction.run(v)
    assert result.outcome is TxOutcome.FAILED
    assert result.error is not None and result.error.code == code
    assert engine.registry.count("reserve") == 0


def test_a_released_or_committed_voucher_is_not_held(engine: Any) -> None:
    v = verified(engine)
    old = engine.journal.begin(v.vid, "kk", None)
    engine.journal.advance(old.txid, TxState.RELEASED)
    assert engine.transaction.refusal(v.vid) is None
    assert engine.transaction.run(v).outcome is TxOutcome.PRINTED
    assert engine.transaction.refusal(v.vid) is None  # committed: the registry refuses it


def test_below_the_free_space_floor_nothing_starts(engine: Any) -> None:
    import os

    from kiosk.engine.availability import FreeSpace

    def statvfs(path: str) -> os.statvfs_result:
        real = os.statvfs(path)
        fields = list(real)
        fields[4] = 10  # f_bavail: 10 blocks
        return os.statvfs_result(fields)

    engine.transaction.storage = FreeSpace(engine.state_dir, 64, statvfs=statvfs)
    result = engine.transaction.run(verified(engine))
    assert result.error is not None and result.error.code == "KIOSK_STORAGE_FULL"
    assert engine.journal.recent() == []
    assert engine.registry.count("reserve") == 0
