"""The error answer both of the kiosk project's HTTP APIs give (the registry simulator's and the
office queue server's): ``{"error": {"code", "message", ...}}`` with a status."""

from __future__ import annotations


class ApiError(Exception):
    """Raised anywhere in a server; its app turns it into the contract's error body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: object,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, object]:
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


def invalid_request(message: str) -> ApiError:
    return ApiError(422, "invalid_request", message)
