"""The registry simulator's HTTP API: the whole v1 contract of DESIGN section 4.

Answers use the client's own wire models (``kiosk.registry.models``), so ``/openapi.json`` is
the contract both sides are held to. Every error is ``{"error": {"code", "message", ...}}``.
Faults (latency, injected 503s, outage, 429) are applied to ``/v1`` before any state changes,
so a faulted call never did anything and is safe to retry.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import Body, Depends, FastAPI, Header, Request, Response
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.domain.voucher import VoucherError, VoucherErrorCode, VoucherPayload, verify_token
from kiosk.registry.models import (
    AuditHeadRecord,
    AuditHeadWire,
    CommitRequest,
    CommitResponse,
    ErrorResponse,
    HealthResponse,
    HeartbeatAnswer,
    IdentifyRequest,
    IdentifyResponse,
    PrintingRequest,
    PrintingResponse,
    ReleaseRequest,
    ReleaseResponse,
    Reservation,
    ReserveRequest,
    VerifyRequest,
    VerifyResponse,
)
from kiosk.registry_sim import audit_heads
from kiosk.registry_sim.admin import admin_router
from kiosk.registry_sim.api_errors import ApiError, expired, invalid_request, not_found
from kiosk.registry_sim.fleet import FleetBook
from kiosk.registry_sim.fleet_routes import fleet_router, sim_fleet_router
from kiosk.registry_sim.knobs import Knobs
from kiosk.registry_sim.proofs import ProofError, ProofMaker
from kiosk.registry_sim.store import SimStore, iso

log = logging.getLogger(__name__)

API_VERSION = "1"
MAX_REQUEST_BYTES = 64 * 1024
TOKEN_CLOCK_SKEW = timedelta(seconds=120)
ID = r"^[A-Za-z0-9_\-]{1,64}$"
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse}
    for status in (400, 401, 403, 404, 409, 410, 422, 423, 429, 503)
}


def _error_response(exc: ApiError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


ANONYMOUS = ""  # the one rate-limit bucket every unauthenticated caller shares


def kiosk_of(kiosk_keys: Mapping[str, str], kiosk_id: str, authorization: str) -> str | None:
    """The calling kiosk's id if its bearer key matches (compared in constant time), else None."""
    scheme, _, key = authorization.partition(" ")
    expected = kiosk_keys.get(kiosk_id)
    if (
        scheme.lower() != "bearer"
        or expected is None
        or not hmac.compare_digest(key.encode(), expected.encode())
    ):
        return None
    return kiosk_id


async def authenticate(
    request: Request,
    x_kiosk_id: Annotated[str, Header()] = "",
    authorization: Annotated[str, Header()] = "",
) -> str:
    """The calling kiosk's id, if its bearer key matches; else 401."""
    if kiosk_of(request.app.state.kiosk_keys, x_kiosk_id, authorization) is None:
        raise ApiError(
            401,
            "unauthorized",
            "unknown kiosk or wrong key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return x_kiosk_id


Kiosk = Annotated[str, Depends(authenticate)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


def create_app(
    store: SimStore,
    knobs: Knobs,
    kiosks: Mapping[str, str],
    voucher_keys: Mapping[str, Ed25519PublicKey],
    proofs: ProofMaker,
    fleet: FleetBook | None = None,
    operators: Mapping[str, str] | None = None,
) -> FastAPI:
    app = FastAPI(
        title="ADM registry simulator",
        version=API_VERSION,
        description="Registry API v1 (DESIGN section 4) over synthetic data. Never production.",
    )
    app.state.kiosk_keys = dict(kiosks)
    app.state.operator_keys = dict(operators or {})

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Name the fields, never echo their values (a PIN or NIK would end up in a log).
        fields = sorted({".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()})
        return _error_response(invalid_request("invalid " + ", ".join(fields)[:300]))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return _error_response(ApiError(404, "not_found", "no such endpoint"))
        return _error_response(ApiError(exc.status_code, "invalid_request", str(exc.detail)))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.error("registry simulator: %s on %s", type(exc).__name__, request.url.path)
        return _error_response(ApiError(500, "unavailable", "internal error (simulated registry)"))

    def checked_token(token: str, now: float) -> VoucherPayload:
        """The voucher a token carries, or the API's 400 invalid_token / 410 expired."""
        try:
            return verify_token(
                token,
                voucher_keys,
                now=datetime.fromtimestamp(now, UTC),
                clock_skew=TOKEN_CLOCK_SKEW,
            )
        except VoucherError as exc:
            if exc.code is VoucherErrorCode.EXPIRED:
                raise expired() from None
            raise ApiError(400, "invalid_token", f"token rejected: {exc.code.value}") from None

    @app.get("/v1/health", response_model=HealthResponse, responses=_ERRORS)
    async def health() -> dict[str, Any]:
        return {"status": "ok", "server_time": iso(knobs.now()), "version": API_VERSION}

    @app.post("/v1/vouchers/verify", response_model=VerifyResponse, responses=_ERRORS)
    async def verify(body: VerifyRequest, kiosk: Kiosk) -> dict[str, Any]:
        now = knobs.now()
        payload = checked_token(body.token, now)
        return store.verify(kiosk, payload.vid, payload.doc.value, body.pin, now, proofs)

    @app.post("/v1/identify", response_model=IdentifyResponse, responses=_ERRORS)
    async def identify(body: IdentifyRequest, kiosk: Kiosk) -> dict[str, Any]:
        now = knobs.now()
        nik = body.nik
        if body.token is not None:  # the holder of a voucher of theirs, printed or not
            nik = store.holder_of(checked_token(body.token, now).vid)
        if nik is None:  # IdentifyRequest names the citizen one way or the other
            raise invalid_request("name the citizen by nik or by token")
        return {"vouchers": store.identify(kiosk, nik, body.pin, now, proofs)}

    @app.post("/v1/vouchers/{vid}/reserve", response_model=Reservation, responses=_ERRORS)
    async def reserve(
        vid: Annotated[str, PathParam(pattern=ID)],
        body: ReserveRequest,
        kiosk: Kiosk,
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, Any]:
        if idempotency_key is None or not 8 <= len(idempotency_key) <= 128:
            raise invalid_request("an Idempotency-Key header of 8-128 characters is required")
        now = knobs.now()
        try:
            proofs.check(body.verification, kiosk_id=kiosk, vid=vid, now=now)
        except ProofError as exc:
            raise ApiError(403, "proof_rejected", str(exc)) from None
        return store.reserve(kiosk, vid, idempotency_key, now, knobs.get().lease_seconds)

    @app.post("/v1/reservations/{rid}/printing", response_model=PrintingResponse, responses=_ERRORS)
    async def printing(
        rid: Annotated[str, PathParam(pattern=ID)],
        body: PrintingRequest,
        kiosk: Kiosk,
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, Any]:
        if idempotency_key is None or not 8 <= len(idempotency_key) <= 128:
            raise invalid_request("an Idempotency-Key header of 8-128 characters is required")
        return store.start_printing(
            kiosk,
            rid,
            pdf_sha256=body.pdf_sha256,
            pages=body.pages,
            printer=body.printer,
            now=knobs.now(),
        )

    @app.post("/v1/reservations/{rid}/commit", response_model=CommitResponse, responses=_ERRORS)
    async def commit(
        rid: Annotated[str, PathParam(pattern=ID)],
        body: CommitRequest,
        kiosk: Kiosk,
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, Any]:
        return store.commit(
            kiosk,
            rid,
            pdf_sha256=body.pdf_sha256,
            pages=body.pages,
            printer=body.printer,
            now=knobs.now(),
        )

    @app.post("/v1/reservations/{rid}/release", response_model=ReleaseResponse, responses=_ERRORS)
    async def release(
        rid: Annotated[str, PathParam(pattern=ID)],
        body: ReleaseRequest,
        kiosk: Kiosk,
        idempotency_key: IdempotencyKey = None,
    ) -> dict[str, Any]:
        return store.release(kiosk, rid, reason=body.reason, now=knobs.now())

    @app.post(
        "/v1/kiosks/{kiosk_id}/heartbeat",
        status_code=204,
        responses={**_ERRORS, 200: {"model": HeartbeatAnswer}},
    )
    async def heartbeat(
        kiosk_id: Annotated[str, PathParam(pattern=ID)],
        payload: Annotated[dict[str, Any], Body()],
        kiosk: Kiosk,
    ) -> Response:
        """204 when there is nothing for the kiosk; 200 with a signed config revision and/or
        commands when there is (the fleet view keeps what the kiosk reported)."""
        if kiosk_id != kiosk:
            raise ApiError(401, "unauthorized", "a kiosk may only report for itself")
        if not _finite(payload):
            raise invalid_request("heartbeat holds a number that is not finite (NaN, Infinity)")
        head = _audit_head(payload.get("audit_head"))
        now = knobs.now()

        def record() -> dict[str, Any]:  # off the event loop: the store fsyncs its commits
            store.heartbeat(kiosk, payload, now)
            if head is not None:
                with store.transaction() as db:
                    audit_heads.record(db, kiosk, head, now)
            return fleet.heartbeat(kiosk, payload, now) if fleet is not None else {}

        answer = await run_in_threadpool(record)
        if not answer:
            return Response(status_code=204)
        return JSONResponse(HeartbeatAnswer.model_validate(answer).model_dump(mode="json"))

    @app.get("/v1/kiosks/{kiosk_id}/audit-head", response_model=AuditHeadRecord, responses=_ERRORS)
    async def audit_head(
        kiosk_id: Annotated[str, PathParam(pattern=ID)], kiosk: Kiosk
    ) -> dict[str, Any]:
        if kiosk_id != kiosk:
            raise ApiError(401, "unauthorized", "a kiosk may only read its own audit head")
        with store.transaction() as db:
            kept = audit_heads.read(db, kiosk)
        if kept is None:
            raise not_found("no audit head recorded for this kiosk")
        return kept

    app.include_router(admin_router(store, knobs))
    if fleet is not None:
        app.include_router(fleet_router(fleet, knobs))
        app.include_router(sim_fleet_router(fleet, knobs))
    app.add_middleware(FaultGate, knobs=knobs, kiosk_keys=app.state.kiosk_keys)
    return app


def _finite(value: Any, depth: int = 0) -> bool:
    """False if a float anywhere in ``value`` is NaN or infinite (``1e999999`` parses as inf)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if depth > 64:
        return False
    if isinstance(value, dict):
        return all(_finite(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v, depth + 1) for v in value)
    return True


def _audit_head(value: Any) -> AuditHeadWire | None:
    if value is None:
        return None
    try:
        return AuditHeadWire.model_validate(value)
    except ValidationError:
        raise invalid_request("audit_head must be {entries: integer, head: 64 hex}") from None


class FaultGate:
    """Pure ASGI middleware: the size limit (``/v1`` and ``/sim``) and injected faults
    (``/v1``), before anything touches state.

    The rate limit is per authenticated kiosk (the same key check as :func:`authenticate`).

        Not ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware wraps every request in a
        task group and memory streams, which cost more than the whole handler.
    """

    def __init__(self, app: ASGIApp, knobs: Knobs, kiosk_keys: Mapping[str, str]) -> None:
        self.app = app
        self.knobs = knobs
        self.kiosk_keys = kiosk_keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"] if scope["type"] == "http" else ""
        if path.startswith(("/v1/", "/sim/")):
            headers = Headers(scope=scope)
            refusal = _too_large(headers)
            if refusal is None and path.startswith("/v1/"):
                refusal = await self._refusal(headers)
            if refusal is not None:
                await _error_response(refusal)(scope, receive, send)
                return
            receive = _capped(receive, MAX_REQUEST_BYTES)
        await self.app(scope, receive, send)

    async def _refusal(self, headers: Headers) -> ApiError | None:
        knobs = self.knobs
        values = knobs.get()
        if values.latency_ms > 0:
            await asyncio.sleep(values.latency_ms / 1000)
        if values.outage:
            return ApiError(503, "unavailable", "registry outage (simulated)")
        if knobs.draw_error():
            return ApiError(503, "unavailable", "injected error (simulated)")
        # Rate limited per authenticated kiosk: an X-Kiosk-Id the key does not prove is not
        # a kiosk, so every such caller shares one bucket (rotating the header buys nothing).
        kiosk = kiosk_of(
            self.kiosk_keys, headers.get("x-kiosk-id", ""), headers.get("authorization", "")
        )
        wait = knobs.take_token(ANONYMOUS if kiosk is None else kiosk)
        if wait <= 0:
            return None
        return ApiError(
            429,
            "rate_limited",
            "too many requests",
            headers={"Retry-After": str(max(1, round(wait + 0.5)))},
            retry_after_s=round(wait, 3),
        )


def _too_large(headers: Headers) -> ApiError | None:
    declared = headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_REQUEST_BYTES:
        return ApiError(413, "invalid_request", "request body too large")
    return None


def _capped(receive: Receive, limit: int) -> Receive:
    """``receive`` that counts the body as it arrives: a chunked body states no length."""
    seen = 0

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:  # the handler's body read fails; the app answers 413
                raise StarletteHTTPException(413, "request body too large")
        return message

    return capped
