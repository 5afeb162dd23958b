"""The counters' side of the queue: call next, recall, start, done, no-show, transfer.

A counter (from config) calls only its own services: ``call_next`` for one service names a
service of the counter, or :class:`LifecycleError` ``not_your_service``; a counter acts only on
tickets it called. The choice of ticket and the state changes are :mod:`kiosk.queue.rules`,
applied inside the store's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from kiosk.config.models import QueueCounter
from kiosk.queue.book import QueueBook
from kiosk.queue.models import QueueRefusal, QueueRefused, StoreUnavailable, Ticket
from kiosk.queue.rules import Action, LifecycleCode, LifecycleError, aware


class UnknownCounter(KeyError):
    pass


class CounterDesk:
    def __init__(self, book: QueueBook, counters: Sequence[QueueCounter]) -> None:
        self.book = book
        self._counters = {counter.id: counter for counter in counters}

    @property
    def counters(self) -> list[QueueCounter]:
        return list(self._counters.values())

    def counter(self, counter_id: str) -> QueueCounter:
        try:
            return self._counters[counter_id]
        except KeyError:
            raise UnknownCounter(counter_id) from None

    def call_next(
        self, counter_id: str, now: datetime, service: str | None = None
    ) -> Ticket | None:
        counter = self.counter(counter_id)
        services = counter.services
        if service is not None:
            self.book.service(service)  # QueueRefused for an unknown one
            if service not in counter.services:
                raise LifecycleError(
                    LifecycleCode.NOT_YOUR_SERVICE, f"{counter_id} does not serve {service}"
                )
            services = [service]
        try:
            return self.book.store.call_next(
                counter_id, services, self.book.day(now), aware(now), self.book.priority_every_n
            )
        except StoreUnavailable as exc:
            raise QueueRefused(QueueRefusal.UNAVAILABLE, str(exc)) from None

    def recall(self, counter_id: str, now: datetime) -> Ticket:
        self.counter(counter_id)
        return self.book.store.recall(counter_id, self.book.day(now), aware(now))

    def act(self, ticket_id: str, action: Action, counter_id: str, now: datetime) -> Ticket:
        self.counter(counter_id)
        ticket = self.book.store.act(ticket_id, action, counter_id, aware(now))
        if ticket is None:
            raise QueueRefused(QueueRefusal.UNKNOWN_TICKET, ticket_id)
        return ticket

    def transfer(self, ticket_id: str, to_service: str, counter_id: str, now: datetime) -> Ticket:
        self.counter(counter_id)
        self.book.service(to_service)
        moved = self.book.store.transfer(ticket_id, to_service, counter_id, aware(now))
        if moved is None:
            raise QueueRefused(QueueRefusal.UNKNOWN_TICKET, ticket_id)
        return moved
