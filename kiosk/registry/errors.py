"""Typed registry errors: one class per answer the kiosk must treat differently.

``code`` is the wire code of DESIGN section 4 (``wrong_pin``, ``locked``, ...) or, for errors
the client itself detects, ``unavailable`` / ``timeout`` / ``bad_response``. ``message`` is for
the technician log, never for the citizen (the UI maps the class to its own catalog text).
"""

from __future__ import annotations

from datetime import datetime


class RegistryError(Exception):
    """Any failure of a registry call."""

    default_code = "registry_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class InvalidRequest(RegistryError):
    """400/422: the registry refused the request's form (a bug, or hostile input)."""

    default_code = "invalid_request"


class InvalidToken(InvalidRequest):
    """400: the voucher token is forged, malformed, oversized or signed by an unknown key."""

    default_code = "invalid_token"


class Unauthorized(RegistryError):
    """401: this kiosk's id or key is not accepted."""

    default_code = "unauthorized"


class WrongPin(RegistryError):
    """403: the PIN is wrong; ``attempts_left`` more tries before the voucher locks."""

    default_code = "wrong_pin"

    def __init__(self, message: str, *, attempts_left: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.attempts_left = attempts_left


class ProofRejected(RegistryError):
    """403: reserve without a valid verification proof (missing, stale, other kiosk/voucher)."""

    default_code = "proof_rejected"


class NotFound(RegistryError):
    """404: no such voucher or reservation."""

    default_code = "not_found"


class AlreadyPrinted(RegistryError):
    """409: the voucher has been printed (committed) already."""

    default_code = "already_printed"


class ReservedElsewhere(RegistryError):
    """409: another kiosk (or session) holds the voucher's lease."""

    default_code = "reserved_elsewhere"


class Expired(RegistryError):
    """410: the voucher (or the reservation) has expired."""

    default_code = "expired"


class Locked(RegistryError):
    """423: too many wrong PINs; locked until ``until``."""

    default_code = "locked"

    def __init__(self, message: str, *, until: datetime, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.until = until


class RateLimited(RegistryError):
    """429: too many requests; try again after ``retry_after_s`` seconds."""

    default_code = "rate_limited"

    def __init__(self, message: str, *, retry_after_s: float, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after_s = retry_after_s


class Unavailable(RegistryError):
    """5xx, connection failures and outages: the registry cannot answer now."""

    default_code = "unavailable"


class Timeout(Unavailable):
    """The call's overall deadline passed (slow server, dripping body, retries used it up)."""

    default_code = "timeout"


class BadResponse(RegistryError):
    """The answer broke the contract: not JSON, wrong shape, too large, unknown error code."""

    default_code = "bad_response"
