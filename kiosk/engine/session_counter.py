"""The parts of a session that hand the citizen on: help without a code, a queue ticket for
the counter that can solve an error (its reference printed on it), service information, and
the satisfaction survey at the end.

A mixin of :class:`kiosk.engine.session.SessionController`: its handlers are the controller's
methods (listed in :data:`kiosk.engine.session.TRANSITIONS`) and run on its worker like the
others. What a screen offers is decided here (from config), never by a screen: the view carries
the counter service (``handover``) and TakeTicket asks for it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiosk.engine.intent_worker import IntentWorker
from kiosk.engine.session_flows import Personal, SessionDeps
from kiosk.engine.view import (
    Back,
    Finish,
    Priority,
    Rate,
    Screen,
    ServiceView,
    ShowHelp,
    ShowInfo,
    TakeTicket,
)
from kiosk.feedback.model import ADM_SERVICE, FeedbackAnswer, FeedbackError

log = logging.getLogger(__name__)

ADM = ADM_SERVICE
NO_CODE = "no_code"  # the help topic's key in the handover table


class CounterBranch(IntentWorker):
    """Help, handover, service information and the survey; the state they share lives on
    the controller."""

    _handover_code: str | None  # the counter service TakeTicket asks for
    _handover_ref: str | None  # the error reference its ticket prints
    _info_from: Screen  # where Back from the service information returns
    _feedback_ref: tuple[str, str, str] | None  # (service, kind, ref): what the survey rates
    if TYPE_CHECKING:  # the controller's, declared for the type checker only
        deps: SessionDeps
        _personal: Personal

        def _go(self, screen: Screen, **changes: Any) -> None: ...
        def _end(self, outcome: Any = None) -> None: ...
        def _back_to_menu(self, _: object) -> None: ...
        def _show_services(self) -> None: ...
        def _issue(
            self, code: str, priority: Priority | None, reference: str | None = None
        ) -> None: ...

    def _offer(self, topic: str, reference: str | None) -> ServiceView | None:
        """The counter service for ``topic`` (an error code or a help topic), remembered for
        TakeTicket with ``reference``; None without a queue or a mapping."""
        code = self.deps.handover.get(topic) or self.deps.handover_default
        service = self._offer_code(code) if code is not None else None
        self._handover_ref = reference if service is not None else None
        return service

    def _offer_code(self, code: str) -> ServiceView | None:
        """The queue's view of service ``code``, remembered for TakeTicket; None without it
        (no queue, the service unknown, or the queue not answering)."""
        deps = self.deps
        self._handover_code = None
        if deps.desk is None:
            return None
        try:
            services = deps.desk.services_view(deps.wallclock())
        except Exception as exc:  # the office queue server is down: no ticket offered
            log.warning("session: no handover, queue services unavailable (%s)", exc)
            return None
        for service in services:
            if service.code == code:
                self._handover_code = code
                return service
        log.error("session: no queue service %s to hand over to", code)
        return None

    def _show_help(self, _: ShowHelp) -> None:
        """No QR code, or a forgotten PIN: how to get them, and a ticket for the counter."""
        self._personal.wipe()
        self._go(Screen.HELP, document=None, choices=(), handover=self._offer(NO_CODE, None))

    def _take_ticket(self, _: TakeTicket) -> None:
        """One tap: a ticket for the service the screen offers, with the error's reference."""
        view = self._view
        code = self._handover_code
        if code is None or view.handover is None or view.handover.code != code:
            return
        self._issue(code, None, self._handover_ref)

    def _show_info(self, intent: ShowInfo) -> None:
        """The list of services (``key`` None), or one service's information."""
        topics = self.deps.info
        if intent.key is None:
            if self._view.screen in (Screen.MENU, Screen.SERVICE):
                self._info_from = self._view.screen
            self._go(Screen.INFO_LIST, topics=topics)
            return
        found = [topic for topic in topics if topic.key == intent.key]
        if not found:
            return
        topic = found[0]
        self._handover_ref = None
        code = topic.queue_code
        handover = self._offer_code(code) if code is not None else None
        self._go(Screen.INFO, info=topic, handover=handover)

    def _info_back(self, _: Back) -> None:
        """From one service to the list; from the list to where it was opened."""
        if self._view.screen is Screen.INFO:
            self._go(Screen.INFO_LIST, topics=self.deps.info)
        elif self._info_from is Screen.SERVICE and self.deps.desk is not None:
            self._show_services()
        else:
            self._back_to_menu(None)

    def _finish_visit(self, _: Finish) -> None:
        """The citizen is done: the survey when there is one and something to rate, else the
        end."""
        if self.deps.feedback is None or self._feedback_ref is None:
            self._end()
            return
        self._personal.wipe()  # nothing personal is needed to rate: the family list goes now
        self._go(Screen.SURVEY, choices=(), document=None, ticket=None, services=())

    def _rate(self, intent: Rate) -> None:
        """Keep the answer (durably, before the next screen), then end the session."""
        recorder, ref = self.deps.feedback, self._feedback_ref
        if recorder is None or ref is None:
            self._end()
            return
        service, kind, name = ref
        try:
            answer = FeedbackAnswer(
                at=self.deps.wallclock(),
                service=service,
                score=intent.score,
                reasons=tuple(intent.reasons),
                ticket=name if kind == "ticket" else None,
                txid=name if kind == "txid" else None,
            )
        except FeedbackError as exc:  # a score or reason the screen never offers
            log.warning("session: survey answer refused (%s)", exc)
            return
        try:
            recorder.record(answer)
        except Exception:
            log.exception("session: survey answer not stored")
        self._end()
