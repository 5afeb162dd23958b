"""The technician's overview without Qt: supplies read generically, last errors with times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from devices.model import (
    DeviceFault,
    DeviceState,
    DeviceStatus,
    PaperLevel,
    StatusEvent,
    StatusEventKind,
    Tristate,
)
from kiosk.technician.device_errors import LastErrors
from kiosk.technician.overview import conditions
from kiosk.technician.supplies import Supply, supplies

T0 = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)


def event(device: str, at: datetime, **status: object) -> StatusEvent:
    return StatusEvent(device, StatusEventKind.STATE_CHANGED, DeviceStatus(**status), at)  # type: ignore[arg-type]


def test_supplies_come_from_status_levels_counts_and_any_level_statistic() -> None:
    info = {
        "kind": "document",
        "status": {"paper": "near_end", "cards": "unknown"},
        "statistics": {
            "pages": 120,
            "hours_powered": 3.5,
            "marker_level_black": 42,  # CUPS marker-levels, however a driver names them
            "toner_level_pct": 7,
            "marker_level_cyan": -3,  # IPP: unknown, but some left
            "ribbon_level": -1,  # unknown
        },
    }
    assert supplies("document", info) == [
        Supply("document", "paper", level="near_end"),
        Supply("document", "black", percent=42),
        Supply("document", "cyan", some_left=True),
        Supply("document", "ribbon"),
        Supply("document", "toner", percent=7),
    ]
    card = {
        "kind": "card",
        "status": {"paper": "ok", "cards": "low"},
        "statistics": {"blanko_left": 9.0},
    }
    assert supplies("card", card, {"blanko": 10}) == [
        Supply("card", "paper", level="ok"),
        Supply("card", "cards", level="low"),
        Supply("card", "blanko", count=9, low_at=10),
    ]
    assert supplies("camera", {"kind": "camera", "status": {"paper": "unknown"}}) == []


def test_conditions_name_what_stops_or_threatens_a_device() -> None:
    status = DeviceStatus(paper=PaperLevel.OUT, cover_open=Tristate.YES).to_dict()
    assert conditions(status) == ("paper_out", "cover_open")
    assert conditions(DeviceStatus(state=DeviceState.IDLE).to_dict()) == ()


def test_the_last_error_outlives_the_recovery_and_keeps_when_it_started() -> None:
    errors = LastErrors()
    jam = DeviceFault("PRINTER_JAM", "paper jammed at the fuser")
    errors.record(event("document", T0, state=DeviceState.ERROR, last_error=jam))
    errors.record(
        event("document", T0 + timedelta(minutes=1), state=DeviceState.ERROR, last_error=jam)
    )
    errors.record(event("document", T0 + timedelta(minutes=2), state=DeviceState.IDLE))  # cleared
    last = errors.get("document")
    assert last is not None and (last.fault, last.at) == (jam, T0)  # the first moment, kept
    errors.record(event("receipt", T0 + timedelta(hours=1), paper=PaperLevel.OUT))
    receipt = errors.get("receipt")
    assert receipt is not None and receipt.fault.code == "PRINTER_PAPER_OUT"
    assert receipt.at == T0 + timedelta(hours=1)
    errors.record(event("camera", T0, state=DeviceState.OFFLINE))
    assert errors.get("camera").fault.code == "DEVICE_OFFLINE"  # type: ignore[union-attr]
    errors.record(event("card", T0, state=DeviceState.IDLE, paper=PaperLevel.OK))
    assert errors.get("card") is None


def test_watch_records_the_present_then_every_event() -> None:
    listeners = []

    class Source:
        def subscribe(self, listener):  # type: ignore[no-untyped-def]
            listeners.append(listener)
            return lambda: listeners.remove(listener)

    errors = LastErrors()
    stop = errors.watch(Source(), [event("receipt", T0, cover_open=Tristate.YES)])
    assert errors.get("receipt").fault.code == "PRINTER_COVER_OPEN"  # type: ignore[union-attr]
    listeners[0](event("document", T0, paper=PaperLevel.OUT))
    assert errors.get("document") is not None
    stop()
    assert listeners == []
