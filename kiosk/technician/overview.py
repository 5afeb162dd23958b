"""The technician's overview of every device: state, conditions, supplies, last error.

Read from memory (the device manager's snapshot, :class:`LastErrors`): no I/O, so the status
page may read it on its own thread as status events arrive. Conditions are keys the screen
translates; nothing here is worded for anyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from devices.ports import Device
from kiosk.technician.device_errors import LastError
from kiosk.technician.supplies import Supply, supplies

# status field -> the values worth a look, as condition keys
_CONDITIONS: dict[str, dict[str, str]] = {
    "paper": {"near_end": "paper_near_end", "out": "paper_out"},
    "cards": {"low": "cards_low", "out": "cards_out"},
    "cover_open": {"yes": "cover_open"},
    "jam": {"yes": "jam"},
    "camera_lost": {"yes": "camera_lost"},
}


@dataclass(frozen=True, slots=True)
class DeviceOverview:
    name: str  # the configured name: camera, receipt, document, card, ...
    kind: str
    state: str  # closed, idle, busy, error, offline
    conditions: tuple[str, ...]  # e.g. ("paper_out", "cover_open")
    supplies: tuple[Supply, ...]
    last_error: LastError | None


class DeviceSource(Protocol):
    """The device manager as the overview reads it (:class:`devices.manager.DeviceManager`)."""

    def get(self, name: str) -> Device | None: ...
    def snapshot(self) -> Mapping[str, Mapping[str, object]]: ...


class ErrorSource(Protocol):
    def get(self, device: str) -> LastError | None: ...


def conditions(status: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(
        key
        for field, values in _CONDITIONS.items()
        if (key := values.get(str(status.get(field)))) is not None
    )


def _low_thresholds(device: Device | None) -> dict[str, int]:
    blanko = getattr(device, "blanko", None)
    if not callable(blanko):
        return {}
    _, low = blanko()
    return {"blanko": int(low)}


def device_overview(devices: DeviceSource, errors: ErrorSource) -> list[DeviceOverview]:
    rows = []
    for name, info in devices.snapshot().items():
        status = info.get("status")
        status = status if isinstance(status, Mapping) else {}
        rows.append(
            DeviceOverview(
                name=name,
                kind=str(info.get("kind", "")),
                state=str(status.get("state", "unknown")),
                conditions=conditions(status),
                supplies=tuple(supplies(name, info, _low_thresholds(devices.get(name)))),
                last_error=errors.get(name),
            )
        )
    return rows
