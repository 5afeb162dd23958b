"""One print, exactly once: reserve -> render -> hold -> print -> commit, or release on failure.

Every step is journaled before it is taken, and ``pause(step)`` is called at each boundary
(the crash tests stop the process there). Nothing goes to a printer before the registry has
answered 200 to the printing hold (DESIGN section 4): from then on the reservation never
expires on its own, so no other kiosk can print the voucher while this one may be printing it;
only this kiosk's commit or release ends the hold. The rule for the printer's answer
(:func:`decide`, recovery uses it too):

- COMPLETED, ``pages_out`` >= the pages sent      -> PRINTED, commit (outbox)
- COMPLETED, ``pages_out`` unknown or short       -> SUSPECT ("completed" may only mean that
                                                     the data was handed over)
- ABORTED / CANCELED with ``pages_out == 0``      -> RELEASING, release (outbox)
- anything else (unknown, a page out before a     -> SUSPECT: never reprinted, never released
  fault, an abort without a count)

Around the printer's answer:

- before the submit, every failure releases and nothing is printed: the hold refused or
  unanswered, the renderer or the printer refusing, a journal write that fails (disk full:
  then the voucher is given back by a direct release call, recovery finishes it);
- once the submit may have reached the printer, doubt is SUSPECT, never a release: a lost or
  uncertain submit answer, an unexpected exception, a journal write that fails;
- a voucher this kiosk's journal still holds (in flight, SUSPECT, CONFLICT) is refused
  before anything is reserved (:meth:`PrintTransaction.refusal`).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devices.model import DeviceError
from devices.ports import DocumentPrinter, JobOutcome, JobState
from devices.printers.job_input import JobInputError
from kiosk.audit import AuditLog
from kiosk.domain.documents import DocumentType
from kiosk.engine.availability import FreeSpace
from kiosk.engine.journal import Journal, OutboxOp, TxRecord, TxState, new_key
from kiosk.engine.outbox import Outbox
from kiosk.engine.outcomes import (
    DOCUMENT_INVALID,
    IN_FLIGHT,
    PRINT_UNKNOWN,
    STORAGE_FULL,
    UNDER_REVIEW,
    TxOutcome,
    TxResult,
    UserError,
    hold_error,
    printer_error,
    registry_error,
)
from kiosk.engine.ports import Printers, Registry, Renderer, StepHook, VerifiedVoucher, no_pause
from kiosk.registry.errors import BadResponse, RegistryError, Unavailable

log = logging.getLogger(__name__)

ProgressHook = Callable[[str, float], None]  # (PrintStep value, fraction 0..1)

# A journal or audit write that failed: a full or failing disk.
STORAGE_ERRORS = (OSError, sqlite3.Error)


def _no_progress(step: str, fraction: float) -> None:
    """Default progress hook: nobody is watching."""


@dataclass(frozen=True, slots=True)
class Decision:
    state: TxState
    reason: str


def decide(outcome: JobOutcome, pages: int | None) -> Decision:
    """What a printer's answer means for a voucher of ``pages`` pages (the module docstring)."""
    fault = outcome.fault.code if outcome.fault else ""
    detail = f"pages_out={outcome.pages_out} of {pages}" + (f" fault={fault}" if fault else "")
    if outcome.state is JobState.COMPLETED:
        if pages is not None and outcome.pages_out is not None and outcome.pages_out >= pages:
            return Decision(TxState.PRINTED, "completed")
        return Decision(TxState.SUSPECT, f"job completed, pages not confirmed ({detail})")
    if outcome.state in (JobState.ABORTED, JobState.CANCELED) and outcome.pages_out == 0:
        return Decision(TxState.RELEASING, f"printer_fault:{fault or outcome.state.value}")
    return Decision(TxState.SUSPECT, f"job {outcome.state.value} ({detail})")


def doc_type(value: Any) -> DocumentType:
    return value if isinstance(value, DocumentType) else DocumentType(str(value))


def hold_key(tx: TxRecord) -> str:
    """The printing hold's idempotency key: one per transaction, derived, never reused."""
    return f"{tx.reserve_key}-printing"


@dataclass(slots=True)
class _Attempt:
    """What one run has learnt so far: the rid gives the voucher back if the journal fails."""

    rid: str | None = None
    render_ms: float = 0.0
    print_started: float | None = None

    @property
    def print_ms(self) -> float:
        return 0.0 if self.print_started is None else (time.monotonic() - self.print_started) * 1e3


@dataclass(slots=True)
class _Job:
    """The rendered document on its way to a printer; ``pdf`` is dropped after the submit."""

    printer: str
    pdf: bytes
    pages: int
    sha256: str


class PrintTransaction:
    """Runs print transactions; one instance serves every session of a kiosk."""

    def __init__(
        self,
        *,
        journal: Journal,
        registry: Registry,
        renderer: Renderer,
        printers: Printers,
        outbox: Outbox,
        audit: AuditLog,
        pause: StepHook = no_pause,
        print_timeout_s: float = 120.0,
        on_result: Callable[[TxResult, str], None] | None = None,
        storage: FreeSpace | None = None,
    ) -> None:
        self.journal = journal
        self.registry = registry
        self.renderer = renderer
        self.printers = printers
        self.outbox = outbox
        self.audit = audit
        self.pause = pause
        self.print_timeout_s = print_timeout_s
        self.on_result = on_result
        self.storage = storage

    def refusal(self, vid: str) -> UserError | None:
        """Why this kiosk will not start a print of ``vid``: its own journal still holds it."""
        held = self.journal.holding(vid)
        if held is None:
            return None
        log.info("voucher %s is held by tx %s (%s): refused", vid, held.txid, held.state.value)
        return UNDER_REVIEW if held.state.needs_technician else IN_FLIGHT

    def run(
        self,
        voucher: VerifiedVoucher,
        progress: ProgressHook = _no_progress,
        *,
        nik_masked: str | None = None,
    ) -> TxResult:
        """Print ``voucher`` once; ``nik_masked`` (identify path) goes to the audit log."""
        started = time.monotonic()
        doc = doc_type(voucher.doc)
        refused = self.refusal(voucher.vid)
        if refused is not None:
            return TxResult(TxOutcome.FAILED, None, refused)
        if self.storage is not None and self.storage.low:
            return TxResult(TxOutcome.FAILED, None, STORAGE_FULL)
        try:
            tx = self.journal.begin(voucher.vid, doc.value, voucher.verification)
        except STORAGE_ERRORS as exc:
            log.error("the journal cannot be written (%s): nothing reserved or printed", exc)
            return TxResult(TxOutcome.FAILED, None, STORAGE_FULL)
        result = self._run(tx, doc, voucher, progress)
        duration_ms = (time.monotonic() - started) * 1000
        self._audit(
            "print",
            txid=tx.txid,
            vid=voucher.vid,
            doc=doc.value,
            holder=voucher.holder_masked,
            nik=nik_masked,
            outcome=result.outcome.value,
            error=result.error.code if result.error else None,
            pages=result.pages,
            render_ms=round(result.render_ms, 1),
            print_ms=round(result.print_ms, 1),
            total_ms=round(duration_ms, 1),
        )
        if self.on_result is not None:
            self.on_result(result, doc.value)
        return result

    def _run(
        self, tx: TxRecord, doc: DocumentType, voucher: VerifiedVoucher, progress: ProgressHook
    ) -> TxResult:
        attempt = _Attempt()
        try:
            job = self._prepare(tx, doc, voucher, progress, attempt)
        except STORAGE_ERRORS as exc:  # nothing was sent to a printer
            return self._abandon(tx, attempt, exc)
        if isinstance(job, TxResult):
            return job
        try:
            return self._print(tx, job, progress, attempt)
        except Exception as exc:  # the job may have reached the printer: never release
            log.exception("tx %s: failed after the submit began", tx.txid)
            return self._suspect(tx, f"print step failed: {type(exc).__name__}", attempt)

    def _prepare(
        self,
        tx: TxRecord,
        doc: DocumentType,
        voucher: VerifiedVoucher,
        progress: ProgressHook,
        attempt: _Attempt,
    ) -> _Job | TxResult:
        """Reserve, render and hold: everything before the submit (nothing is printed here)."""
        progress("reserving", 0.05)
        self.pause("reserving")
        try:
            reservation = self.registry.reserve(voucher.vid, voucher.verification, tx.reserve_key)
        except RegistryError as exc:
            return self._reserve_failed(tx, exc)
        attempt.rid = str(reservation.rid)
        self.pause("reserve_answered")
        self.journal.advance(
            tx.txid,
            TxState.RESERVED,
            rid=attempt.rid,
            lease_expires=str(reservation.lease_expires),
            verification=None,
        )
        self.pause("reserved")

        progress("rendering", 0.2)
        render_started = time.monotonic()
        try:
            rendered = self.renderer(reservation.document)
        except Exception as exc:
            log.warning("tx %s: rendering failed: %s", tx.txid, type(exc).__name__)
            return self._release(tx, "render_failed", DOCUMENT_INVALID, attempt)
        attempt.render_ms = (time.monotonic() - render_started) * 1000
        self.pause("rendered")

        printer = self.printers.printer_for(doc.media.value)
        problem = self.printers.print_problem(doc.media.value)
        if printer is None or problem is not None:
            del rendered
            return self._release(tx, "printer_unavailable", printer_error(problem), attempt)
        job = _Job(printer.name, rendered.pdf, rendered.pages, rendered.sha256)
        del rendered
        self.journal.advance(
            tx.txid, TxState.HOLDING, printer=job.printer, pdf_sha256=job.sha256, pages=job.pages
        )
        self.pause("holding")
        try:
            self.registry.start_printing(
                attempt.rid,
                pdf_sha256=job.sha256,
                pages=job.pages,
                printer=job.printer,
                idempotency_key=hold_key(tx),
            )
        except RegistryError as exc:
            # Without the hold the lease could run out under the print: do not print.
            log.warning("tx %s: printing hold not granted (%s)", tx.txid, exc.code)
            return self._release(tx, f"printing hold refused: {exc.code}", hold_error(exc), attempt)
        self.pause("hold_answered")
        # The last writes before the irreversible step: the audit entry, then the journal. A disk
        # that cannot take them fails here, loudly, and the voucher goes back unprinted.
        self.audit.append(
            "printing", txid=tx.txid, vid=tx.vid, doc=tx.doc, printer=job.printer, pages=job.pages
        )
        self.journal.advance(tx.txid, TxState.SUBMITTING)
        self.pause("submitting")
        return job

    def _print(
        self, tx: TxRecord, job: _Job, progress: ProgressHook, attempt: _Attempt
    ) -> TxResult:
        """Submit, wait, settle. From the submit on, any doubt is SUSPECT."""
        progress("printing", 0.35)
        attempt.print_started = time.monotonic()
        pdf, job.pdf = job.pdf, b""  # the PDF bytes are not kept beyond the submit
        try:
            title = job_title(tx.txid)
            job_id = self.printers.call(
                job.printer, lambda d: _submit(d, pdf, title, job.pages), timeout_s=30.0
            )
        except DeviceError as exc:
            if exc.may_have_taken_effect:  # the job may have been queued: never release
                return self._suspect(tx, f"submit outcome unknown: {exc.fault.code}", attempt)
            return self._release(
                tx, f"printer_fault:{exc.fault.code}", printer_error(exc.fault.code), attempt
            )
        except JobInputError as exc:  # the driver refused the input before sending anything
            log.error("tx %s: printer refused the job: %s", tx.txid, exc)
            return self._release(tx, "printer_refused_job", printer_error(None), attempt)
        except Exception as exc:  # a driver bug: whether the job was queued is unknown
            return self._suspect(tx, f"submit failed: {type(exc).__name__}", attempt)
        finally:
            pdf = b""
        self.pause("submit_answered")
        self.journal.advance(tx.txid, TxState.SUBMITTED, job_id=job_id)
        self.pause("submitted")
        progress("printing", 0.5)
        try:
            outcome = self.printers.call(
                job.printer,
                lambda d: _wait(d, job_id, self.print_timeout_s),
                timeout_s=self.print_timeout_s + 10.0,
            )
        except DeviceError as exc:
            outcome = JobOutcome(job_id, JobState.UNKNOWN, None, exc.fault)
        self.pause("print_answered")
        return self._settle(tx, job, outcome, attempt, progress)

    def _settle(
        self,
        tx: TxRecord,
        job: _Job,
        outcome: JobOutcome,
        attempt: _Attempt,
        progress: ProgressHook,
    ) -> TxResult:
        decision = decide(outcome, job.pages)
        if decision.state is TxState.SUSPECT:
            return self._suspect(tx, decision.reason, attempt, outcome.pages_out)
        if decision.state is TxState.RELEASING:
            fault = outcome.fault.code if outcome.fault else None
            return self._release(tx, decision.reason, printer_error(fault), attempt)
        progress("finishing", 0.9)
        item = self.journal.advance_with_outbox(
            tx.txid,
            TxState.PRINTED,
            OutboxOp.COMMIT,
            {"pdf_sha256": job.sha256, "pages": job.pages, "printer": job.printer},
            pages_out=outcome.pages_out,
            reason=decision.reason,
        )
        self.pause("printed")
        if not self.outbox.deliver(item):
            self.outbox.wake()
        progress("finishing", 1.0)
        return TxResult(
            TxOutcome.PRINTED, tx.txid, None, job.pages, attempt.render_ms, attempt.print_ms
        )

    def _reserve_failed(self, tx: TxRecord, exc: RegistryError) -> TxResult:
        error = registry_error(exc)
        if isinstance(exc, Unavailable | BadResponse):
            # The reserve may have reached the registry and only the answer was lost. Leave
            # the transaction RESERVING: recovery replays it under the same key and releases.
            self.journal.advance(tx.txid, TxState.RESERVING, reason=f"reserve lost: {exc.code}")
            self._replay_and_release(tx)
        else:
            self.journal.advance(
                tx.txid, TxState.RELEASED, reason=f"reserve refused: {exc.code}", verification=None
            )
        log.info("tx %s: reserve failed (%s)", tx.txid, exc.code)
        return TxResult(TxOutcome.FAILED, tx.txid, error)

    def _replay_and_release(self, tx: TxRecord) -> None:
        """One immediate try to learn whether the lost reserve happened, and undo it."""
        record = self.journal.get(tx.txid)
        if not record.verification:
            return
        try:
            reservation = self.registry.reserve(record.vid, record.verification, record.reserve_key)
        except (Unavailable, BadResponse):
            return  # recovery at the next start tries again
        except RegistryError as exc:
            self.journal.advance(
                tx.txid, TxState.RELEASED, reason=f"reserve not held: {exc.code}", verification=None
            )
            return
        self.journal.advance(tx.txid, TxState.RESERVED, rid=str(reservation.rid), verification=None)
        self._release(tx, "reserve_answer_lost", None, _Attempt(rid=str(reservation.rid)))

    def _release(
        self, tx: TxRecord, reason: str, error: UserError | None, attempt: _Attempt
    ) -> TxResult:
        item = self.journal.advance_with_outbox(
            tx.txid, TxState.RELEASING, OutboxOp.RELEASE, {"reason": reason}, reason=reason
        )
        self.pause("releasing")
        if not self.outbox.deliver(item):
            self.outbox.wake()
        log.info("tx %s: released (%s)", tx.txid, reason)
        return TxResult(TxOutcome.RELEASED, tx.txid, error, 0, attempt.render_ms, attempt.print_ms)

    def _abandon(self, tx: TxRecord, attempt: _Attempt, exc: BaseException) -> TxResult:
        """The journal or the audit log failed before the submit: nothing is printed, the
        voucher goes back.

        The release is sent directly (the outbox lives in the journal that just failed); if it
        is lost too, recovery releases at the next start (the journal still says RESERVING,
        RESERVED or HOLDING) and a lease without a hold also runs out by itself.
        """
        log.error(
            "tx %s: the journal or audit log cannot be written (%s): not printing", tx.txid, exc
        )
        if attempt.rid is None:
            return TxResult(TxOutcome.FAILED, tx.txid, STORAGE_FULL)
        try:
            self.registry.release(attempt.rid, reason="kiosk_storage", idempotency_key=new_key())
        except RegistryError as error:
            log.warning("tx %s: direct release not acknowledged (%s)", tx.txid, error.code)
        return TxResult(TxOutcome.RELEASED, tx.txid, STORAGE_FULL, 0, attempt.render_ms)

    def _suspect(
        self, tx: TxRecord, reason: str, attempt: _Attempt, pages_out: int | None = None
    ) -> TxResult:
        try:
            self.journal.advance(tx.txid, TxState.SUSPECT, reason=reason, pages_out=pages_out)
        except STORAGE_ERRORS as exc:  # recovery finds the row unfinished: never a release
            log.error("tx %s: SUSPECT not journaled (%s)", tx.txid, exc)
        self._audit("suspect", txid=tx.txid, vid=tx.vid, doc=tx.doc, reason=reason)
        log.warning("tx %s: SUSPECT (%s)", tx.txid, reason)
        return TxResult(
            TxOutcome.SUSPECT, tx.txid, PRINT_UNKNOWN, 0, attempt.render_ms, attempt.print_ms
        )

    def _audit(self, event: str, **fields: Any) -> None:
        """After the print an audit write that fails is logged loudly; it cannot undo paper."""
        try:
            self.audit.append(event, **fields)
        except STORAGE_ERRORS as exc:
            log.error("audit entry %s not written: %s", event, exc)


def job_title(txid: str) -> str:
    """The printer job title: the journal's id, nothing personal."""
    return f"ADM-{txid}"


def _submit(device: DocumentPrinter, pdf: bytes, title: str, pages: int) -> str:
    return device.submit(pdf, title=title, pages=pages)


def _wait(device: DocumentPrinter, job_id: str, timeout_s: float) -> JobOutcome:
    return device.wait(job_id, timeout_s)
