"""Tickets, services, counters and the event stream."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from fastapi import Path as PathParam
from fastapi.responses import StreamingResponse

from kiosk.office.api_errors import ApiError, invalid_request
from kiosk.office.app import API_VERSION, Caller, IdempotencyKey, require
from kiosk.office.auth import Principal
from kiosk.office.events import Payload
from kiosk.office.office import Office
from kiosk.office.wire import (
    IDEMPOTENCY_KEY,
    CallNextIn,
    CounterOut,
    ErrorOut,
    HealthOut,
    IssueIn,
    ServiceOut,
    SessionIn,
    SessionOut,
    TicketOut,
    TransferIn,
)
from kiosk.queue.models import Priority
from kiosk.queue.rules import Action

TICKET_ID = r"^[0-9]{8}-[A-Z]-[0-9]{3,4}(-T[0-9]{1,2})?$"
COUNTER_ID = r"^[a-z0-9][a-z0-9_-]{0,31}$"
ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorOut} for s in (400, 401, 403, 404, 409, 410, 413, 422, 423, 503)
}
TicketId = Annotated[str, PathParam(pattern=TICKET_ID)]
CounterId = Annotated[str, PathParam(pattern=COUNTER_ID)]


def idempotency_key(value: str | None, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if value is None or not IDEMPOTENCY_KEY.fullmatch(value):
        raise invalid_request("an Idempotency-Key header of 8-128 characters is required")
    return value


def queue_router(office: Office) -> APIRouter:
    router = APIRouter(responses=ERRORS)

    def own_counter(principal: Principal, counter: str) -> None:
        require(principal, "counter")
        if principal.id != counter:
            raise ApiError(403, "forbidden", "a counter acts only for itself")

    @router.get("/v1/health", response_model=HealthOut)
    async def health() -> HealthOut:  # no store: answered on the event loop
        now = office.now()
        return HealthOut(
            status="ok",
            server_time=now.astimezone(office.book.tz),
            day=office.book.day(now),
            office=office.config.office.name,
            version=API_VERSION,
        )

    @router.get("/v1/services", response_model=list[ServiceOut])
    def services(principal: Caller) -> list[ServiceOut]:
        return office.services(office.now())

    @router.post("/v1/tickets", status_code=201, response_model=TicketOut)
    def issue(
        body: IssueIn, principal: Caller, response: Response, key: IdempotencyKey = None
    ) -> TicketOut:
        require(principal, "kiosk", "counter")
        checked = idempotency_key(key, required=True)
        now = office.now()
        issued = office.book.issue_once(
            body.service,
            priority=None if body.priority is None else Priority(body.priority),
            now=now,
            source=body.source or principal.role,
            client=principal.id,
            key=checked,
        )
        if issued.created:
            office.announce(issued.ticket)
        else:
            response.headers["Idempotent-Replayed"] = "true"
        return office.ticket(issued.ticket, now)

    @router.get("/v1/tickets/{ticket_id}", response_model=TicketOut)
    def ticket(ticket_id: TicketId, principal: Caller) -> TicketOut:
        return office.ticket(office.book.ticket(ticket_id), office.now())

    @router.get("/v1/counters", response_model=list[CounterOut])
    def counters(principal: Caller) -> list[CounterOut]:
        now = office.now()
        current = office.store.at_counters(office.book.day(now))
        return [
            CounterOut(
                id=c.id,
                number=c.number,
                agency=c.agency,
                services=list(c.services),
                current=office.ticket(current[c.id], now) if c.id in current else None,
            )
            for c in office.desk.counters
        ]

    @router.post("/v1/counters/{counter}/session", response_model=SessionOut)
    def sign_in(counter: CounterId, body: SessionIn) -> SessionOut:
        try:
            result = office.sessions.sign_in(counter, body.pin)
        except KeyError:
            raise ApiError(404, "unknown_counter", "no such counter, or no PIN set") from None
        if result.token is not None and result.expires_at is not None:
            return SessionOut(
                token=result.token,
                counter=counter,
                expires_at=result.expires_at.astimezone(office.book.tz),
            )
        if result.locked_for_s > 0:
            seconds = max(1, round(result.locked_for_s))
            raise ApiError(
                423,
                "locked",
                "too many wrong PINs: sign-in is locked",
                headers={"Retry-After": str(seconds)},
                retry_after_s=seconds,
            )
        raise ApiError(403, "wrong_pin", "wrong PIN", attempts_left=result.attempts_left)

    @router.post(
        "/v1/counters/{counter}/call-next",
        response_model=TicketOut,
        responses={204: {"description": "nobody waiting"}},
    )
    def call_next(
        counter: CounterId,
        principal: Caller,
        body: Annotated[CallNextIn | None, Body()] = None,
    ) -> TicketOut | Response:
        own_counter(principal, counter)
        now = office.now()
        called = office.desk.call_next(counter, now, None if body is None else body.service)
        if called is None:
            return Response(status_code=204)
        office.announce_call(called)
        return office.ticket(called, now)

    @router.post("/v1/counters/{counter}/recall", response_model=TicketOut)
    def recall(counter: CounterId, principal: Caller) -> TicketOut:
        own_counter(principal, counter)
        now = office.now()
        called = office.desk.recall(counter, now)
        office.announce_call(called)
        return office.ticket(called, now)

    def lifecycle(action: Action) -> Any:
        def act(ticket_id: TicketId, principal: Caller) -> TicketOut:
            require(principal, "counter")
            now = office.now()
            before = office.book.ticket(ticket_id)
            after = office.desk.act(ticket_id, action, principal.id, now)
            if after.status is not before.status:
                office.announce(after)
            return office.ticket(after, now)

        return act

    for action in (Action.START, Action.DONE, Action.NO_SHOW):
        router.add_api_route(
            f"/v1/tickets/{{ticket_id}}/{action.value}",
            lifecycle(action),
            methods=["POST"],
            response_model=TicketOut,
            name=f"ticket_{action.name.lower()}",
        )

    @router.post("/v1/tickets/{ticket_id}/transfer", response_model=TicketOut)
    def transfer(ticket_id: TicketId, body: TransferIn, principal: Caller) -> TicketOut:
        require(principal, "counter")
        now = office.now()
        moved = office.desk.transfer(ticket_id, body.service, principal.id, now)
        office.announce(office.book.ticket(ticket_id))
        office.announce(moved)
        return office.ticket(moved, now)

    @router.get(
        "/v1/events",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    async def events(principal: Caller) -> StreamingResponse:
        require(principal, "display", "counter", "admin")

        async def replay() -> list[Payload]:
            return await asyncio.to_thread(office.recent_calls)

        return StreamingResponse(
            office.hub.stream(replay),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return router
