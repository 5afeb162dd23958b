"""Technician mode without Qt: the session (PIN, lockout, re-authentication) and its actions."""

from kiosk.technician.actions import ActionError, PrintResult, TechnicianActions, TestPrint
from kiosk.technician.session import (
    NotAuthorized,
    PinOutcome,
    TechEvent,
    TechnicianSession,
    TechState,
)

__all__ = [
    "ActionError",
    "NotAuthorized",
    "PinOutcome",
    "PrintResult",
    "TechEvent",
    "TechState",
    "TechnicianActions",
    "TechnicianSession",
    "TestPrint",
]
