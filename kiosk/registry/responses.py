"""Turning raw HTTP answers into typed results or typed errors.

Pure functions over ``(status, headers, body)``, so that a property test can feed them junk:
whatever the bytes, the outcome is a validated model or a :class:`RegistryError` subclass
(``BadResponse`` for anything that breaks the contract on a success status).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from kiosk.registry.errors import (
    AlreadyPrinted,
    BadResponse,
    Expired,
    InvalidRequest,
    InvalidToken,
    Locked,
    NotFound,
    ProofRejected,
    RateLimited,
    RegistryError,
    ReservedElsewhere,
    Unauthorized,
    Unavailable,
    WrongPin,
)
from kiosk.registry.models import ErrorDetail, ErrorResponse

M = TypeVar("M", bound=BaseModel)

DEFAULT_RETRY_AFTER_S = 1.0
MAX_RETRY_AFTER_S = 3600.0

# code -> (statuses it may come with, class). WrongPin and Locked need their extra fields.
_SIMPLE: dict[str, tuple[frozenset[int], Callable[..., RegistryError]]] = {
    "invalid_request": (frozenset({400, 405, 413, 422}), InvalidRequest),
    "invalid_token": (frozenset({400, 422}), InvalidToken),
    "unauthorized": (frozenset({401}), Unauthorized),
    "proof_rejected": (frozenset({403}), ProofRejected),
    "not_found": (frozenset({404}), NotFound),
    "already_printed": (frozenset({409}), AlreadyPrinted),
    "reserved_elsewhere": (frozenset({409}), ReservedElsewhere),
    "expired": (frozenset({410}), Expired),
}
# When the body says nothing usable, these statuses still mean one thing.
_BY_STATUS: dict[int, Callable[..., RegistryError]] = {
    400: InvalidRequest,
    401: Unauthorized,
    404: NotFound,
    413: InvalidRequest,
    422: InvalidRequest,
}


def _clean(text: str, limit: int = 200) -> str:
    """A server-supplied message made safe for a log line: printable, one line, bounded."""
    return "".join(c if c.isprintable() else "?" for c in text[:limit])


def decode_json(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        pass
    raise BadResponse("response body is not JSON")


def parse_model(body: bytes, model: type[M]) -> M:
    """Validate a success body against ``model``; anything else is ``BadResponse``.

    Raised outside the ``except`` block on purpose: a validation error quotes the answer's
    values (document data holds NIKs), and it must not ride along as ``__context__``.
    """
    data = decode_json(body)
    try:
        return model.model_validate(data)
    except (ValidationError, ValueError, RecursionError):
        pass
    raise BadResponse(f"response does not match {model.__name__}")


def retry_after_seconds(headers: Mapping[str, str], detail: ErrorDetail | None) -> float:
    """Retry-After in seconds (delta form), else the body's ``retry_after_s``, else 1 s."""
    raw = headers.get("retry-after")
    value: float | None = None
    if raw is not None:
        try:
            value = float(raw.strip())
        except ValueError:
            value = None  # an HTTP-date is allowed by RFC 9110 but not used by this registry
    if (value is None or not math.isfinite(value)) and detail is not None:
        value = detail.retry_after_s
    if value is None or not math.isfinite(value):
        value = DEFAULT_RETRY_AFTER_S
    return min(max(value, 0.0), MAX_RETRY_AFTER_S)


def _error_detail(body: bytes) -> ErrorDetail | None:
    try:
        return ErrorResponse.model_validate(json.loads(body)).error
    except (ValueError, ValidationError, RecursionError):
        return None


def error_for(status: int, headers: Mapping[str, str], body: bytes) -> RegistryError:
    """The typed error for a non-success answer."""
    detail = _error_detail(body)
    message = _clean(detail.message) if detail else f"HTTP {status}"
    if status == 429:
        return RateLimited(message, retry_after_s=retry_after_seconds(headers, detail))
    if status >= 500:
        return Unavailable(message)
    if detail is not None:
        code = detail.code
        if code == "wrong_pin" and status == 403:
            if detail.attempts_left is None:
                return BadResponse("wrong_pin without attempts_left")
            return WrongPin(message, attempts_left=detail.attempts_left)
        if code == "locked" and status == 423:
            if detail.locked_until is None:
                return BadResponse("locked without locked_until")
            return Locked(message, until=detail.locked_until)
        known = _SIMPLE.get(code)
        if known is not None and status in known[0]:
            return known[1](message)
    fallback = _BY_STATUS.get(status)
    if fallback is not None:
        return fallback(message)
    return BadResponse(f"unexpected HTTP {status}" + (f" ({detail.code})" if detail else ""))


def parse_response(
    status: int, headers: Mapping[str, str], body: bytes, model: type[M], *, ok: int = 200
) -> M:
    """The validated model for status ``ok``; the typed error for anything else."""
    if status == ok:
        return parse_model(body, model)
    if 200 <= status < 400:
        raise BadResponse(f"unexpected HTTP {status}")
    raise error_for(status, headers, body)
