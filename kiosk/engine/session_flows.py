"""What the session controller depends on, and the small pure steps it is built from.

Kept apart from :mod:`kiosk.engine.session` so that the controller file holds the state
machine (its transition table and handlers) and little else.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.config.models import UISettings
from kiosk.domain.document_claim import DocumentClaimError, verify_document_claim
from kiosk.engine.availability import FreeSpace, RegistryStatus
from kiosk.engine.ports import Printers, Registry, VerifiedVoucher
from kiosk.engine.transaction import PrintTransaction, doc_type
from kiosk.engine.view import (
    AuthenticityView,
    BookingView,
    DocumentSummary,
    InfoView,
    Priority,
    ServiceView,
    TicketView,
)
from kiosk.feedback.ports import FeedbackRecorder

if TYPE_CHECKING:  # queue_view imports this module
    from kiosk.engine.queue_view import TicketIssued

PIN_PATTERN = re.compile(r"[0-9]{6}")
NIK_PATTERN = re.compile(r"[0-9]{16}")


class QueueDesk(Protocol):
    """The queue as the session uses it: the kiosk's own (kiosk.engine.queue_view) or the
    office queue server's (kiosk.engine.office_queue)."""

    takes_bookings: bool  # booking QRs can be checked in (the office queue server's only)

    def services_view(self, now: datetime) -> Sequence[ServiceView]: ...
    def issue_and_print(
        self,
        code: str,
        priority: Priority | None,
        printer_available: bool,
        reference: str | None = None,
    ) -> TicketIssued: ...
    def reprint(self, ticket_id: str) -> TicketIssued: ...
    def check_in(self, qr: str, printer_available: bool) -> TicketIssued:
        """A booking QR becomes a ticket (``.ticket``, ``.printed``, ``.booking``)."""
        ...

    def refresh(self, ticket: TicketView) -> TicketView:
        """``ticket`` as the queue sees it now (people ahead, estimate, called)."""
        ...

    def reset(self, code: str | None) -> int:
        """Technician: cancel today's waiting tickets (the kiosk's own queue only)."""
        ...


class QueueDeskError(Exception):
    """The queue said no, or cannot answer: ``code`` is a message key for the citizen;
    ``booking`` the booking refusal's times, when it was a booking QR."""

    def __init__(self, code: str, detail: str = "", booking: BookingView | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.booking = booking


class StaffCalls(Protocol):
    """Raises staff calls (kiosk.staffcall.StaffCaller); ``request`` never blocks."""

    def request(self, screen: str) -> StaffCallLike: ...


class StaffCallLike(Protocol):
    @property
    def at(self) -> datetime: ...


class SessionOutcome(StrEnum):
    """How a session ended (the metrics label)."""

    PRINTED = "printed"
    RELEASED = "released"
    SUSPECT = "suspect"
    FAILED = "failed"  # an error screen without a reservation (wrong PIN lock, expired, ...)
    TICKET = "ticket"
    CHECKED = "checked"
    ABANDONED = "abandoned"  # inactivity wipe or session cap
    CANCELLED = "cancelled"


@dataclass
class SessionDeps:
    ui: UISettings
    voucher_keys: Mapping[str, Ed25519PublicKey]
    registry: Registry
    transaction: PrintTransaction
    printers: Printers
    registry_status: RegistryStatus = field(default_factory=RegistryStatus)
    clock_skew_s: int = 120
    desk: QueueDesk | None = None
    tickets_available: Callable[[], bool] = lambda: True
    claim_keys: Mapping[str, Ed25519PublicKey] | None = None  # defaults to voucher_keys
    monotonic: Callable[[], float] = time.monotonic
    wallclock: Callable[[], datetime] = lambda: datetime.now(UTC)
    on_session_end: Callable[[SessionOutcome, float], None] | None = None  # (outcome, seconds)
    storage: FreeSpace | None = None  # the state dir's free space against its floor
    staff: StaffCalls | None = None  # "Panggil petugas"; None: the button is ignored (logged)
    # Errors that hand over: error code or help topic ("no_code") -> queue service code.
    handover: Mapping[str, str] = field(default_factory=dict)
    handover_default: str | None = None
    info: tuple[InfoView, ...] = ()  # service information (kiosk.engine.service_info)
    feedback: FeedbackRecorder | None = None  # the survey after a session; None: no survey


@dataclass
class Personal:
    """Everything personal a session holds; :meth:`wipe` drops all of it."""

    token: str | None = None
    nik: str | None = None
    verified: VerifiedVoucher | None = None  # the registry's Verified (holds the proof)
    # The visit's ready documents not printed yet (each with its proof), in the registry's
    # order; ``verified`` is one of them while it is being confirmed.
    choices: list[VerifiedVoucher] = field(default_factory=list)
    # How to ask the registry again when a proof has gone stale: ("token", the scanned token)
    # or ("nik", the NIK). Kept for the session only, like the rest.
    again: tuple[str, str] | None = None
    pending: str | None = None  # the vid whose print needs the PIN again
    asked_again: set[str] = field(default_factory=set)  # vids already re-verified once

    def wipe(self) -> None:
        self.token = None
        self.nik = None
        self.verified = None
        self.choices = []
        self.again = None
        self.pending = None
        self.asked_again = set()

    @property
    def empty(self) -> bool:
        return (
            self.token is None
            and self.nik is None
            and self.verified is None
            and not self.choices
            and self.again is None
        )


def summary(verified: VerifiedVoucher) -> DocumentSummary:
    return DocumentSummary(
        vid=verified.vid,
        doc=doc_type(verified.doc),
        holder_masked=verified.holder_masked,
        expires=verified.expires,
        subject_masked=verified.subject_masked,
        relation=verified.relation,
        birth_year=verified.birth_year,
    )


def check_claim(text: str, keys: Mapping[str, Ed25519PublicKey]) -> AuthenticityView:
    """The authenticity screen's answer for a scanned document QR (offline)."""
    try:
        claim = verify_document_claim(text, keys)
    except DocumentClaimError as exc:
        return AuthenticityView(valid=False, reason=f"claim_{exc.code.value}")
    return AuthenticityView(
        valid=True,
        reason=None,
        doc=claim.doc,
        document_id=claim.document_id,
        issued_on=claim.issued_on.strftime("%d-%m-%Y"),
        holder_masked=claim.holder_masked,
    )


@dataclass
class Inactivity:
    """Warn after ``warn_s`` idle, wipe ``wipe_s`` later; a hard cap per session."""

    warn_s: float
    wipe_s: float
    cap_s: float
    started: float = 0.0
    activity: float = 0.0
    seconds_left: int | None = None

    def begin(self, now: float) -> None:
        self.started = self.activity = now
        self.seconds_left = None

    def touch(self, now: float) -> None:
        self.activity = now
        self.seconds_left = None

    def check(self, now: float) -> str | None:
        """ "wipe" when the session must end, "changed" when the countdown moved, else None."""
        if now - self.started >= self.cap_s:
            return "wipe"
        idle = now - self.activity
        if idle < self.warn_s:
            if self.seconds_left is not None:
                self.seconds_left = None
                return "changed"
            return None
        left = math.ceil(self.warn_s + self.wipe_s - idle)
        if left <= 0:
            return "wipe"
        if left != self.seconds_left:
            self.seconds_left = left
            return "changed"
        return None
