"""What the engine needs from its collaborators, as small protocols.

The real parts are :class:`kiosk.registry.client.RegistryClient`,
:func:`printing.documents.render` and :class:`devices.manager.DeviceManager`; tests pass small
recording fakes with the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar

from devices.ports import DocumentPrinter

T = TypeVar("T")


class VerifiedVoucher(Protocol):
    """A voucher the registry has checked (with the PIN): what may be reserved."""

    @property
    def vid(self) -> str: ...
    @property
    def doc(self) -> Any: ...  # DocumentType (or its wire name)
    @property
    def holder_masked(self) -> str: ...
    @property
    def expires(self) -> datetime | None: ...
    @property
    def verification(self) -> str: ...


class ReservationLike(Protocol):
    @property
    def rid(self) -> str: ...
    @property
    def vid(self) -> str: ...
    @property
    def lease_expires(self) -> Any: ...
    @property
    def document(self) -> Mapping[str, Any]: ...


class Registry(Protocol):
    def health(self) -> Any: ...
    def verify_voucher(self, token: str, pin: str) -> Any: ...
    def identify(self, nik: str, pin: str) -> list[Any]: ...
    def identify_holder(self, token: str, pin: str) -> list[Any]: ...
    def reserve(self, vid: str, verification: str, idempotency_key: str) -> Any: ...
    def commit(
        self, rid: str, *, pdf_sha256: str, pages: int, printer: str, idempotency_key: str
    ) -> Any: ...
    def release(self, rid: str, *, reason: str, idempotency_key: str) -> Any: ...
    def heartbeat(self, payload: dict[str, Any]) -> Any: ...


class RenderedLike(Protocol):
    @property
    def pdf(self) -> bytes: ...
    @property
    def pages(self) -> int: ...
    @property
    def sha256(self) -> str: ...


Renderer = Callable[[Mapping[str, Any]], RenderedLike]


class Printers(Protocol):
    """The part of the device manager the engine prints through."""

    def printer_for(self, media: str) -> DocumentPrinter | None: ...
    def can_print(self, media: str) -> bool: ...

    def print_problem(self, media: str) -> str | None:
        """Why ``media`` cannot print now, as a citizen-message code; None when it can."""
        ...

    def call(self, name: str, fn: Callable[[Any], T], timeout_s: float | None = None) -> T: ...


StepHook = Callable[[str], None]
"""Called with a step name at every journal boundary (crash tests pause the process there)."""


def no_pause(step: str) -> None:
    """The default :data:`StepHook`: carry on."""
