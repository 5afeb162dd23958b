"""The simulator's error answers: ``{"error": {"code", "message", ...}}`` with a status."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Raised anywhere in the simulator; the app turns it into the contract's error body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


def invalid_request(message: str) -> ApiError:
    return ApiError(422, "invalid_request", message)


def not_found(message: str = "no such voucher") -> ApiError:
    return ApiError(404, "not_found", message)


def already_printed() -> ApiError:
    return ApiError(409, "already_printed", "the document of this voucher has been printed")


def reserved_elsewhere() -> ApiError:
    return ApiError(409, "reserved_elsewhere", "the voucher is reserved by another session")


def expired(message: str = "the voucher has expired") -> ApiError:
    return ApiError(410, "expired", message)
