"""Technician mode without Qt: the session (PIN, lockout, re-authentication) and its actions.

``HealthLevel`` and ``MAX_BLANKO_STOCK`` are the device layer's, passed on here so that screens
need not import ``devices`` (the import contract allows that only to the simulator and demo).
"""

from devices.model import HealthLevel
from devices.printers.blanko import MAX_STOCK as MAX_BLANKO_STOCK
from kiosk.technician.actions import ActionError, PrintResult, TechnicianActions, TestPrint
from kiosk.technician.session import (
    NotAuthorized,
    PinOutcome,
    TechEvent,
    TechnicianSession,
    TechState,
)

__all__ = [
    "MAX_BLANKO_STOCK",
    "ActionError",
    "HealthLevel",
    "NotAuthorized",
    "PinOutcome",
    "PrintResult",
    "TechEvent",
    "TechState",
    "TechnicianActions",
    "TechnicianSession",
    "TestPrint",
]
