"""What the queue hands out and why it sometimes says no: tickets, their states, refusals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class QueueRefusal(StrEnum):
    """Why no ticket was issued (no number was consumed). The value is the message-catalog key
    and the ``error.code`` of the office queue API."""

    CLOSED = "queue_closed"  # outside the service's days or hours
    QUOTA = "queue_quota"  # today's quota is used up
    PRINTER_UNAVAILABLE = "printer_unavailable"  # no receipt printer, or it cannot print now
    UNKNOWN_SERVICE = "queue_unknown_service"
    PRIORITY_NOT_ALLOWED = "queue_priority_not_allowed"
    UNKNOWN_TICKET = "queue_unknown_ticket"
    TICKET_CLOSED = "queue_ticket_closed"  # served, reset, or from another day: no reprint
    UNAVAILABLE = "queue_unavailable"  # the store cannot record a number now (locked, disk full)


class QueueRefused(Exception):
    """A refusal with its code; ``detail`` is for the technician log, never for the citizen."""

    def __init__(self, code: QueueRefusal, detail: str = "") -> None:
        super().__init__(f"{code.value}: {detail}" if detail else code.value)
        self.code = code
        self.detail = detail


class QuotaExhausted(Exception):
    """Raised by a store when the day's quota for a service is used up (nothing recorded)."""


class StoreUnavailable(Exception):
    """Raised by a store that could not record a ticket (nothing recorded)."""


class Priority(StrEnum):
    """Who may take a priority ticket (the citizen says so; staff may check at the counter)."""

    LANSIA = "lansia"  # elderly
    DISABILITAS = "disabilitas"  # disabled
    IBU_HAMIL = "ibu_hamil"  # pregnant
    PRIORITAS = "prioritas"  # kind not recorded (tickets of schema 1, ``priority=True`` callers)


def priority_of(value: Priority | bool | None) -> Priority | None:
    """``True`` (a caller that only knows "priority") becomes :attr:`Priority.PRIORITAS`."""
    if value is True:
        return Priority.PRIORITAS
    if value is False or value is None:
        return None
    return Priority(value)


class TicketStatus(StrEnum):
    """A ticket's life: waiting -> called -> serving -> served, or no_show, transferred (a new
    ticket waits in the other service), cancelled (a technician's or admin's reset)."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    SERVED = "served"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


FINAL_STATUSES = frozenset(
    {TicketStatus.SERVED, TicketStatus.NO_SHOW, TicketStatus.TRANSFERRED, TicketStatus.CANCELLED}
)
AT_COUNTER = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})


@dataclass(frozen=True, slots=True)
class Ticket:
    """One ticket, as recorded. Times are aware (UTC as stored).

    ``issued_at`` is the ticket's place in the queue: a transferred ticket keeps the original
    issue time. ``created_at`` is when this row was made (equal to ``issued_at`` unless
    transferred). ``hop`` counts transfers: 0 for an issued ticket, 1 after the first transfer.
    """

    ticket_id: str  # "20261123-A-042" (the QR content); "20261123-A-042-T1" after a transfer
    service: str  # the service it waits for now
    day: date  # the office-local day it belongs to (numbers restart each day)
    number: int
    priority: Priority | None
    issued_at: datetime
    status: TicketStatus = TicketStatus.WAITING
    prefix: str = ""  # the letter printed on it (the service it was issued for); "" = service
    hop: int = 0
    source: str = ""  # who issued it: a client id ("kiosk-1"), "booking", "transfer"
    created_at: datetime | None = None
    counter: str | None = None  # the counter that called it
    called_at: datetime | None = None  # first call
    last_called_at: datetime | None = None  # latest call or recall
    recalls: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None  # served, no_show, transferred or cancelled
    printed_at: datetime | None = None
    print_attempts: int = 0
    booking_code: str | None = None
    slot_start: datetime | None = None  # a booking's slot: called from then, before walk-ins
    transferred_from: str | None = None
    transferred_to: str | None = None

    @property
    def letter(self) -> str:
        return self.prefix or self.service

    @property
    def display_number(self) -> str:
        return f"{self.letter}-{self.number:03d}"

    @property
    def waiting(self) -> bool:
        return self.status is TicketStatus.WAITING

    @property
    def served_at(self) -> datetime | None:
        return self.finished_at if self.status is TicketStatus.SERVED else None

    @property
    def cancelled_at(self) -> datetime | None:
        return self.finished_at if self.status is TicketStatus.CANCELLED else None


def ticket_id_for(service: str, day: date, number: int, hop: int = 0) -> str:
    base = f"{day:%Y%m%d}-{service}-{number:03d}"
    return base if hop == 0 else f"{base}-T{hop}"


@dataclass(frozen=True, slots=True)
class ServiceView:
    """One service as the MENU -> SERVICE screen shows it."""

    code: str
    name_id: str
    name_en: str
    agency: str
    open: bool  # a ticket can be issued now
    reason: QueueRefusal | None  # why not, when not open
    opens: time
    closes: time
    waiting: int  # tickets issued today and not yet called
    estimate_minutes: int | None  # expected wait for a new ticket, when service times are known
    priority_allowed: bool
    issued_today: int
    quota: int
