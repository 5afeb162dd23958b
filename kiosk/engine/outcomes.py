"""How a print attempt ended, and the citizen-facing error codes with their next steps.

Codes are message keys (the UI's catalog has them in id and en); the technician reference is
the journal's transaction id (or a short random reference when nothing was journaled).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from kiosk.registry.errors import (
    AlreadyPrinted,
    Expired,
    InvalidRequest,
    InvalidToken,
    Locked,
    NotFound,
    ProofRejected,
    RateLimited,
    RegistryError,
    ReservedElsewhere,
    Unauthorized,
    Unavailable,
    WrongPin,
)


class TxOutcome(StrEnum):
    PRINTED = "printed"  # paper out; the commit is sent or queued in the outbox
    RELEASED = "released"  # nothing printed; the voucher is (or will be) ready again
    SUSPECT = "suspect"  # outcome unknown; a technician decides
    FAILED = "failed"  # nothing reserved (registry refused, unreachable, bad voucher)


class NextStep(StrEnum):
    TAKE_QUEUE_TICKET = "take_queue_ticket"
    TRY_AGAIN = "try_again"
    TRY_LATER = "try_later"
    CONTACT_OFFICER = "contact_officer"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class UserError:
    code: str
    next_step: NextStep


@dataclass(frozen=True, slots=True)
class TxResult:
    outcome: TxOutcome
    txid: str | None
    error: UserError | None = None
    pages: int = 0
    render_ms: float = 0.0
    print_ms: float = 0.0

    @property
    def reference(self) -> str:
        return self.txid or new_reference()

    @property
    def label(self) -> str:
        """What ``kiosk session`` prints: printed / released / suspect / the error code."""
        if self.outcome is TxOutcome.FAILED and self.error is not None:
            return self.error.code
        return self.outcome.value


def new_reference() -> str:
    return "R" + uuid.uuid4().hex[:8].upper()


def survey_reference() -> str:
    """The id a survey answer about a kiosk session is sent under (the office keeps one answer
    per id). Random, never the print's txid or the error's reference: the survey promises that
    an answer cannot be traced back to the citizen, and the journal links a txid to a voucher."""
    return "S" + uuid.uuid4().hex[:16].upper()


_REGISTRY_CODES: tuple[tuple[type[RegistryError], str, NextStep], ...] = (
    (WrongPin, "PIN_WRONG", NextStep.TRY_AGAIN),
    (Locked, "VOUCHER_LOCKED", NextStep.CONTACT_OFFICER),
    (AlreadyPrinted, "VOUCHER_ALREADY_PRINTED", NextStep.CONTACT_OFFICER),
    (ReservedElsewhere, "VOUCHER_IN_USE", NextStep.TRY_LATER),
    (Expired, "VOUCHER_EXPIRED", NextStep.CONTACT_OFFICER),
    (NotFound, "VOUCHER_NOT_FOUND", NextStep.CONTACT_OFFICER),
    (InvalidToken, "VOUCHER_INVALID", NextStep.CONTACT_OFFICER),
    (ProofRejected, "SESSION_EXPIRED", NextStep.TRY_AGAIN),
    (RateLimited, "REGISTRY_BUSY", NextStep.TRY_LATER),
    (Unavailable, "REGISTRY_UNAVAILABLE", NextStep.TAKE_QUEUE_TICKET),
    (Unauthorized, "KIOSK_NOT_AUTHORISED", NextStep.CONTACT_OFFICER),
    (InvalidRequest, "KIOSK_ERROR", NextStep.CONTACT_OFFICER),
)


def registry_error(exc: RegistryError) -> UserError:
    for cls, code, step in _REGISTRY_CODES:
        if isinstance(exc, cls):
            return UserError(code, step)
    return UserError("REGISTRY_ERROR", NextStep.CONTACT_OFFICER)


def printer_error(fault_code: str | None) -> UserError:
    """A printer fault before paper came out: the voucher is released; go to the counter."""
    code = fault_code if fault_code and fault_code.isupper() else "PRINTER_UNAVAILABLE"
    return UserError(code, NextStep.TAKE_QUEUE_TICKET)


def hold_error(exc: RegistryError) -> UserError:
    """The registry refused (or did not answer) the printing hold: nothing was printed."""
    if isinstance(exc, Expired | NotFound):  # the lease ran out before the print
        return UserError("SESSION_EXPIRED", NextStep.TRY_AGAIN)
    return registry_error(exc)


PRINT_UNKNOWN = UserError("PRINT_OUTCOME_UNKNOWN", NextStep.CONTACT_OFFICER)
DOCUMENT_INVALID = UserError("DOCUMENT_DATA_INVALID", NextStep.CONTACT_OFFICER)
# This kiosk's journal holds the voucher as SUSPECT or CONFLICT: a technician looks first.
UNDER_REVIEW = UserError("VOUCHER_UNDER_REVIEW", NextStep.CONTACT_OFFICER)
# This kiosk's journal holds an unfinished transaction of the voucher (a commit or release owed).
IN_FLIGHT = UserError("VOUCHER_IN_USE", NextStep.TRY_LATER)
# The journal cannot be written (disk full or failing): nothing is printed.
STORAGE_FULL = UserError("KIOSK_STORAGE_FULL", NextStep.CONTACT_OFFICER)
