"""The kiosk's client of the office queue server (DESIGN section 5): synchronous httpx, called
from the session's worker thread, never from the GUI thread.

Every call has ONE deadline (``timeout_ms``) covering the name lookup, connect, retries,
backoff and the body, like the registry client (the same :class:`Resolver` and
:class:`Watchdog`: a server dripping its answer a byte at a time cannot hold the kiosk).
A call is retried within its deadline only where that is safe: a GET, a POST carrying an
Idempotency-Key (the server gives the same ticket for the same key), and a connection that was
never made. Answers are read with a size cap and checked by :mod:`kiosk.queue_client.answers`.

Errors: :class:`ServerDown` (unreachable, timed out, 5xx), :class:`ServerRefused` (the server
said no in the contract's error shape: quota, closed, booking too early, ...),
:class:`BadAnswer` (anything else). Each has a ``code`` that is a message-catalog key; the
technician's detail goes to the log, never to the screen. The key is sent only in the
Authorization header and never logged.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError

from kiosk.queue_client.answers import (
    AlertAnswer,
    CheckInAnswer,
    ErrorAnswer,
    ErrorBody,
    FeedbackStored,
    HealthAnswer,
    ServiceAnswer,
    Services,
    TicketAnswer,
)
from kiosk.registry.resolver import LookupTimeout, Resolver
from kiosk.registry.watchdog import Watchdog, shutdown_stream

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_ANSWER_BYTES = 256 * 1024
BACKOFF_BASE_S = 0.1
BACKOFF_CAP_S = 1.0
_KEY_CHARS = frozenset(map(chr, range(0x21, 0x7F)))
_PORTS = {"http": 80, "https": 443}


class QueueServerError(Exception):
    code = "queue_unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ServerDown(QueueServerError):
    """No answer: not reachable, the deadline passed, or a 5xx."""

    code = "queue_server_down"


class _NotSent(ServerDown):
    """The connection was never made: the request did not reach the server."""


class BadAnswer(QueueServerError):
    """An answer that is not what the contract says (shape, size, status)."""

    code = "queue_server_bad_answer"


class ServerRefused(QueueServerError):
    """The server said no: ``error`` is its ``{"code", "message", ...}``."""

    def __init__(self, status: int, error: ErrorBody) -> None:
        super().__init__(f"{status} {error.code}: {error.message}")
        self.status = status
        self.error = error
        self.code = error.code  # a catalog key when the kiosk knows it (see office_queue)


@dataclass(frozen=True, slots=True)
class QueueServer:
    url: str  # http://host:port, no trailing slash
    client_id: str
    key: str
    timeout_s: float = 4.0


def read_key(path: Any) -> str:
    """The bearer key from its file: one line of printable ASCII (a ValueError says why not)."""
    try:
        key = str(path.read_text(encoding="utf-8")).strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the queue-server key file {path}: {exc}") from None
    if not key or not set(key) <= _KEY_CHARS or len(key) > 4096:
        raise ValueError("the queue-server key must be 1-4096 printable ASCII characters")
    return key


class QueueServerClient:
    """Typed calls of the office queue API for a kiosk."""

    def __init__(
        self, server: QueueServer, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.server = server
        self._random = random.SystemRandom()
        self._watchdog = Watchdog("queue-watchdog")
        url = httpx.URL(server.url)
        self._resolver = (
            None if transport is not None else Resolver(url.host, url.port or _PORTS[url.scheme])
        )
        self._http = httpx.Client(
            base_url=server.url,
            headers={
                "Authorization": f"Bearer {server.key}",
                "X-Client-Id": server.client_id,
                "Accept": "application/json",
                "Accept-Encoding": "identity",
                "User-Agent": "adm-kiosk/0.1",
            },
            trust_env=False,
            follow_redirects=False,
            transport=transport,
        )

    def __repr__(self) -> str:
        return f"QueueServerClient({self.server.url!r}, client={self.server.client_id!r})"

    def close(self) -> None:
        self._http.close()
        self._watchdog.close()

    # --- the contract -------------------------------------------------------------------

    def health(self, timeout_s: float | None = None) -> HealthAnswer:
        return self._call(
            "GET", "/v1/health", HealthAnswer.model_validate_json, timeout_s=timeout_s
        )

    def services(self, timeout_s: float | None = None) -> list[ServiceAnswer]:
        return self._call("GET", "/v1/services", Services.validate_json, timeout_s=timeout_s)

    def issue(self, service: str, priority: str | None, key: str) -> TicketAnswer:
        body = {"service": service, "priority": priority, "source": "kiosk"}
        return self._call(
            "POST", "/v1/tickets", TicketAnswer.model_validate_json, body=body, key=key, ok=(201,)
        )

    def ticket(self, ticket_id: str, timeout_s: float | None = None) -> TicketAnswer:
        path = f"/v1/tickets/{_path_part(ticket_id)}"
        return self._call("GET", path, TicketAnswer.model_validate_json, timeout_s=timeout_s)

    def check_in(self, qr: str, key: str) -> CheckInAnswer:
        return self._call(
            "POST",
            "/v1/bookings/check-in",
            CheckInAnswer.model_validate_json,
            body={"qr": qr},
            key=key,
            ok=(201,),
        )

    def alert(self, kind: str, screen: str) -> AlertAnswer:
        """A citizen asks for staff (``POST /v1/alerts``); shown on the counter pages."""
        body = {"kind": kind, "kiosk": self.server.client_id, "screen": screen}
        return self._call(
            "POST", "/v1/alerts", AlertAnswer.model_validate_json, body=body, ok=(201,)
        )

    def feedback(
        self,
        *,
        service: str,
        score: int,
        reasons: tuple[str, ...],
        ticket: str | None,
        txid: str | None,
    ) -> FeedbackStored:
        """An IKM answer (``POST /v1/feedback``): 201 stored, 200 the one the server already
        had for that ticket or txid (a repeat is harmless, so it is sent again later)."""
        body: dict[str, Any] = {"service": service, "score": score, "reasons": list(reasons)}
        body |= {"ticket": ticket} if ticket is not None else {"txid": txid}
        return self._call(
            "POST", "/v1/feedback", FeedbackStored.model_validate_json, body=body, ok=(200, 201)
        )

    # --- machinery ----------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        parse: Callable[[bytes], T],
        *,
        body: dict[str, Any] | None = None,
        key: str | None = None,
        ok: tuple[int, ...] = (200,),
        timeout_s: float | None = None,
    ) -> T:
        started = time.monotonic()
        deadline = started + (self.server.timeout_s if timeout_s is None else timeout_s)
        headers = {"Idempotency-Key": key} if key is not None else {}
        safe = method == "GET" or key is not None
        attempt = 0
        while True:
            try:
                status, raw = self._exchange(method, path, body, headers, deadline)
            except BadAnswer as exc:
                log.error("queue server answer refused: %s %s: %s", method, path, exc.detail)
                raise
            except _NotSent as exc:
                error: QueueServerError = exc
            except ServerDown as exc:
                if not safe or time.monotonic() >= deadline:
                    log.warning("queue server %s %s: %s", method, path, exc.detail)
                    raise
                error = exc
            else:
                if status in ok:
                    try:
                        return parse(raw)
                    except ValidationError as exc:
                        raise _bad(method, path, status, exc) from None
                if status >= 500 and safe:
                    error = ServerDown(f"status {status}")
                else:
                    raise _refusal(method, path, status, raw)
            attempt += 1
            delay = self._random.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt))
            if time.monotonic() + delay >= deadline:
                log.warning(
                    "queue server %s %s: %s after %d attempts in %.1f s",
                    method,
                    path,
                    error.detail,
                    attempt,
                    time.monotonic() - started,
                )
                raise error
            log.info("queue server %s %s: %s, retry %d", method, path, error.detail, attempt)
            time.sleep(delay)

    def _exchange(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        headers: dict[str, str],
        deadline: float,
    ) -> tuple[int, bytes]:
        if self._resolver is not None:
            try:
                self._resolver.check(deadline)
            except LookupTimeout:
                raise ServerDown("deadline passed looking up the server's name") from None
            except OSError as exc:
                raise _NotSent(f"cannot look up the server's name: {exc}") from None
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ServerDown("deadline passed before the request")
        timeout = httpx.Timeout(remaining, connect=min(1.0, remaining))
        request = self._http.build_request(
            method, path, json=body, headers=headers, timeout=timeout
        )
        try:
            response = self._http.send(request, stream=True)
        except httpx.ConnectTimeout:
            if time.monotonic() >= deadline:
                raise ServerDown("deadline passed while connecting") from None
            raise _NotSent("connect timeout") from None
        except httpx.ConnectError as exc:
            raise _NotSent(f"cannot connect: {type(exc).__name__}") from None
        except httpx.TimeoutException:
            raise ServerDown("deadline passed waiting for the answer") from None
        except httpx.TransportError as exc:
            raise ServerDown(f"transport error: {type(exc).__name__}") from None
        try:
            return response.status_code, self._read_body(response, deadline)
        finally:
            response.close()

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
            raise BadAnswer(f"answer of {declared} bytes is over the {MAX_ANSWER_BYTES} cap")
        if response.headers.get("content-encoding", "identity").strip().lower() != "identity":
            raise BadAnswer("answer has a content-encoding; identity was asked for")
        ticket = self._watchdog.arm(deadline, lambda: shutdown_stream(response))
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise BadAnswer(f"answer over the {MAX_ANSWER_BYTES}-byte cap")
                if time.monotonic() >= deadline:
                    raise ServerDown("deadline passed while reading the answer")
                chunks.append(chunk)
        except httpx.TimeoutException:
            raise ServerDown("deadline passed while reading the answer") from None
        except httpx.TransportError as exc:
            if time.monotonic() >= deadline:
                raise ServerDown("deadline passed while reading the answer") from None
            raise ServerDown(f"connection broke while reading: {type(exc).__name__}") from None
        finally:
            self._watchdog.disarm(ticket)
        return b"".join(chunks)


def _bad(method: str, path: str, status: int, exc: ValidationError) -> BadAnswer:
    # the field names, never the values (they came from outside)
    fields = sorted({".".join(str(p) for p in e["loc"]) or "(top)" for e in exc.errors()})
    detail = f"{method} {path} -> {status}: invalid {', '.join(fields)[:200]}"
    log.error("queue server answer refused: %s", detail)
    return BadAnswer(detail)


def _refusal(method: str, path: str, status: int, raw: bytes) -> QueueServerError:
    if 400 <= status < 500:
        try:
            answer = ErrorAnswer.model_validate_json(raw)
        except ValidationError:
            pass
        else:
            log.info("queue server %s %s: %d %s", method, path, status, answer.error.code)
            return ServerRefused(status, answer.error)
    detail = f"{method} {path} -> unexpected status {status}"
    log.error("queue server answer refused: %s", detail)
    return BadAnswer(detail)


def _path_part(value: str) -> str:
    if not (0 < len(value) <= 64) or not all(
        c.isascii() and (c.isalnum() or c == "-") for c in value
    ):
        raise BadAnswer("ticket id must be 1-64 characters of [A-Za-z0-9-]")
    return value
