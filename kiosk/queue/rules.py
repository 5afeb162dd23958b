"""The queue's rules as plain functions: the office day, opening hours, who is called next, what a
counter may do to a ticket, and the waiting-time estimate. Used by the stores (inside their
transactions), the queue book (stand-alone kiosk) and the office server alike.

Who is called next (:func:`choose_next`), among the waiting tickets of a counter's services:

1. a **booking** whose slot has started (slot start <= now): earliest slot first;
2. a **priority** ticket (lansia, disabilitas, ibu hamil), when ``every_n`` regular tickets
   were called since the last priority call of these services, or no regular ticket waits;
   the day starts as if ``every_n`` had just been called, so the first priority ticket goes
   first. With ``every_n = 3`` and both kinds waiting the calls go P R R R P R R R ...;
3. the **regular** ticket that has waited longest (its issue time: a transferred ticket keeps
   the original one, so it does not go to the back of the line);
4. a booking whose slot has not started yet, rather than leave the counter idle.

The waiting-time estimate (:func:`minutes_per_ticket`): the median interval between the last
:data:`RECENT_COMPLETIONS` completions (served or no-show) of the service today, times the
people ahead. Intervals between completions measure how fast the office as a whole gets through
the service, whatever the number of counters open; the median ignores one long pause (a break,
a difficult case). Until :data:`MIN_INTERVALS` intervals were observed today the estimate is
``None`` ("tidak diketahui"), never a guess.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum

from kiosk.config.models import QueueService
from kiosk.queue.models import AT_COUNTER, Ticket, TicketStatus

RECENT_COMPLETIONS = 11  # completions looked at for the estimate (10 intervals)
MIN_INTERVALS = 3  # fewer observed intervals today: the estimate is unknown


def aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now


def office_day(now: datetime, tz: tzinfo) -> date:
    """The office-local date of ``now``: numbers restart at local midnight."""
    return aware(now).astimezone(tz).date()


def is_open(service: QueueService, now: datetime, tz: tzinfo) -> bool:
    local = aware(now).astimezone(tz)
    moment = local.time().replace(tzinfo=None)
    return local.isoweekday() in service.days and service.opens <= moment < service.closes


# --- who is next ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heads:
    """The front of each line of a counter's services (None where that line is empty)."""

    due_booking: Ticket | None  # slot started
    priority: Ticket | None
    regular: Ticket | None
    early_booking: Ticket | None  # slot not started yet


def choose_next(heads: Heads, regulars_since_priority: int | None, every_n: int) -> Ticket | None:
    """The ticket to call (see the module docstring). ``regulars_since_priority`` is None when
    no priority ticket was called today (counts as ``every_n``)."""
    if heads.due_booking is not None:
        return heads.due_booking
    since = every_n if regulars_since_priority is None else regulars_since_priority
    if heads.priority is not None and (heads.regular is None or since >= every_n):
        return heads.priority
    if heads.regular is not None:
        return heads.regular
    return heads.early_booking


# --- what a counter may do -----------------------------------------------------------------


class Action(StrEnum):
    START = "start"
    DONE = "done"
    NO_SHOW = "no-show"
    SERVE = "serve"  # stand-alone kiosk: mark served without a counter (no call recorded)
    CANCEL = "cancel"


# action -> (states it may start from, the state it leads to). Repeating an action on a ticket
# already in its target state changes nothing (idempotent); anything else is ``wrong_state``.
TRANSITIONS: dict[Action, tuple[frozenset[TicketStatus], TicketStatus]] = {
    Action.START: (frozenset({TicketStatus.CALLED}), TicketStatus.SERVING),
    Action.DONE: (AT_COUNTER, TicketStatus.SERVED),
    Action.NO_SHOW: (frozenset({TicketStatus.CALLED}), TicketStatus.NO_SHOW),
    Action.SERVE: (frozenset({TicketStatus.WAITING}) | AT_COUNTER, TicketStatus.SERVED),
    Action.CANCEL: (frozenset({TicketStatus.WAITING}), TicketStatus.CANCELLED),
}


class LifecycleCode(StrEnum):
    WRONG_STATE = "wrong_state"  # 409
    NOT_YOUR_TICKET = "not_your_ticket"  # 403: called by another counter
    COUNTER_BUSY = "counter_busy"  # 409: the counter's current ticket is not finished
    NOTHING_TO_RECALL = "nothing_to_recall"  # 409
    NOT_YOUR_SERVICE = "not_your_service"  # 403: another counter's (or agency's) service


class LifecycleError(Exception):
    def __init__(self, code: LifecycleCode, detail: str, ticket: Ticket | None = None) -> None:
        super().__init__(f"{code.value}: {detail}")
        self.code = code
        self.detail = detail
        self.ticket = ticket


def transition(ticket: Ticket, action: Action, counter: str | None) -> TicketStatus | None:
    """The status ``action`` leads to, or None when the ticket is already there (no change).

    ``counter`` is the acting counter (None: the stand-alone kiosk or an admin): a counter acts
    only on tickets it called itself.
    """
    sources, target = TRANSITIONS[action]
    if counter is not None and action is not Action.CANCEL and ticket.counter != counter:
        raise LifecycleError(
            LifecycleCode.NOT_YOUR_TICKET, f"{ticket.ticket_id} is at {ticket.counter}", ticket
        )
    if ticket.status is target:
        return None
    if ticket.status not in sources:
        raise LifecycleError(
            LifecycleCode.WRONG_STATE,
            f"{ticket.ticket_id} is {ticket.status.value}, cannot {action.value}",
            ticket,
        )
    return target


def transferable(ticket: Ticket, to_service: str, counter: str | None) -> None:
    """Raise unless ``counter`` may send ``ticket`` to ``to_service`` now."""
    if counter is not None and ticket.counter != counter:
        raise LifecycleError(
            LifecycleCode.NOT_YOUR_TICKET, f"{ticket.ticket_id} is at {ticket.counter}", ticket
        )
    if ticket.status not in AT_COUNTER:
        raise LifecycleError(
            LifecycleCode.WRONG_STATE, f"{ticket.ticket_id} is {ticket.status.value}", ticket
        )
    if to_service == ticket.service:
        raise LifecycleError(LifecycleCode.WRONG_STATE, "already in that service", ticket)


# --- how long ------------------------------------------------------------------------------


def minutes_per_ticket(completions: Sequence[datetime]) -> float | None:
    """Median interval between consecutive completions (oldest first), minutes; None when fewer
    than :data:`MIN_INTERVALS` intervals are known."""
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(sorted(completions))]
    if len(gaps) < MIN_INTERVALS:
        return None
    return statistics.median(gaps) / 60


def estimate_minutes(ahead: int, per_ticket: float | None) -> int | None:
    if per_ticket is None:
        return None
    return math.ceil(ahead * per_ticket)


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile (``share`` 0.5 = median, 0.9 = p90); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]
