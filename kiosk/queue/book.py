"""The queue book: the office's services (from config) and the rules of issuing numbers.

Time is always passed in (``now``, aware); the office's day is ``now`` in the office's time zone,
so numbers restart at 1 at local midnight (Asia/Jakarta, Asia/Makassar or Asia/Jayapura).
The rules themselves (hours, who is next, the estimate) are in :mod:`kiosk.queue.rules`; the
stand-alone kiosk and the office server both go through this book.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, tzinfo

from kiosk.config.models import QueueService
from kiosk.queue import rules
from kiosk.queue.models import (
    Priority,
    QueueRefusal,
    QueueRefused,
    QuotaExhausted,
    ServiceView,
    StoreUnavailable,
    Ticket,
    priority_of,
)
from kiosk.queue.rules import RECENT_COMPLETIONS, Action, aware
from kiosk.queue.store import IdempotencyConflict, Issued, IssueRequest, QueueStore

log = logging.getLogger(__name__)


class QueueBook:
    """Issues, looks up and serves tickets of the configured services through a store."""

    def __init__(
        self,
        services: Sequence[QueueService],
        store: QueueStore,
        tz: tzinfo,
        *,
        priority_every_n: int = 3,
    ) -> None:
        self._services = {service.code: service for service in services}
        self.store = store
        self.tz = tz
        self.priority_every_n = priority_every_n

    @property
    def services(self) -> list[QueueService]:
        return list(self._services.values())

    def service(self, code: str) -> QueueService:
        try:
            return self._services[code]
        except KeyError:
            raise QueueRefused(QueueRefusal.UNKNOWN_SERVICE, f"no service {code!r}") from None

    def local(self, now: datetime) -> datetime:
        return aware(now).astimezone(self.tz)

    def day(self, now: datetime) -> date:
        """The office-local date of ``now``: the day a number belongs to."""
        return rules.office_day(now, self.tz)

    def is_open(self, service: QueueService, now: datetime) -> bool:
        return rules.is_open(service, now, self.tz)

    def refusal(
        self, code: str, now: datetime, *, priority: Priority | bool | None = None
    ) -> QueueRefusal | None:
        """Why a ticket cannot be issued now (checked again, atomically, when issuing)."""
        service = self.service(code)
        if priority and not service.priority_allowed:
            return QueueRefusal.PRIORITY_NOT_ALLOWED
        if not self.is_open(service, now):
            return QueueRefusal.CLOSED
        if self.store.issued_count(code, self.day(now)) >= service.daily_quota:
            return QueueRefusal.QUOTA
        return None

    def issue(self, code: str, *, priority: Priority | bool | None, now: datetime) -> Ticket:
        """Record the next number; :class:`QueueRefused` (nothing consumed) when not possible."""
        return self.issue_once(code, priority=priority_of(priority), now=now).ticket

    def issue_once(
        self,
        code: str,
        *,
        priority: Priority | None,
        now: datetime,
        source: str = "",
        client: str | None = None,
        key: str | None = None,
    ) -> Issued:
        """Like :meth:`issue`; with ``client`` and ``key`` a repeat returns the same ticket.

        Raises :class:`QueueRefused` or, for a key used for another request,
        :class:`kiosk.queue.store.IdempotencyConflict`.
        """
        service = self.service(code)
        if client is not None and key is not None:  # a retry gets its ticket, even after hours
            earlier = self.store.find_by_key(client, key)
            if earlier is not None:
                if (earlier.service, earlier.priority) != (code, priority):
                    raise IdempotencyConflict(earlier)
                return Issued(earlier, False)
        if priority is not None and not service.priority_allowed:
            raise QueueRefused(QueueRefusal.PRIORITY_NOT_ALLOWED, code)
        if not self.is_open(service, now):
            raise QueueRefused(QueueRefusal.CLOSED, f"{code} at {self.local(now):%a %H:%M}")
        request = IssueRequest(
            code,
            self.day(now),
            aware(now),
            priority=priority,
            quota=service.daily_quota,
            source=source,
            client=client,
            key=key,
        )
        try:
            return self.store.record(request)
        except QuotaExhausted as exc:
            raise QueueRefused(QueueRefusal.QUOTA, str(exc)) from None
        except StoreUnavailable as exc:
            raise QueueRefused(QueueRefusal.UNAVAILABLE, str(exc)) from None

    def ticket(self, ticket_id: str) -> Ticket:
        ticket = self.store.get(ticket_id)
        if ticket is None:
            raise QueueRefused(QueueRefusal.UNKNOWN_TICKET, ticket_id)
        return ticket

    def people_ahead(self, ticket: Ticket, now: datetime | None = None) -> int:
        """Waiting tickets of its service expected before it: those issued earlier (a priority
        ticket: earlier priority ones), plus bookings whose slot has started."""
        return self.store.ahead(ticket, aware(now) if now is not None else ticket.issued_at)

    def waiting(self, code: str, now: datetime) -> int:
        return self.store.waiting_count(code, self.day(now))

    def minutes_per_ticket(self, code: str, day: date) -> float | None:
        """Median interval between the day's recent completions, minutes (rules)."""
        return rules.minutes_per_ticket(self.store.completions(code, day, RECENT_COMPLETIONS))

    def estimate_minutes(self, code: str, day: date, ahead: int) -> int | None:
        return rules.estimate_minutes(ahead, self.minutes_per_ticket(code, day))

    def mark_printed(self, ticket_id: str, now: datetime) -> None:
        self.store.record_print(ticket_id, printed=True, at=aware(now))

    def mark_print_failed(self, ticket_id: str, now: datetime) -> None:
        self.store.record_print(ticket_id, printed=False, at=aware(now))

    def mark_served(self, ticket_id: str, now: datetime) -> Ticket:
        """Without a counter: the ticket was served (its time feeds the estimate)."""
        try:
            ticket = self.store.act(ticket_id, Action.SERVE, None, aware(now))
        except rules.LifecycleError as exc:
            raise QueueRefused(QueueRefusal.TICKET_CLOSED, exc.detail) from None
        if ticket is None:
            raise QueueRefused(QueueRefusal.UNKNOWN_TICKET, ticket_id)
        return ticket

    def reset(self, code: str | None, now: datetime) -> int:
        """Technician: cancel today's waiting tickets (numbering continues, never reused)."""
        if code is not None:
            self.service(code)
        return self.store.reset(self.day(now), code, aware(now))

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
