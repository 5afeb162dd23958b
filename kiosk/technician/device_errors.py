"""Each device's last error and when it happened, for the technician's status page.

A driver clears ``last_error`` when the device recovers (paper loaded, cable back), so the
status alone forgets what went wrong an hour ago. :class:`LastErrors` listens to the device
manager's status events from the kiosk's start and keeps, per device, the last fault seen with
the moment of the event that carried it: the driver's ``last_error``, or a condition that stops
the device (paper out, cover open, jam, no cards, camera lost, offline) under its fault code.
In memory: the technician log has the history.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from devices.model import (
    CardLevel,
    DeviceFault,
    DeviceState,
    DeviceStatus,
    PaperLevel,
    StatusEvent,
    Tristate,
)


@dataclass(frozen=True, slots=True)
class LastError:
    device: str
    fault: DeviceFault
    at: datetime  # aware (UTC)


def stopping_condition(status: DeviceStatus) -> DeviceFault | None:
    """The condition that stops the device now, as a fault (None: nothing stops it)."""
    found = [code for field, value, code in _STOPPERS if getattr(status, field) == value]
    if not found:
        return None
    return DeviceFault(found[0], "reported by the device's status", "")


_STOPPERS = (
    ("paper", PaperLevel.OUT, "PRINTER_PAPER_OUT"),
    ("cover_open", Tristate.YES, "PRINTER_COVER_OPEN"),
    ("jam", Tristate.YES, "PRINTER_JAM"),
    ("cards", CardLevel.OUT, "CARD_BLANKO_OUT"),
    ("camera_lost", Tristate.YES, "CAMERA_LOST"),
    ("state", DeviceState.OFFLINE, "DEVICE_OFFLINE"),
    ("state", DeviceState.ERROR, "DEVICE_ERROR"),
)


class StatusSource(Protocol):
    def subscribe(self, listener: Callable[[StatusEvent], None]) -> Callable[[], None]: ...


class LastErrors:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, LastError] = {}

    def watch(
        self, source: StatusSource, current: Iterable[StatusEvent] = ()
    ) -> Callable[[], None]:
        """Record ``current`` statuses (the devices as they are now), then every event of
        ``source``; returns the unsubscribe function."""
        for event in current:
            self.record(event)
        return source.subscribe(self.record)

    def record(self, event: StatusEvent) -> None:
        fault = event.status.last_error or stopping_condition(event.status)
        if fault is None:
            return
        with self._lock:
            known = self._last.get(event.device)
            if known is not None and known.fault == fault:
                return  # the same fault, still standing: keep when it started
            self._last[event.device] = LastError(event.device, fault, event.at)

    def get(self, device: str) -> LastError | None:
        with self._lock:
            return self._last.get(device)

    def snapshot(self) -> dict[str, LastError]:
        with self._lock:
            return dict(self._last)
