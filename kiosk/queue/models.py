"""What the queue service hands out and why it sometimes says no."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class QueueRefusal(StrEnum):
    """Why no ticket was issued (no number was consumed). The value is the message-catalog key."""

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


@dataclass(frozen=True, slots=True)
class Ticket:
    """One issued number, as recorded. Times are aware (UTC as stored)."""

    ticket_id: str  # "20261123-A-042": the QR content, unique per store
    service: str  # the service's letter code
    day: date  # the office-local day it belongs to (numbers restart each day)
    number: int
    priority: bool
    issued_at: datetime
    printed_at: datetime | None = None
    print_attempts: int = 0
    served_at: datetime | None = None
    cancelled_at: datetime | None = None  # set by a technician's reset

    @property
    def display_number(self) -> str:
        return f"{self.service}-{self.number:03d}"

    @property
    def waiting(self) -> bool:
        return self.served_at is None and self.cancelled_at is None


def ticket_id_for(service: str, day: date, number: int) -> str:
    return f"{day:%Y%m%d}-{service}-{number:03d}"


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
    waiting: int  # tickets issued today and not yet served
    estimate_minutes: int | None  # expected wait for a new ticket, when service times are known
    priority_allowed: bool
    issued_today: int
    quota: int
