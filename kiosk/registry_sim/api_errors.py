"""The simulator's error answers: ``{"error": {"code", "message", ...}}`` with a status."""

from __future__ import annotations

from kiosk.api_error import ApiError as ApiError
from kiosk.api_error import invalid_request as invalid_request


def not_found(message: str = "no such voucher") -> ApiError:
    return ApiError(404, "not_found", message)


def already_printed() -> ApiError:
    return ApiError(409, "already_printed", "the document of this voucher has been printed")


def reserved_elsewhere() -> ApiError:
    return ApiError(409, "reserved_elsewhere", "the voucher is reserved by another session")


def expired(message: str = "the voucher has expired") -> ApiError:
    return ApiError(410, "expired", message)
