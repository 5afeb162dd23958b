"""Serial and USB-COM scanners (driver "serial"), read through pyserial.

A USB scanner in "USB COM" (CDC-ACM) mode shows up as ``/dev/ttyACM0``, one behind a USB-serial
adapter (FTDI, CH340, CP210x, Prolific) as ``/dev/ttyUSB0``; config names it by its stable
``/dev/serial/by-id/...`` link. The port is opened exclusively. Codes are framed by the
configured prefix and suffix (:class:`~devices.scanners.serial_framer.SerialFramer`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field, field_validator

from devices.ports import ScannerRead
from devices.scanners.base import ScannerBase, ScannerSettings
from devices.scanners.serial_framer import SerialFramer
from devices.scanners.streams import ByteStream, SerialStream

if TYPE_CHECKING:
    from devices.drivers import DriverContext


class SerialFramingSettings(ScannerSettings):
    prefix: str = Field(
        default="", max_length=8, description="Characters the scanner sends before each code"
    )
    suffix: str = Field(
        default="\r",
        min_length=1,
        max_length=4,
        description="Characters the scanner sends after each code (CR is most common)",
    )
    max_char_gap_ms: int = Field(
        default=100,
        ge=5,
        le=5000,
        description="Longest pause inside one code, ms; a code that stops longer is incomplete",
    )

    @field_validator("prefix", "suffix")
    @classmethod
    def _ascii(cls, value: str) -> str:
        if not value.isascii():
            raise ValueError("must be ASCII")
        return value


class SerialScannerSettings(SerialFramingSettings):
    device: str = Field(
        pattern=r"^/\S+$",
        description="Serial device: /dev/serial/by-id/... (stable), or /dev/ttyACM0, /dev/ttyUSB0",
    )
    baudrate: int = Field(default=9600, gt=0, le=4_000_000, description="Line speed, baud")
    bytesize: Literal[7, 8] = 8
    parity: Literal["N", "E", "O"] = "N"
    stopbits: Literal[1, 2] = 1


class SerialScannerBase(ScannerBase):
    settings: SerialFramingSettings

    def __init__(
        self, name: str, settings: SerialFramingSettings, context: DriverContext | None = None
    ) -> None:
        super().__init__(name, settings, context)
        self._framer = SerialFramer(
            prefix=settings.prefix.encode("ascii"),
            suffix=settings.suffix.encode("ascii"),
            max_length=settings.max_length,
            max_gap_s=settings.max_char_gap_ms / 1000,
        )

    def _parse(self, data: bytes, now: float) -> list[ScannerRead]:
        return self._framer.feed(data, now)

    def _silence(self, silent_s: float, *, force: bool = False) -> list[ScannerRead]:
        if not self._framer.pending or (not force and silent_s < self._framer.max_gap_s):
            return []
        return self._framer.idle(self._last_data + max(silent_s, self._framer.max_gap_s))

    def _pending(self) -> bool:
        return self._framer.pending

    def _reset_parser(self) -> None:
        self._framer.reset()

    def _gap_s(self) -> float:
        return self._framer.max_gap_s


class SerialScanner(SerialScannerBase):
    driver: ClassVar[str] = "serial"
    Settings: ClassVar[type[SerialScannerSettings]] = SerialScannerSettings
    settings: SerialScannerSettings

    def _connect(self) -> ByteStream:
        s = self.settings
        return SerialStream(
            s.device, baudrate=s.baudrate, bytesize=s.bytesize, parity=s.parity, stopbits=s.stopbits
        )
