"""One office's queue as the API serves it: the book, the counters, bookings, sign-in, events,
and how its records become answers and events."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from kiosk.config.models import QueueCounter
from kiosk.config.office import OfficeConfig
from kiosk.office.auth import Authenticator, CounterSessions
from kiosk.office.events import EventHub, Payload
from kiosk.office.speech import CallVoice
from kiosk.office.wire import ServiceOut, TicketOut, hours, ticket_out
from kiosk.queue.book import QueueBook
from kiosk.queue.booking import BookingDesk
from kiosk.queue.calls import CounterDesk
from kiosk.queue.models import Ticket
from kiosk.queue.store import QueueStore

log = logging.getLogger(__name__)

RECENT_CALLS = 5


@dataclass
class Office:
    config: OfficeConfig
    store: QueueStore
    book: QueueBook
    desk: CounterDesk
    bookings: BookingDesk
    sessions: CounterSessions
    auth: Authenticator
    hub: EventHub
    clock: Callable[[], datetime]
    voice: CallVoice | None = None  # the display's spoken calls (espeak-ng WAVs, cached)

    @property
    def counters(self) -> dict[str, QueueCounter]:
        return {c.id: c for c in self.config.queue.counters}

    def now(self) -> datetime:
        return self.clock()

    def ticket(self, ticket: Ticket, now: datetime) -> TicketOut:
        service = self.book.service(ticket.service)
        ahead = self.book.people_ahead(ticket, now)
        estimate = self.book.estimate_minutes(ticket.service, ticket.day, ahead)
        if not ticket.waiting:
            estimate = None if estimate is None else 0
        return ticket_out(
            ticket, service, self.counters, self.book.tz, ahead=ahead, estimate=estimate
        )

    def services(self, now: datetime) -> list[ServiceOut]:
        day = self.book.day(now)
        waiting = self.store.waiting_counts(day)
        answers = []
        for service in self.book.services:
            view = self.book.view(service.code, now)
            answers.append(
                ServiceOut(
                    code=service.code,
                    prefix=service.code,
                    agency=service.agency,
                    name_id=service.name_id,
                    name_en=service.name_en,
                    hours=hours(service),
                    quota=service.daily_quota,
                    requirements=list(service.requirements),
                    fee=service.fee_rp,
                    sla_minutes=service.sla_minutes,
                    waiting=waiting.get(service.code, 0),
                    estimate=view.estimate_minutes,
                    open=view.open,
                    reason=None if view.reason is None else view.reason.value,
                    issued_today=view.issued_today,
                    priority_allowed=service.priority_allowed,
                    booking_capacity=service.booking_capacity,
                    slot_minutes=service.slot_minutes,
                )
            )
        return answers

    # --- events ----------------------------------------------------------------------------

    def call_payload(self, ticket: Ticket) -> Payload:
        counter = self.counters.get(ticket.counter or "")
        service = self.book.service(ticket.service)
        at = ticket.last_called_at or ticket.called_at
        return {
            "ticket": ticket.ticket_id,
            "number": ticket.display_number,
            "service": ticket.service,
            "agency": service.agency,
            "service_name_id": service.name_id,
            "service_name_en": service.name_en,
            "counter": ticket.counter,
            "counter_number": None if counter is None else counter.number,
            "recall": ticket.recalls > 0,
            "priority": None if ticket.priority is None else ticket.priority.value,
            "at": None if at is None else at.astimezone(self.book.tz).isoformat(),
        }

    def announce_call(self, ticket: Ticket) -> None:
        self.hub.publish("call", self.call_payload(ticket))
        self.announce(ticket)

    def announce(self, ticket: Ticket) -> None:
        self.hub.publish(
            "ticket",
            {
                "ticket": ticket.ticket_id,
                "number": ticket.display_number,
                "service": ticket.service,
                "status": ticket.status.value,
                "counter": ticket.counter,
            },
        )
        self.hub.counts_changed()

    def counts(self) -> Payload:
        day = self.book.day(self.clock())
        return {"day": day.isoformat(), "waiting": self.store.waiting_counts(day)}

    def recent_calls(self) -> list[Payload]:
        day = self.book.day(self.clock())
        calls = self.store.recent_calls(day, RECENT_CALLS)
        return [self.call_payload(t) for t in reversed(calls)]
