"""The session's queue branch: the service list, a ticket issued and printed (with an error's
reference when one hands over), booking QRs checked in at the office queue server, reprints,
and people ahead kept fresh on the ticket and service screens.

A mixin of :class:`kiosk.engine.session.SessionController`: its handlers are the controller's
methods (listed in :data:`kiosk.engine.session.TRANSITIONS`) and run on its worker like the
others. Slow queue answers are fetched on a thread of their own and come back as an internal
intent (:class:`QueueRefreshed`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kiosk.engine.intent_worker import IntentWorker
from kiosk.engine.session_flows import QueueDeskError, SessionDeps, SessionOutcome
from kiosk.engine.view import (
    ChooseService,
    Priority,
    ReprintTicket,
    ScanBooking,
    Screen,
    ServiceView,
    TicketView,
)

log = logging.getLogger(__name__)
QUEUE_REFRESH_S = 5.0  # people ahead and estimates on the ticket and service screens


class QueueBranch(IntentWorker):
    """The queue handlers; the state they share lives on the controller."""

    _refreshing: bool  # a queue refresh is under way on its own thread
    _refreshed_at: float
    if TYPE_CHECKING:  # the controller's, declared for the type checker only
        deps: SessionDeps
        _outcome: SessionOutcome | None
        _feedback_ref: tuple[str, str, str] | None

        def _go(self, screen: Screen, **changes: Any) -> None: ...

    def _show_services(self) -> None:
        desk = self.deps.desk
        if desk is None:
            return
        self._publish(busy=True)
        self._refreshed_at = self.deps.monotonic()
        bookings = desk.takes_bookings
        try:
            services = tuple(desk.services_view(self.deps.wallclock()))
        except QueueDeskError as exc:  # the office queue server is down: say so, keep trying
            log.warning("session: queue services unavailable (%s)", exc.code)
            self._go(Screen.SERVICE, services=(), ticket=None, notice=exc.code, bookings=bookings)
            return
        self._go(Screen.SERVICE, services=services, ticket=None, bookings=bookings)

    def _scan_booking(self, _: ScanBooking) -> None:
        """A booking QR is read on the scan screen, whether printing is available or not."""
        self._go(Screen.SCAN, document=None, choices=())

    def _service_chosen(self, intent: ChooseService) -> None:
        self._issue(intent.code, intent.priority)

    def _issue(self, code: str, priority: Priority | None, reference: str | None = None) -> None:
        """Issue and print a ticket of ``code`` (``reference``: an error's, printed on it)."""
        desk = self.deps.desk
        if desk is None:
            return
        self._publish(busy=True)
        try:
            result = desk.issue_and_print(
                code, priority, self.deps.tickets_available(), reference=reference
            )
        except Exception as exc:
            log.warning("session: ticket not issued (%s)", type(exc).__name__)
            refusal = getattr(exc, "code", None)
            key = str(refusal) if isinstance(refusal, str) and refusal else "queue_unavailable"
            self._publish(busy=False, notice=key)
            return
        self._outcome = SessionOutcome.TICKET
        self._refreshed_at = self.deps.monotonic()
        self._feedback_ref = (code, "ticket", str(result.ticket.ticket_id))
        self._go(Screen.TICKET, ticket=result.ticket)

    def _booking_scanned(self, qr: str) -> None:
        """A booking QR: checked in at the office queue server, the ticket printed here."""
        desk = self.deps.desk
        if desk is None:
            self._publish(notice="booking_not_here")
            return
        self._publish(busy=True, notice=None, booking=None)
        try:
            result = desk.check_in(qr, self.deps.tickets_available())
        except QueueDeskError as exc:
            log.info("session: booking not checked in (%s)", exc.code)
            self._publish(busy=False, notice=exc.code, booking=exc.booking)
            return
        except Exception as exc:
            log.warning("session: booking check-in failed (%s)", type(exc).__name__)
            self._publish(busy=False, notice="queue_unavailable", booking=None)
            return
        self._outcome = SessionOutcome.TICKET
        self._refreshed_at = self.deps.monotonic()
        ticket = result.ticket
        self._feedback_ref = (ticket.service_code, "ticket", str(ticket.ticket_id))
        self._go(Screen.TICKET, ticket=ticket, booking=result.booking)

    def _refresh_queue(self, now: float) -> None:
        """Every :data:`QUEUE_REFRESH_S` on the ticket and service screens, ask the queue again
        on a thread of its own (a slow queue server never holds the citizen's next touch)."""
        desk, view = self.deps.desk, self._view
        if desk is None or self._refreshing or now - self._refreshed_at < QUEUE_REFRESH_S:
            return
        job: Callable[[], QueueRefreshed]
        if view.screen is Screen.TICKET and view.ticket is not None:
            ticket = view.ticket
            job = lambda: QueueRefreshed(ticket=desk.refresh(ticket))  # noqa: E731
        elif view.screen is Screen.SERVICE:
            at = self.deps.wallclock()
            job = lambda: QueueRefreshed(services=tuple(desk.services_view(at)))  # noqa: E731
        else:
            return
        self._refreshing, self._refreshed_at = True, now

        def run() -> None:
            try:
                result = job()
            except Exception as exc:
                log.info("session: queue refresh failed (%s)", getattr(exc, "code", exc))
                result = QueueRefreshed(failed=True)
            self._enqueue(result)

        threading.Thread(target=run, name="queue-refresh", daemon=True).start()

    def _queue_refreshed(self, result: QueueRefreshed) -> None:
        self._refreshing = False
        view = self._view
        if result.ticket is not None and view.screen is Screen.TICKET and view.ticket is not None:
            if result.ticket.ticket_id == view.ticket.ticket_id:
                self._publish(ticket=result.ticket)
        elif result.services is not None and view.screen is Screen.SERVICE:
            stale = view.notice in ("queue_server_down", "queue_server_bad_answer")
            self._publish(services=result.services, **({"notice": None} if stale else {}))

    def _reprint(self, _: ReprintTicket) -> None:
        desk, ticket = self.deps.desk, self._view.ticket
        if desk is None or ticket is None:
            return
        self._publish(busy=True)
        try:
            result = desk.reprint(ticket.ticket_id)
        except Exception as exc:
            log.warning("session: reprint failed (%s)", type(exc).__name__)
            self._publish(busy=False, notice="ticket_reprint_failed")
            return
        printed = bool(getattr(result, "printed", result))
        self._publish(busy=False, ticket=replace(ticket, printed=printed))


class QueueRefreshed:
    """Internal intent: a queue refresh's answer (from its own thread)."""

    def __init__(
        self,
        *,
        ticket: TicketView | None = None,
        services: tuple[ServiceView, ...] | None = None,
        failed: bool = False,
    ) -> None:
        self.ticket = ticket
        self.services = services
        self.failed = failed
