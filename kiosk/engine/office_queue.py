"""The office queue server seen through the session's view types: the kiosk issues tickets and
checks bookings in at the server, then prints the ticket on its own receipt printer.

Order of events, as for the kiosk's own queue (:mod:`kiosk.queue.desk`): refuse first, without
asking the server, when the receipt printer cannot print; then the server records the number
(one transaction there); then compose and print here. A print failure keeps the number: the
citizen may print the same ticket again while it is waiting.

**One Idempotency-Key per touch.** A touch gets a fresh key, which the client sends on every
retry within its deadline. When the outcome stays unknown (the server did not answer in time)
the key is kept for :data:`KEY_KEPT_S`: touching the same service again sends the same key, and
the server answers with the ticket it may already have issued instead of a second one. A clear
answer (a ticket, or a refusal) ends the key.

Messages: every failure is a :class:`~kiosk.engine.session_flows.QueueDeskError` whose code is
a message key the kiosk knows (:data:`CITIZEN_CODES`); anything else the server says becomes
``queue_unavailable``, with the server's code in the log.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from typing import Literal, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from devices.manager import usable
from devices.model import DeviceError, DeviceFault
from devices.ports import JobState, ReceiptPrinter
from kiosk.domain.signed import SignedTokenError, open_compact
from kiosk.engine.queue_view import FROM_QUEUE, TO_QUEUE, TicketIssued
from kiosk.engine.session_flows import QueueDeskError
from kiosk.engine.view import BookingView, Priority, ServiceView, TicketView
from kiosk.queue.models import Priority as QueuePriority
from kiosk.queue_client.answers import ErrorBody, TicketAnswer
from kiosk.queue_client.client import QueueServerClient, QueueServerError, ServerRefused
from printing.tickets import TicketData

log = logging.getLogger(__name__)

BOOKING_PREFIX = "ADMB1"
MAX_BOOKING_QR = 400
KEY_KEPT_S = 120.0
REFRESH_TIMEOUT_S = 2.0  # a background refresh of people ahead: short, never retried for long
CITIZEN_CODES = frozenset(
    {
        "queue_closed",
        "queue_quota",
        "queue_unknown_service",
        "queue_priority_not_allowed",
        "queue_ticket_closed",
        "queue_unavailable",
        "queue_server_down",
        "queue_server_bad_answer",
        "printer_unavailable",
        "booking_invalid_qr",
        "booking_unknown",
        "booking_used",
        "booking_too_early",
        "booking_too_late",
    }
)
ComposeTicket = Callable[[TicketData, Literal[58, 80]], bytes]
_T = TypeVar("_T")


class KeyBook:
    """Idempotency-Keys: a new one per touch, the same one again after an unknown outcome."""

    def __init__(self, kept_s: float = KEY_KEPT_S, clock: Callable[[], float] = time.monotonic):
        self._kept_s = kept_s
        self._clock = clock
        self._open: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def key_for(self, what: str) -> str:
        now = self._clock()
        with self._lock:
            found = self._open.get(what)
            if found is not None and now - found[1] < self._kept_s:
                return found[0]
            key = f"kiosk-{secrets.token_urlsafe(18)}"
            self._open[what] = (key, now)
            return key

    def settled(self, what: str) -> None:
        """The server answered clearly: the next touch is a new request."""
        with self._lock:
            self._open.pop(what, None)


class OfficeQueueDesk:
    """Implements :class:`kiosk.engine.session_flows.QueueDesk` against the queue server."""

    takes_bookings = True

    def __init__(
        self,
        client: QueueServerClient,
        printer: ReceiptPrinter | None,
        compose: ComposeTicket,
        tz: tzinfo,
        *,
        office: str,
        printer_available: Callable[[], bool],
        clock: Callable[[], datetime],
        width_mm: Literal[58, 80] = 80,
        booking_keys: Mapping[str, Ed25519PublicKey] | None = None,
        print_timeout_s: float = 15.0,
        keys: KeyBook | None = None,
    ) -> None:
        self.client = client
        self.printer = printer
        self.compose = compose
        self.tz = tz
        self.office = office
        self.printer_available = printer_available
        self.clock = clock
        self.width_mm = width_mm
        self.booking_keys = dict(booking_keys or {})
        self.print_timeout_s = print_timeout_s
        self.keys = keys or KeyBook()
        self._references: dict[str, str] = {}  # ticket id -> the error reference it carries

    # --- the session's calls ---------------------------------------------------------------

    def services_view(self, now: datetime) -> tuple[ServiceView, ...]:
        answers = self._ask(lambda: self.client.services())
        can_print = self._can_print(True)
        views = []
        for a in answers:
            reason = None if a.open else _known(a.reason or "queue_unavailable")
            if reason is None and not can_print:
                reason = "printer_unavailable"
            views.append(
                ServiceView(
                    code=a.code,
                    name_id=a.name_id,
                    name_en=a.name_en,
                    available=reason is None,
                    unavailable_reason=reason,
                    opens=a.hours.opens,
                    closes=a.hours.closes,
                    waiting=a.waiting,
                    estimate_min=a.estimate,
                    priority_allowed=a.priority_allowed,
                )
            )
        return tuple(views)

    def issue_and_print(
        self,
        code: str,
        priority: Priority | None,
        printer_available: bool,
        reference: str | None = None,
    ) -> TicketIssued:
        """``reference``: the kiosk error this ticket hands over, printed as "Ref: ..." (and
        again on a reprint from this kiosk)."""
        printer = self._printer_ready(printer_available)
        kind = None if priority is None else TO_QUEUE[priority].value
        what = f"issue:{code}:{kind}"
        key = self.keys.key_for(what)
        answer = self._ask(lambda: self.client.issue(code, kind, key), settle=what)
        log.info("ticket %s issued by the queue server (%d ahead)", answer.number, answer.ahead)
        if len(self._references) > 256:  # only today's recent tickets are ever reprinted
            self._references.clear()
        if reference is not None:
            self._references[answer.id] = reference
        return self._print(printer, answer, reference)

    def reprint(self, ticket_id: str) -> TicketIssued:
        printer = self._printer_ready(True)
        answer = self._ask(lambda: self.client.ticket(ticket_id))
        if answer.status != "waiting":
            raise QueueDeskError("queue_ticket_closed", f"{ticket_id} is {answer.status}")
        return self._print(printer, answer, self._references.get(ticket_id))

    def check_in(self, qr: str, printer_available: bool) -> TicketIssued:
        self._check_offline(qr)
        printer = self._printer_ready(printer_available)  # before the booking is used up
        what = "checkin:" + hashlib.sha256(qr.encode()).hexdigest()[:32]
        key = self.keys.key_for(what)
        answer = self._ask(lambda: self.client.check_in(qr, key), settle=what)
        log.info("booking checked in as %s (%s)", answer.number, answer.arrival)
        issued = self._print(printer, answer)
        arrival = BookingView(
            outcome=answer.arrival,
            slot=f"{answer.called_from.astimezone(self.tz):%H:%M}",
            minutes=max(0, answer.minutes_from_slot),
        )
        return TicketIssued(issued.ticket, issued.printed, issued.fault_code, arrival)

    def refresh(self, ticket: TicketView) -> TicketView:
        answer = self._ask(lambda: self.client.ticket(ticket.ticket_id, REFRESH_TIMEOUT_S))
        return self._view(answer, ticket.printed)

    def reset(self, code: str | None) -> int:
        raise QueueDeskError("queue_unavailable", "the office queue server resets its queues")

    # --- machinery -------------------------------------------------------------------------

    def _ask(self, call: Callable[[], _T], settle: str | None = None) -> _T:
        try:
            answer = call()
        except ServerRefused as exc:
            if settle is not None:
                self.keys.settled(settle)
            raise self._refused(exc) from None
        except QueueServerError as exc:  # down or a bad answer: the outcome is unknown
            raise QueueDeskError(exc.code, exc.detail) from None
        if settle is not None:
            self.keys.settled(settle)
        return answer

    def _refused(self, exc: ServerRefused) -> QueueDeskError:
        code = _known(exc.code)
        if code != exc.code:
            log.warning("queue server refusal %s shown as %s", exc.code, code)
        booking = (
            _refusal_times(exc.error, self.tz, self.clock())
            if code.startswith("booking_")
            else None
        )
        return QueueDeskError(code, exc.detail, booking)

    def _check_offline(self, qr: str) -> None:
        if len(qr) > MAX_BOOKING_QR or not qr.startswith(BOOKING_PREFIX + "."):
            raise QueueDeskError(
                "booking_invalid_qr", "not a booking QR", BookingView("booking_invalid_qr")
            )
        if not self.booking_keys:
            return  # the server checks the signature

        def error(code: object, detail: str) -> Exception:
            return ValueError(f"{code}: {detail}")

        try:
            open_compact(
                qr,
                prefix=BOOKING_PREFIX,
                max_bytes=MAX_BOOKING_QR,
                keys=self.booking_keys,
                error=error,
            )
        except (ValueError, SignedTokenError) as exc:
            log.info("booking QR refused offline: %s", exc)
            raise QueueDeskError(
                "booking_invalid_qr", str(exc), BookingView("booking_invalid_qr")
            ) from None

    def _can_print(self, printer_available: bool) -> bool:
        printer = self.printer
        return (
            printer is not None
            and printer_available
            and self.printer_available()
            and usable(printer.status)
        )

    def _printer_ready(self, printer_available: bool) -> ReceiptPrinter:
        if not self._can_print(printer_available) or self.printer is None:
            raise QueueDeskError("printer_unavailable", "receipt printer cannot print")
        return self.printer

    def _data(self, answer: TicketAnswer, reference: str | None = None) -> TicketData:
        letter, _, digits = answer.number.partition("-")
        slot = answer.slot_start
        return TicketData(
            ticket_id=answer.id,
            office=self.office,
            service_name_id=answer.service_name_id,
            service_name_en=answer.service_name_en,
            code=letter,
            number=int(digits),
            issued_at=answer.issued_at.astimezone(self.tz),
            people_ahead=answer.ahead,
            priority=answer.priority,
            estimate_minutes=answer.estimated_wait_min,
            agency=answer.agency,
            booking_slot="" if slot is None else f"{slot.astimezone(self.tz):%H:%M}",
            reference=reference,
        )

    def _view(self, answer: TicketAnswer, printed: bool) -> TicketView:
        kind = None if answer.priority is None else FROM_QUEUE.get(QueuePriority(answer.priority))
        return TicketView(
            ticket_id=answer.id,
            number=answer.number,
            service_code=answer.service,
            name_id=answer.service_name_id,
            name_en=answer.service_name_en,
            issued_at=answer.issued_at,
            waiting=answer.ahead,
            priority=kind,
            printed=printed,
            estimate_min=answer.estimated_wait_min,
            status=answer.status,
            counter_number=answer.counter_number,
        )

    def _print(
        self, printer: ReceiptPrinter, answer: TicketAnswer, reference: str | None = None
    ) -> TicketIssued:
        fault = self._print_job(printer, answer, reference)
        if fault is None:
            log.info("ticket %s printed", answer.id)
        else:
            log.warning("ticket %s kept for reprint: %s", answer.id, fault)
        code = None if fault is None else fault.code
        return TicketIssued(self._view(answer, fault is None), fault is None, code)

    def _print_job(
        self, printer: ReceiptPrinter, answer: TicketAnswer, reference: str | None
    ) -> DeviceFault | None:
        try:
            job = self.compose(self._data(answer, reference), self.width_mm)
        except Exception as exc:  # a layout bug must not lose the server's number
            log.exception("composing ticket %s failed", answer.id)
            return DeviceFault("TICKET_COMPOSE_FAILED", type(exc).__name__, "ticket not printed")
        try:
            outcome = printer.print_raw(job, self.print_timeout_s)
        except DeviceError as exc:
            return exc.fault
        except Exception as exc:  # a driver bug: report it, keep the number for a reprint
            log.exception("receipt printer failed on ticket %s", answer.id)
            return DeviceFault("PRINTER_ERROR", f"{type(exc).__name__}: {exc}", "reprint")
        if outcome.state is JobState.COMPLETED:
            return None
        return outcome.fault or DeviceFault(
            "RECEIPT_PRINT_FAILED", f"job {outcome.job_id} ended {outcome.state.value}", "reprint"
        )


def _known(code: str) -> str:
    return code if code in CITIZEN_CODES else "queue_unavailable"


def _clock_text(moment: datetime | None, tz: tzinfo, now: datetime) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    if local.date() == now.astimezone(tz).date():
        return f"{local:%H:%M}"
    return f"{local:%d-%m-%Y %H:%M}"


def _refusal_times(error: ErrorBody, tz: tzinfo, now: datetime) -> BookingView:
    return BookingView(
        outcome=_known(error.code),
        slot=_clock_text(error.slot_start, tz, now),
        opens=_clock_text(error.window_opens, tz, now),
        closes=_clock_text(error.window_closes, tz, now),
    )
