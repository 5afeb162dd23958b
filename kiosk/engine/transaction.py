"""One print, exactly once: reserve -> render -> print -> commit, or release on failure.

Every step is journaled before it is taken, and ``pause(step)`` is called at each boundary
(the crash tests stop the process there). The rule for the printer's answer:

- COMPLETED                                   -> PRINTED, commit (outbox)
- ABORTED / CANCELED with ``pages_out == 0``  -> RELEASING, release (outbox)
- anything else (unknown, mid-job fault)      -> SUSPECT: never reprinted, never released
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devices.model import DeviceError
from devices.ports import DocumentPrinter, JobOutcome, JobState
from kiosk.audit import AuditLog
from kiosk.domain.documents import DocumentType
from kiosk.engine.journal import Journal, OutboxOp, TxRecord, TxState
from kiosk.engine.outbox import Outbox
from kiosk.engine.outcomes import (
    DOCUMENT_INVALID,
    PRINT_UNKNOWN,
    TxOutcome,
    TxResult,
    UserError,
    printer_error,
    registry_error,
)
from kiosk.engine.ports import Printers, Registry, Renderer, StepHook, VerifiedVoucher, no_pause
from kiosk.registry.errors import BadResponse, RegistryError, Unavailable

log = logging.getLogger(__name__)

ProgressHook = Callable[[str, float], None]  # (PrintStep value, fraction 0..1)


def _no_progress(step: str, fraction: float) -> None:
    """Default progress hook: nobody is watching."""


@dataclass(frozen=True, slots=True)
class Decision:
    state: TxState
    reason: str


def decide(outcome: JobOutcome) -> Decision:
    """What a printer's answer means for the voucher (see the module docstring)."""
    fault = outcome.fault.code if outcome.fault else ""
    if outcome.state is JobState.COMPLETED:
        return Decision(TxState.PRINTED, "completed")
    if outcome.state in (JobState.ABORTED, JobState.CANCELED) and outcome.pages_out == 0:
        return Decision(TxState.RELEASING, f"printer_fault:{fault or outcome.state.value}")
    detail = f"pages_out={outcome.pages_out}" + (f" fault={fault}" if fault else "")
    return Decision(TxState.SUSPECT, f"job {outcome.state.value} ({detail})")


def doc_type(value: Any) -> DocumentType:
    return value if isinstance(value, DocumentType) else DocumentType(str(value))


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
        tx = self.journal.begin(voucher.vid, doc.value, voucher.verification)
        result = self._run(tx, doc, voucher, progress)
        duration_ms = (time.monotonic() - started) * 1000
        self.audit.append(
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
        progress("reserving", 0.05)
        self.pause("reserving")
        try:
            reservation = self.registry.reserve(voucher.vid, voucher.verification, tx.reserve_key)
        except RegistryError as exc:
            return self._reserve_failed(tx, exc)
        self.pause("reserve_answered")
        self.journal.advance(
            tx.txid,
            TxState.RESERVED,
            rid=str(reservation.rid),
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
            return self._release(tx, "render_failed", DOCUMENT_INVALID)
        render_ms = (time.monotonic() - render_started) * 1000
        self.pause("rendered")

        printer = self.printers.printer_for(doc.media.value)
        problem = self.printers.print_problem(doc.media.value)
        if printer is None or problem is not None:
            del rendered
            return self._release(tx, "printer_unavailable", printer_error(problem), render_ms)
        name = printer.name
        self.journal.advance(
            tx.txid,
            TxState.SUBMITTING,
            printer=name,
            pdf_sha256=rendered.sha256,
            pages=rendered.pages,
        )
        self.pause("submitting")
        progress("printing", 0.35)
        print_started = time.monotonic()
        pdf, pages = rendered.pdf, rendered.pages
        del rendered
        try:
            job_id = self.printers.call(
                name, lambda d: _submit(d, pdf, job_title(tx.txid), pages), timeout_s=30.0
            )
        except DeviceError as exc:
            pdf = b""
            if exc.may_have_taken_effect:  # the job may have been queued: never release
                return self._suspect(tx, f"submit outcome unknown: {exc.fault.code}", render_ms)
            return self._release(
                tx, f"printer_fault:{exc.fault.code}", printer_error(exc.fault.code), render_ms
            )
        except ValueError as exc:  # the driver refused the input before queueing anything
            pdf = b""
            log.error("tx %s: printer refused the job: %s", tx.txid, exc)
            return self._release(tx, "printer_refused_job", printer_error(None), render_ms)
        except Exception as exc:  # a driver bug: whether the job was queued is unknown
            pdf = b""
            return self._suspect(tx, f"submit failed: {type(exc).__name__}", render_ms)
        pdf = b""  # the PDF bytes are not kept beyond the submit
        self.pause("submit_answered")
        self.journal.advance(tx.txid, TxState.SUBMITTED, job_id=job_id)
        self.pause("submitted")
        progress("printing", 0.5)
        try:
            outcome = self.printers.call(
                name,
                lambda d: _wait(d, job_id, self.print_timeout_s),
                timeout_s=self.print_timeout_s + 10.0,
            )
        except DeviceError as exc:
            outcome = JobOutcome(job_id, JobState.UNKNOWN, None, exc.fault)
        print_ms = (time.monotonic() - print_started) * 1000
        self.pause("print_answered")
        return self._settle(tx, outcome, render_ms, print_ms, progress)

    def _settle(
        self,
        tx: TxRecord,
        outcome: JobOutcome,
        render_ms: float,
        print_ms: float,
        progress: ProgressHook,
    ) -> TxResult:
        decision = decide(outcome)
        record = self.journal.get(tx.txid)
        if decision.state is TxState.SUSPECT:
            return self._suspect(tx, decision.reason, render_ms, print_ms, outcome.pages_out)
        if decision.state is TxState.RELEASING:
            fault = outcome.fault.code if outcome.fault else None
            return self._release(tx, decision.reason, printer_error(fault), render_ms, print_ms)
        progress("finishing", 0.9)
        item = self.journal.advance_with_outbox(
            tx.txid,
            TxState.PRINTED,
            OutboxOp.COMMIT,
            {
                "pdf_sha256": record.pdf_sha256,
                "pages": record.pages,
                "printer": record.printer,
            },
            pages_out=outcome.pages_out,
            reason=decision.reason,
        )
        self.pause("printed")
        if not self.outbox.deliver(item):
            self.outbox.wake()
        progress("finishing", 1.0)
        return TxResult(TxOutcome.PRINTED, tx.txid, None, record.pages or 0, render_ms, print_ms)

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
        self._release(tx, "reserve_answer_lost", None)

    def _release(
        self,
        tx: TxRecord,
        reason: str,
        error: UserError | None,
        render_ms: float = 0.0,
        print_ms: float = 0.0,
    ) -> TxResult:
        item = self.journal.advance_with_outbox(
            tx.txid, TxState.RELEASING, OutboxOp.RELEASE, {"reason": reason}, reason=reason
        )
        self.pause("releasing")
        if not self.outbox.deliver(item):
            self.outbox.wake()
        log.info("tx %s: released (%s)", tx.txid, reason)
        return TxResult(TxOutcome.RELEASED, tx.txid, error, 0, render_ms, print_ms)

    def _suspect(
        self,
        tx: TxRecord,
        reason: str,
        render_ms: float = 0.0,
        print_ms: float = 0.0,
        pages_out: int | None = None,
    ) -> TxResult:
        self.journal.advance(tx.txid, TxState.SUSPECT, reason=reason, pages_out=pages_out)
        record = self.journal.get(tx.txid)
        self.audit.append("suspect", txid=tx.txid, vid=record.vid, doc=record.doc, reason=reason)
        log.warning("tx %s: SUSPECT (%s)", tx.txid, reason)
        return TxResult(TxOutcome.SUSPECT, tx.txid, PRINT_UNKNOWN, 0, render_ms, print_ms)


def job_title(txid: str) -> str:
    """The printer job title: the journal's id, nothing personal."""
    return f"ADM-{txid}"


def _submit(device: DocumentPrinter, pdf: bytes, title: str, pages: int) -> str:
    return device.submit(pdf, title=title, pages=pages)


def _wait(device: DocumentPrinter, job_id: str, timeout_s: float) -> JobOutcome:
    return device.wait(job_id, timeout_s)
