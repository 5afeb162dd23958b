"""The office queue server's config (``kiosk queue-server --config``): the office, its API
clients and the ``[queue]`` section a kiosk config has too (services, counters, rules)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kiosk.config.loader import ConfigError, read_toml_bytes
from kiosk.config.models import QueueSettings

Role = Literal["kiosk", "counter", "display", "booking", "admin"]
ROLES: tuple[Role, ...] = ("kiosk", "counter", "display", "booking", "admin")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfficeClient(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$", description="Sent as X-Client-Id")
    role: Role
    key_file: Path = Field(description="File holding this client's bearer key (one line)")


class OfficeSettings(_Model):
    name: str = Field(min_length=1, description="Office name shown on tickets and the display")
    timezone: str = Field(
        default="Asia/Jakarta", description="IANA zone of the office day (WIB, WITA, WIT)"
    )
    booking_key_file: Path | None = Field(
        default=None,
        description="Ed25519 private key (raw 32 bytes, base64url) signing booking QRs; "
        "created on first start when missing",
    )
    booking_kid: str = Field(
        default="office-1", pattern=r"^[A-Za-z0-9_\-.]{1,32}$", description="Key id in QRs"
    )
    clients: list[OfficeClient] = Field(default_factory=list)

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


class OfficeConfig(_Model):
    office: OfficeSettings
    queue: QueueSettings

    @model_validator(mode="after")
    def _clients(self) -> OfficeConfig:
        ids = [c.id for c in self.office.clients]
        if len(ids) != len(set(ids)):
            raise ValueError("client ids must be unique")
        counters = {c.id for c in self.queue.counters}
        for client in self.office.clients:
            if client.role == "counter" and client.id not in counters:
                raise ValueError(f"client {client.id}: a counter client's id is a counter id")
        return self


def _resolve(data: dict[str, object], base: Path) -> None:
    office = data.get("office")
    if not isinstance(office, dict):
        return

    def absolute(value: object) -> object:
        if not isinstance(value, str):
            return value
        path = Path(value).expanduser()
        return path if path.is_absolute() else Path(os.path.normpath(base / path))

    office["booking_key_file"] = absolute(office.get("booking_key_file"))
    for client in office.get("clients") or []:
        if isinstance(client, dict):
            client["key_file"] = absolute(client.get("key_file"))


def load_office_config(path: Path) -> OfficeConfig:
    try:
        data = tomllib.loads(read_toml_bytes(path).decode("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), [("(file)", str(exc))]) from None
    except RecursionError:
        raise ConfigError(str(path), [("(syntax)", "values nested too deeply")]) from None
    _resolve(data, path.resolve().parent)
    if isinstance(data.get("office"), dict) and data["office"].get("booking_key_file") is None:
        data["office"].pop("booking_key_file", None)
    try:
        return OfficeConfig.model_validate(data)
    except ValidationError as exc:
        errors = [
            (".".join(str(p) for p in err["loc"]) or "(top)", str(err.get("msg", "invalid")))
            for err in exc.errors()
        ]
        raise ConfigError(str(path), errors) from None
