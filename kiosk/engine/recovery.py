"""Start-up recovery: resolve every unfinished transaction the journal holds.

=================  ==========================================================================
journal state      what recovery does
=================  ==========================================================================
RESERVING          replay the reserve under its stored key (the answer may have been lost):
                   held -> release; refused -> nothing of ours is held; unreachable -> retry
                   at the next start (the lease expires on its own meanwhile); no proof
                   kept -> nothing can be held for us -> RELEASED
RESERVED           never sent to a printer -> release
HOLDING            never sent to a printer (the hold may have been granted) -> release
SUBMITTING         the printer may have taken the job, no job id known -> SUSPECT
SUBMITTED          ask the printer about the job and apply :func:`decide` (the transaction's
                   own rule): completed with every page counted -> commit; aborted/canceled
                   with a count of 0 -> release; anything else (no answer, unknown, a short or
                   missing count) -> SUSPECT
PRINTED/RELEASING  the outbox delivers the owed commit / release
=================  ==========================================================================

A count of 0 is only released on because drivers report 0 only for a job they saw end with
nothing out: a job cut short by a crash is UNKNOWN (the simulated printer), never "aborted, 0".
SUSPECT and CONFLICT transactions are never reprinted nor released automatically: a
technician decides on a SUSPECT (:func:`resolve_suspect`), and the decision is audited. The
voucher stays held at the registry (the printing hold) until that decision is delivered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from devices.model import DeviceError
from devices.ports import DocumentPrinter, JobOutcome, JobState
from kiosk.audit import AuditLog
from kiosk.engine.journal import Journal, JournalError, OutboxOp, TxRecord, TxState
from kiosk.engine.outbox import Outbox
from kiosk.engine.ports import Printers, Registry, StepHook, no_pause
from kiosk.engine.transaction import decide
from kiosk.registry.errors import BadResponse, RegistryError, Unavailable

log = logging.getLogger(__name__)


@dataclass
class RecoveryReport:
    committed: list[str] = field(default_factory=list)  # txids whose commit was queued
    released: list[str] = field(default_factory=list)  # txids whose release was queued/settled
    suspect: list[str] = field(default_factory=list)  # txids newly marked SUSPECT
    pending: list[str] = field(default_factory=list)  # txids left for the next start
    outbox_left: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "committed": self.committed,
            "released": self.released,
            "suspect": self.suspect,
            "pending": self.pending,
            "outbox_left": self.outbox_left,
        }


class Recovery:
    def __init__(
        self,
        *,
        journal: Journal,
        registry: Registry,
        printers: Printers | None,
        outbox: Outbox,
        audit: AuditLog,
        pause: StepHook = no_pause,
    ) -> None:
        self.journal = journal
        self.registry = registry
        self.printers = printers
        self.outbox = outbox
        self.audit = audit
        self.pause = pause

    def run(self, flush_timeout_s: float = 5.0) -> RecoveryReport:
        report = RecoveryReport()
        for record in self.journal.unfinished():
            try:
                self._resolve(record, report)
            except Exception:
                log.exception("recovery of tx %s failed; left for the next start", record.txid)
                report.pending.append(record.txid)
        if flush_timeout_s > 0:  # else the outbox thread delivers when the registry is back
            self.outbox.flush(flush_timeout_s)
        report.outbox_left = self.outbox.depth()
        self.audit.append("recovery", **report.to_dict())
        log.info("recovery: %s", report.to_dict())
        return report

    def _resolve(self, record: TxRecord, report: RecoveryReport) -> None:
        state = record.state
        if state is TxState.RESERVING:
            self._replay_reserve(record, report)
        elif state is TxState.RESERVED:
            self._queue_release(record, "recovery: never sent to a printer", report)
        elif state is TxState.HOLDING:
            self._queue_release(record, "recovery: held, never sent to a printer", report)
        elif state is TxState.SUBMITTING:
            self._mark_suspect(record, "recovery: crashed while submitting (no job id)", report)
        elif state is TxState.SUBMITTED:
            self._ask_printer(record, report)
        elif state is TxState.PRINTED:
            report.committed.append(record.txid)
        elif state is TxState.RELEASING:
            report.released.append(record.txid)

    def _replay_reserve(self, record: TxRecord, report: RecoveryReport) -> None:
        if not record.verification:
            self.journal.advance(record.txid, TxState.RELEASED, reason="recovery: no proof kept")
            report.released.append(record.txid)
            return
        try:
            reservation = self.registry.reserve(record.vid, record.verification, record.reserve_key)
        except (Unavailable, BadResponse):
            report.pending.append(record.txid)
            return
        except RegistryError as exc:
            self.journal.advance(
                record.txid,
                TxState.RELEASED,
                reason=f"recovery: reserve not held ({exc.code})",
                verification=None,
            )
            report.released.append(record.txid)
            return
        self.journal.advance(
            record.txid, TxState.RESERVED, rid=str(reservation.rid), verification=None
        )
        self._queue_release(record, "recovery: reserved, never printed", report)

    def _queue_release(self, record: TxRecord, reason: str, report: RecoveryReport) -> None:
        self.journal.advance_with_outbox(
            record.txid, TxState.RELEASING, OutboxOp.RELEASE, {"reason": "recovery"}, reason=reason
        )
        report.released.append(record.txid)

    def _mark_suspect(self, record: TxRecord, reason: str, report: RecoveryReport) -> None:
        self.journal.advance(record.txid, TxState.SUSPECT, reason=reason)
        self.audit.append(
            "suspect", txid=record.txid, vid=record.vid, doc=record.doc, reason=reason
        )
        report.suspect.append(record.txid)

    def _ask_printer(self, record: TxRecord, report: RecoveryReport) -> None:
        outcome = self._job_outcome(record)
        decision = decide(outcome, record.pages)
        if decision.state is TxState.PRINTED:
            self.journal.advance_with_outbox(
                record.txid,
                TxState.PRINTED,
                OutboxOp.COMMIT,
                {"pdf_sha256": record.pdf_sha256, "pages": record.pages, "printer": record.printer},
                pages_out=outcome.pages_out,
                reason="recovery: job completed",
            )
            report.committed.append(record.txid)
        elif decision.state is TxState.RELEASING:
            self._queue_release(record, f"recovery: {decision.reason}", report)
        else:
            self._mark_suspect(record, f"recovery: {decision.reason}", report)

    def _job_outcome(self, record: TxRecord) -> JobOutcome:
        job_id = record.job_id or ""
        if self.printers is None or not record.printer:
            return JobOutcome(job_id, JobState.UNKNOWN)
        try:
            return self.printers.call(record.printer, lambda d: _outcome(d, job_id), timeout_s=15.0)
        except (DeviceError, KeyError) as exc:
            log.warning("recovery: printer %s cannot say (%s)", record.printer, exc)
            return JobOutcome(job_id, JobState.UNKNOWN)


def _outcome(device: DocumentPrinter, job_id: str) -> JobOutcome:
    return device.job_outcome(job_id)


def resolve_suspect(
    journal: Journal,
    audit: AuditLog,
    txid: str,
    *,
    printed: bool,
    technician: str = "technician",
) -> TxRecord:
    """A technician's decision on a SUSPECT transaction; audited, then owed to the registry."""
    matches = journal.find(txid)
    if len(matches) != 1:
        raise JournalError(f"{len(matches)} transactions match {txid!r}")
    record = matches[0]
    if record.state is not TxState.SUSPECT:
        raise JournalError(f"transaction {record.txid} is {record.state.value}, not suspect")
    if not record.rid:
        journal.advance(record.txid, TxState.RELEASED, reason="technician: nothing reserved")
    elif printed:
        journal.advance_with_outbox(
            record.txid,
            TxState.PRINTED,
            OutboxOp.COMMIT,
            {
                "pdf_sha256": record.pdf_sha256 or "",
                "pages": record.pages or 1,
                "printer": record.printer or "",
            },
            reason="technician: printed",
        )
    else:
        journal.advance_with_outbox(
            record.txid,
            TxState.RELEASING,
            OutboxOp.RELEASE,
            {"reason": "technician_not_printed"},
            reason="technician: not printed",
        )
    audit.append(
        "technician_decision",
        txid=record.txid,
        vid=record.vid,
        doc=record.doc,
        decision="printed" if printed else "not_printed",
        technician=technician,
    )
    return journal.get(record.txid)
