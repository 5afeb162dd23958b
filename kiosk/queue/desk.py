"""The ticket desk: issue a number, then print it; the session engine calls this from its worker.

Order of events, for crash safety: (1) refuse early, consuming nothing, when the service is
closed, its quota is used up, or the receipt printer cannot print; (2) record the number (one
transaction in the store); (3) compose and print. A print failure keeps the number: the citizen
is offered :meth:`TicketDesk.reprint` of the same ticket.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from devices.manager import usable
from devices.model import DeviceError, DeviceFault
from devices.ports import JobOutcome, JobState, ReceiptPrinter
from kiosk.queue.book import QueueBook
from kiosk.queue.models import Priority, QueueRefusal, QueueRefused, ServiceView, Ticket
from printing.tickets import TicketData

log = logging.getLogger(__name__)

ComposeTicket = Callable[[TicketData, Literal[58, 80]], bytes]
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class IssueResult:
    """A recorded ticket and whether it reached paper; ``fault`` says why not."""

    ticket: Ticket
    printed: bool
    fault: DeviceFault | None
    data: TicketData  # what the ticket shows (the screen repeats the number and people ahead)


def printer_can_print(printer: ReceiptPrinter) -> bool:
    """False when the printer is known unable (closed, offline, error, paper out, cover open,
    jam): the device manager's own rule, so the screen and the desk agree."""
    return usable(printer.status)


class TicketDesk:
    def __init__(
        self,
        service: QueueBook,
        printer: ReceiptPrinter | None,
        compose: ComposeTicket,
        tz: tzinfo,
        clock: Clock,
        *,
        office: str,
        width_mm: Literal[58, 80] = 80,
        print_timeout_s: float = 15.0,
    ) -> None:
        if str(tz) != str(service.tz):
            raise ValueError(f"desk time zone {tz} differs from the queue book's {service.tz}")
        self.book = service
        self.printer = printer
        self.compose = compose
        self.tz = tz
        self.clock = clock
        self.office = office
        self.width_mm = width_mm
        self.print_timeout_s = print_timeout_s

    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("the clock must return aware datetimes")
        return now.astimezone(self.tz)

    def _printer_ready(self, printer_available: bool) -> ReceiptPrinter:
        if self.printer is None or not printer_available or not printer_can_print(self.printer):
            raise QueueRefused(QueueRefusal.PRINTER_UNAVAILABLE, "receipt printer cannot print")
        return self.printer

    def services_view(
        self, now: datetime | None = None, *, printer_available: bool = True
    ) -> list[ServiceView]:
        """Every service with whether a ticket can be taken now, and why not."""
        usable = printer_available and self.printer is not None and printer_can_print(self.printer)
        return self.book.views(now or self._now(), printer_available=usable)

    def issue_and_print(
        self,
        code: str,
        priority: Priority | bool | None = None,
        printer_available: bool = True,
        *,
        reference: str | None = None,
    ) -> IssueResult:
        """Record the next number of ``code`` and print it (``reference``: the kiosk error it
        hands over, printed as "Ref: ..." for the officer).

        Raises :class:`QueueRefused` (queue_closed, queue_quota, printer_unavailable, ...) before
        any number is consumed; once recorded, a print problem is reported in the result.
        """
        now = self._now()
        reason = self.book.refusal(code, now, priority=priority)  # same order as services_view
        if reason is not None:
            raise QueueRefused(reason, code)
        printer = self._printer_ready(printer_available)
        ticket = self.book.issue(code, priority=priority, now=now)  # checked again, atomically
        return self._print(printer, ticket, reference)

    def reprint(
        self, ticket_id: str, printer_available: bool = True, *, reference: str | None = None
    ) -> IssueResult:
        """Print the same ticket again (same number and id); only while it is waiting today."""
        ticket = self.book.ticket(ticket_id)
        if not ticket.waiting or ticket.day != self.book.day(self._now()):
            raise QueueRefused(QueueRefusal.TICKET_CLOSED, ticket_id)
        printer = self._printer_ready(printer_available)
        return self._print(printer, ticket, reference)

    def mark_served(self, ticket_id: str) -> Ticket:
        """Counter side: the ticket was served now (feeds people ahead and the estimate)."""
        return self.book.mark_served(ticket_id, self._now())

    def reset(self, service: str | None = None) -> int:
        """Technician: cancel today's waiting tickets of one service (or all); numbers go on."""
        count = self.book.reset(service, self._now())
        log.warning("technician reset of queue %s: %d waiting tickets cancelled", service, count)
        return count

    def ticket_data(self, ticket: Ticket, reference: str | None = None) -> TicketData:
        service = self.book.service(ticket.service)
        ahead = self.book.people_ahead(ticket, self._now())
        return TicketData(
            ticket_id=ticket.ticket_id,
            office=self.office,
            service_name_id=service.name_id,
            service_name_en=service.name_en,
            code=ticket.letter,
            number=ticket.number,
            issued_at=ticket.issued_at.astimezone(self.tz),
            people_ahead=ahead,
            priority=None if ticket.priority is None else ticket.priority.value,
            estimate_minutes=self.book.estimate_minutes(ticket.service, ticket.day, ahead),
            agency=service.agency,
            reference=reference,
        )

    def _print(
        self, printer: ReceiptPrinter, ticket: Ticket, reference: str | None = None
    ) -> IssueResult:
        data = self.ticket_data(ticket, reference)
        try:
            job = self.compose(data, self.width_mm)
        except Exception as exc:  # a layout bug must not lose the recorded number
            log.exception("composing ticket %s failed", ticket.ticket_id)
            fault = DeviceFault("TICKET_COMPOSE_FAILED", type(exc).__name__, "ticket not printed")
            return self._failed(ticket, data, fault)
        try:
            outcome = printer.print_raw(job, self.print_timeout_s)
        except DeviceError as exc:
            return self._failed(ticket, data, exc.fault)
        except Exception as exc:  # a driver bug: report it, keep the number for a reprint
            log.exception("receipt printer failed on ticket %s", ticket.ticket_id)
            fault = DeviceFault("PRINTER_ERROR", f"{type(exc).__name__}: {exc}", "reprint")
            return self._failed(ticket, data, fault)
        if outcome.state is JobState.COMPLETED:
            self.book.mark_printed(ticket.ticket_id, self._now())
            log.info("ticket %s printed (%d bytes)", ticket.ticket_id, len(job))
            return IssueResult(self.book.ticket(ticket.ticket_id), True, None, data)
        return self._failed(ticket, data, _outcome_fault(outcome))

    def _failed(self, ticket: Ticket, data: TicketData, fault: DeviceFault) -> IssueResult:
        self.book.mark_print_failed(ticket.ticket_id, self._now())
        log.warning("ticket %s kept for reprint: %s", ticket.ticket_id, fault)
        return IssueResult(self.book.ticket(ticket.ticket_id), False, fault, data)


def _outcome_fault(outcome: JobOutcome) -> DeviceFault:
    if outcome.fault is not None:
        return outcome.fault
    return DeviceFault(
        "RECEIPT_PRINT_FAILED", f"job {outcome.job_id} ended {outcome.state.value}", "reprint"
    )
