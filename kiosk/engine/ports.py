"""What the engine needs from its collaborators, as small protocols.

The real parts are :class:`kiosk.registry.client.RegistryClient`,
:func:`printing.documents.render` and :class:`devices.manager.DeviceManager`; tests pass small
recording fakes with the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from devices.ports import DocumentPrinter
from kiosk.domain.documents import DocumentType
from kiosk.domain.json_types import JsonObject as JsonObject  # the document envelope; heartbeats
from kiosk.registry.models import HeartbeatAnswer

T = TypeVar("T")


class VerifiedVoucher(Protocol):
    """A voucher the registry has checked (with the PIN): what may be reserved.

    :class:`kiosk.registry.models.Verified` is the real one."""

    @property
    def vid(self) -> str: ...
    @property
    def doc(self) -> DocumentType: ...
    @property
    def holder_masked(self) -> str: ...
    @property
    def subject_masked(self) -> str | None: ...  # whom it is about, when not the holder
    @property
    def expires(self) -> datetime | None: ...
    @property
    def verification(self) -> str: ...
    @property
    def relation(self) -> str | None: ...  # in the family of whom it is about (ANAK, ISTRI)
    @property
    def birth_year(self) -> int | None: ...  # of whom it is about: tells members apart


class VerifiedWithOthers(VerifiedVoucher, Protocol):
    """A verify answer: the voucher, and the holder's other ready vouchers (each with its own
    proof) that a family prints in the same visit without the PIN again
    (:class:`kiosk.registry.models.VerifyResponse`)."""

    @property
    def others(self) -> Sequence[VerifiedVoucher]: ...


class ReservationLike(Protocol):
    """The lease on a voucher (:class:`kiosk.registry.models.Reservation`)."""

    @property
    def rid(self) -> str: ...
    @property
    def vid(self) -> str: ...
    @property
    def lease_expires(self) -> datetime: ...
    @property
    def document(self) -> JsonObject: ...


class RegistryHealth(Protocol):
    """Reachability (:class:`kiosk.registry.models.Health`)."""

    @property
    def server_time(self) -> datetime: ...
    @property
    def clock_skew_s(self) -> float: ...
    @property
    def latency_ms(self) -> float: ...


class Registry(Protocol):
    """Registry API v1 as the kiosk uses it (:class:`kiosk.registry.client.RegistryClient`).
    Every call raises :class:`kiosk.registry.errors.RegistryError` subclasses on failure."""

    def health(self) -> RegistryHealth: ...
    def verify_voucher(self, token: str, pin: str) -> VerifiedWithOthers: ...
    def identify(self, nik: str, pin: str) -> Sequence[VerifiedVoucher]: ...
    def identify_holder(self, token: str, pin: str) -> Sequence[VerifiedVoucher]:
        """The ready vouchers of the holder of ``token`` (printed or not), by their PIN."""
        ...

    def reserve(self, vid: str, verification: str, idempotency_key: str) -> ReservationLike: ...
    def start_printing(
        self, rid: str, *, pdf_sha256: str, pages: int, printer: str, idempotency_key: str
    ) -> object:
        """The printing hold; a 200 (no exception) is what lets the kiosk print."""
        ...

    def commit(
        self, rid: str, *, pdf_sha256: str, pages: int, printer: str, idempotency_key: str
    ) -> None: ...
    def release(self, rid: str, *, reason: str, idempotency_key: str) -> None: ...
    def heartbeat(self, payload: JsonObject) -> HeartbeatAnswer: ...


class RenderedLike(Protocol):
    @property
    def pdf(self) -> bytes: ...
    @property
    def pages(self) -> int: ...
    @property
    def sha256(self) -> str: ...


Renderer = Callable[[JsonObject], RenderedLike]


class Printers(Protocol):
    """The part of the device manager the engine prints through."""

    def printer_for(self, media: str) -> DocumentPrinter | None: ...
    def can_print(self, media: str) -> bool: ...

    def print_problem(self, media: str) -> str | None:
        """Why ``media`` cannot print now, as a citizen-message code; None when it can."""
        ...

    def call(
        self, name: str, fn: Callable[[DocumentPrinter], T], timeout_s: float | None = None
    ) -> T:
        """Run ``fn(printer)`` on the printer's own worker thread."""
        ...


StepHook = Callable[[str], None]
"""Called with a step name at every journal boundary (crash tests pause the process there)."""


def no_pause(step: str) -> None:
    """The default :data:`StepHook`: carry on."""
