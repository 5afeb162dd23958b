"""Simulated document (A4) and card (CR80) printers, driver "sim": virtual paper and faults.

Each accepts PDFs like the CUPS drivers, prints them on its own worker thread taking
``page_delay_ms`` per page, and writes every page that "comes out" as PDF and PNG to
``<paper_dir>/documents`` (or ``cards``), named by job number, never by anything personal.
Faults (:class:`devices.faults.Fault`) act as a real printer's conditions would:

- ``paper_out``, ``cover_open``, ``jam``: the printer is in error; a job is ABORTED before
  any page comes out (``pages_out == 0``). Injected mid-job, they stop it at the next page,
  or stop the sheet on its way out (that sheet counts: it may be half printed).
- ``paper_out_mid_job``: the paper runs out after the first page (ABORTED, ``pages_out == 1``);
  paper stays OUT until the fault is cleared.
- ``offline``: jobs are refused at submit (DeviceError PRINTER_OFFLINE).
- ``slow``: pages take ``slow_factor`` times longer. ``paper_near_end``: a PAPER_LOW event.
- ``unknown_outcome``: the job's fate cannot be learnt: ``wait`` returns UNKNOWN when its
  timeout ends and ``job_outcome`` keeps answering UNKNOWN.
- ``blanko_out`` (card): no blanko in the hopper; submit is refused (CARDS_OUT).

Pages are counted as they come out: a sheet counts from the moment it is fed (its count is
written to the job record first; if that write fails the sheet is not fed), so an abort or a
power cut after a page reports that page. A job whose end the simulator could not see or
record (an internal error, a job record it cannot write, a process that died mid-job) is
UNKNOWN, never "aborted with 0 pages".
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from devices.drivers import DriverContext
from devices.faults import Fault, FaultSet
from devices.model import (
    Capabilities,
    CardLevel,
    DeviceError,
    DeviceFault,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    HealthLevel,
    HealthResult,
    PaperLevel,
    StatusEventKind,
    StatusListener,
    StatusNotifier,
    Tristate,
)
from devices.ports import JobOutcome, JobState
from devices.printers.blanko import MAX_STOCK, BlankoCounter
from devices.printers.job_input import check_pdf, check_title, health_check_pdf
from devices.printers.printer_status import PrinterConditions, apply_conditions
from devices.sim.print_jobs import PrintJobStore
from devices.sim.virtual_paper import PaperError, deliver, render_pages

log = logging.getLogger(__name__)

_FAULTS = {
    Fault.OFFLINE: DeviceFault("PRINTER_OFFLINE", "the printer is offline", "cannot print"),
    Fault.JAM: DeviceFault("PRINTER_JAM", "media jam", "remove the jammed sheet"),
    Fault.COVER_OPEN: DeviceFault("PRINTER_COVER_OPEN", "cover open", "close it to print"),
    Fault.PAPER_OUT: DeviceFault("PRINTER_PAPER_OUT", "out of paper", "refill to print"),
}
_STOPPERS = (Fault.OFFLINE, Fault.JAM, Fault.COVER_OPEN, Fault.PAPER_OUT)


class SimDocumentSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    page_delay_ms: int = Field(default=400, ge=0, le=60_000, description="Time per page, ms")
    slow_factor: float = Field(default=5.0, ge=1, le=100, description="Page time x this when slow")
    png_dpi: int = Field(
        default=100, ge=0, le=600, description="Virtual paper PNG resolution, dpi (0: PDF only)"
    )
    max_pages: int = Field(default=50, ge=1, le=1000, description="Largest job accepted, pages")
    render_timeout_s: float = Field(default=30, gt=0, description="poppler time limit, s")


class SimCardSettings(SimDocumentSettings):
    page_delay_ms: int = Field(default=800, ge=0, le=60_000, description="Time per card, ms")
    png_dpi: int = Field(
        default=300, ge=0, le=600, description="Virtual card PNG resolution, dpi (0: PDF only)"
    )
    blanko_stock: int | None = Field(
        default=None, ge=0, le=MAX_STOCK, description="Initial blanko when none counted, cards"
    )
    blanko_low: int = Field(default=10, ge=0, le=MAX_STOCK, description="CARDS_LOW at, cards")


@dataclass
class _Job:
    number: int
    pdf: bytes
    unknown: bool = False


class SimulatedDocumentPrinter:
    Settings: ClassVar[type[BaseModel]] = SimDocumentSettings
    kind: DeviceKind = DeviceKind.DOCUMENT
    driver: str = "sim"
    media: ClassVar[tuple[str, ...]] = ("a4",)
    paper_folder: ClassVar[str] = "documents"
    supported_faults: frozenset[Fault] = frozenset(
        {
            Fault.PAPER_NEAR_END,
            Fault.PAPER_OUT,
            Fault.PAPER_OUT_MID_JOB,
            Fault.COVER_OPEN,
            Fault.JAM,
            Fault.OFFLINE,
            Fault.SLOW,
            Fault.UNKNOWN_OUTCOME,
        }
    )

    def __init__(self, name: str, settings: SimDocumentSettings, context: DriverContext) -> None:
        self.name = name
        self.settings = settings
        self._faults = FaultSet(self.supported_faults)
        self._notifier = StatusNotifier(name)
        self._stats = context.statistics(name)
        self._store = PrintJobStore(context.state_dir / "devices.sqlite", name)
        recovered = self._store.recover_unfinished()
        if recovered:
            log.warning("%s: %d job(s) cut short by the last shutdown", name, recovered)
        base = context.paper_dir or context.state_dir / "paper"
        self.out_dir = base / self.paper_folder
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._done: dict[int, threading.Event] = {}
        self._lock = threading.Lock()
        self._power = threading.Event()  # set while open; a page wait ends early on close
        self._worker: threading.Thread | None = None
        self._busy = False
        self._ran_out = False

    # -- life cycle ---------------------------------------------------------------------

    def open(self) -> None:
        with self._lock:
            if self._worker is None:
                self._power.set()
                self._worker = threading.Thread(
                    target=self._run, name=f"sim-printer-{self.name}", daemon=True
                )
                self._worker.start()
        self._stats.powered_on()
        self._publish()

    def close(self) -> None:
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            self._power.clear()
            self._jobs.put(None)
            worker.join(timeout=10)
        self._stats.powered_off()
        self._notifier.update(state=DeviceState.CLOSED)

    # -- Device -------------------------------------------------------------------------

    @property
    def status(self) -> DeviceStatus:
        return self._notifier.status

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        return self._notifier.subscribe(listener)

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(media=self.media)

    def statistics(self) -> dict[str, float]:
        return self._stats.snapshot()

    def check_health(self, level: HealthLevel) -> HealthResult:
        started = time.monotonic()
        status = self.status
        ok = status.state in (DeviceState.IDLE, DeviceState.BUSY) and self._can_take_media()
        text = f"simulated {self.paper_folder} printer: {status.state.value}"
        if status.last_error is not None:
            text += f", {status.last_error}"
        text += self._media_text()
        details: dict[str, object] = {"faults": sorted(f.value for f in self._faults.snapshot())}
        if ok and level is HealthLevel.EXTERNAL:
            try:
                job_id = self.submit(self._test_page(), title="ADM-TEST-PAGE", pages=1)
            except DeviceError as exc:
                ok, text = False, f"test page refused: {exc.fault}"
            else:
                budget = 5 + self._page_seconds() * 2
                outcome = self.wait(job_id, budget)
                ok = outcome.state is JobState.COMPLETED
                text = f"test page job {job_id} {outcome.state.value}"
                details["job_id"] = job_id
        ms = (time.monotonic() - started) * 1000
        return HealthResult(ok, level, text, ms, details)

    def _test_page(self) -> bytes:
        return health_check_pdf(f"simulated printer {self.name}")

    # -- faults -------------------------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        self._faults.add(fault)
        log.info("%s: fault %s injected", self.name, fault.value)
        self._publish()

    def clear(self, fault: Fault) -> None:
        self._faults.discard(fault)
        if fault in (Fault.PAPER_OUT, Fault.PAPER_OUT_MID_JOB):
            self._ran_out = False  # the technician refilled
        log.info("%s: fault %s cleared", self.name, fault.value)
        self._publish()

    def active_faults(self) -> frozenset[Fault]:
        return self._faults.snapshot()

    def _stopper(self) -> DeviceFault | None:
        active = self._faults.snapshot()
        for fault in _STOPPERS:
            if fault in active:
                return _FAULTS[fault]
        return _FAULTS[Fault.PAPER_OUT] if self._ran_out else None

    def _publish(self) -> None:
        if self._worker is None:
            return
        active = self._faults.snapshot()
        stopper = self._stopper()
        if Fault.OFFLINE in active:
            state = DeviceState.OFFLINE
        elif stopper is not None:
            state = DeviceState.ERROR
        else:
            state = DeviceState.BUSY if self._busy else DeviceState.IDLE
        if Fault.PAPER_OUT in active or self._ran_out:
            paper = PaperLevel.OUT
        elif Fault.PAPER_NEAR_END in active:
            paper = PaperLevel.NEAR_END
        else:
            paper = PaperLevel.OK
        cover = Tristate.YES if Fault.COVER_OPEN in active else Tristate.NO
        jam = Tristate.YES if Fault.JAM in active else Tristate.NO
        cond = PrinterConditions(state, paper, cover, jam, stopper, (), True, "")
        apply_conditions(self._notifier, cond, cards=self.kind is DeviceKind.CARD)

    # -- jobs ---------------------------------------------------------------------------

    def submit(self, pdf: bytes, *, title: str, pages: int) -> str:
        check_pdf(pdf)
        check_title(title)
        if self._worker is None:
            raise DeviceError(DeviceFault("DEVICE_CLOSED", f"{self.name} is not open"))
        if Fault.OFFLINE in self._faults:
            self._stats.increment("errors")
            raise DeviceError(_FAULTS[Fault.OFFLINE])
        self._before_submit(pages)
        number = self._store.add(title, pages)
        with self._lock:
            self._done[number] = threading.Event()
        self._stats.increment("jobs")
        self._jobs.put(_Job(number, pdf))
        log.info("%s: job %d queued (%d pages)", self.name, number, pages)
        return str(number)

    def wait(self, job_id: str, timeout_s: float) -> JobOutcome:
        number = _job_number(job_id)
        with self._lock:
            done = self._done.get(number) if number is not None else None
        if done is not None:
            done.wait(max(0.0, timeout_s))
        outcome = self.job_outcome(job_id)
        if outcome.state.final or outcome.state is JobState.UNKNOWN:
            return outcome
        return JobOutcome(job_id, JobState.UNKNOWN, None, None, outcome.details)

    def job_outcome(self, job_id: str) -> JobOutcome:
        number = _job_number(job_id)
        record = self._store.get(number) if number is not None else None
        if record is None:
            fault = DeviceFault("JOB_UNKNOWN", f"no job {job_id!r} on {self.name}")
            return JobOutcome(job_id, JobState.UNKNOWN, None, fault)
        return record.outcome()

    # -- the worker ---------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                self._print(job)
            except Exception:  # never let one job kill the printer; its outcome is unknown
                log.exception("%s: job %d failed", self.name, job.number)
                fault = DeviceFault("PRINTER_INTERNAL", "the simulator failed; pages out unknown")
                self._finish(job, JobState.UNKNOWN, None, fault)

    def _page_seconds(self) -> float:
        factor = self.settings.slow_factor if Fault.SLOW in self._faults else 1.0
        return self.settings.page_delay_ms / 1000 * factor

    def _print(self, job: _Job) -> None:
        job.unknown = Fault.UNKNOWN_OUTCOME in self._faults
        self._busy = True
        self._store.update(job.number, state=JobState.PRINTING)
        self._publish()
        stopper = self._stopper()
        if not self._power.is_set():
            stopper = DeviceFault("PRINTER_POWER_LOST", "switched off before the job")
        if stopper is not None:
            self._finish(job, JobState.ABORTED, 0, stopper)
            return
        printed = 0
        with tempfile.TemporaryDirectory(prefix="adm-sim-print-") as work:
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
                fault = self._page_fault(printed)
                if fault is not None:
                    self._finish(job, JobState.ABORTED, printed, fault)
                    return
                # The sheet is fed: it counts from here. The count is written first; if that
                # fails the sheet is not fed and the job's end is unknown (an exception).
                self._store.update(job.number, pages_out=printed + 1)
                printed += 1
                if not self._sleep(self._page_seconds()):  # the page is on its way out
                    lost = DeviceFault("PRINTER_POWER_LOST", f"switched off during page {printed}")
                    self._finish(job, JobState.ABORTED, printed, lost)
                    return
                stopper = self._stopper()  # a condition that arose while the page moved
                if stopper is not None:  # the sheet stopped on its way out: it counts
                    self._finish(job, JobState.ABORTED, printed, stopper)
                    return
                deliver(page, self.out_dir, f"job-{job.number:06d}-p{page.number:02d}")
                self._stats.increment("pages")
                self._page_out()
        self._finish(job, JobState.COMPLETED, printed, None)

    def _sleep(self, seconds: float) -> bool:
        """Wait out a page; False if the printer was switched off meanwhile."""
        deadline = time.monotonic() + seconds
        while self._power.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            time.sleep(min(left, 0.05))
        return False

    def _page_fault(self, printed: int) -> DeviceFault | None:
        """A fault that stops the job before the next page comes out."""
        if not self._power.is_set():
            return DeviceFault("PRINTER_POWER_LOST", f"switched off after page {printed}")
        stopper = self._stopper()
        if stopper is not None:
            return stopper
        if printed >= 1 and Fault.PAPER_OUT_MID_JOB in self._faults:
            self._ran_out = True
            self._publish()
            return DeviceFault("PRINTER_PAPER_OUT", f"paper ran out after page {printed}")
        return None

    def _finish(
        self, job: _Job, state: JobState, pages_out: int | None, fault: DeviceFault | None
    ) -> None:
        stored = JobState.UNKNOWN if job.unknown else state
        try:
            self._store.update(job.number, state=stored, pages_out=pages_out, fault=fault)
        except sqlite3.Error:  # the record stays unfinished: the job reads as UNKNOWN
            log.exception("%s: the end of job %d was not recorded", self.name, job.number)
        if state is JobState.COMPLETED:
            self._stats.increment("jobs_completed")
        else:
            self._stats.increment("errors")
            self._stats.increment(f"jobs_{state.value}")
        log.info("%s: job %d %s, %s page(s) out", self.name, job.number, stored.value, pages_out)
        self._busy = False
        self._publish()
        with self._lock:
            done = self._done.pop(job.number, None)
        if done is not None and not job.unknown:
            done.set()

    # -- hooks for the card printer ------------------------------------------------------

    def _before_submit(self, pages: int) -> None:
        """Refuse a job before it is queued (the card printer checks its blanko)."""

    def _page_out(self) -> None:
        """One page (card) came out."""

    def _can_take_media(self) -> bool:
        return True

    def _media_text(self) -> str:
        return ""


class SimulatedCardPrinter(SimulatedDocumentPrinter):
    """KTP-el / KIA on CR80 blanko, with the blanko counter (``CardStock``)."""

    Settings: ClassVar[type[BaseModel]] = SimCardSettings
    kind: DeviceKind = DeviceKind.CARD
    media: ClassVar[tuple[str, ...]] = ("cr80",)
    paper_folder: ClassVar[str] = "cards"
    supported_faults: frozenset[Fault] = SimulatedDocumentPrinter.supported_faults | {
        Fault.BLANKO_OUT
    }

    def __init__(self, name: str, settings: SimCardSettings, context: DriverContext) -> None:
        super().__init__(name, settings, context)
        self._blanko = BlankoCounter(
            self._stats, self._notifier, low=settings.blanko_low, initial=settings.blanko_stock
        )

    def blanko(self) -> tuple[int, int]:
        return self._blanko.blanko()

    def refill_blanko(self, stock: int) -> None:
        self._blanko.refill(stock)
        self._publish()

    def _publish(self) -> None:
        super()._publish()
        if Fault.BLANKO_OUT in self._faults:
            self._notifier.update(StatusEventKind.CARDS_OUT, cards=CardLevel.OUT)
        elif hasattr(self, "_blanko"):  # _publish may run from the base __init__
            self._blanko.publish()

    def _before_submit(self, pages: int) -> None:
        if Fault.BLANKO_OUT in self._faults:
            raise DeviceError(
                DeviceFault("CARDS_OUT", "the blanko hopper is empty", "card printing unavailable")
            )
        self._blanko.require(pages)

    def _page_fault(self, printed: int) -> DeviceFault | None:
        fault = super()._page_fault(printed)
        if fault is None and (Fault.BLANKO_OUT in self._faults or self._blanko.left() < 1):
            fault = DeviceFault("CARDS_OUT", f"blanko ran out after {printed} card(s)")
        return fault

    def _page_out(self) -> None:
        self._stats.increment("cards")
        self._blanko.consume(1)

    def _can_take_media(self) -> bool:
        return Fault.BLANKO_OUT not in self._faults and self._blanko.left() > 0

    def _media_text(self) -> str:
        if Fault.BLANKO_OUT in self._faults:
            return ", CARDS_OUT: the blanko hopper is empty"
        left, low = self._blanko.blanko()
        return f", blanko {left} left (low at {low})"

    def _test_page(self) -> bytes:
        return health_check_pdf(f"simulated card printer {self.name}", width_mm=85.6, height_mm=54)


def _job_number(job_id: str) -> int | None:
    try:
        number = int(job_id)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
