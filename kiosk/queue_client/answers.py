"""The queue server's answers as the kiosk accepts them (DESIGN section 5).

An answer is hostile input until these models have read it: JSON only (``model_validate_json``,
strict: no ``"12"`` for 12, no ``true`` for 1), every string bounded and shaped, every number
in range, times with their offset. Fields the kiosk does not use are ignored, so the server may
add fields (the contract grows only by adding). An answer that fails is :class:`BadAnswer`:
the citizen hears that the queue cannot be used now, the technician's log names the field.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

TICKET_ID = r"^[0-9]{8}-[A-Z]-[0-9]{3,4}(-T[0-9]{1,2})?$"
Code = Annotated[str, StringConstraints(pattern=r"^[A-Z]$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Short = Annotated[str, StringConstraints(max_length=64)]
HourMinute = Annotated[str, StringConstraints(pattern=r"^[0-2][0-9]:[0-5][0-9]$")]
Count = Annotated[int, Field(ge=0, le=99_999)]
Minutes = Annotated[int, Field(ge=0, le=9_999)]
PriorityKind = Literal["lansia", "disabilitas", "ibu_hamil", "prioritas"]
Status = Literal["waiting", "called", "serving", "served", "no_show", "transferred", "cancelled"]


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)


class TicketAnswer(_Answer):
    """``POST /v1/tickets`` (201) and ``GET /v1/tickets/{id}``."""

    id: Annotated[str, StringConstraints(pattern=TICKET_ID)]
    number: Annotated[str, StringConstraints(pattern=r"^[A-Z]-[0-9]{3,4}$")]
    service: Code
    agency: Short = ""
    priority: PriorityKind | None = None
    issued_at: AwareDatetime
    day: date
    ahead: Count
    estimated_wait_min: Minutes | None = None
    status: Status
    service_name_id: Name
    service_name_en: Name
    counter_number: Annotated[int, Field(ge=1, le=999)] | None = None
    slot_start: AwareDatetime | None = None  # a checked-in booking's slot


class CheckInAnswer(TicketAnswer):
    """``POST /v1/bookings/check-in`` (201): a ticket, and how the arrival fits the slot."""

    arrival: Literal["early", "on_time", "late"]
    called_from: AwareDatetime
    minutes_from_slot: Annotated[int, Field(ge=-1440, le=1440)]


class Hours(_Answer):
    opens: HourMinute
    closes: HourMinute


class ServiceAnswer(_Answer):
    """One entry of ``GET /v1/services``."""

    code: Code
    agency: Short = ""
    name_id: Name
    name_en: Name
    hours: Hours
    waiting: Count
    estimate: Minutes | None = None
    open: bool
    reason: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,48}$")] | None = None
    priority_allowed: bool


Services = TypeAdapter(
    Annotated[list[ServiceAnswer], Field(max_length=26)], config=ConfigDict(strict=True)
)


class HealthAnswer(_Answer):
    status: Literal["ok"]
    server_time: AwareDatetime
    day: date
    office: Name


class AlertAnswer(_Answer):
    id: Annotated[int, Field(ge=1)]
    kind: Short
    at: AwareDatetime


class FeedbackStored(_Answer):
    """``POST /v1/feedback`` (201 new, 200 the one it already had for that ticket or txid)."""

    id: Annotated[int, Field(ge=1)]
    service: Annotated[str, StringConstraints(pattern=r"^(ADM|[A-Z])$")]
    score: Annotated[int, Field(ge=1, le=4)]


class ErrorBody(_Answer):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,48}$")]
    message: Annotated[str, StringConstraints(max_length=300)] = ""
    # booking refusals carry the window in the office's time (shown to the citizen in words)
    window_opens: AwareDatetime | None = None
    window_closes: AwareDatetime | None = None
    slot_start: AwareDatetime | None = None


class ErrorAnswer(_Answer):
    error: ErrorBody
