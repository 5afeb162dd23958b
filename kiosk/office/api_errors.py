"""The queue API's errors: ``{"error": {"code", "message", ...}}`` with a status, and how each
refusal of the queue's rules maps to one."""

from __future__ import annotations

from kiosk.api_error import ApiError as ApiError
from kiosk.api_error import invalid_request as invalid_request
from kiosk.queue.booking import BookingRefusal, BookingRefused
from kiosk.queue.models import QueueRefusal, QueueRefused
from kiosk.queue.rules import LifecycleCode, LifecycleError


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


_REFUSALS: dict[QueueRefusal, tuple[int, str]] = {
    QueueRefusal.UNKNOWN_SERVICE: (404, "no such service"),
    QueueRefusal.UNKNOWN_TICKET: (404, "no such ticket"),
    QueueRefusal.CLOSED: (409, "the service is closed now"),
    QueueRefusal.QUOTA: (409, "today's tickets for this service are used up"),
    QueueRefusal.PRIORITY_NOT_ALLOWED: (409, "this service has no priority line"),
    QueueRefusal.TICKET_CLOSED: (409, "the ticket is no longer waiting"),
    QueueRefusal.PRINTER_UNAVAILABLE: (409, "no printer"),
    QueueRefusal.UNAVAILABLE: (503, "the queue cannot record now; try again"),
}

_LIFECYCLE: dict[LifecycleCode, tuple[int, str]] = {
    LifecycleCode.WRONG_STATE: (409, "the ticket is not in a state that allows this"),
    LifecycleCode.NOT_YOUR_TICKET: (403, "the ticket was called by another counter"),
    LifecycleCode.NOT_YOUR_SERVICE: (403, "this counter does not serve that service"),
    LifecycleCode.COUNTER_BUSY: (409, "finish the current ticket first"),
    LifecycleCode.NOTHING_TO_RECALL: (409, "no called ticket to call again"),
}

_BOOKINGS: dict[BookingRefusal, tuple[int, str]] = {
    BookingRefusal.NOT_OFFERED: (409, "this service takes no online bookings"),
    BookingRefusal.NO_SUCH_SLOT: (409, "no such slot to book"),
    BookingRefusal.FULL: (409, "the slot is fully booked"),
    BookingRefusal.FORGED: (400, "not a booking code of this office"),
    BookingRefusal.UNKNOWN: (404, "no such booking"),
    BookingRefusal.USED: (409, "the booking was used already"),
    BookingRefusal.TOO_EARLY: (410, "too early for this booking: check-in is not open yet"),
    BookingRefusal.TOO_LATE: (410, "too late for this booking: take an ordinary ticket"),
    BookingRefusal.UNAVAILABLE: (503, "the queue cannot record now; try again"),
}


def from_refusal(exc: QueueRefused) -> ApiError:
    status, message = _REFUSALS[exc.code]
    return ApiError(status, exc.code.value, message)


def from_lifecycle(exc: LifecycleError) -> ApiError:
    status, message = _LIFECYCLE[exc.code]
    if exc.ticket is None:
        return ApiError(status, exc.code.value, message)
    ticket = exc.ticket
    return ApiError(
        status, exc.code.value, message, ticket=ticket.ticket_id, ticket_status=ticket.status.value
    )


def from_booking(exc: BookingRefused) -> ApiError:
    status, message = _BOOKINGS[exc.code]
    error = ApiError(status, exc.code.value, message)
    error.extra.update(exc.data)
    return error
