"""The parts of a session that hand the citizen on: help without a code, a queue ticket for
the counter that can solve an error (its reference printed on it), service information, and
the satisfaction survey at the end.

Handlers of :data:`kiosk.engine.session.TRANSITIONS`, run on the session's worker like the
others; each takes the controller. What a screen offers is decided here (from config), never
by a screen: the view carries the counter service (``handover``) and TakeTicket asks for it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.engine.view import Finish, Rate, Screen, ServiceView, ShowHelp, ShowInfo, TakeTicket
from kiosk.feedback.model import ADM_SERVICE, FeedbackAnswer, FeedbackError

if TYPE_CHECKING:
    from kiosk.engine.session import SessionController

log = logging.getLogger(__name__)

ADM = ADM_SERVICE
NO_CODE = "no_code"  # the help topic's key in the handover table


def offer(c: SessionController, topic: str, reference: str | None) -> ServiceView | None:
    """The counter service for ``topic`` (an error code or a help topic), remembered for
    TakeTicket with ``reference``; None without a queue or a mapping."""
    code = c.deps.handover.get(topic) or c.deps.handover_default
    service = offer_code(c, code) if code is not None else None
    c._handover_ref = reference if service is not None else None
    return service


def show_help(c: SessionController, _: ShowHelp) -> None:
    """No QR code, or a forgotten PIN: how to get them, and a ticket for the counter."""
    c._personal.wipe()
    c._go(Screen.HELP, document=None, choices=(), handover=offer(c, NO_CODE, None))


def take_ticket(c: SessionController, _: TakeTicket) -> None:
    """One tap: a ticket for the service the screen offers, with the error's reference."""
    view = c._view
    code = c._handover_code
    if code is None or view.handover is None or view.handover.code != code:
        return
    c._issue(code, None, c._handover_ref)


def show_info(c: SessionController, intent: ShowInfo) -> None:
    """The list of services (``key`` None), or one service's information."""
    topics = c.deps.info
    if intent.key is None:
        if c._view.screen in (Screen.MENU, Screen.SERVICE):
            c._info_from = c._view.screen
        c._go(Screen.INFO_LIST, topics=topics)
        return
    found = [topic for topic in topics if topic.key == intent.key]
    if not found:
        return
    topic = found[0]
    c._handover_ref = None
    handover = offer_code(c, topic.queue_code) if topic.queue_code is not None else None
    c._go(Screen.INFO, info=topic, handover=handover)


def offer_code(c: SessionController, code: str) -> ServiceView | None:
    """The queue's view of service ``code``, remembered for TakeTicket; None without it."""
    deps = c.deps
    c._handover_code = None
    if deps.desk is None:
        return None
    for service in deps.desk.services_view(deps.wallclock()):
        if service.code == code:
            c._handover_code = code
            return service
    log.error("session: no queue service %s to hand over to", code)
    return None


def info_back(c: SessionController, _: object) -> None:
    """From one service to the list; from the list to where it was opened."""
    if c._view.screen is Screen.INFO:
        c._go(Screen.INFO_LIST, topics=c.deps.info)
    elif c._info_from is Screen.SERVICE and c.deps.desk is not None:
        c._show_services()
    else:
        c._back_to_menu(None)


def finish(c: SessionController, _: Finish) -> None:
    """The citizen is done: the survey when there is one and something to rate, else the end."""
    if c.deps.feedback is None or c._feedback_ref is None:
        c._end()
        return
    c._personal.wipe()  # nothing personal is needed to rate: the family list goes now
    c._go(Screen.SURVEY, choices=(), document=None, ticket=None, services=())


def rate(c: SessionController, intent: Rate) -> None:
    """Keep the answer (durably, before the next screen), then end the session."""
    recorder, ref = c.deps.feedback, c._feedback_ref
    if recorder is None or ref is None:
        c._end()
        return
    service, kind, name = ref
    try:
        answer = FeedbackAnswer(
            at=c.deps.wallclock(),
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
    c._end()
