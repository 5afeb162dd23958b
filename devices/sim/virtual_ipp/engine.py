"""The virtual IPP printer's print engine: its faults, its jobs, and the pages they put out.

One worker thread prints jobs in order, ``page_delay_s`` per page, and moves each page that
"comes out" to the out folder as PDF (and PNG), named by job number, never by anything personal.
Jobs are kept in :class:`~devices.sim.print_jobs.PrintJobStore` (SQLite), so the job history
survives a restart as cupsd's does with ``PreserveJobHistory``. Pages are counted as the
simulated printer (driver "sim") counts them: a sheet counts from the moment it is fed (the
count is written first), so a fault or a power cut while it moves reports it, and a job whose
end could not be seen or recorded is never offered as "aborted with nothing out".

Faults act as a printer's conditions do, and the print server reports them as CUPS would:

- ``paper_out``, ``jam``, ``cover_open`` (and ``blanko_out`` on a card printer): the printer
  reports ``media-empty-error``, ``media-jam-error``, ``door-open-error``; a job stops before its
  next page and ends ABORTED with the pages already out.
- ``paper_out_mid_job``: the paper runs out after the first page of the next job (page 1 out,
  page 2 not: ABORTED, one sheet); the paper stays out until the fault is cleared (a refill).
- ``offline``: the printer is offline (unplugged, switched off) while the print server still
  answers, as cupsd does for a USB printer that went away: ``offline-report``, and a job stops
  before its next page (ABORTED). Stopping the server (:meth:`VirtualIppPrinter.stop`) is the
  other kind of outage, an unreachable cupsd.
- ``slow``: pages take ``slow_factor`` times longer. ``paper_near_end``: ``media-low-report``.
- ``unknown_outcome``: the job prints, but its state never becomes final (processing-stopped,
  no page count): its fate cannot be learnt from the printer.
- ``lost_answer``: a Print-Job is taken (the job exists and prints), but its HTTP answer is lost.
- ``pages_unknown``: a job completes without reporting how many pages came out (a backend that
  sends no ``PAGE:`` lines).
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from devices.faults import Fault, FaultSet
from devices.model import DeviceFault
from devices.ports import JobState
from devices.sim.pdf_pages import count_pages
from devices.sim.print_jobs import JobRecord, PrintJobStore
from devices.sim.virtual_paper import PaperError, deliver, render_pages

log = logging.getLogger(__name__)

DOCUMENT_FAULTS = frozenset(
    {
        Fault.PAPER_NEAR_END,
        Fault.PAPER_OUT,
        Fault.PAPER_OUT_MID_JOB,
        Fault.COVER_OPEN,
        Fault.JAM,
        Fault.OFFLINE,
        Fault.SLOW,
        Fault.UNKNOWN_OUTCOME,
        Fault.LOST_ANSWER,
        Fault.PAGES_UNKNOWN,
    }
)
CARD_FAULTS = DOCUMENT_FAULTS | {Fault.BLANKO_OUT}

# A completed job whose page count the printer never reported carries this marker (persisted
# with the job, so the count stays unknown after a restart too).
PAGES_NOT_REPORTED = "PAGES_NOT_REPORTED"

# Conditions that stop a job, most serious first, with the IPP printer-state-reason each shows.
_STOPPERS = (
    (Fault.JAM, "media-jam-error", "PRINTER_JAM", "media jam"),
    (Fault.COVER_OPEN, "door-open-error", "PRINTER_COVER_OPEN", "door or cover open"),
    (Fault.PAPER_OUT, "media-empty-error", "PRINTER_PAPER_OUT", "out of paper"),
    (Fault.BLANKO_OUT, "media-empty-error", "CARDS_OUT", "the blanko hopper is empty"),
)
# The reason a finished job reports, by the fault it ended with.
FAULT_REASONS = {
    "PRINTER_JAM": "media-jam-error",
    "PRINTER_COVER_OPEN": "door-open-error",
    "PRINTER_PAPER_OUT": "media-empty-error",
    "CARDS_OUT": "media-empty-error",
    "PRINTER_OFFLINE": "offline-report",
}


@dataclass(frozen=True, slots=True)
class EngineSettings:
    page_delay_s: float = 0.4
    slow_factor: float = 5.0
    png_dpi: int = 100  # 0: virtual paper as PDF only
    max_pages: int = 50
    render_timeout_s: float = 30.0


@dataclass
class _Job:
    number: int
    pdf: bytes
    cancel: threading.Event
    unknown: bool = False
    pages_unknown: bool = False


class PrintEngine:
    """The printer behind the print server (thread-safe). ``cards``: the media is CR80 blanko."""

    def __init__(
        self,
        store: PrintJobStore,
        out_dir: Path | None,
        settings: EngineSettings,
        *,
        cards: bool = False,
    ) -> None:
        self.store = store
        self.out_dir = out_dir
        self.settings = settings
        self.cards = cards
        self.supported_faults = CARD_FAULTS if cards else DOCUMENT_FAULTS
        self.faults = FaultSet(self.supported_faults)
        self._lock = threading.Lock()
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._active: dict[int, _Job] = {}
        self._ran_out = False  # paper_out_mid_job struck: out until a refill (clear)
        self._printing = False
        self._off = threading.Event()  # set while switched off: a page under way ends nowhere
        self._worker: threading.Thread | None = None
        recovered = store.recover_unfinished()
        if recovered:
            log.warning("virtual IPP printer: %d job(s) cut short by the last shutdown", recovered)

    # -- power --------------------------------------------------------------------------

    def start(self) -> None:
        with self._lock:
            if self._worker is not None:
                return
            self._off.clear()
            self._worker = threading.Thread(
                target=self._run, name="virtual-ipp-engine", daemon=True
            )
            self._worker.start()

    def stop(self) -> None:
        """Switch off: a page on its way finishes nowhere; the job ends ABORTED."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            self._off.set()
            self._jobs.put(None)
            worker.join(timeout=10)

    # -- faults -------------------------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        self.faults.add(fault)
        log.info("virtual IPP printer: fault %s injected", fault.value)

    def clear(self, fault: Fault) -> None:
        self.faults.discard(fault)
        if fault in (Fault.PAPER_OUT, Fault.PAPER_OUT_MID_JOB):
            self._ran_out = False  # the technician refilled
        log.info("virtual IPP printer: fault %s cleared", fault.value)

    def active_faults(self) -> frozenset[Fault]:
        return self.faults.snapshot()

    @property
    def printing(self) -> bool:
        return self._printing

    def printer_reasons(self) -> list[str]:
        """The printer-state-reasons of the moment (empty: none)."""
        active = self.faults.snapshot()
        reasons = ["offline-report"] if Fault.OFFLINE in active else []
        reasons += [reason for fault, reason, _, _ in _STOPPERS if fault in active]
        if self._ran_out and "media-empty-error" not in reasons:
            reasons.append("media-empty-error")
        if Fault.PAPER_NEAR_END in active and "media-empty-error" not in reasons:
            reasons.append("media-low-report")
        return reasons

    def _stopper(self) -> DeviceFault | None:
        active = self.faults.snapshot()
        if Fault.OFFLINE in active:
            return DeviceFault("PRINTER_OFFLINE", "the printer went offline", "cannot print")
        for fault, _, code, detail in _STOPPERS:
            if fault in active:
                return DeviceFault(code, detail, "the job stopped")
        if self._ran_out:
            return DeviceFault(self._media_out_code(), "out of media", "the job stopped")
        return None

    def _media_out_code(self) -> str:
        return "CARDS_OUT" if self.cards else "PRINTER_PAPER_OUT"

    # -- jobs ---------------------------------------------------------------------------

    def submit(self, pdf: bytes, title: str) -> int:
        """Queue a job; returns its number (the IPP job-id)."""
        number = self.store.add(title, count_pages(pdf) or 0)
        job = _Job(number, pdf, threading.Event())
        with self._lock:
            self._active[number] = job
        self._jobs.put(job)
        log.info("virtual IPP printer: job %d queued", number)
        return number

    def cancel(self, number: int) -> bool:
        """Ask a pending or printing job to stop (pages already out stay out); False if final."""
        with self._lock:
            job = self._active.get(number)
        if job is None:
            return False
        job.cancel.set()
        return True

    def job(self, number: int) -> JobRecord | None:
        return self.store.get(number)

    def recent(self, limit: int = 100) -> list[int]:
        return self.store.recent(limit)

    # -- the worker ---------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                self._print(job)
            except Exception:  # one job never stops the printer; its outcome is unknown
                log.exception("virtual IPP printer: job %d failed", job.number)
                fault = DeviceFault("PRINTER_INTERNAL", "the simulator failed; pages out unknown")
                self._finish(job, JobState.UNKNOWN, None, fault)

    def _page_seconds(self) -> float:
        factor = self.settings.slow_factor if Fault.SLOW in self.faults else 1.0
        return self.settings.page_delay_s * factor

    def _print(self, job: _Job) -> None:
        active = self.faults.snapshot()
        job.unknown = Fault.UNKNOWN_OUTCOME in active
        job.pages_unknown = Fault.PAGES_UNKNOWN in active
        if job.cancel.is_set():
            self._finish(job, JobState.CANCELED, 0, None)
            return
        self._printing = True
        self.store.update(job.number, state=JobState.PRINTING)
        printed = 0
        with tempfile.TemporaryDirectory(prefix="adm-virtual-ipp-") as work:
            source = Path(work) / "job.pdf"
            source.write_bytes(job.pdf)
            try:
                pages = render_pages(
                    source,
                    Path(work),
                    dpi=self.settings.png_dpi,
                    max_pages=self.settings.max_pages,
                    timeout_s=self.settings.render_timeout_s,
                )
            except PaperError as exc:
                bad = DeviceFault("PRINTER_BAD_DOCUMENT", str(exc), "nothing was printed")
                self._finish(job, JobState.ABORTED, 0, bad)
                return
            for page in pages:
                if job.cancel.is_set():
                    self._finish(job, JobState.CANCELED, printed, None)
                    return
                fault = self._page_fault(printed)
                if fault is not None:
                    self._finish(job, JobState.ABORTED, printed, fault)
                    return
                # The sheet is fed: it counts from here (written first; if that write fails
                # the sheet is not fed and the job's end is unknown).
                self.store.update(job.number, pages_out=printed + 1)
                printed += 1
                if not self._sleep(self._page_seconds()):  # the page is on its way out
                    lost = DeviceFault("PRINTER_POWER_LOST", f"switched off during page {printed}")
                    self._finish(job, JobState.ABORTED, printed, lost)
                    return
                fault = self._stopper()  # a condition that arose while the page moved
                if fault is not None:  # the sheet stopped on its way out: it counts
                    self._finish(job, JobState.ABORTED, printed, fault)
                    return
                if self.out_dir is not None:
                    deliver(page, self.out_dir, f"job-{job.number:06d}-p{page.number:02d}")
        self._finish(job, JobState.COMPLETED, printed, None)

    def _page_fault(self, printed: int) -> DeviceFault | None:
        """A condition that stops the job before its next page."""
        if self._off.is_set():
            return DeviceFault("PRINTER_POWER_LOST", f"switched off after page {printed}")
        stopper = self._stopper()
        if stopper is not None:
            return stopper
        if printed >= 1 and Fault.PAPER_OUT_MID_JOB in self.faults:
            self._ran_out = True
            return DeviceFault(self._media_out_code(), f"paper ran out after page {printed}")
        return None

    def _sleep(self, seconds: float) -> bool:
        """Wait out a page; False if the printer was switched off meanwhile."""
        return not self._off.wait(seconds)

    def _finish(
        self, job: _Job, state: JobState, pages_out: int | None, fault: DeviceFault | None
    ) -> None:
        stored = state
        if job.unknown:
            stored = JobState.UNKNOWN
        elif state is JobState.COMPLETED and job.pages_unknown:
            fault = DeviceFault(PAGES_NOT_REPORTED, "the printer reported no page count")
        try:
            self.store.update(job.number, state=stored, pages_out=pages_out, fault=fault)
        except sqlite3.Error:  # the record stays unfinished: the job reads as not final
            log.exception("virtual IPP printer: the end of job %d was not recorded", job.number)
        with self._lock:
            self._active.pop(job.number, None)
        self._printing = False
        log.info(
            "virtual IPP printer: job %d %s, %s page(s) out", job.number, stored.value, pages_out
        )
