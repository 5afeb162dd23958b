"""The configuration tree. Every field states its unit; paths are relative to the config file."""

from __future__ import annotations

import ipaddress
import re
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KioskIdentity(_Model):
    id: str = Field(min_length=1, max_length=64, description="Kiosk id, as known to the registry")
    name: str = Field(min_length=1, description="Name shown on screen and tickets")
    office: str = Field(min_length=1, description="Office (e.g. 'Kantor Kecamatan Cibinong')")
    kecamatan: str = Field(min_length=1, description="District (kecamatan) of the office")
    kabupaten: str = Field(default="", description="Regency or city of the office")
    provinsi: str = Field(default="", description="Province of the office")
    timezone: str = Field(
        default="Asia/Jakarta",
        description="IANA time zone of the office: Asia/Jakarta, Asia/Makassar, Asia/Jayapura",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class RegistrySettings(_Model):
    url: str = Field(description="Base URL of the registry API, e.g. https://registry.example/")
    kiosk_id: str = Field(min_length=1, description="Sent as X-Kiosk-Id")
    key_file: Path = Field(description="File holding this kiosk's bearer key (one line)")
    ca_file: Path | None = Field(default=None, description="CA bundle (PEM) to verify the server")
    client_cert: Path | None = Field(default=None, description="Client certificate (PEM) for mTLS")
    client_key: Path | None = Field(default=None, description="Client private key (PEM) for mTLS")
    timeout_ms: int = Field(default=8000, gt=0, description="Overall deadline per call, ms")
    connect_timeout_ms: int = Field(default=2000, gt=0, description="TCP/TLS connect timeout, ms")
    retries: int = Field(default=2, ge=0, le=10, description="Retries for safe calls (count)")
    max_response_bytes: int = Field(
        default=1_000_000, gt=0, description="Largest accepted response body, bytes"
    )
    heartbeat_interval_s: int = Field(default=60, gt=0, description="Heartbeat period, seconds")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", value):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _mtls_pair(self) -> RegistrySettings:
        if (self.client_cert is None) != (self.client_key is None):
            raise ValueError("client_cert and client_key go together")
        return self


class VoucherSettings(_Model):
    keys: dict[str, str] = Field(
        description="Voucher public keys by kid: base64url of the raw 32-byte Ed25519 key"
    )
    clock_skew_s: int = Field(default=120, ge=0, le=3600, description="Allowed skew, seconds")
    claim_keys: dict[str, str] = Field(
        default_factory=dict,
        description="Public keys of the verification QR printed on documents (ADMDOC1), by kid: "
        "base64url of the raw 32-byte Ed25519 key. Required in production; in simulator mode "
        "an empty table means the voucher keys",
    )

    @field_validator("keys")
    @classmethod
    def _valid_keys(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("at least one voucher key is needed")
        return _public_keys(value)

    @field_validator("claim_keys")
    @classmethod
    def _valid_claim_keys(cls, value: dict[str, str]) -> dict[str, str]:
        return _public_keys(value)


def _public_keys(value: dict[str, str]) -> dict[str, str]:
    from kiosk.domain.voucher import public_key_from_text

    for kid, text in value.items():
        try:
            public_key_from_text(text)
        except ValueError as exc:
            raise ValueError(f"key {kid!r}: {exc}") from None
    return value


class DeviceConfig(_Model):
    driver: str = Field(description="Driver name from the driver registry, e.g. 'sim'")
    enabled: bool = Field(default=True, description="A disabled device is not opened")
    settings: dict[str, Any] = Field(
        default_factory=dict, description="Driver settings, validated by the driver's own model"
    )


class DevicesSettings(_Model):
    camera: DeviceConfig | None = None
    code_reader: DeviceConfig | None = None
    receipt: DeviceConfig | None = None
    document: DeviceConfig | None = None
    card: DeviceConfig | None = None
    scanners: dict[str, DeviceConfig] = Field(
        default_factory=dict,
        description="Whole-code scanners by device name (HID keyboard wedge, serial), "
        "e.g. [devices.scanners.wedge]",
    )

    @field_validator("scanners")
    @classmethod
    def _scanner_names(cls, value: dict[str, DeviceConfig]) -> dict[str, DeviceConfig]:
        slots = {"camera", "code_reader", "receipt", "document", "card"}
        for name in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", name) or name in slots:
                raise ValueError(
                    f"scanner name {name!r}: lower-case letters, digits and _, "
                    "at most 32, and not a device slot's name"
                )
        return value


class UISettings(_Model):
    languages: list[Literal["id", "en"]] = Field(
        default=["id", "en"], description="Languages offered; the first is the default"
    )
    inactivity_warn_s: int = Field(default=60, gt=0, description="Idle time before the warning, s")
    inactivity_wipe_s: int = Field(default=10, gt=0, description="Warning countdown, seconds")
    session_cap_s: int = Field(default=600, gt=0, description="Hard cap on one session, seconds")
    fullscreen: bool = Field(default=True, description="Frameless full screen (off for dev)")
    orientation: Literal["landscape", "portrait"] = "landscape"
    speech: bool = Field(default=True, description="Spoken prompts (espeak-ng, played by aplay)")
    audio_device: str = Field(
        default="default", min_length=1, description="ALSA device for aplay -D (e.g. 'default')"
    )
    speech_rate_wpm: int = Field(
        default=150, ge=80, le=260, description="Speaking rate, words per minute"
    )


class QueueService(_Model):
    code: str = Field(pattern=r"^[A-Z]$", description="Letter prefix of its numbers (A-042)")
    name_id: str = Field(min_length=1, description="Service name in Bahasa Indonesia")
    name_en: str = Field(min_length=1, description="Service name in English")
    agency: str = Field(default="Dukcapil", description="Agency serving it")
    opens: time = Field(default=time(8, 0), description="Opening time, office local time")
    closes: time = Field(default=time(15, 0), description="Closing time, office local time")
    days: list[int] = Field(
        default=[1, 2, 3, 4, 5], description="ISO weekdays open (1 = Monday ... 7 = Sunday)"
    )
    daily_quota: int = Field(default=200, gt=0, description="Tickets per day (count)")
    priority_allowed: bool = Field(
        default=True, description="Priority tickets (elderly, disabled, pregnant) allowed"
    )
    requirements: list[str] = Field(
        default_factory=list, description="Persyaratan: what to bring, one item per entry"
    )
    fee_rp: int = Field(default=0, ge=0, description="Fee in rupiah (most services: 0)")
    sla_minutes: int | None = Field(
        default=None, gt=0, description="Service-time promise (maklumat pelayanan), minutes"
    )
    booking_capacity: int = Field(
        default=0, ge=0, description="Online bookings per slot (count); 0 = no online booking"
    )
    slot_minutes: int = Field(
        default=30, gt=0, le=240, description="Length of a booking slot from opening time, min"
    )
    requirements_en: list[str] = Field(
        default_factory=list,
        description="The requirements in English, item by item (empty: the Indonesian ones)",
    )

    @model_validator(mode="after")
    def _hours(self) -> QueueService:
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            # pydantic reads a number as a UTC time; comparing it with a local one would raise
            raise ValueError("opens and closes are office local times, without an offset")
        if self.closes <= self.opens:
            raise ValueError("closes must be after opens")
        if not self.days or any(d < 1 or d > 7 for d in self.days):
            raise ValueError("days are ISO weekdays 1-7")
        return self


class QueueCounter(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$", description="Counter id (loket-3)")
    number: int = Field(ge=1, le=999, description="Number shown and spoken (loket 3)")
    agency: str = Field(default="Dukcapil", description="Agency staffing it")
    services: list[str] = Field(min_length=1, description="Service codes it calls")
    pin_hash: str = Field(
        default="", description="Staff PIN, scrypt$... (kiosk technician hash-pin); empty = none"
    )


class QueueSettings(_Model):
    services: list[QueueService] = Field(default_factory=list)
    ticket_width_mm: Literal[58, 80] = Field(default=80, description="Ticket paper width, mm")
    priority_every_n: int = Field(
        default=3, ge=1, le=50, description="Regular tickets called between priority ones (count)"
    )
    counters: list[QueueCounter] = Field(default_factory=list)
    checkin_early_min: int = Field(
        default=60, ge=0, le=480, description="Booking check-in opens this long before the slot"
    )
    checkin_late_min: int = Field(
        default=15, ge=0, le=240, description="Booking check-in closes this long after slot start"
    )
    booking_days_ahead: int = Field(
        default=14, ge=0, le=90, description="How far ahead a slot may be booked, days"
    )
    pin_max_attempts: int = Field(default=5, gt=0, description="Wrong counter PINs before lockout")
    pin_lockout_s: int = Field(default=900, gt=0, description="Counter PIN lockout, seconds")
    session_hours: int = Field(default=12, gt=0, le=24, description="Counter sign-in lasts, h")

    @model_validator(mode="after")
    def _unique_codes(self) -> QueueSettings:
        codes = [s.code for s in self.services]
        if len(codes) != len(set(codes)):
            raise ValueError("service codes must be unique")
        ids = [c.id for c in self.counters]
        numbers = [c.number for c in self.counters]
        if len(ids) != len(set(ids)) or len(numbers) != len(set(numbers)):
            raise ValueError("counter ids and numbers must be unique")
        for counter in self.counters:
            unknown = sorted(set(counter.services) - set(codes))
            if unknown:
                raise ValueError(f"counter {counter.id}: unknown services {unknown}")
        return self


class KioskQueueSettings(QueueSettings):
    """A kiosk's ``[queue]``: its own services (stand-alone, an embedded SQLite queue), or the
    office queue server it issues through (``server``; the services then come from there)."""

    server: str | None = Field(
        default=None,
        description="Office queue server base URL (http://queue-host:8780); unset = this kiosk "
        "keeps its own queue",
    )
    client_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_.-]{1,64}$",
        description="X-Client-Id at the queue server; default: kiosk.id",
    )
    key_file: Path | None = Field(
        default=None, description="File holding this kiosk's queue-server key (one line)"
    )
    timeout_ms: int = Field(
        default=4000, gt=0, le=30_000, description="One deadline per queue-server call, ms"
    )
    booking_keys: dict[str, str] = Field(
        default_factory=dict,
        description="Booking QR public keys by kid (base64url raw Ed25519, logged by the "
        "server at start); when set, a QR no key verifies is refused without a network call",
    )

    @field_validator("server")
    @classmethod
    def _server_url(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^\s/]+/?", value):
            raise ValueError("must be http(s)://HOST[:PORT]")
        return None if value is None else value.rstrip("/")

    @field_validator("booking_keys")
    @classmethod
    def _valid_booking_keys(cls, value: dict[str, str]) -> dict[str, str]:
        return _public_keys(value)

    @model_validator(mode="after")
    def _server_key(self) -> KioskQueueSettings:
        if self.server is not None and self.key_file is None:
            raise ValueError("key_file is required with server")
        return self


_PRINT_REQUIREMENTS = (
    [
        "Kode QR cetak dari Dukcapil (SMS, WhatsApp atau email), atau NIK",
        "PIN 6 angka yang dikirim bersama kode QR",
    ],
    [
        "The print QR code from Dukcapil (SMS, WhatsApp or e-mail), or the NIK",
        "The 6-digit PIN sent with the QR code",
    ],
)


class DocumentInfo(_Model):
    """What a citizen needs to print one document type at the kiosk (service information)."""

    requirements: list[str] = Field(
        default_factory=lambda: list(_PRINT_REQUIREMENTS[0]),
        description="Persyaratan, one item per entry",
    )
    requirements_en: list[str] = Field(
        default_factory=lambda: list(_PRINT_REQUIREMENTS[1]),
        description="The requirements in English, item by item",
    )
    fee_rp: int = Field(default=0, ge=0, description="Fee in rupiah (Dukcapil documents: 0)")
    sla_minutes: int | None = Field(
        default=5, gt=0, description="Service-time promise at the kiosk, minutes"
    )


def _document_infos() -> dict[str, DocumentInfo]:
    from kiosk.domain.documents import DocumentType

    recorded = (
        "KTP-el sudah direkam (foto, sidik jari) di kantor Dukcapil",
        "The KTP-el recording (photo, fingerprints) is done at a Dukcapil office",
    )
    infos = {doc.value: DocumentInfo() for doc in DocumentType}
    infos[DocumentType.KTP.value] = DocumentInfo(
        requirements=[*_PRINT_REQUIREMENTS[0], recorded[0]],
        requirements_en=[*_PRINT_REQUIREMENTS[1], recorded[1]],
    )
    return infos


class InfoSettings(_Model):
    """Service information (transparency): the complaint channel, and per printable document
    its requirements, fee and service-time promise. Counter services carry theirs in
    [[queue.services]] (requirements, requirements_en, fee_rp, sla_minutes)."""

    complaint: str = Field(
        default="LAPOR! (SP4N): www.lapor.go.id atau SMS 1708. Juga meja pengaduan kantor ini.",
        min_length=1,
        max_length=200,
        description="Where to complain, in Bahasa Indonesia",
    )
    complaint_en: str = Field(
        default="LAPOR! (SP4N): www.lapor.go.id or SMS 1708. Also this office's complaints desk.",
        min_length=1,
        max_length=200,
        description="Where to complain, in English",
    )
    documents: dict[str, DocumentInfo] = Field(
        default_factory=_document_infos, description="By document type (kk, ktp, kia, ...)"
    )

    @field_validator("documents")
    @classmethod
    def _known_documents(cls, value: dict[str, DocumentInfo]) -> dict[str, DocumentInfo]:
        from kiosk.domain.documents import DocumentType

        known = {doc.value for doc in DocumentType}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown document types {unknown}; known: {sorted(known)}")
        return {**_document_infos(), **value}


class HandoverSettings(_Model):
    """Errors that hand over: the counter service that can solve each problem (a queue ticket
    in one tap from the error screen, with the error's reference printed on it)."""

    default: str | None = Field(
        default=None, description="Queue service code for problems without their own entry"
    )
    services: dict[str, str] = Field(
        default_factory=dict,
        description="Error code (VOUCHER_LOCKED, PRINTER_PAPER_OUT, ...) or help topic "
        "(no_code: no QR code or a forgotten PIN) -> queue service code",
    )


class FeedbackSettings(_Model):
    """The satisfaction survey (IKM) after each session."""

    enabled: bool = Field(default=True, description="Ask after each session (skippable)")
    retry_s: float = Field(
        default=60.0,
        ge=1,
        le=3600,
        description="With [queue] server: wait before sending answers again after a failure, s",
    )


class TechnicianSettings(_Model):
    pin_hash: str = Field(
        default="",
        description="scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>; empty disables technician mode",
    )
    max_attempts: int = Field(default=5, gt=0, description="Wrong PINs before lockout (count)")
    lockout_s: int = Field(default=900, gt=0, description="Lockout after too many tries, s")
    reauth_idle_s: int = Field(default=900, gt=0, description="Idle time before re-auth, s")
    allow_exit: bool = Field(default=False, description="Technician may close the kiosk app")


class TelemetrySettings(_Model):
    metrics_enabled: bool = Field(default=True, description="Serve Prometheus metrics")
    metrics_host: str = Field(default="127.0.0.1", description="Metrics listen address")
    metrics_port: int = Field(default=9108, ge=0, le=65535, description="Metrics port (0 = any)")
    metrics_tls_cert: Path | None = Field(
        default=None, description="Serve /metrics over HTTPS with this certificate (PEM)"
    )
    metrics_tls_key: Path | None = Field(default=None, description="Its private key (PEM)")
    metrics_client_ca: Path | None = Field(
        default=None, description="Demand client certificates signed by this CA (PEM): mTLS"
    )

    @model_validator(mode="after")
    def _remote_needs_mtls(self) -> TelemetrySettings:
        if (self.metrics_tls_cert is None) != (self.metrics_tls_key is None):
            raise ValueError("metrics_tls_cert and metrics_tls_key go together")
        if self.metrics_client_ca is not None and self.metrics_tls_cert is None:
            raise ValueError("metrics_client_ca needs metrics_tls_cert and metrics_tls_key")
        if not _is_loopback(self.metrics_host) and self.metrics_client_ca is None:
            raise ValueError(
                "a metrics_host other than loopback needs TLS with client certificates "
                "(metrics_tls_cert, metrics_tls_key, metrics_client_ca)"
            )
        return self


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class FleetSettings(_Model):
    config_keys: dict[str, str] = Field(
        default_factory=dict,
        description="Public keys by kid (base64url of the raw 32-byte Ed25519 key) the registry "
        "signs pushed config revisions with; empty: every pushed revision is refused",
    )

    @field_validator("config_keys")
    @classmethod
    def _valid_keys(cls, value: dict[str, str]) -> dict[str, str]:
        from kiosk.domain.voucher import public_key_from_text

        for kid, text in value.items():
            try:
                public_key_from_text(text)
            except ValueError as exc:
                raise ValueError(f"key {kid!r}: {exc}") from None
        return value


class RetentionSettings(_Model):
    audit_days: int = Field(
        default=365, ge=1, le=3650, description="Keep a rotated audit file this many days, 1/day"
    )
    journal_days: int = Field(
        default=90, ge=1, le=3650, description="Keep committed/released transactions, days"
    )
    queue_days: int = Field(default=30, ge=1, le=3650, description="Keep queue tickets, days")


class AuditSettings(_Model):
    key_file: Path | None = Field(
        default=None,
        description="File holding this kiosk's audit-chain HMAC key (32+ random bytes, readable "
        "only by the kiosk user). Required in production; in simulator mode a key is generated "
        "in the state dir",
    )


class SimulatorSettings(_Model):
    seed: int = Field(default=7, description="Seed of the synthetic population")
    families: int = Field(default=24, gt=0, le=10_000, description="Synthetic families (count)")
    kiosk_key: str = Field(
        default="sim-kiosk-key", description="Bearer key the simulator accepts (not a secret)"
    )
    print_delay_ms: int = Field(default=400, ge=0, description="Simulated time per page, ms")


class KioskConfig(_Model):
    kiosk: KioskIdentity
    registry: RegistrySettings
    vouchers: VoucherSettings
    devices: DevicesSettings = Field(default_factory=DevicesSettings)
    ui: UISettings = Field(default_factory=UISettings)
    queue: KioskQueueSettings = Field(default_factory=KioskQueueSettings)
    technician: TechnicianSettings = Field(default_factory=TechnicianSettings)
    telemetry: TelemetrySettings = Field(default_factory=TelemetrySettings)
    fleet: FleetSettings = Field(default_factory=FleetSettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    simulator: SimulatorSettings = Field(default_factory=SimulatorSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    info: InfoSettings = Field(default_factory=InfoSettings)
    handover: HandoverSettings = Field(default_factory=HandoverSettings)
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)
    state_dir: Path = Field(
        default=Path("/var/lib/adm-kiosk"), description="Journal, queue and statistics (SQLite)"
    )
    state_min_free_mb: float = Field(
        default=64,
        ge=0,
        le=1_048_576,
        description="Free space the state_dir's filesystem must keep, MiB; below it the kiosk"
        " starts no print or queue session (0: no floor)",
    )
    source: Path | None = Field(default=None, exclude=True, description="File it was loaded from")

    @model_validator(mode="after")
    def _handover_services_exist(self) -> KioskConfig:
        if self.queue.server is not None:
            return self  # the services are the office server's catalogue, known at run time
        codes = {service.code for service in self.queue.services}
        named = {"default": self.handover.default} | {
            f"services.{key}": code for key, code in self.handover.services.items()
        }
        for where, code in named.items():
            if code is not None and code not in codes:
                raise ValueError(f"handover.{where}: no queue service {code!r}")
        return self
