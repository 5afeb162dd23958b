"""The registry client: synchronous httpx, called from the engine's worker threads.

Every call has ONE overall deadline (``settings.timeout_ms``) covering the name lookup
(:mod:`kiosk.registry.resolver`), connect, retries, backoff and the body. httpx's read timeout
applies per socket read, so a server dripping one byte at a time could otherwise hold a kiosk
for minutes; here a watchdog (one thread per client) shuts the socket down when the deadline
passes and the body loop checks the deadline after every chunk.

Retries (backoff with full jitter) happen only where they are safe: GET, calls carrying an
Idempotency-Key, a 429 (the registry refused before doing anything), and a connection that
was never established. A verify or identify is never resent after the request went out: a
second wrong PIN would count twice.

``trust_env=False``: proxy or TLS environment variables can never redirect the kiosk or turn
off certificate checks. The bearer key is sent only in the Authorization header (which httpx
masks in reprs) and never logged.
"""

from __future__ import annotations

import json
import logging
import random
import ssl
import time
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from kiosk.config.models import RegistrySettings
from kiosk.domain.json_types import JsonObject
from kiosk.registry.errors import (
    BadResponse,
    InvalidRequest,
    NotFound,
    RateLimited,
    RegistryError,
    Timeout,
    Unavailable,
)
from kiosk.registry.models import (
    AuditHeadRecord,
    CommitRequest,
    CommitResponse,
    Health,
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
    Verified,
    VerifyRequest,
    VerifyResponse,
)
from kiosk.registry.resolver import LookupTimeout, Resolver
from kiosk.registry.responses import error_for, parse_response
from kiosk.registry.watchdog import Watchdog, shutdown_stream

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

BACKOFF_BASE_S = 0.1
BACKOFF_CAP_S = 2.0
_KEY_CHARS = frozenset(map(chr, range(0x21, 0x7F)))
_PORTS = {"http": 80, "https": 443}


class _NotSent(Unavailable):
    """The connection could not be made: the request never reached the registry."""


def _load_key(settings: RegistrySettings, key: str | None) -> str:
    if key is None:
        try:
            key = settings.key_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read registry key file {settings.key_file}: {exc}") from None
    if not key or not set(key) <= _KEY_CHARS or len(key) > 4096:
        raise ValueError("registry key must be 1-4096 printable ASCII characters, no spaces")
    return key


def _tls_context(settings: RegistrySettings) -> ssl.SSLContext:
    """Verification always on: the configured CA bundle, else httpx's default (certifi),
    never one named by the environment (SSL_CERT_FILE and friends are ignored)."""
    if settings.ca_file is not None:
        context = ssl.create_default_context(cafile=str(settings.ca_file))
    else:
        context = httpx.create_ssl_context(verify=True, trust_env=False)
    if settings.client_cert is not None and settings.client_key is not None:
        context.load_cert_chain(str(settings.client_cert), str(settings.client_key))
    return context


class RegistryClient:
    """Typed calls of registry API v1 (DESIGN section 4); raises :class:`RegistryError`."""

    def __init__(
        self,
        settings: RegistrySettings,
        *,
        key: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._settings = settings
        self._timeout_s = settings.timeout_ms / 1000
        self._connect_s = settings.connect_timeout_ms / 1000
        self._random = random.SystemRandom()
        self._watchdog = Watchdog()
        url = httpx.URL(settings.url)
        # A given transport connects its own way; otherwise the name is looked up in time.
        self._resolver = (
            None if transport is not None else Resolver(url.host, url.port or _PORTS[url.scheme])
        )
        headers = {
            "Authorization": f"Bearer {_load_key(settings, key)}",
            "X-Kiosk-Id": settings.kiosk_id,
            "Accept": "application/json",
            "Accept-Encoding": "identity",
            "User-Agent": "adm-kiosk/0.1",
        }
        self._http = httpx.Client(
            base_url=settings.url,
            headers=headers,
            verify=_tls_context(settings) if settings.url.startswith("https:") else True,
            trust_env=False,
            follow_redirects=False,
            transport=transport,
        )

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RegistryClient({self._settings.url!r}, kiosk={self._settings.kiosk_id!r})"

    def close(self) -> None:
        self._http.close()
        self._watchdog.close()

    # --- the contract -------------------------------------------------------------------

    def health(self) -> Health:
        wall_before, started = datetime.now(UTC), time.monotonic()
        answer = self._call("GET", "/v1/health", HealthResponse)
        round_trip = time.monotonic() - started
        midpoint = wall_before + timedelta(seconds=round_trip / 2)
        return Health(
            server_time=answer.server_time,
            clock_skew_s=(answer.server_time - midpoint).total_seconds(),
            latency_ms=round_trip * 1000,
        )

    def verify_voucher(self, token: str, pin: str) -> VerifyResponse:
        body = self._request_body(VerifyRequest, token=token, pin=pin)
        return self._call("POST", "/v1/vouchers/verify", VerifyResponse, body=body)

    def identify(self, nik: str, pin: str) -> list[Verified]:
        body = self._request_body(IdentifyRequest, nik=nik, pin=pin)
        return list(self._call("POST", "/v1/identify", IdentifyResponse, body=body).vouchers)

    def identify_holder(self, token: str, pin: str) -> list[Verified]:
        """The ready vouchers of the holder of ``token`` (printed or not), by their PIN."""
        body = self._request_body(IdentifyRequest, token=token, pin=pin)
        return list(self._call("POST", "/v1/identify", IdentifyResponse, body=body).vouchers)

    def reserve(self, vid: str, verification: str, idempotency_key: str) -> Reservation:
        body = self._request_body(ReserveRequest, verification=verification)
        path = f"/v1/vouchers/{_path_id(vid)}/reserve"
        return self._call("POST", path, Reservation, body=body, idempotency_key=idempotency_key)

    def start_printing(
        self, rid: str, *, pdf_sha256: str, pages: int, printer: str, idempotency_key: str
    ) -> PrintingResponse:
        """The printing hold: asked (and answered 200) before the document goes to a printer."""
        body = self._request_body(
            PrintingRequest, pdf_sha256=pdf_sha256, pages=pages, printer=printer
        )
        path = f"/v1/reservations/{_path_id(rid)}/printing"
        return self._call(
            "POST", path, PrintingResponse, body=body, idempotency_key=idempotency_key
        )

    def commit(
        self, rid: str, *, pdf_sha256: str, pages: int, printer: str, idempotency_key: str
    ) -> None:
        body = self._request_body(
            CommitRequest, pdf_sha256=pdf_sha256, pages=pages, printer=printer
        )
        path = f"/v1/reservations/{_path_id(rid)}/commit"
        self._call("POST", path, CommitResponse, body=body, idempotency_key=idempotency_key)

    def release(self, rid: str, *, reason: str, idempotency_key: str) -> None:
        body = self._request_body(ReleaseRequest, reason=reason)
        path = f"/v1/reservations/{_path_id(rid)}/release"
        self._call("POST", path, ReleaseResponse, body=body, idempotency_key=idempotency_key)

    def heartbeat(self, payload: JsonObject) -> HeartbeatAnswer:
        """Device status and counters for the fleet (plain JSON values only).

        The registry answers 204 (nothing for us: an empty answer) or 200 with a signed config
        revision and/or commands; the answer is only checked for shape here.
        """
        try:
            json.dumps(payload, allow_nan=False)
        except (TypeError, ValueError):
            raise InvalidRequest("heartbeat payload is not plain JSON") from None
        path = f"/v1/kiosks/{_path_id(self._settings.kiosk_id)}/heartbeat"
        return self._call("POST", path, HeartbeatAnswer, body=dict(payload), also_204=True)

    def audit_head(self) -> AuditHeadRecord | None:
        """The audit head the registry kept from this kiosk's heartbeats; None if none yet."""
        path = f"/v1/kiosks/{_path_id(self._settings.kiosk_id)}/audit-head"
        try:
            return self._call("GET", path, AuditHeadRecord)
        except NotFound:
            return None

    # --- machinery ----------------------------------------------------------------------

    @staticmethod
    def _request_body(model: type[BaseModel], **fields: Any) -> dict[str, Any]:
        """Refuse to send what the registry would refuse (no network call for a bad PIN form)."""
        try:
            return model.model_validate(fields).model_dump(exclude_none=True)
        except ValidationError as exc:
            names = ", ".join(sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]}))
        # Raised outside the except block: the validation error quotes the values (a PIN, a
        # NIK) and must not ride along as __context__ into a logged traceback.
        raise InvalidRequest(f"{model.__name__}: invalid {names or 'request'}")

    def _call(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        body: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
        ok: int = 200,
        also_204: bool = False,
    ) -> M:
        deadline = time.monotonic() + self._timeout_s
        headers = {"Idempotency-Key": _idempotency_key(idempotency_key)} if idempotency_key else {}
        safe = method == "GET" or idempotency_key is not None
        attempts = 1 + self._settings.retries
        for attempt in range(attempts):
            try:
                status, response_headers, raw = self._exchange(
                    method, path, body, headers, deadline
                )
            except _NotSent as exc:
                error: RegistryError = exc
            except Timeout:
                log.warning("registry %s %s: deadline passed", method, path)
                raise
            except Unavailable as exc:
                if not safe:
                    raise
                error = exc
            else:
                if status == 204 and (ok == 204 or also_204):
                    return model.model_construct()
                if status == 429 or (safe and status >= 500):
                    error = error_for(status, response_headers, raw)
                else:
                    return parse_response(status, response_headers, raw, model, ok=ok)
            if attempt + 1 >= attempts:
                raise error
            delay = self._random.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt))
            if isinstance(error, RateLimited):
                delay = max(delay, error.retry_after_s)
            if time.monotonic() + delay >= deadline:
                raise error
            log.info(
                "registry %s %s: %s, retry %d in %.2f s",
                method,
                path,
                error.code,
                attempt + 1,
                delay,
            )
            time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        headers: dict[str, str],
        deadline: float,
    ) -> tuple[int, httpx.Headers, bytes]:
        if self._resolver is not None:
            try:
                self._resolver.check(deadline)
            except LookupTimeout:
                raise Timeout("deadline passed while looking up the registry's name") from None
            except OSError as exc:
                raise _NotSent(f"cannot look up the registry's name: {exc}") from None
        remaining = deadline - time.monotonic()  # what the lookup left
        if remaining <= 0:
            raise Timeout("deadline passed before the request")
        timeout = httpx.Timeout(remaining, connect=min(self._connect_s, remaining))
        request = self._http.build_request(
            method, path, json=body, headers=headers, timeout=timeout
        )
        started = time.monotonic()
        try:
            response = self._http.send(request, stream=True)
        except httpx.ConnectTimeout:
            if time.monotonic() >= deadline:
                raise Timeout("deadline passed while connecting") from None
            raise _NotSent("connect timeout") from None
        except httpx.ConnectError as exc:
            raise _NotSent(f"cannot connect: {type(exc).__name__}") from None
        except httpx.TimeoutException:
            raise Timeout("deadline passed waiting for the answer") from None
        except httpx.TransportError as exc:
            raise Unavailable(f"transport error: {type(exc).__name__}") from None
        try:
            raw = self._read_body(response, deadline)
        finally:
            response.close()
        log.debug(
            "registry %s %s -> %d in %.0f ms",
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response.status_code, response.headers, raw

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        limit = self._settings.max_response_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise BadResponse(f"response of {declared} bytes is over the {limit}-byte cap")
        if response.headers.get("content-encoding", "identity").strip().lower() != "identity":
            # We ask for identity; a compressed answer could expand ~1000x per read before
            # the size cap sees it (a 200 KB gzip bomb cost 140 MiB), so it is refused unread.
            raise BadResponse("response has a content-encoding; identity was asked for")
        ticket = self._watchdog.arm(deadline, lambda: shutdown_stream(response))
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_raw():  # the bytes as sent: nothing decompressed
                size += len(chunk)
                if size > limit:
                    raise BadResponse(f"response over the {limit}-byte cap")
                if time.monotonic() >= deadline:
                    raise Timeout("deadline passed while reading the answer")
                chunks.append(chunk)
        except httpx.TimeoutException:
            raise Timeout("deadline passed while reading the answer") from None
        except httpx.DecodingError:
            raise BadResponse("response body could not be decoded") from None
        except httpx.TransportError as exc:
            if time.monotonic() >= deadline:
                raise Timeout("deadline passed while reading the answer") from None
            raise Unavailable(f"connection broke while reading: {type(exc).__name__}") from None
        finally:
            self._watchdog.disarm(ticket)
        return b"".join(chunks)


def _path_id(value: str) -> str:
    """Identifiers that go into a URL path: the same short form the models require."""
    if not (0 < len(value) <= 64) or not all(
        c.isascii() and (c.isalnum() or c in "_-") for c in value
    ):
        raise InvalidRequest("identifier must be 1-64 characters of [A-Za-z0-9_-]")
    return value


def _idempotency_key(value: str) -> str:
    if not (8 <= len(value) <= 128) or not set(value) <= _KEY_CHARS:
        raise InvalidRequest("Idempotency-Key must be 8-128 printable ASCII characters")
    return value
