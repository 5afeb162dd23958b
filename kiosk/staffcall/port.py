"""The staff-call port: what a call is, and what a place that receives calls must do.

A call carries no personal data: the kiosk, the screen the citizen was on, the kind and the
time. Its :meth:`StaffCall.alert_body` is the office queue server's ``POST /v1/alerts`` body
(DESIGN section 5), so an office sink only has to send it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class StaffCallKind(StrEnum):
    HELP = "help"  # the citizen pressed "Panggil petugas"


@dataclass(frozen=True, slots=True)
class StaffCall:
    call_id: str  # short random reference, e.g. "SC-7F3A21", in the log and on the audit line
    kind: StaffCallKind
    kiosk: str  # the kiosk's id (config kiosk.id)
    screen: str  # the Screen value the citizen was on, e.g. "pin"
    at: datetime  # aware

    def alert_body(self) -> dict[str, str]:
        """The ``POST /v1/alerts`` body: ``{kind, kiosk, screen}``."""
        return {"kind": self.kind.value, "kiosk": self.kiosk, "screen": self.screen}


class StaffCallUndelivered(Exception):
    """A sink could not deliver a call (office server unreachable, refused, disk full)."""


class StaffCallSink(Protocol):
    """A place staff calls go to. ``deliver`` may block (it runs on the caller's worker) and
    raises :class:`StaffCallUndelivered` when the call did not arrive."""

    @property
    def name(self) -> str:
        """Short label for logs and metrics, e.g. ``technician_log``, ``office``."""
        ...

    def deliver(self, call: StaffCall) -> None: ...
