"""Wire models of the registry API v1 (DESIGN section 4) and the client's typed results.

The simulator answers with these same models (so its OpenAPI document is the contract) and the
client validates every response against them. Identifiers and proofs are constrained to short
printable forms: a hostile response cannot smuggle a megabyte string or control characters
into a log line or a screen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from kiosk.domain.documents import DocumentType

ID_PATTERN = r"^[A-Za-z0-9_\-]{1,64}$"
PROOF_PATTERN = r"^[A-Za-z0-9_\-.]{1,512}$"
MASKED_PATTERN = r"^[A-Z0-9*' .\-]+$"  # a masked name: first letters and stars
PIN_PATTERN = r"^[0-9]{6}$"
NIK_PATTERN = r"^[0-9]{16}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
CONFIG_TOKEN_PATTERN = r"^ADMCFG1\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+$"  # noqa: S105
CONFIG_TOKEN_MAX = 32 * 1024  # kiosk.domain.signed_config.MAX_CONFIG_BYTES
RELATION_PATTERN = r"^[A-Z][A-Z ]{0,31}$"  # a word of the KK: "ANAK", "KEPALA KELUARGA"


class _Wire(BaseModel):
    """Responses: unknown extra fields are ignored (forward compatible), known ones are strict."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- requests -------------------------------------------------------------------------------


class VerifyRequest(_Request):
    token: str = Field(min_length=1, max_length=2048)
    pin: str = Field(pattern=PIN_PATTERN)


class IdentifyRequest(_Request):
    """The ready vouchers of a citizen, named by NIK or by any voucher token of theirs (the token
    names its holder even after that voucher was printed: a family's later documents)."""

    nik: str | None = Field(None, pattern=NIK_PATTERN)
    token: str | None = Field(None, min_length=1, max_length=2048)
    pin: str = Field(pattern=PIN_PATTERN)

    @model_validator(mode="after")
    def _one_name(self) -> IdentifyRequest:
        if (self.nik is None) == (self.token is None):
            raise ValueError("name the citizen by nik or by token, not both")
        return self


class ReserveRequest(_Request):
    verification: str = Field(min_length=1, max_length=512)


class CommitRequest(_Request):
    pdf_sha256: str = Field(pattern=SHA256_PATTERN, description="SHA-256 of the printed PDF, hex")
    pages: int = Field(ge=1, le=500, description="Pages (or cards) printed, count")
    printer: str = Field(min_length=1, max_length=128, description="Printer name")


class PrintingRequest(_Request):
    """The kiosk is about to send this document to a printer: hold the voucher until commit or
    release (the lease no longer expires on its own)."""

    pdf_sha256: str = Field(pattern=SHA256_PATTERN, description="SHA-256 of the PDF to print, hex")
    pages: int = Field(ge=1, le=500, description="Pages (or cards) to print, count")
    printer: str = Field(min_length=1, max_length=128, description="Printer name")


class ReleaseRequest(_Request):
    reason: str = Field(min_length=1, max_length=200, description="Why printing failed")


# --- responses ------------------------------------------------------------------------------


class HealthResponse(_Wire):
    status: Literal["ok"]
    server_time: AwareDatetime
    version: str = Field(max_length=32)


class Verified(_Wire):
    """A voucher whose PIN the registry accepted, with the proof that reserve requires."""

    vid: str = Field(pattern=ID_PATTERN)
    doc: DocumentType
    holder_masked: str = Field(min_length=1, max_length=64, pattern=MASKED_PATTERN)
    # Whom the document is about, when that is not the holder (a child's akta or KIA).
    subject_masked: str | None = Field(None, min_length=1, max_length=64, pattern=MASKED_PATTERN)
    # What tells a family's documents apart, minimal: the relation in the family of the person
    # the document is about (the KK's word) and their birth year. Optional (older registries).
    relation: str | None = Field(None, pattern=RELATION_PATTERN)
    birth_year: int | None = Field(None, ge=1850, le=2200)
    expires: AwareDatetime
    verification: str = Field(pattern=PROOF_PATTERN)


class VerifyResponse(Verified):
    """A verified voucher and the holder's other ready vouchers (the PIN is the citizen's),
    each with its own proof: a family prints them in one visit without the PIN again."""

    others: list[Verified] = Field(default_factory=list, max_length=100)


class IdentifyResponse(_Wire):
    vouchers: list[Verified] = Field(max_length=100)


class Reservation(_Wire):
    """The lease on a voucher, with the document envelope to render (printing validates it)."""

    rid: str = Field(pattern=ID_PATTERN)
    vid: str = Field(pattern=ID_PATTERN)
    doc: DocumentType
    lease_expires: AwareDatetime
    document: dict[str, Any]


class CommitResponse(_Wire):
    rid: str = Field(pattern=ID_PATTERN)
    vid: str = Field(pattern=ID_PATTERN)
    status: Literal["committed"]
    committed_at: AwareDatetime


class PrintingResponse(_Wire):
    """The printing hold: from ``since`` only a commit or a release ends the reservation."""

    rid: str = Field(pattern=ID_PATTERN)
    vid: str = Field(pattern=ID_PATTERN)
    status: Literal["printing"]
    since: AwareDatetime


class ReleaseResponse(_Wire):
    rid: str = Field(pattern=ID_PATTERN)
    vid: str = Field(pattern=ID_PATTERN)
    status: Literal["released"]


class FleetCommand(_Wire):
    """A command for the kiosk riding the heartbeat's answer (diagnostics, logs_summary)."""

    id: str = Field(pattern=ID_PATTERN)
    kind: str = Field(pattern=r"^[a-z_]{1,32}$", description="unknown kinds are reported back")


class HeartbeatAnswer(_Wire):
    """The heartbeat's 200 answer: a signed config revision and/or commands (204: nothing)."""

    config: str | None = Field(
        default=None, max_length=CONFIG_TOKEN_MAX, pattern=CONFIG_TOKEN_PATTERN
    )
    commands: list[FleetCommand] = Field(default_factory=list, max_length=10)


class AuditHeadWire(BaseModel):
    """The audit chain's head as a heartbeat carries it: ``entries`` lines, last ``head`` hash."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    entries: int = Field(ge=0, le=10**12, description="Entries in the kiosk's audit log, count")
    head: str = Field(pattern=SHA256_PATTERN, description="Hash of the last entry, hex")


class AuditHeadRecord(_Wire):
    """The head the registry last kept for this kiosk (``GET /v1/kiosks/{id}/audit-head``)."""

    entries: int = Field(ge=0, le=10**12)
    head: str = Field(pattern=SHA256_PATTERN)
    recorded_at: AwareDatetime
    # Set when a later heartbeat reported fewer entries, or another hash for the same count:
    # the registry kept the earlier (longer) head and says what it was sent.
    conflict: str | None = Field(default=None, max_length=300)


class ErrorDetail(_Wire):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[a-z_]+$")
    message: str = Field(max_length=500)
    attempts_left: int | None = Field(default=None, ge=0, le=100)
    locked_until: AwareDatetime | None = None
    retry_after_s: float | None = Field(default=None, ge=0, le=86_400)


class ErrorResponse(_Wire):
    error: ErrorDetail


# --- client results -------------------------------------------------------------------------


class Health(BaseModel):
    """Reachability: the server's clock, our skew against it, and the round trip."""

    model_config = ConfigDict(frozen=True)

    server_time: datetime
    clock_skew_s: float = Field(description="server clock minus ours, seconds")
    latency_ms: float = Field(description="round trip of the health call, ms")
