"""Online bookings (antrean online): slots, the signed booking QR, and the check-in rules.

A service with ``booking_capacity > 0`` offers slots of ``slot_minutes`` from its opening time
(the last one ends by closing time), on its open days, from today up to ``booking_days_ahead``
days ahead; each slot takes ``booking_capacity`` bookings.

The booking QR is ``ADMB1.<base64url(JSON payload)>.<base64url(Ed25519 signature)>`` signed by
the office server's key (:mod:`kiosk.domain.signed`, the vouchers' checks): the payload holds
``v``, ``kid``, ``code``, ``svc``, ``day`` and ``slot`` (office-local ``HH:MM``), no name, no NIK.

Check-in rules (shown to the citizen from :class:`CheckIn` / :class:`BookingRefused` data):
- the check-in window is from ``checkin_early_min`` before the slot's start to
  ``checkin_late_min`` after it, on the booked day;
- checked in early: the ticket waits and is called from the slot's start, before walk-ins of
  the service (``arrival = "early"``); from the slot's start: called next among the bookings
  (``"on_time"`` up to 5 minutes after the start, ``"late"`` after that);
- before the window: refused ``booking_too_early`` with the window's opening time (come back
  then); after it: ``booking_too_late`` (take an ordinary ticket); the booking stays unused;
- a booking gives one ticket: a second check-in is ``booking_used`` (the same kiosk retrying
  with the same Idempotency-Key gets its ticket again).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.config.models import QueueService, QueueSettings
from kiosk.domain.signed import SignedTokenError, VoucherErrorCode, open_compact, sign_compact
from kiosk.queue.book import QueueBook
from kiosk.queue.models import StoreUnavailable
from kiosk.queue.rules import aware
from kiosk.queue.store import (
    Booking,
    BookingUsed,
    IdempotencyConflict,
    Issued,
    IssueRequest,
    SlotFull,
)

PREFIX = "ADMB1"
MAX_QR_BYTES = 400
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed
CODE_LENGTH = 8
ON_TIME_S = 300  # arriving up to 5 minutes after the slot's start is "on time"


class BookingRefusal(StrEnum):
    NOT_OFFERED = "booking_not_offered"  # the service takes no online bookings
    NO_SUCH_SLOT = "booking_no_such_slot"  # day closed, out of range, past, or not a slot time
    FULL = "booking_full"
    FORGED = "booking_invalid_qr"  # malformed, bad signature, unknown key
    UNKNOWN = "booking_unknown"  # signed by us, but no such booking here
    USED = "booking_used"
    TOO_EARLY = "booking_too_early"
    TOO_LATE = "booking_too_late"
    UNAVAILABLE = "queue_unavailable"


class BookingRefused(Exception):
    def __init__(self, code: BookingRefusal, detail: str, **data: str) -> None:
        super().__init__(f"{code.value}: {detail}")
        self.code = code
        self.detail = detail
        self.data = data  # shown to the citizen in words (window times)


class BookingQrError(SignedTokenError):
    pass


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime  # aware, office local
    end: datetime
    label: str  # "09:30"


@dataclass(frozen=True, slots=True)
class Booked:
    booking: Booking
    qr: str
    created: bool


@dataclass(frozen=True, slots=True)
class CheckIn:
    issued: Issued
    booking: Booking
    arrival: str  # "early", "on_time" or "late"
    called_from: datetime  # the slot's start: not called before
    minutes_from_slot: int  # negative: early by so many minutes


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class BookingDesk:
    def __init__(
        self,
        book: QueueBook,
        settings: QueueSettings,
        key: Ed25519PrivateKey,
        kid: str,
    ) -> None:
        self.book = book
        self.settings = settings
        self._key = key
        self.kid = kid
        self.trusted: Mapping[str, Ed25519PublicKey] = {kid: key.public_key()}

    # --- slots -----------------------------------------------------------------------------

    def slots(self, service: QueueService, day: date) -> list[Slot]:
        if service.booking_capacity <= 0 or day.isoweekday() not in service.days:
            return []
        step = timedelta(minutes=service.slot_minutes)
        start = datetime.combine(day, service.opens, self.book.tz)
        closes = datetime.combine(day, service.closes, self.book.tz)
        found = []
        while start + step <= closes:
            found.append(Slot(start, start + step, f"{start:%H:%M}"))
            start += step
        return found

    def _slot(self, service: QueueService, day: date, label: str, now: datetime) -> Slot:
        today = self.book.day(now)
        if service.booking_capacity <= 0:
            raise BookingRefused(BookingRefusal.NOT_OFFERED, service.code)
        if not today <= day <= today + timedelta(days=self.settings.booking_days_ahead):
            raise BookingRefused(BookingRefusal.NO_SUCH_SLOT, f"{day} is out of range")
        for slot in self.slots(service, day):
            if slot.label == label:
                if slot.start <= now:
                    raise BookingRefused(BookingRefusal.NO_SUCH_SLOT, f"{label} has begun")
                return slot
        raise BookingRefused(BookingRefusal.NO_SUCH_SLOT, f"no slot {label} on {day}")

    # --- booking ---------------------------------------------------------------------------

    def book_slot(
        self, code: str, day: date, label: str, now: datetime, client: str, key: str | None
    ) -> Booked:
        service = self.book.service(code)
        slot = self._slot(service, day, label, aware(now))
        booking = Booking(new_code(), code, day, slot.start, slot.end, now, client)
        try:
            stored, created = self.book.store.book(booking, service.booking_capacity, key)
        except SlotFull:
            raise BookingRefused(BookingRefusal.FULL, f"{code} {day} {label}") from None
        except StoreUnavailable as exc:
            raise BookingRefused(BookingRefusal.UNAVAILABLE, str(exc)) from None
        return Booked(stored, self.qr(stored), created)

    def qr(self, booking: Booking) -> str:
        local = booking.slot_start.astimezone(self.book.tz)
        payload = {
            "v": 1,
            "kid": self.kid,
            "code": booking.code,
            "svc": booking.service,
            "day": booking.day.isoformat(),
            "slot": f"{local:%H:%M}",
        }
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        return sign_compact(PREFIX, body, self._key)

    def read_qr(self, text: str) -> str:
        """The booking code of a QR this office signed (:class:`BookingRefused` FORGED if not)."""

        def error(code: VoucherErrorCode, detail: str) -> Exception:
            return BookingQrError(code, detail)

        try:
            payload, _kid = open_compact(
                text, prefix=PREFIX, max_bytes=MAX_QR_BYTES, keys=self.trusted, error=error
            )
        except BookingQrError as exc:
            raise BookingRefused(BookingRefusal.FORGED, exc.code.value) from None
        code = payload.get("code")
        if not isinstance(code, str) or not (
            len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)
        ):
            raise BookingRefused(BookingRefusal.FORGED, "no booking code")
        return code

    # --- check-in --------------------------------------------------------------------------

    def window(self, booking: Booking) -> tuple[datetime, datetime]:
        early = timedelta(minutes=self.settings.checkin_early_min)
        late = timedelta(minutes=self.settings.checkin_late_min)
        return booking.slot_start - early, booking.slot_start + late

    def check_in(self, qr: str, now: datetime, client: str, key: str | None) -> CheckIn:
        code = self.read_qr(qr)
        booking = self.book.store.booking(code)
        if booking is None:
            raise BookingRefused(BookingRefusal.UNKNOWN, code)
        opens, closes = self.window(booking)
        times = {
            "window_opens": opens.astimezone(self.book.tz).isoformat(),
            "window_closes": closes.astimezone(self.book.tz).isoformat(),
            "slot_start": booking.slot_start.astimezone(self.book.tz).isoformat(),
        }
        retry = booking.ticket_id is not None  # a kiosk retrying: its ticket, whatever the time
        if not retry and aware(now) < opens:
            raise BookingRefused(BookingRefusal.TOO_EARLY, code, **times)
        if not retry and now > closes:
            raise BookingRefused(BookingRefusal.TOO_LATE, code, **times)
        request = IssueRequest(
            booking.service,
            booking.day,
            now,
            source="booking",
            client=client,
            key=key,
            slot_start=booking.slot_start,
        )
        try:
            issued = self.book.store.check_in(code, request)
        except (BookingUsed, IdempotencyConflict):
            raise BookingRefused(BookingRefusal.USED, code) from None
        except StoreUnavailable as exc:
            raise BookingRefused(BookingRefusal.UNAVAILABLE, str(exc)) from None
        seconds = (now - booking.slot_start).total_seconds()
        arrival = "early" if seconds < 0 else ("on_time" if seconds <= ON_TIME_S else "late")
        minutes = int(seconds // 60) if seconds >= 0 else -int(-seconds // 60)
        return CheckIn(issued, booking, arrival, booking.slot_start, minutes)
