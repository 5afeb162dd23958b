"""CUPS document printer (driver "cups"): submit PDFs over IPP, follow jobs, read printer state.

Talks IPP directly to cupsd (:mod:`devices.printers.ipp`), over TCP (``host:port``) or its local
socket, so it needs neither libcups bindings nor parsing of ``lpstat`` output. Job ids are
CUPS's own, so :meth:`CupsDocumentPrinter.job_outcome` works after a kiosk restart (crash
recovery), as long as cupsd keeps the job in its history (``PreserveJobHistory``).

Outcomes: ``pages_out`` is what CUPS reports as printed (``job-media-sheets-completed``, from
the backend's ``PAGE:`` reports); for an aborted or canceled job that is 0 when nothing was
printed. A completed job whose backend reported no pages gets ``None`` (unknown), never a guess.

Submitting is exactly-once minded: if Print-Job went out but its answer was lost or garbled,
the driver asks cupsd for a job of that (per-transaction unique) title before answering. Found:
that is the job. Not found, or cupsd cannot say: the fault is PRINTER_SUBMIT_UNCERTAIN, never
"not submitted" (cupsd may still be reading the request it never answered). Only a refusal
cupsd stated (an IPP error status) or a connection never made is "not submitted".
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from devices.drivers import DriverContext
from devices.model import (
    Capabilities,
    DeviceError,
    DeviceFault,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    HealthLevel,
    HealthResult,
    StatusListener,
    StatusNotifier,
)
from devices.ports import JobOutcome, JobState
from devices.printers.ipp import (
    IppClient,
    IppDecodeError,
    IppError,
    IppNoAnswer,
    IppStatusError,
    IppUnavailable,
)
from devices.printers.job_input import check_pdf, check_title, health_check_pdf
from devices.printers.printer_status import (
    MARKER_ATTRIBUTES,
    apply_conditions,
    conditions_from_attributes,
    fault_from_reasons,
    mark_unreachable,
)

log = logging.getLogger(__name__)

# The first pause between job polls; each next one doubles up to poll_interval_ms (a card or a
# one-page job is often done within tens of ms, a long job is not polled more than configured).
_FIRST_POLL_S = 0.02

_JOB_STATES = {
    3: JobState.PENDING,
    4: JobState.PENDING,  # pending-held
    5: JobState.PRINTING,
    6: JobState.PRINTING,  # processing-stopped
    7: JobState.CANCELED,
    8: JobState.ABORTED,
    9: JobState.COMPLETED,
}
_JOB_ATTRS = [
    "job-state",
    "job-state-reasons",
    "job-media-sheets-completed",
    "job-impressions-completed",
    "job-printer-state-reasons",
    "job-printer-state-message",
]
_PRINTER_ATTRS = [
    "printer-state",
    "printer-state-reasons",
    "printer-is-accepting-jobs",
    "printer-state-message",
    *MARKER_ATTRIBUTES,
]


class CupsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    queue: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,127}$", description="CUPS queue (printer) name")
    server: str = Field(
        default="localhost:631",
        pattern=r"^(/\S+|[A-Za-z0-9_.\[\]:-]+:\d{1,5})$",
        description="cupsd address: host:port, or the absolute path of its local socket",
    )
    job_timeout_s: float = Field(
        default=180.0, gt=0, description="How long a job may take before its outcome is UNKNOWN, s"
    )
    poll_interval_ms: int = Field(
        default=500, ge=20, le=10_000, description="Job polling interval while waiting, ms"
    )
    status_interval_s: float = Field(
        default=10.0, ge=0, description="Printer status polling while open, s (0: only on use)"
    )
    request_timeout_s: float = Field(
        default=10.0, gt=0, le=120, description="Timeout of one IPP request to cupsd, s"
    )
    user: str = Field(
        default="kiosk", pattern=r"^[A-Za-z0-9_.-]{1,32}$", description="requesting-user-name"
    )
    # Used only by scripts/provision-printers, which creates the queue (lpadmin -v / -m).
    device_uri: str | None = Field(
        default=None,
        pattern=r"^[a-z][a-z0-9+.-]*:\S+$",
        description="The printer's address for its CUPS queue: usb://..., ipp://..., "
        "socket://host:9100 (lpinfo -v lists them)",
    )
    ppd_model: str = Field(
        default="everywhere",
        pattern=r"^[A-Za-z0-9_.:/+ -]{1,255}$",
        description="lpadmin -m: 'everywhere' (driverless IPP), 'raw', or a model from lpinfo -m",
    )


class CupsDocumentPrinter:
    """A4 documents through a CUPS queue. Implements ``DocumentPrinter``."""

    Settings: ClassVar[type[BaseModel]] = CupsSettings
    kind: DeviceKind = DeviceKind.DOCUMENT
    driver: str = "cups"
    media: ClassVar[tuple[str, ...]] = ("a4",)
    cards: ClassVar[bool] = False

    def __init__(self, name: str, settings: CupsSettings, context: DriverContext) -> None:
        self.name = name
        self.settings = settings
        self._ipp = IppClient(settings.server, settings.request_timeout_s, settings.user)
        self._stats = context.statistics(name)
        self._notifier = StatusNotifier(name)
        self._reasons: tuple[str, ...] = ()
        self._accepting = False  # cupsd answered and the queue takes jobs
        self._accounted: set[str] = set()
        self._submitted: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._monitor: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------------------

    def open(self) -> None:
        self._stats.powered_on()
        self.refresh_status()
        if self.settings.status_interval_s > 0 and self._monitor is None:
            self._stop.clear()
            self._monitor = threading.Thread(
                target=self._watch, name=f"cups-status-{self.name}", daemon=True
            )
            self._monitor.start()

    def close(self) -> None:
        self._stop.set()
        if self._monitor is not None:
            self._monitor.join(timeout=self.settings.request_timeout_s + 1)
            self._monitor = None
        self._stats.powered_off()
        self._notifier.update(state=DeviceState.CLOSED)

    def _watch(self) -> None:
        while not self._stop.wait(self.settings.status_interval_s):
            try:
                self.refresh_status()
            except Exception:
                log.exception("%s: status poll failed", self.name)

    # -- status -------------------------------------------------------------------------

    @property
    def status(self) -> DeviceStatus:
        return self._notifier.status

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        return self._notifier.subscribe(listener)

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(media=self.media)

    @property
    def printer_state_reasons(self) -> tuple[str, ...]:
        """The queue's last printer-state-reasons, as CUPS reported them."""
        return self._reasons

    def refresh_status(self, timeout_s: float | None = None) -> DeviceStatus:
        """Ask cupsd for the queue's state; OFFLINE when cupsd or the queue is not there."""
        try:
            attrs = self._ipp.printer_attributes(
                self.settings.queue, _PRINTER_ATTRS, timeout_s=timeout_s
            )
        except IppStatusError as exc:
            self._accepting = False
            detail = f"queue {self.settings.queue!r} " + (
                "does not exist" if exc.not_found else f"refused: {exc}"
            )
            mark_unreachable(self._notifier, detail)
            return self.status
        except IppError as exc:
            self._accepting = False
            if self.status.state is not DeviceState.OFFLINE:  # once per outage, not per poll
                log.warning("%s: cupsd unreachable: %s", self.name, exc)
            mark_unreachable(self._notifier, f"cupsd at {self.settings.server} unreachable")
            return self.status
        cond = conditions_from_attributes(attrs, cards=self.cards)
        self._accepting = cond.accepting
        if cond.reasons != self._reasons:
            log.info("%s: printer-state-reasons %s", self.name, ",".join(cond.reasons) or "none")
        self._reasons = cond.reasons
        apply_conditions(self._notifier, cond, cards=self.cards)
        return self.status

    # -- jobs ---------------------------------------------------------------------------

    def submit(self, pdf: bytes, *, title: str, pages: int) -> str:
        check_pdf(pdf)
        check_title(title)
        try:
            job = self._ipp.print_job(
                self.settings.queue, pdf, title=title, timeout_s=self.settings.request_timeout_s
            )
        except (IppNoAnswer, IppDecodeError) as exc:  # it went out; did cupsd queue it?
            job = self._find_unanswered(title, exc)
        except IppUnavailable as exc:
            self._stats.increment("errors")
            mark_unreachable(self._notifier, f"cupsd at {self.settings.server} unreachable")
            raise DeviceError(
                DeviceFault("PRINTER_OFFLINE", str(exc), "the job was not submitted")
            ) from exc
        except IppError as exc:
            self._stats.increment("errors")
            raise DeviceError(
                DeviceFault("PRINTER_REFUSED", str(exc), "the job was not submitted")
            ) from exc
        job_id = str(job)
        with self._lock:
            self._submitted.add(job_id)
        self._stats.increment("jobs")
        log.info(
            "%s: job %s submitted to %s (%d pages)", self.name, job_id, self.settings.queue, pages
        )
        return job_id

    def _find_unanswered(self, title: str, cause: IppError) -> int:
        """Print-Job went out but no usable answer came back: did CUPS queue it?

        Titles are unique per transaction, so a job of that name is this one. If cupsd cannot
        say, or does not list it (yet: it may still be processing the request), the job may
        exist: the fault says so, and nothing may be reprinted blindly.
        """
        self._stats.increment("errors")
        try:
            found = self._job_named(title)
        except IppError as exc:
            log.error("%s: job %s submitted without an answer; cupsd cannot say", self.name, title)
            raise DeviceError(
                DeviceFault(
                    "PRINTER_SUBMIT_UNCERTAIN",
                    f"{cause}; looking it up failed: {exc}",
                    "the job may be queued: check the queue before printing it again",
                )
            ) from cause
        if found is None:
            log.error("%s: job %s submitted without an answer and not listed", self.name, title)
            raise DeviceError(
                DeviceFault(
                    "PRINTER_SUBMIT_UNCERTAIN",
                    f"{cause}; no job of that title listed yet",
                    "the job may still be queued: check the queue before printing it again",
                )
            ) from cause
        log.warning("%s: job %s found as CUPS job %d after a lost answer", self.name, title, found)
        return found

    def _job_named(self, title: str, recent: int = 20) -> int | None:
        """The newest of our ``recent`` latest jobs called ``title``, if any."""
        for job_id in self._ipp.job_ids(self.settings.queue)[:recent]:
            attrs = self._ipp.job_attributes(self.settings.queue, job_id, ["job-name"])
            if (attrs.get("job-name") or [None])[0] == title:
                return job_id
        return None

    def wait(self, job_id: str, timeout_s: float) -> JobOutcome:
        """Poll the job (and the printer's state) until final or ``timeout_s`` passes."""
        deadline = time.monotonic() + max(0.0, timeout_s)
        longest = self.settings.poll_interval_ms / 1000
        interval = min(_FIRST_POLL_S, longest)  # short jobs are seen at once; then back off
        while True:
            remaining = deadline - time.monotonic()
            budget = min(self.settings.request_timeout_s, remaining)
            outcome = self._query(job_id, timeout_s=budget)
            self.refresh_status(timeout_s=budget)
            if outcome.state.final:
                self._account(outcome)
                return outcome
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                log.warning("%s: job %s not final after %.1f s", self.name, job_id, timeout_s)
                details = {**outcome.details, "last_state": outcome.state.value}
                return JobOutcome(job_id, JobState.UNKNOWN, None, outcome.fault, details)
            time.sleep(min(interval, remaining))  # poll pacing; the deadline bounds the loop
            interval = min(interval * 2, longest)

    def job_outcome(self, job_id: str) -> JobOutcome:
        outcome = self._query(job_id, timeout_s=self.settings.request_timeout_s)
        with self._lock:
            recovered = job_id not in self._submitted
        if outcome.state.final and recovered:
            self._account(outcome)  # a job from before a restart: count it once here
        return outcome

    def cancel(self, job_id: str) -> None:
        """Ask CUPS to cancel a job (technician action; pages already out stay out)."""
        try:
            self._ipp.cancel_job(self.settings.queue, int(job_id))
        except (IppError, ValueError) as exc:
            raise DeviceError(DeviceFault("PRINTER_CANCEL_FAILED", str(exc))) from exc

    def _query(self, job_id: str, *, timeout_s: float) -> JobOutcome:
        try:
            number = int(job_id)
        except ValueError:
            return JobOutcome(job_id, JobState.UNKNOWN, None, DeviceFault("JOB_UNKNOWN", "bad id"))
        try:
            attrs = self._ipp.job_attributes(
                self.settings.queue, number, _JOB_ATTRS, timeout_s=timeout_s
            )
        except IppStatusError as exc:
            code = "JOB_UNKNOWN" if exc.not_found else "PRINTER_REFUSED"
            return JobOutcome(job_id, JobState.UNKNOWN, None, DeviceFault(code, str(exc)))
        except IppError as exc:
            fault = DeviceFault("PRINTER_OFFLINE", str(exc), "the job's outcome is unknown")
            return JobOutcome(job_id, JobState.UNKNOWN, None, fault)
        return self._outcome_from(job_id, attrs)

    def _outcome_from(self, job_id: str, attrs: dict[str, list[Any]]) -> JobOutcome:
        raw_state = (attrs.get("job-state") or [0])[0]
        state = _JOB_STATES.get(raw_state, JobState.UNKNOWN)
        sheets = _first_int(attrs, "job-media-sheets-completed")
        impressions = _first_int(attrs, "job-impressions-completed")
        reported = sheets if sheets is not None else impressions
        if state is JobState.COMPLETED:
            pages_out = reported if reported else None
        elif state in (JobState.ABORTED, JobState.CANCELED):
            pages_out = reported
        else:
            pages_out = None
        reasons = [str(r) for r in attrs.get("job-printer-state-reasons", []) if r != "none"]
        message = str((attrs.get("job-printer-state-message") or [""])[0])
        fault = None
        if state in (JobState.ABORTED, JobState.CANCELED):
            fault = fault_from_reasons(reasons, cards=self.cards) or DeviceFault(
                "PRINTER_JOB_ABORTED" if state is JobState.ABORTED else "PRINTER_JOB_CANCELED",
                message or f"CUPS reports the job {state.value}",
            )
        details: dict[str, Any] = {
            "cups_job_state": raw_state,
            "job_state_reasons": [str(r) for r in attrs.get("job-state-reasons", [])],
            "printer_state_reasons": reasons,
        }
        return JobOutcome(job_id, state, pages_out, fault, details)

    def _account(self, outcome: JobOutcome) -> None:
        with self._lock:
            if outcome.job_id in self._accounted:
                return
            self._accounted.add(outcome.job_id)
        if outcome.pages_out:
            self._stats.increment("pages", outcome.pages_out)
        if outcome.state is JobState.COMPLETED:
            self._stats.increment("jobs_completed")
        else:
            self._stats.increment("errors")
            self._stats.increment(f"jobs_{outcome.state.value}")
        self._after_job(outcome)

    def _after_job(self, outcome: JobOutcome) -> None:
        """Hook for subclasses (the card printer counts its blanko here)."""

    # -- health and statistics ----------------------------------------------------------

    def check_health(self, level: HealthLevel) -> HealthResult:
        started = time.monotonic()
        status = self.refresh_status()
        reasons = ",".join(self._reasons) or "none"
        ok = status.state in (DeviceState.IDLE, DeviceState.BUSY)
        if status.last_error is not None:
            text = f"queue {self.settings.queue}: {status.last_error}"
        else:
            text = (
                f"queue {self.settings.queue}: {status.state.value}, accepting, reasons {reasons}"
            )
        details: dict[str, Any] = {"reasons": list(self._reasons), "server": self.settings.server}
        stopped = status.last_error is not None and status.last_error.code == "PRINTER_STOPPED"
        if level is HealthLevel.EXTERNAL and self._accepting and not stopped:
            # Conditions CUPS reports are those of the last job; after a refill only a new
            # job clears them, so the technician's test page runs despite them.
            printed, text = self._print_test_page(details)
            status = self.refresh_status()
            ok = printed and status.state in (DeviceState.IDLE, DeviceState.BUSY)
        ms = (time.monotonic() - started) * 1000
        return HealthResult(ok, level, text, ms, details)

    def _test_page(self) -> bytes:
        return health_check_pdf(f"queue {self.settings.queue} via {self.settings.server}")

    def _print_test_page(self, details: dict[str, Any]) -> tuple[bool, str]:
        try:
            title = f"ADM-TEST-{uuid.uuid4().hex[:8]}"  # unique, like every job title
            job_id = self.submit(self._test_page(), title=title, pages=1)
        except DeviceError as exc:
            return False, f"test page refused: {exc.fault}"
        outcome = self.wait(job_id, min(self.settings.job_timeout_s, 60.0))
        details["job_id"] = job_id
        if outcome.state is JobState.COMPLETED:
            return True, f"test page printed (job {job_id})"
        reason = f": {outcome.fault}" if outcome.fault else ""
        return False, f"test page job {job_id} {outcome.state.value}{reason}"

    def statistics(self) -> dict[str, float]:
        return self._stats.snapshot()


def _first_int(attrs: dict[str, list[Any]], name: str) -> int | None:
    values = attrs.get(name)
    if values and isinstance(values[0], int) and not isinstance(values[0], bool):
        return max(0, values[0])
    return None
