"""The queue's storage port, one Protocol for SQLite (embedded) and PostgreSQL (an office).

Contract for every implementation (``tests/kiosk/queue/test_queue_store.py`` holds both to it):
- :meth:`TicketStore.record` allocates the next number of ``(service, day)`` and records the
  ticket in one database transaction: a crash at any point leaves either the recorded ticket or
  nothing, so numbers are never duplicated and never skipped, whatever the number of writers.
- A request with a client and an idempotency key records at most one ticket for that pair; the
  same pair later returns the same ticket (``created`` False).
- Who is called next, and what a counter may do to a ticket, are decided by
  :mod:`kiosk.queue.rules` inside the store's transaction (so two counters never get the same
  ticket, and a ticket never skips a state).
- Times are aware datetimes; ``day`` is the office-local date decided by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from kiosk.queue.models import Priority, Ticket
from kiosk.queue.rules import Action


@dataclass(frozen=True, slots=True)
class IssueRequest:
    service: str
    day: date
    at: datetime
    priority: Priority | None = None
    quota: int | None = None  # None: no quota (a booking's check-in was promised its place)
    source: str = ""
    client: str | None = None  # with ``key``: at most one ticket per (client, key)
    key: str | None = None
    booking_code: str | None = None
    slot_start: datetime | None = None


@dataclass(frozen=True, slots=True)
class Issued:
    ticket: Ticket
    created: bool  # False: the same client and key had recorded it before


class IdempotencyConflict(Exception):
    """The key was used before for a different request (another service or priority)."""

    def __init__(self, ticket: Ticket) -> None:
        super().__init__(f"key already used for {ticket.ticket_id}")
        self.ticket = ticket


@dataclass(frozen=True, slots=True)
class Booking:
    code: str
    service: str
    day: date
    slot_start: datetime
    slot_end: datetime
    created_at: datetime
    client: str
    ticket_id: str | None = None  # set by the check-in
    checked_in_at: datetime | None = None


class SlotFull(Exception):
    """The slot's capacity is booked (nothing recorded)."""


class BookingUsed(Exception):
    """The booking was checked in before (by another request)."""

    def __init__(self, booking: Booking) -> None:
        super().__init__(f"booking {booking.code} already checked in")
        self.booking = booking


@dataclass(frozen=True, slots=True)
class Feedback:
    day: date
    service: str
    score: int  # 1 (tidak puas) .. 4 (sangat puas)
    reasons: tuple[str, ...]
    at: datetime
    client: str
    ticket_id: str | None = None
    txid: str | None = None
    id: int = 0


@dataclass(frozen=True, slots=True)
class Alert:
    day: date
    kind: str
    kiosk: str
    screen: str
    at: datetime
    id: int = 0
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None


class TicketStore(Protocol):
    def record(self, request: IssueRequest) -> Issued:
        """Record the next ticket (or return the one recorded for the same client and key).

        Raises :class:`QuotaExhausted`, :class:`StoreUnavailable` or
        :class:`IdempotencyConflict`; in each case nothing is recorded.
        """
        ...

    def issue(
        self, service: str, day: date, *, priority: Priority | bool | None, quota: int, at: datetime
    ) -> Ticket:
        """:meth:`record` without a key (the stand-alone kiosk's call)."""
        ...

    def find_by_key(self, client: str, key: str) -> Ticket | None:
        """The ticket recorded for this client and idempotency key, if any."""
        ...

    def get(self, ticket_id: str) -> Ticket | None: ...

    def record_print(self, ticket_id: str, *, printed: bool, at: datetime) -> None:
        """Count a print attempt; ``printed`` sets ``printed_at`` (first success kept)."""
        ...

    def act(
        self, ticket_id: str, action: Action, counter: str | None, at: datetime
    ) -> Ticket | None:
        """Apply a lifecycle action (rules.transition); None when there is no such ticket."""
        ...

    def mark_served(self, ticket_id: str, at: datetime) -> Ticket | None: ...

    def call_next(
        self, counter: str, services: Sequence[str], day: date, at: datetime, every_n: int
    ) -> Ticket | None:
        """Call the next ticket for ``counter`` (rules.choose_next); None if nobody waits.
        Raises LifecycleError(counter_busy) while the counter's current ticket is unfinished."""
        ...

    def recall(self, counter: str, day: date, at: datetime) -> Ticket:
        """Call the counter's current ``called`` ticket again (LifecycleError if none)."""
        ...

    def transfer(
        self, ticket_id: str, to_service: str, counter: str | None, at: datetime
    ) -> Ticket | None:
        """The ticket becomes ``transferred`` and a new one (same letter and number, same
        issue time, ``hop`` + 1) waits in ``to_service``; returns the new one."""
        ...

    def issued_count(self, service: str, day: date) -> int: ...

    def waiting_count(self, service: str, day: date) -> int: ...

    def waiting_counts(self, day: date) -> dict[str, int]: ...

    def ahead(self, ticket: Ticket, now: datetime) -> int:
        """Waiting tickets of its service called before it (an estimate: see the book)."""
        ...

    def completions(self, service: str, day: date, limit: int) -> list[datetime]:
        """The ``limit`` latest served / no-show times of the day, oldest first."""
        ...

    def reset(self, day: date, service: str | None, at: datetime) -> int:
        """Cancel the day's waiting tickets (of one service or all); returns how many."""
        ...

    def at_counters(self, day: date) -> dict[str, Ticket]:
        """Each counter's called or serving ticket."""
        ...

    def recent_calls(self, day: date, limit: int) -> list[Ticket]:
        """The latest called tickets, newest call (or recall) first."""
        ...

    def tickets_of_day(self, day: date) -> list[Ticket]: ...

    def close(self) -> None: ...


class OfficeRecords(Protocol):
    """Bookings, IKM feedback, staff alerts, counter PIN attempts and server secrets."""

    def book(self, booking: Booking, capacity: int, key: str | None) -> tuple[Booking, bool]:
        """Record a booking unless its slot is full (:class:`SlotFull`); with ``key``, the same
        client and key return the first booking (False)."""
        ...

    def booking(self, code: str) -> Booking | None: ...

    def check_in(self, code: str, request: IssueRequest) -> Issued:
        """Turn the booking into a ticket, once. The same client and key return the same ticket;
        any other request after the first raises :class:`BookingUsed`."""
        ...

    def add_feedback(self, feedback: Feedback) -> tuple[Feedback, bool]:
        """Record IKM answers; one per ticket or txid (a repeat returns the first, False)."""
        ...

    def feedback_of_day(self, day: date) -> list[Feedback]: ...

    def add_alert(self, alert: Alert) -> Alert: ...

    def alerts(self, day: date, *, open_only: bool) -> list[Alert]: ...

    def acknowledge(self, alert_id: int, counter: str, at: datetime) -> Alert | None: ...

    def pin_attempts(self, counter: str) -> tuple[int, datetime | None]:
        """(wrong PINs in a row, end of the lockout or None)."""
        ...

    def save_pin_attempts(
        self, counter: str, wrong: int, locked_until: datetime | None
    ) -> None: ...

    def secret(self, name: str, fresh: bytes) -> bytes:
        """The stored secret ``name``; ``fresh`` is stored first if there is none yet."""
        ...


class QueueStore(TicketStore, OfficeRecords, Protocol):
    """Everything the office queue keeps: what the server and the stand-alone kiosk use."""
