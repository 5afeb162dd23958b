"""Printer conditions from IPP ``printer-state`` and ``printer-state-reasons``.

Shared by the CUPS document and card drivers. CUPS reports conditions as keywords with an
optional severity suffix (``media-empty-error``, ``media-low-report``, ``offline-report``);
the suffix says how bad, the stem says what.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from devices.model import (
    DeviceFault,
    DeviceState,
    Marker,
    PaperLevel,
    StatusEventKind,
    StatusNotifier,
    Tristate,
)

PRINTER_IDLE, PRINTER_PROCESSING, PRINTER_STOPPED = 3, 4, 5

_PAPER_OUT = {"media-empty", "media-needed", "input-tray-missing"}
_PAPER_LOW = {"media-low"}
_COVER = {"door-open", "cover-open", "interlock-open"}
_JAM = {"media-jam"}
_OFFLINE = {"offline", "shutdown", "timed-out"}


def reason_stem(reason: str) -> str:
    for suffix in ("-error", "-warning", "-report"):
        if reason.endswith(suffix):
            return reason[: -len(suffix)]
    return reason


@dataclass(frozen=True, slots=True)
class PrinterConditions:
    """What a Get-Printer-Attributes answer means for the kiosk."""

    state: DeviceState
    paper: PaperLevel
    cover_open: Tristate
    jam: Tristate
    fault: DeviceFault | None
    reasons: tuple[str, ...]
    accepting: bool
    message: str
    markers: tuple[Marker, ...] = ()


MARKER_ATTRIBUTES = ("marker-names", "marker-types", "marker-levels", "marker-low-levels")
MAX_MARKERS = 16
MAX_MARKER_NAME = 64


def _text(value: Any, limit: int) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return "".join(ch for ch in text if ch.isprintable()).strip()[:limit]


def _percent(values: list[Any], index: int) -> int | None:
    """A marker level: 0-100, or None for IPP's -1 (none), -2 (unknown), -3 (some left)."""
    value = values[index] if index < len(values) else None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        return None
    return value


def markers_from_attributes(attrs: dict[str, list[Any]]) -> tuple[Marker, ...]:
    """Toner, ink and ribbon levels (IPP ``marker-*``, set by CUPS from the backend's ``ATTR:``
    lines or the printer's own answer). Hostile input: lists of different lengths, wrong types,
    huge or unprintable names give fewer or blank fields, never an exception."""
    names = attrs.get("marker-names") or []
    types = attrs.get("marker-types") or []
    levels = attrs.get("marker-levels") or []
    lows = attrs.get("marker-low-levels") or []
    markers = []
    for index, raw_name in enumerate(names[:MAX_MARKERS]):
        name = _text(raw_name, MAX_MARKER_NAME)
        if not name:
            continue
        kind = _text(types[index], 32) if index < len(types) else ""
        markers.append(
            Marker(name, kind or "unknown", _percent(levels, index), _percent(lows, index))
        )
    return tuple(markers)


def fault_from_reasons(reasons: Iterable[str], *, cards: bool = False) -> DeviceFault | None:
    """The most serious condition among ``reasons`` as a fault, or None."""
    stems = {reason_stem(r) for r in reasons}
    media = "CARD" if cards else "PRINTER"
    if stems & _OFFLINE:
        return DeviceFault("PRINTER_OFFLINE", "the printer reports it is offline", "cannot print")
    if stems & _JAM:
        return DeviceFault(f"{media}_JAM", "media jam", "remove the jammed sheet")
    if stems & _COVER:
        return DeviceFault("PRINTER_COVER_OPEN", "door or cover open", "close it to print")
    if stems & _PAPER_OUT:
        code = "CARDS_OUT" if cards else "PRINTER_PAPER_OUT"
        return DeviceFault(code, "media empty", "refill to print")
    return None


def conditions_from_attributes(attrs: dict[str, list[Any]], *, cards: bool) -> PrinterConditions:
    reasons = tuple(str(r) for r in attrs.get("printer-state-reasons", []) if r != "none")
    stems = {reason_stem(r) for r in reasons}
    state_values = attrs.get("printer-state") or [PRINTER_IDLE]
    printer_state = state_values[0]
    accepting = bool((attrs.get("printer-is-accepting-jobs") or [True])[0])
    message = str((attrs.get("printer-state-message") or [""])[0])
    if stems & _PAPER_OUT:
        paper = PaperLevel.OUT
    elif stems & _PAPER_LOW:
        paper = PaperLevel.NEAR_END
    else:
        paper = PaperLevel.OK
    cover = Tristate.YES if stems & _COVER else Tristate.NO
    jam = Tristate.YES if stems & _JAM else Tristate.NO
    fault = fault_from_reasons(reasons, cards=cards)
    if fault is None and printer_state == PRINTER_STOPPED:
        fault = DeviceFault(
            "PRINTER_STOPPED", message or "the queue is stopped", "jobs wait until it is enabled"
        )
    if fault is None and not accepting:
        fault = DeviceFault("PRINTER_NOT_ACCEPTING", "the queue refuses new jobs", "cannot print")
    if stems & _OFFLINE:
        state = DeviceState.OFFLINE
    elif fault is not None:
        state = DeviceState.ERROR
    elif printer_state == PRINTER_PROCESSING:
        state = DeviceState.BUSY
    else:
        state = DeviceState.IDLE
    markers = markers_from_attributes(attrs)
    return PrinterConditions(state, paper, cover, jam, fault, reasons, accepting, message, markers)


def _paper_event(level: PaperLevel) -> StatusEventKind:
    return {
        PaperLevel.OUT: StatusEventKind.PAPER_OUT,
        PaperLevel.NEAR_END: StatusEventKind.PAPER_LOW,
    }.get(level, StatusEventKind.PAPER_OK)


def _card_event(level: PaperLevel) -> StatusEventKind:
    return {
        PaperLevel.OUT: StatusEventKind.CARDS_OUT,
        PaperLevel.NEAR_END: StatusEventKind.CARDS_LOW,
    }.get(level, StatusEventKind.STATE_CHANGED)


def apply_conditions(
    notifier: StatusNotifier, cond: PrinterConditions, *, cards: bool = False
) -> None:
    """Update ``notifier`` one condition at a time, so each change is its own event."""
    before = notifier.status
    if before.state == DeviceState.OFFLINE and cond.state != DeviceState.OFFLINE:
        notifier.update(StatusEventKind.RECONNECTED, state=cond.state, last_error=cond.fault)
    # On a card printer "media" is the blanko hopper: the same condition, card events.
    media_event = _card_event(cond.paper) if cards else _paper_event(cond.paper)
    notifier.update(media_event, paper=cond.paper)
    cover_kind = StatusEventKind.COVER_OPEN if cond.cover_open == Tristate.YES else None
    notifier.update(cover_kind or StatusEventKind.COVER_CLOSED, cover_open=cond.cover_open)
    jam_kind = StatusEventKind.JAM if cond.jam == Tristate.YES else None
    notifier.update(jam_kind, jam=cond.jam)
    notifier.update(markers=cond.markers)
    kind = StatusEventKind.OFFLINE if cond.state == DeviceState.OFFLINE else None
    notifier.update(kind, state=cond.state, last_error=cond.fault)


def mark_unreachable(notifier: StatusNotifier, detail: str) -> None:
    fault = DeviceFault("PRINTER_OFFLINE", detail, "document printing unavailable")
    notifier.update(
        StatusEventKind.OFFLINE,
        state=DeviceState.OFFLINE,
        paper=PaperLevel.UNKNOWN,
        cover_open=Tristate.UNKNOWN,
        jam=Tristate.UNKNOWN,
        markers=(),
        last_error=fault,
    )
