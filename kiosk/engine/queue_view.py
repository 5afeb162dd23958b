"""The ticket desk seen through the session's view types (ServiceView, TicketView)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from kiosk.engine.session_flows import QueueDeskError
from kiosk.engine.view import BookingView, Priority, ServiceView, TicketView
from kiosk.queue.desk import IssueResult, TicketDesk
from kiosk.queue.models import Priority as QueuePriority

# the session's words for who may go first -> the queue's (and the office API's)
TO_QUEUE = {
    Priority.ELDERLY: QueuePriority.LANSIA,
    Priority.DISABLED: QueuePriority.DISABILITAS,
    Priority.PREGNANT: QueuePriority.IBU_HAMIL,
}
FROM_QUEUE = {queue: session for session, queue in TO_QUEUE.items()}


@dataclass(frozen=True, slots=True)
class TicketIssued:
    ticket: TicketView
    printed: bool
    fault_code: str | None
    booking: BookingView | None = None  # a booking check-in: how the arrival fits its slot


class DeskForSession:
    """Adapts :class:`TicketDesk` to :class:`kiosk.engine.session_flows.QueueDesk`."""

    takes_bookings = False

    def __init__(self, desk: TicketDesk, printer_available: Callable[[], bool]) -> None:
        self.desk = desk
        self.printer_available = printer_available
        self._reference: dict[str, str] = {}  # ticket id -> the error reference it carries

    def services_view(self, now: datetime) -> tuple[ServiceView, ...]:
        views = self.desk.services_view(now, printer_available=self.printer_available())
        return tuple(
            ServiceView(
                code=v.code,
                name_id=v.name_id,
                name_en=v.name_en,
                available=v.open,
                unavailable_reason=v.reason.value if v.reason else None,
                opens=v.opens.strftime("%H:%M"),
                closes=v.closes.strftime("%H:%M"),
                waiting=v.waiting,
                estimate_min=v.estimate_minutes,
                priority_allowed=v.priority_allowed,
            )
            for v in views
        )

    def issue_and_print(
        self,
        code: str,
        priority: Priority | None,
        printer_available: bool,
        reference: str | None = None,
    ) -> TicketIssued:
        kind = None if priority is None else TO_QUEUE[priority]
        result = self.desk.issue_and_print(
            code, kind, printer_available and self.printer_available(), reference=reference
        )
        if len(self._reference) > 256:  # only today's recent tickets are ever reprinted
            self._reference.clear()
        if reference is not None:
            self._reference[result.ticket.ticket_id] = reference
        return self._issued(result)

    def reprint(self, ticket_id: str) -> TicketIssued:
        result = self.desk.reprint(
            ticket_id, self.printer_available(), reference=self._reference.get(ticket_id)
        )
        return self._issued(result)

    def check_in(self, qr: str, printer_available: bool) -> TicketIssued:
        """Bookings are the office queue server's: a kiosk on its own has none."""
        raise QueueDeskError("booking_not_here", "no office queue server configured")

    def refresh(self, ticket: TicketView) -> TicketView:
        found = self.desk.book.ticket(ticket.ticket_id)
        data = self.desk.ticket_data(found)
        return replace(
            ticket,
            waiting=int(data.people_ahead),
            estimate_min=data.estimate_minutes if found.waiting else None,
            status=found.status.value,
        )

    def reset(self, code: str | None) -> int:
        """Technician: cancel today's waiting tickets of one service (or all)."""
        return self.desk.reset(code)

    def _issued(self, result: IssueResult) -> TicketIssued:
        ticket = result.ticket
        data = result.data
        view = TicketView(
            ticket_id=ticket.ticket_id,
            number=ticket.display_number,
            service_code=ticket.service,
            name_id=data.service_name_id,
            name_en=data.service_name_en,
            issued_at=ticket.issued_at,
            waiting=int(data.people_ahead),
            priority=None if ticket.priority is None else FROM_QUEUE.get(ticket.priority),
            printed=result.printed,
            estimate_min=data.estimate_minutes,
            status=ticket.status.value,
        )
        return TicketIssued(view, result.printed, result.fault.code if result.fault else None)
