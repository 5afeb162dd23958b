"""The queue book: the office's services (from config) and the rules of issuing numbers.

Time is always passed in (``now``, aware); the office's day is ``now`` in the office's time zone,
so numbers restart at 1 at local midnight (Asia/Jakarta, Asia/Makassar or Asia/Jayapura).
"""

from __future__ import annotations

import itertools
import logging
import math
import statistics
from collections.abc import Sequence
from datetime import date, datetime, tzinfo

from kiosk.config.models import QueueService
from kiosk.queue.models import (
    QueueRefusal,
    QueueRefused,
    QuotaExhausted,
    ServiceView,
    StoreUnavailable,
    Ticket,
)
from kiosk.queue.store import TicketStore

log = logging.getLogger(__name__)

RECENT_SERVED = 11  # served tickets looked at for the estimate (10 intervals)


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now


class QueueBook:
    """Issues, looks up and serves tickets of the configured services through a store."""

    def __init__(self, services: Sequence[QueueService], store: TicketStore, tz: tzinfo) -> None:
        self._services = {service.code: service for service in services}
        self.store = store
        self.tz = tz

    @property
    def services(self) -> list[QueueService]:
        return list(self._services.values())

    def service(self, code: str) -> QueueService:
        try:
            return self._services[code]
        except KeyError:
            raise QueueRefused(QueueRefusal.UNKNOWN_SERVICE, f"no service {code!r}") from None

    def local(self, now: datetime) -> datetime:
        return _aware(now).astimezone(self.tz)

    def day(self, now: datetime) -> date:
        """The office-local date of ``now``: the day a number belongs to."""
        return self.local(now).date()

    def is_open(self, service: QueueService, now: datetime) -> bool:
        local = self.local(now)
        moment = local.time().replace(tzinfo=None)
        return local.isoweekday() in service.days and service.opens <= moment < service.closes

    def refusal(self, code: str, now: datetime, *, priority: bool = False) -> QueueRefusal | None:
        """Why a ticket cannot be issued now (checked again, atomically, when issuing)."""
        service = self.service(code)
        if priority and not service.priority_allowed:
            return QueueRefusal.PRIORITY_NOT_ALLOWED
        if not self.is_open(service, now):
            return QueueRefusal.CLOSED
        if self.store.issued_count(code, self.day(now)) >= service.daily_quota:
            return QueueRefusal.QUOTA
        return None

    def issue(self, code: str, *, priority: bool, now: datetime) -> Ticket:
        """Record the next number; :class:`QueueRefused` (nothing consumed) when not possible."""
        service = self.service(code)
        if priority and not service.priority_allowed:
            raise QueueRefused(QueueRefusal.PRIORITY_NOT_ALLOWED, code)
        if not self.is_open(service, now):
            raise QueueRefused(QueueRefusal.CLOSED, f"{code} at {self.local(now):%a %H:%M}")
        try:
            return self.store.issue(
                code, self.day(now), priority=priority, quota=service.daily_quota, at=now
            )
        except QuotaExhausted as exc:
            raise QueueRefused(QueueRefusal.QUOTA, str(exc)) from None
        except StoreUnavailable as exc:
            raise QueueRefused(QueueRefusal.UNAVAILABLE, str(exc)) from None

    def ticket(self, ticket_id: str) -> Ticket:
        ticket = self.store.get(ticket_id)
        if ticket is None:
            raise QueueRefused(QueueRefusal.UNKNOWN_TICKET, ticket_id)
        return ticket

    def people_ahead(self, ticket: Ticket) -> int:
        """Waiting tickets before this one: all lower numbers, or lower priority ones."""
        return self.store.waiting_count(
            ticket.service, ticket.day, before_number=ticket.number, priority_only=ticket.priority
        )

    def waiting(self, code: str, now: datetime) -> int:
        return self.store.waiting_count(code, self.day(now))

    def minutes_per_ticket(self, code: str, day: date) -> float | None:
        """Median interval between the day's recent services, minutes; None until two served."""
        served = self.store.recent_served_at(code, day, RECENT_SERVED)
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(served)]
        return statistics.median(gaps) / 60 if gaps else None

    def estimate_minutes(self, code: str, day: date, ahead: int) -> int | None:
        per_ticket = self.minutes_per_ticket(code, day)
        return None if per_ticket is None else math.ceil(ahead * per_ticket)

    def mark_printed(self, ticket_id: str, now: datetime) -> None:
        self.store.record_print(ticket_id, printed=True, at=_aware(now))

    def mark_print_failed(self, ticket_id: str, now: datetime) -> None:
        self.store.record_print(ticket_id, printed=False, at=_aware(now))

    def mark_served(self, ticket_id: str, now: datetime) -> Ticket:
        """For the counter side: the ticket was served (its service time feeds the estimate)."""
        ticket = self.store.mark_served(ticket_id, _aware(now))
        if ticket is None:
            raise QueueRefused(QueueRefusal.UNKNOWN_TICKET, ticket_id)
        return ticket

    def reset(self, code: str | None, now: datetime) -> int:
        """Technician: cancel today's waiting tickets (numbering continues, never reused)."""
        if code is not None:
            self.service(code)
        return self.store.reset(self.day(now), code, _aware(now))

    def view(self, code: str, now: datetime, *, printer_available: bool = True) -> ServiceView:
        service = self.service(code)
        day = self.day(now)
        waiting = self.store.waiting_count(code, day)
        reason = self.refusal(code, now)
        if reason is None and not printer_available:
            reason = QueueRefusal.PRINTER_UNAVAILABLE
        return ServiceView(
            code=code,
            name_id=service.name_id,
            name_en=service.name_en,
            agency=service.agency,
            open=reason is None,
            reason=reason,
            opens=service.opens,
            closes=service.closes,
            waiting=waiting,
            estimate_minutes=self.estimate_minutes(code, day, waiting),
            priority_allowed=service.priority_allowed,
            issued_today=self.store.issued_count(code, day),
            quota=service.daily_quota,
        )

    def views(self, now: datetime, *, printer_available: bool = True) -> list[ServiceView]:
        return [
            self.view(code, now, printer_available=printer_available) for code in self._services
        ]
