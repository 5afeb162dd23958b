"""The queue API's bodies (DESIGN section 5): requests are checked strictly (unknown fields,
wrong types and oversized values are refused before anything happens); answers are built here
from the queue's records, times in the office's zone with their offset."""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kiosk.config.models import QueueCounter, QueueService
from kiosk.queue.models import Priority, Ticket

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z]$")]
Word = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_\-]{1,32}$")]
ClientId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]{1,64}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=64)]
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_.:\-]{8,128}")
PriorityIn = Literal["lansia", "disabilitas", "ibu_hamil"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IssueIn(_In):
    service: Code
    priority: PriorityIn | None = None
    source: Word | None = Field(default=None, description="kiosk, counter, web ...")


class SessionIn(_In):
    pin: Annotated[str, StringConstraints(min_length=1, max_length=16)]


class CallNextIn(_In):
    service: Code | None = Field(default=None, description="only this one of the counter's")


class TransferIn(_In):
    service: Code


class BookingIn(_In):
    service: Code
    date: date
    slot: Annotated[str, StringConstraints(pattern=r"^[0-2][0-9]:[0-5][0-9]$")]


class CheckInIn(_In):
    qr: Annotated[str, StringConstraints(min_length=1, max_length=400)]


class FeedbackIn(_In):
    ticket: (
        Annotated[str, StringConstraints(pattern=r"^[0-9]{8}-[A-Z]-[0-9]{3,4}(-T[0-9]{1,2})?$")]
        | None
    ) = None
    txid: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{1,64}$")] | None = None
    # a counter service's letter, or "ADM": a kiosk's own session (print, check), named by the
    # kiosk's random survey id in ``txid`` (never a print's transaction id)
    service: Code | Literal["ADM"]
    score: int = Field(ge=1, le=4, description="1 tidak puas .. 4 sangat puas")
    reasons: list[Word] = Field(default_factory=list, max_length=10)


class AlertIn(_In):
    kind: Word = Field(description="help (a citizen asks for staff), device, ...")
    kiosk: ClientId
    screen: Word


class ResetIn(_In):
    service: Code | None = None


# --- answers -------------------------------------------------------------------------------


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


class HealthOut(BaseModel):
    status: Literal["ok"]
    server_time: datetime
    day: date
    office: str
    version: str


class TicketOut(BaseModel):
    id: str
    number: str  # "A-012"
    service: str
    agency: str
    priority: Priority | None
    issued_at: datetime
    day: date
    ahead: int
    estimated_wait_min: int | None
    status: str
    # added to the contract's fields:
    service_name_id: str
    service_name_en: str
    source: str
    counter: str | None
    counter_number: int | None
    called_at: datetime | None
    recalls: int
    booking_code: str | None
    slot_start: datetime | None
    transferred_from: str | None
    transferred_to: str | None


class HoursOut(BaseModel):
    opens: str
    closes: str
    days: list[int]


class ServiceOut(BaseModel):
    code: str
    prefix: str
    agency: str
    name_id: str
    name_en: str
    hours: HoursOut
    quota: int
    requirements: list[str]
    fee: int  # rupiah
    sla_minutes: int | None
    waiting: int
    estimate: int | None  # minutes for a ticket taken now; null = not known yet
    # added:
    open: bool
    reason: str | None
    issued_today: int
    priority_allowed: bool
    booking_capacity: int
    slot_minutes: int


class CounterOut(BaseModel):
    id: str
    number: int
    agency: str
    services: list[str]
    current: TicketOut | None


class SessionOut(BaseModel):
    token: str
    counter: str
    expires_at: datetime


class BookingOut(BaseModel):
    code: str
    qr: str
    service: str
    date: date
    slot: str
    # added:
    slot_start: datetime
    slot_end: datetime
    checkin_opens: datetime
    checkin_closes: datetime


class CheckInOut(TicketOut):
    arrival: Literal["early", "on_time", "late"]
    called_from: datetime
    minutes_from_slot: int


class FeedbackOut(BaseModel):
    id: int
    service: str
    score: int


class AlertOut(BaseModel):
    id: int
    kind: str
    kiosk: str
    screen: str
    at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None


# --- building answers ----------------------------------------------------------------------


def hours(service: QueueService) -> HoursOut:
    return HoursOut(
        opens=f"{service.opens:%H:%M}", closes=f"{service.closes:%H:%M}", days=list(service.days)
    )


def local(value: datetime | None, tz: tzinfo) -> datetime | None:
    return None if value is None else value.astimezone(tz)


def ticket_out(
    ticket: Ticket,
    service: QueueService,
    counters: dict[str, QueueCounter],
    tz: tzinfo,
    *,
    ahead: int,
    estimate: int | None,
) -> TicketOut:
    counter = counters.get(ticket.counter) if ticket.counter else None
    return TicketOut(
        id=ticket.ticket_id,
        number=ticket.display_number,
        service=ticket.service,
        agency=service.agency,
        priority=ticket.priority,
        issued_at=ticket.issued_at.astimezone(tz),
        day=ticket.day,
        ahead=ahead,
        estimated_wait_min=estimate,
        status=ticket.status.value,
        service_name_id=service.name_id,
        service_name_en=service.name_en,
        source=ticket.source,
        counter=ticket.counter,
        counter_number=None if counter is None else counter.number,
        called_at=local(ticket.last_called_at, tz),
        recalls=ticket.recalls,
        booking_code=ticket.booking_code,
        slot_start=local(ticket.slot_start, tz),
        transferred_from=ticket.transferred_from,
        transferred_to=ticket.transferred_to,
    )
