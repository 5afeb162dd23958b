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
    return PrinterConditions(state, paper, cover, jam, fault, reasons, accepting, message)


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
        last_error=fault,
    )
