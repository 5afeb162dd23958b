"""ESC/POS receipt printers over USB, serial and network (the ``ReceiptPrinter`` port).

python-escpos opens the link (:mod:`.escpos_link`); this module owns the rest: status from
DLE EOT real-time requests (:mod:`.escpos_status`, silence is UNKNOWN), every I/O bounded by a
timeout, a printer that disappears goes OFFLINE and is reopened with backoff when it returns.

A job is confirmed by a status request sent after it: the printer answers only after it has
received every byte before it, so an answer means the job reached the printer, a closed link means
it did not (ABORTED, part of it may be on paper), and silence means nobody knows (UNKNOWN).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from devices.drivers import DriverContext
from devices.model import (
    Capabilities,
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
from devices.printers import escpos_status as rt
from devices.printers.escpos_jobs import count_lines_and_cuts, test_ticket
from devices.printers.escpos_link import Link, LinkError, NetworkLink, SerialLink, UsbLink
from devices.printers.escpos_settings import (
    EscposSettings,
    NetworkSettings,
    SerialSettings,
    UsbSettings,
)

log = logging.getLogger(__name__)

_PAPER_EVENTS = {
    PaperLevel.OK: StatusEventKind.PAPER_OK,
    PaperLevel.NEAR_END: StatusEventKind.PAPER_LOW,
    PaperLevel.OUT: StatusEventKind.PAPER_OUT,
}


class EscposReceiptPrinter:
    """The shared driver; subclasses say how to build the link."""

    kind = DeviceKind.RECEIPT
    driver: ClassVar[str] = "escpos"
    Settings: ClassVar[type[EscposSettings]] = EscposSettings

    def __init__(self, name: str, settings: EscposSettings, context: DriverContext) -> None:
        self.name = name
        self.settings = settings
        self._link = self._make_link()
        self._notifier = StatusNotifier(name)
        self._stats = context.statistics(name)
        self._lock = threading.RLock()
        self._closed = False  # True after close(): no I/O until open() again
        self._backoff = settings.reconnect_initial_s
        self._next_attempt = 0.0
        # A status request went unanswered: the printer may still answer it late (a serial
        # printer that stalled mid-job works through its buffer when it resumes).
        self._late_answers = False

    def _make_link(self) -> Link:
        raise NotImplementedError

    # -- Device ---------------------------------------------------------------------------

    @property
    def status(self) -> DeviceStatus:
        return self._notifier.status

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        return self._notifier.subscribe(listener)

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            paper_width_mm=self.settings.width_mm,
            cutter=True,
            native_qr=True,
            native_barcode=True,
        )

    def statistics(self) -> dict[str, float]:
        return self._stats.snapshot()

    def open(self) -> None:
        """Connect now (no backoff wait); on failure the printer is OFFLINE, not an exception."""
        with self._lock:
            self._closed = False
            self._next_attempt = 0.0
            if self._connect():
                self._refresh(self._deadline(self.settings.status_timeout_ms * 4 / 1000))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._link.close()
            self._stats.powered_off()
            self._notifier.update(state=DeviceState.CLOSED)

    # -- ReceiptPrinter -------------------------------------------------------------------

    def query_status(self, timeout_s: float) -> DeviceStatus:
        with self._lock:
            if not self._closed and self._ensure_link():
                self._refresh(self._deadline(timeout_s))
            return self.status

    def print_raw(self, data: bytes, timeout_s: float) -> JobOutcome:
        job_id = f"{self.name}-{uuid.uuid4().hex[:12]}"
        with self._lock:
            deadline = self._deadline(timeout_s)
            if self._closed:
                return self._failed(job_id, JobState.ABORTED, 0, "PRINTER_CLOSED", "closed")
            if not self._ensure_link():
                return self._failed(job_id, JobState.ABORTED, 0, "PRINTER_OFFLINE", "not connected")
            before = self._refresh(deadline) if self.settings.status_queries else None
            if before is not None and before.blocks_printing:
                code = _blocking_code(before)
                return self._failed(job_id, JobState.ABORTED, 0, code, "refused before sending")
            if not self._link_alive():
                return self._failed(job_id, JobState.ABORTED, 0, "PRINTER_OFFLINE", "link lost")
            self._notifier.update(state=DeviceState.BUSY)
            try:
                written = self._link.write(data, max(deadline - time.monotonic(), 0.001))
            except LinkError as exc:
                self._stats.increment("bytes", exc.written)
                return self._write_failed(job_id, exc)
            self._stats.increment("bytes", written)
            if not self.settings.status_queries:
                self._notifier.update(state=DeviceState.IDLE)
                return self._completed(job_id, data, confirmed=False)
            return self._confirm(job_id, data, deadline)

    # -- health ---------------------------------------------------------------------------

    def check_health(self, level: HealthLevel) -> HealthResult:
        started = time.monotonic()
        with self._lock:
            if self._link.is_open:
                self._link_alive()  # notices a peer that went away since the last call
            else:
                self._next_attempt = 0.0  # a health check tries now, whatever the backoff
            connected = self._ensure_link()
            if connected:
                self._refresh(self._deadline(self.settings.status_timeout_ms * 4 / 1000))
        status = self.status
        ok, text = self._judge(connected, status)
        details: dict[str, Any] = {"status": status.to_dict(), "link": self._link.description}
        if ok and level is HealthLevel.EXTERNAL:
            qr_text = f"ADM-TEST {self.name} {datetime.now(UTC):%Y%m%dT%H%M%SZ}"
            outcome = self.print_raw(
                test_ticket(self.name, qr_text), self.settings.timeout_ms / 1000
            )
            details.update(qr_text=qr_text, job=outcome.state.value)
            ok = outcome.state is JobState.COMPLETED
            text += "; test ticket printed" if ok else f"; test ticket {outcome.state.value}"
            if outcome.fault is not None:
                text += f" ({outcome.fault.code})"
        ms = (time.monotonic() - started) * 1000
        return HealthResult(ok, level, text, ms, details)

    def _judge(self, connected: bool, status: DeviceStatus) -> tuple[bool, str]:
        where = self._link.description
        if not connected:
            error = status.last_error.detail if status.last_error else "not reachable"
            return False, f"{where}: offline ({error})"
        if self.settings.status_queries and status.paper is PaperLevel.UNKNOWN:
            return False, f"{where}: connected, but no answer to status requests (DLE EOT)"
        cover = {Tristate.YES: "cover open", Tristate.NO: "cover closed"}
        parts = [f"paper {status.paper.value}", cover.get(status.cover_open, "cover unknown")]
        ok = status.paper is not PaperLevel.OUT and status.cover_open is not Tristate.YES
        ok = ok and status.state not in (DeviceState.ERROR, DeviceState.OFFLINE)
        return ok, f"{where}: {status.state.value}, " + ", ".join(parts)

    # -- internals ------------------------------------------------------------------------

    @staticmethod
    def _deadline(timeout_s: float) -> float:
        return time.monotonic() + max(timeout_s, 0.001)

    def _connect(self) -> bool:
        try:
            self._link.open()
        except LinkError as exc:
            self._go_offline(str(exc))
            return False
        was_offline = self.status.state is DeviceState.OFFLINE
        self._backoff = self.settings.reconnect_initial_s
        self._stats.powered_on()
        kind = StatusEventKind.RECONNECTED if was_offline else None
        self._notifier.update(kind, state=DeviceState.IDLE, last_error=None)
        log.info("%s: connected (%s)", self.name, self._link.description)
        return True

    def _ensure_link(self) -> bool:
        """The link is open, or reopened now if its backoff delay has passed."""
        if self._link.is_open:
            return True
        if time.monotonic() < self._next_attempt:
            return False
        return self._connect()

    def _link_alive(self) -> bool:
        """Drop stale bytes; a peer that closed meanwhile is reconnected once."""
        try:
            self._link.discard_input()
            return True
        except LinkError as exc:
            self._go_offline(str(exc))
        self._next_attempt = 0.0
        return self._connect()

    def _go_offline(self, detail: str) -> None:
        self._link.close()
        was_online = self.status.state is not DeviceState.OFFLINE
        # The first retry after losing a working link is immediate (a printer that restarted
        # is back at once); consecutive failures wait longer and longer.
        delay = 0.0 if was_online else self._backoff
        if not was_online:
            self._backoff = min(self._backoff * 2, self.settings.reconnect_max_s)
        self._next_attempt = time.monotonic() + delay
        if was_online:
            log.warning("%s: offline (%s)", self.name, detail)
            self._stats.increment("errors")
        fault = DeviceFault("PRINTER_OFFLINE", detail, "queue tickets cannot be printed")
        self._notifier.update(
            StatusEventKind.OFFLINE,
            state=DeviceState.OFFLINE,
            paper=PaperLevel.UNKNOWN,
            cover_open=Tristate.UNKNOWN,
            last_error=fault,
        )

    def _ask(self, n: int, deadline: float) -> int | None:
        self._link.write(rt.request(n), max(deadline - time.monotonic(), 0.001))
        while (remaining := deadline - time.monotonic()) > 0:
            value = self._link.read_byte(min(remaining, self.settings.status_timeout_ms / 1000))
            if value is None:
                return None
            if rt.is_status_byte(value):
                return value
            log.debug("%s: ignoring non-status byte %#04x", self.name, value)
        return None

    def _query(self, deadline: float) -> rt.RealtimeStatus:
        """DLE EOT 1, 2, 4; a silent first answer skips the rest. Raises LinkError.

        The answers carry no request number, so one late answer to an earlier, unanswered
        request would shift every answer after it (a paper-sensor byte read as "offline").
        After a silence the line is therefore first drained until it stays quiet."""
        if self._late_answers:
            self._drain_quietly(deadline)
        self._link.discard_input()
        printer = self._ask(rt.PRINTER_STATUS, deadline)
        if printer is None:
            self._late_answers = True
            return rt.RealtimeStatus()
        cause = self._ask(rt.OFFLINE_CAUSE, deadline)
        paper = self._ask(rt.PAPER_SENSOR, deadline)
        self._late_answers = cause is None or paper is None
        return rt.combine(printer, cause, paper)

    def _drain_quietly(self, deadline: float) -> None:
        quiet = self.settings.status_timeout_ms / 1000
        while (remaining := deadline - time.monotonic()) > 0:
            late = self._link.read_byte(min(quiet, remaining))
            if late is None:
                self._late_answers = False
                return
            log.debug("%s: dropping a late answer %#04x", self.name, late)

    def _refresh(self, deadline: float) -> rt.RealtimeStatus | None:
        """Query and publish the status; None when the link was lost (now OFFLINE)."""
        if not self.settings.status_queries:
            return rt.RealtimeStatus()
        try:
            found = self._query(deadline)
        except LinkError as exc:
            self._go_offline(str(exc))
            return None
        self._publish(found)
        return found

    def _publish(self, found: rt.RealtimeStatus) -> None:
        state = DeviceState.IDLE
        known_cause = found.paper is PaperLevel.OUT or found.cover_open is Tristate.YES
        if found.error is Tristate.YES or (found.online is Tristate.NO and not known_cause):
            state = DeviceState.ERROR  # offline for a reason we cannot name: needs a technician
        no_answer = None
        if not found.answered:
            no_answer = DeviceFault(
                "PRINTER_NO_ANSWER",
                f"{self.name}: no answer to DLE EOT status requests",
                "paper and cover state unknown",
            )
        self._notifier.update(state=state, last_error=no_answer)
        if found.paper is not self.status.paper:
            self._notifier.update(_PAPER_EVENTS.get(found.paper), paper=found.paper)
        if found.cover_open is not self.status.cover_open:
            kind = {
                Tristate.YES: StatusEventKind.COVER_OPEN,
                Tristate.NO: StatusEventKind.COVER_CLOSED,
            }
            self._notifier.update(kind.get(found.cover_open), cover_open=found.cover_open)

    def _confirm(self, job_id: str, data: bytes, deadline: float) -> JobOutcome:
        try:
            after = self._query(deadline)
        except LinkError as exc:
            self._go_offline(str(exc))
            return self._failed(job_id, JobState.ABORTED, None, "PRINTER_DISCONNECTED", str(exc))
        self._publish(after)
        if not after.answered:
            self._notifier.update(state=DeviceState.IDLE)
            return self._failed(job_id, JobState.UNKNOWN, None, "PRINTER_NO_ANSWER", "unconfirmed")
        if after.blocks_printing:
            detail = "stopped during the job"
            return self._failed(job_id, JobState.ABORTED, None, _blocking_code(after), detail)
        return self._completed(job_id, data, confirmed=True)

    def _write_failed(self, job_id: str, exc: LinkError) -> JobOutcome:
        # Lost, or not taking data (a timeout): either way the link is dropped, so that the rest
        # of this job can never run into the next one; the next call reconnects at once.
        self._go_offline(str(exc))
        pages = 0 if exc.written == 0 else None
        state = JobState.ABORTED if exc.lost or exc.written == 0 else JobState.UNKNOWN
        code = "PRINTER_DISCONNECTED" if exc.lost else "PRINTER_TIMEOUT"
        return self._failed(job_id, state, pages, code, str(exc), written=exc.written)

    def _completed(self, job_id: str, data: bytes, *, confirmed: bool) -> JobOutcome:
        if self.status.state is DeviceState.BUSY:
            self._notifier.update(state=DeviceState.IDLE)
        lines, cuts = count_lines_and_cuts(data)
        self._stats.increment("jobs")
        self._stats.increment("lines", lines)
        self._stats.increment("cuts", cuts)
        details = {"bytes": len(data), "confirmed": confirmed}
        return JobOutcome(job_id, JobState.COMPLETED, pages_out=1, details=details)

    def _failed(
        self, job_id: str, state: JobState, pages: int | None, code: str, detail: str, **extra: Any
    ) -> JobOutcome:
        self._stats.increment("errors")
        if self.status.state is DeviceState.BUSY:
            self._notifier.update(state=DeviceState.IDLE)
        consequence = "the ticket was not printed" if pages == 0 else "the ticket may be incomplete"
        fault = DeviceFault(code, f"{self.name}: {detail}", consequence)
        log.warning("%s: job %s %s: %s", self.name, job_id, state.value, fault)
        return JobOutcome(job_id, state, pages_out=pages, fault=fault, details=dict(extra))


def _blocking_code(found: rt.RealtimeStatus) -> str:
    if found.paper is PaperLevel.OUT:
        return "PRINTER_PAPER_OUT"
    if found.cover_open is Tristate.YES:
        return "PRINTER_COVER_OPEN"
    return "PRINTER_OFFLINE"


class NetworkReceiptPrinter(EscposReceiptPrinter):
    """A printer on Ethernet/Wi-Fi (raw port 9100), via ``escpos.printer.Network``."""

    driver = "escpos-network"
    Settings = NetworkSettings
    settings: NetworkSettings

    def _make_link(self) -> Link:
        s = self.settings
        return NetworkLink(s.host, s.port, s.connect_timeout_ms / 1000)


class SerialReceiptPrinter(EscposReceiptPrinter):
    """A printer on RS-232 or a USB-serial adapter, via ``escpos.printer.Serial`` (pyserial)."""

    driver = "escpos-serial"
    Settings = SerialSettings
    settings: SerialSettings

    def _make_link(self) -> Link:
        s = self.settings
        args = {
            "baudrate": s.baudrate,
            "bytesize": s.bytesize,
            "parity": s.parity,
            "stopbits": s.stopbits,
            "xonxoff": s.xonxoff,
            "dsrdtr": s.dsrdtr,
            "timeout": s.status_timeout_ms / 1000,
        }
        return SerialLink(s.device, args, rtscts=s.rtscts)


class UsbReceiptPrinter(EscposReceiptPrinter):
    """A printer on USB (printer class), via ``escpos.printer.Usb`` (pyusb + libusb)."""

    driver = "escpos-usb"
    Settings = UsbSettings
    settings: UsbSettings

    def _make_link(self) -> Link:
        s = self.settings
        assert s.in_ep is not None and s.out_ep is not None  # filled in by the settings model
        return UsbLink(s.vendor_id, s.product_id, s.in_ep, s.out_ep, s.profile)
