"""Settings of the ESC/POS receipt drivers (one pydantic model per driver, extra="forbid")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class EscposSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    width_mm: Literal[58, 80] = Field(80, description="Paper roll width in mm (58 or 80)")
    timeout_ms: int = Field(10_000, gt=0, description="Write timeout for one job, in ms")
    status_timeout_ms: int = Field(800, gt=0, description="Wait for one DLE EOT answer, in ms")
    status_queries: bool = Field(
        True, description="The printer answers DLE EOT; if false, jobs are not confirmed"
    )
    reconnect_initial_s: float = Field(1.0, gt=0, description="First reconnect delay, in s")
    reconnect_max_s: float = Field(30.0, gt=0, description="Longest reconnect delay, in s")


class NetworkSettings(EscposSettings):
    host: str = Field(description="Printer host name or IP address")
    port: int = Field(9100, ge=1, le=65535, description="Raw printing port")
    connect_timeout_ms: int = Field(3000, gt=0, description="TCP connect timeout, in ms")


class SerialSettings(EscposSettings):
    device: str = Field(description="Serial device, e.g. /dev/ttyUSB0 or /dev/serial/by-id/...")
    baudrate: int = Field(19200, gt=0, description="Line speed, in baud")
    bytesize: Literal[5, 6, 7, 8] = 8
    parity: Literal["N", "E", "O", "M", "S"] = "N"
    stopbits: Literal[1, 2] = 1
    xonxoff: bool = Field(False, description="Software flow control")
    dsrdtr: bool = Field(True, description="DSR/DTR hardware flow control")
    rtscts: bool = Field(False, description="RTS/CTS hardware flow control")


class UsbSettings(EscposSettings):
    vendor_id: int = Field(ge=0, le=0xFFFF, description="USB vendor id (0x04b8 or 1208)")
    product_id: int = Field(ge=0, le=0xFFFF, description="USB product id")
    in_ep: int | None = Field(
        None, ge=0x81, le=0x8F, description="Bulk IN endpoint (status answers); None: by model"
    )
    out_ep: int | None = Field(
        None, ge=0x01, le=0x0F, description="Bulk OUT endpoint (print data); None: by model"
    )
    profile: str | None = Field(None, description="python-escpos printer profile; None: by model")

    @field_validator("vendor_id", "product_id", "in_ep", "out_ep", mode="before")
    @classmethod
    def _hex(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return int(value, 0)
            except ValueError:
                raise ValueError(f"not a number: {value!r}") from None
        return value

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, value: str | None) -> str | None:
        from devices.printers.escpos_models import profile_names

        if value is not None and value not in profile_names():
            raise ValueError(f"unknown python-escpos profile {value!r}")
        return value

    @model_validator(mode="after")
    def _by_model(self) -> UsbSettings:
        """Endpoints and profile not given come from the known-models table, else defaults."""
        from devices.printers.escpos_models import (
            DEFAULT_IN_EP,
            DEFAULT_OUT_EP,
            known_models,
            usb_id,
        )

        model = known_models().get(usb_id(self.vendor_id, self.product_id))
        if self.in_ep is None:
            self.in_ep = model.in_ep if model else DEFAULT_IN_EP
        if self.out_ep is None:
            self.out_ep = model.out_ep if model else DEFAULT_OUT_EP
        if self.profile is None and model is not None:
            self.profile = model.profile
        return self
