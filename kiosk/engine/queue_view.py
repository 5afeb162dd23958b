"""The ticket desk seen through the session's view types (ServiceView, TicketView)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.engine.view import Priority, ServiceView, TicketView
from kiosk.queue.desk import IssueResult, TicketDesk


@dataclass(frozen=True, slots=True)
class TicketIssued:
    ticket: TicketView
    printed: bool
    fault_code: str | None


class DeskForSession:
    """Adapts :class:`TicketDesk` to :class:`kiosk.engine.session_flows.QueueDesk`."""

    def __init__(self, desk: TicketDesk, printer_available: Callable[[], bool]) -> None:
        self.desk = desk
        self.printer_available = printer_available
        self._priority: dict[str, Priority | None] = {}
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
        result = self.desk.issue_and_print(
            code,
            priority is not None,
            printer_available and self.printer_available(),
            reference=reference,
        )
        if len(self._priority) > 256:  # only today's recent tickets are ever reprinted
            self._priority.clear()
            self._reference.clear()
        self._priority[result.ticket.ticket_id] = priority
        if reference is not None:
            self._reference[result.ticket.ticket_id] = reference
        return self._issued(result, priority)

    def reprint(self, ticket_id: str) -> TicketIssued:
        result = self.desk.reprint(
            ticket_id, self.printer_available(), reference=self._reference.get(ticket_id)
        )
        return self._issued(result, self._priority.get(ticket_id))

    def _issued(self, result: IssueResult, priority: Priority | None) -> TicketIssued:
        ticket: Any = result.ticket
        data: Any = result.data
        view = TicketView(
            ticket_id=ticket.ticket_id,
            number=f"{ticket.service}-{ticket.number:03d}",
            service_code=ticket.service,
            name_id=data.service_name_id,
            name_en=data.service_name_en,
            issued_at=ticket.issued_at,
            waiting=int(data.people_ahead),
            priority=priority if ticket.priority else None,
            printed=result.printed,
        )
        return TicketIssued(view, result.printed, result.fault.code if result.fault else None)
