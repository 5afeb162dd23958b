"""The registry API v1 client (DESIGN section 4): typed results, typed errors, one deadline."""

from kiosk.registry.client import RegistryClient
from kiosk.registry.errors import (
    AlreadyPrinted,
    BadResponse,
    Expired,
    InvalidRequest,
    InvalidToken,
    Locked,
    NotFound,
    ProofRejected,
    RateLimited,
    RegistryError,
    ReservedElsewhere,
    Timeout,
    Unauthorized,
    Unavailable,
    WrongPin,
)
from kiosk.registry.models import Health, PrintingResponse, Reservation, Verified

__all__ = [
    "AlreadyPrinted",
    "BadResponse",
    "Expired",
    "Health",
    "InvalidRequest",
    "InvalidToken",
    "Locked",
    "NotFound",
    "PrintingResponse",
    "ProofRejected",
    "RateLimited",
    "RegistryClient",
    "RegistryError",
    "Reservation",
    "ReservedElsewhere",
    "Timeout",
    "Unauthorized",
    "Unavailable",
    "Verified",
    "WrongPin",
]
