"""The office queue API (DESIGN section 5) as a FastAPI app; ``/openapi.json`` is its contract.

Every error is ``{"error": {"code", "message", ...}}``. Bodies over :data:`MAX_BODY_BYTES` are
refused (413) before they are read, malformed or unexpected ones (422) before anything happens;
handlers that change the queue run in worker threads and change it in one store transaction.
"""

from __future__ import annotations

import logging
import time
from typing import Annotated

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.config.office import Role
from kiosk.office.api_errors import (
    ApiError,
    forbidden,
    from_booking,
    from_lifecycle,
    from_refusal,
    invalid_request,
)
from kiosk.office.auth import Principal
from kiosk.office.office import Office
from kiosk.queue.booking import BookingRefused
from kiosk.queue.calls import UnknownCounter
from kiosk.queue.models import QueueRefused
from kiosk.queue.rules import LifecycleError
from kiosk.queue.store import IdempotencyConflict

log = logging.getLogger(__name__)

API_VERSION = "1"
MAX_BODY_BYTES = 16 * 1024


def _answer(exc: ApiError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


def unauthorized() -> ApiError:
    return ApiError(
        401, "unauthorized", "unknown client or wrong key", headers={"WWW-Authenticate": "Bearer"}
    )


async def authenticate(
    request: Request,
    x_client_id: Annotated[str, Header()] = "",
    authorization: Annotated[str, Header()] = "",
) -> Principal:
    """The caller, from ``X-Client-Id`` and ``Authorization: Bearer <key>`` (401 otherwise)."""
    office: Office = request.app.state.office
    scheme, _, key = authorization.partition(" ")
    client = x_client_id
    if not authorization and request.url.path == "/v1/events":
        # a browser's EventSource cannot send headers: ?client=ID&key=KEY on this path only
        client = request.query_params.get("client", "")
        key, scheme = request.query_params.get("key", ""), "bearer"
    principal = office.auth.principal(client, key) if scheme.lower() == "bearer" else None
    if principal is None:
        raise unauthorized()
    return principal


Caller = Annotated[Principal, Depends(authenticate)]


def require(principal: Principal, *roles: Role) -> Principal:
    if principal.role not in roles:
        raise forbidden(f"a {principal.role} client may not do this")
    return principal


def create_app(office: Office) -> FastAPI:
    from kiosk.office.routes_office import office_router
    from kiosk.office.routes_pages import pages_router
    from kiosk.office.routes_queue import queue_router

    app = FastAPI(
        title="ADM office queue",
        version=API_VERSION,
        description="Office queue API v1 (DESIGN section 5): kiosks, counters, displays, bookings.",
    )

    app.state.office = office

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _answer(exc)

    @app.exception_handler(QueueRefused)
    async def _refused(request: Request, exc: QueueRefused) -> JSONResponse:
        log.info("%s %s refused: %s", request.method, request.url.path, exc)
        return _answer(from_refusal(exc))

    @app.exception_handler(LifecycleError)
    async def _lifecycle(request: Request, exc: LifecycleError) -> JSONResponse:
        log.info("%s %s refused: %s", request.method, request.url.path, exc)
        return _answer(from_lifecycle(exc))

    @app.exception_handler(BookingRefused)
    async def _booking(request: Request, exc: BookingRefused) -> JSONResponse:
        log.info("%s %s refused: %s", request.method, request.url.path, exc)
        return _answer(from_booking(exc))

    @app.exception_handler(IdempotencyConflict)
    async def _conflict(request: Request, exc: IdempotencyConflict) -> JSONResponse:
        return _answer(
            ApiError(
                409, "idempotency_conflict", "this Idempotency-Key was used for another request"
            )
        )

    @app.exception_handler(UnknownCounter)
    async def _counter(request: Request, exc: UnknownCounter) -> JSONResponse:
        return _answer(ApiError(404, "unknown_counter", "no such counter"))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Name the fields, never echo their values (a PIN would end up in a log).
        fields = sorted({".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()})
        return _answer(invalid_request("invalid " + ", ".join(fields)[:300]))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return _answer(ApiError(404, "not_found", "no such endpoint"))
        if exc.status_code == 413:
            return _answer(ApiError(413, "too_large", "request body too large"))
        if exc.status_code == 405:
            return _answer(ApiError(405, "method_not_allowed", "method not allowed"))
        return _answer(ApiError(exc.status_code, "invalid_request", str(exc.detail)))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("queue server: %s on %s", type(exc).__name__, request.url.path)
        return _answer(ApiError(500, "internal", "internal error"))

    app.include_router(queue_router(office))
    app.include_router(office_router(office))
    app.include_router(pages_router(office))
    app.add_middleware(BodyLimit)
    return app


IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]
DayQuery = Annotated[str | None, Query(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]


class BodyLimit:
    """Pure ASGI: refuse bodies over :data:`MAX_BODY_BYTES`, declared or chunked (413)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "0")
        if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
            error = ApiError(413, "too_large", f"request body over {MAX_BODY_BYTES} bytes")
            await _answer(error)(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed(message: Message) -> None:
            # Server-Timing: how long the server took to the answer's start (ms), so a client
            # can tell the server's time from the network's and its own
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - started) * 1000
                message["headers"] = [
                    *message.get("headers", []),
                    (b"server-timing", f"app;dur={took:.1f}".encode()),
                ]
            await send(message)

        await self.app(scope, _capped(receive), timed)


def _capped(receive: Receive) -> Receive:
    seen = 0

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise StarletteHTTPException(413, "request body too large")
        return message

    return capped
