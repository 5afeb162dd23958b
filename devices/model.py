"""The device model shared by every driver: state, status, capabilities, health, statistics.

Modelled on UnifiedPOS: a device has a :class:`DeviceState`, a frozen status record of its
kind's conditions (with ``since``), status events delivered to listeners, capabilities, health
checks at two levels, and statistics.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from devices.listeners import Listeners

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class DeviceKind(StrEnum):
    CAMERA = "camera"
    CODE_READER = "code_reader"
    SCANNER = "scanner"  # a code reader that delivers whole codes (keyboard wedge, serial)
    RECEIPT = "receipt"
    DOCUMENT = "document"
    CARD = "card"


class DeviceState(StrEnum):
    CLOSED = "closed"
    IDLE = "idle"
    BUSY = "busy"
    ERROR = "error"
    OFFLINE = "offline"


class PaperLevel(StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"
    UNKNOWN = "unknown"  # the printer did not answer: never read silence as "out"


class CardLevel(StrEnum):
    OK = "ok"
    LOW = "low"
    OUT = "out"
    UNKNOWN = "unknown"


class Tristate(StrEnum):
    """A yes/no condition that may be unknown (cover open, jam, camera lost)."""

    NO = "no"
    YES = "yes"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class DeviceFault:
    """What went wrong, in three parts: a stable code, a technician detail, the consequence.

    ``code`` doubles as the key of the citizen-facing message (e.g. ``PRINTER_PAPER_OUT``).
    """

    code: str
    detail: str
    consequence: str = ""

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" + (
            f" ({self.consequence})" if self.consequence else ""
        )


# Fault codes of a failed call that may still have taken effect (a submit whose answer was lost,
# a call that outlived its timeout). A caller must treat the job as possibly queued: for a
# print voucher that means SUSPECT, never a release that would let it print twice.
MAY_HAVE_TAKEN_EFFECT: frozenset[str] = frozenset({"DEVICE_TIMEOUT", "PRINTER_SUBMIT_UNCERTAIN"})


class DeviceError(Exception):
    """Raised by device operations; carries a :class:`DeviceFault`."""

    def __init__(self, fault: DeviceFault) -> None:
        super().__init__(str(fault))
        self.fault = fault

    @property
    def may_have_taken_effect(self) -> bool:
        return self.fault.code in MAY_HAVE_TAKEN_EFFECT


@dataclass(frozen=True, slots=True)
class Marker:
    """A consumable the printer reports (IPP ``marker-*``): toner, ink, ribbon, ...

    ``level`` and ``low`` are percent; None when the printer does not know (IPP -1, -2, -3).
    """

    name: str  # as the printer names it ("Black Toner", "YMCKO Ribbon")
    type: str  # IPP marker-types keyword: toner, ink, ribbon-wax, ...
    level: int | None = None
    low: int | None = None

    @property
    def is_low(self) -> bool:
        return self.level is not None and self.low is not None and self.level <= self.low

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "level": self.level, "low": self.low}


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """A snapshot of a device's conditions. Conditions that do not apply stay at their default."""

    state: DeviceState = DeviceState.CLOSED
    paper: PaperLevel = PaperLevel.UNKNOWN
    cover_open: Tristate = Tristate.UNKNOWN
    jam: Tristate = Tristate.UNKNOWN
    cards: CardLevel = CardLevel.UNKNOWN
    camera_lost: Tristate = Tristate.UNKNOWN
    markers: tuple[Marker, ...] = ()  # toner, ink, ribbon levels, as the printer reports them
    last_error: DeviceFault | None = None
    since: datetime = field(default_factory=utcnow)

    def with_changes(self, **changes: Any) -> DeviceStatus:
        """A new status with ``changes``; ``since`` moves only if something changed."""
        updated = replace(self, **changes)
        if replace(updated, since=self.since) == self:
            return self
        return replace(updated, since=changes.get("since", utcnow()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "paper": self.paper.value,
            "cover_open": self.cover_open.value,
            "jam": self.jam.value,
            "cards": self.cards.value,
            "camera_lost": self.camera_lost.value,
            "markers": [marker.to_dict() for marker in self.markers],
            "last_error": str(self.last_error) if self.last_error else None,
            "since": self.since.isoformat(),
        }


class StatusEventKind(StrEnum):
    PAPER_OK = "paper_ok"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    COVER_CLOSED = "cover_closed"
    JAM = "jam"
    CARDS_LOW = "cards_low"
    CARDS_OUT = "cards_out"
    CAMERA_LOST = "camera_lost"
    OFFLINE = "offline"
    RECONNECTED = "reconnected"
    STATE_CHANGED = "state_changed"


@dataclass(frozen=True, slots=True)
class StatusEvent:
    device: str  # the device's configured name (camera, receipt, document, card, ...)
    kind: StatusEventKind
    status: DeviceStatus
    at: datetime = field(default_factory=utcnow)


StatusListener = Callable[[StatusEvent], None]


class HealthLevel(StrEnum):
    INTERNAL = "internal"  # no output: connection and status queries only
    EXTERNAL = "external"  # prints or captures a test


@dataclass(frozen=True, slots=True)
class HealthResult:
    ok: bool
    level: HealthLevel
    text: str  # technician-readable, one line
    ms: float
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "level": self.level.value,
            "text": self.text,
            "ms": round(self.ms, 1),
        }


@dataclass(frozen=True, slots=True)
class Capabilities:
    paper_width_mm: int | None = None  # receipt: 58 or 80
    cutter: bool = False
    native_qr: bool = False
    native_barcode: bool = False
    colour: bool = False
    max_resolution: tuple[int, int] | None = None  # camera: (width, height)
    media: tuple[str, ...] = ()  # document: ("a4",); card: ("cr80",)
    duplex: bool = False


class StatusNotifier:
    """Holds a device's status and delivers changes to listeners (thread-safe).

    Drivers own one and call :meth:`update`; listeners must be quick and never raise
    (exceptions are logged and swallowed so one bad listener cannot stop a device).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._status = DeviceStatus()
        self._listeners: Listeners[StatusListener] = Listeners(self._lock)

    @property
    def status(self) -> DeviceStatus:
        with self._lock:
            return self._status

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        return self._listeners.subscribe(listener)

    def update(self, kind: StatusEventKind | None = None, **changes: Any) -> DeviceStatus:
        """Apply ``changes``; if anything changed, emit ``kind`` (or STATE_CHANGED)."""
        with self._lock:
            old = self._status
            new = old.with_changes(**changes)
            self._status = new
            listeners = self._listeners.snapshot()
        if new is not old:
            event = StatusEvent(self.name, kind or StatusEventKind.STATE_CHANGED, new)
            for listener in listeners:
                try:
                    listener(event)
                except Exception:
                    log.exception("status listener failed for %s", self.name)
        return new
