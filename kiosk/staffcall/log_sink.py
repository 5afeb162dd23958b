"""The sink every kiosk has: a precise technician log line and an audit entry per call."""

from __future__ import annotations

import logging
from typing import Protocol

from kiosk.staffcall.port import StaffCall, StaffCallUndelivered

log = logging.getLogger(__name__)


class Auditor(Protocol):
    def append(self, event: str, **fields: object) -> object: ...


class TechnicianLogSink:
    name = "technician_log"

    def __init__(self, audit: Auditor) -> None:
        self._audit = audit

    def deliver(self, call: StaffCall) -> None:
        log.warning(
            "staff call %s: a citizen asks for help at kiosk %s on screen %s (%s)",
            call.call_id,
            call.kiosk,
            call.screen,
            call.at.isoformat(timespec="seconds"),
        )
        try:
            self._audit.append(
                "staff_call",
                call=call.call_id,
                kind=call.kind.value,
                kiosk=call.kiosk,
                screen=call.screen,
            )
        except Exception as exc:  # disk full, audit refused: the log line above still stands
            raise StaffCallUndelivered(f"audit entry not written: {type(exc).__name__}") from exc
