"""The simulated serial scanner (driver "sim-serial"): a pseudo-terminal the real driver reads.

The scanner's side holds the pty's master; the driver opens the slave (``/dev/pts/N``) through
pyserial exactly as it opens ``/dev/ttyACM0``, and frames what comes with the configured prefix
and suffix. :meth:`SimulatedSerialScanner.scan` sends ``prefix + code + suffix``;
:meth:`send` sends any bytes. Faults: ``unplugged`` (the pty is closed under the driver, whose
read fails with EIO as with a pulled USB adapter; OFFLINE until cleared and reopened),
``garbage`` (each scan is line noise: bytes >= 0x80), ``half_code`` (each scan stops halfway,
no suffix).
"""

from __future__ import annotations

import logging
import os
import threading
import tty
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from devices.faults import Fault, FaultSet
from devices.model import DeviceFault
from devices.scanners.serial_scanner import SerialFramingSettings, SerialScannerBase
from devices.scanners.streams import ByteStream, ScannerOpenError, SerialStream
from devices.sim.wire import nonblocking, write_all

if TYPE_CHECKING:
    from devices.drivers import DriverContext

log = logging.getLogger(__name__)

SUPPORTED_FAULTS = frozenset({Fault.UNPLUGGED, Fault.GARBAGE, Fault.HALF_CODE})
NOISE = bytes([0xFF, 0x80, 0xC3, 0x9E, 0x00, 0xF0])


class SimulatedSerialSettings(SerialFramingSettings):
    wire_timeout_ms: int = Field(
        default=2000, gt=0, description="A send gives up when the driver does not read, ms"
    )


class SimulatedSerialScanner(SerialScannerBase):
    driver: ClassVar[str] = "sim-serial"
    Settings: ClassVar[type[SimulatedSerialSettings]] = SimulatedSerialSettings
    settings: SimulatedSerialSettings
    supported_faults: frozenset[Fault] = SUPPORTED_FAULTS

    def __init__(
        self, name: str, settings: SimulatedSerialSettings, context: DriverContext | None = None
    ) -> None:
        super().__init__(name, settings, context)
        self._faults = FaultSet(SUPPORTED_FAULTS)
        self._wire = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None  # kept open so the line stays configured (raw)
        self.path: str | None = None

    def _connect(self) -> ByteStream:
        if Fault.UNPLUGGED in self._faults:
            raise ScannerOpenError(DeviceFault("SCANNER_OFFLINE", "simulated serial: unplugged"))
        with self._wire:
            if self._master is None:
                master, slave = os.openpty()
                tty.setraw(slave)  # no echo, no line editing: a serial line, not a terminal
                self._master, self._slave = nonblocking(master), slave
                self.path = os.ttyname(slave)
            path = self.path
        assert path is not None
        return SerialStream(path, baudrate=9600)

    def _unplug_locked(self) -> None:
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None
        self.path = None

    def scan(self, text: str) -> None:
        """Send one code as the scanner does (faults applied)."""
        faults = self._faults.snapshot()
        prefix = self.settings.prefix.encode("ascii")
        suffix = self.settings.suffix.encode("ascii")
        body = text.encode("ascii")
        if Fault.GARBAGE in faults:
            body = body[: len(body) // 2] + NOISE + body[len(body) // 2 :]
        if Fault.HALF_CODE in faults:
            self.send(prefix + body[: max(1, len(body) // 2)])
            return
        self.send(prefix + body + suffix)

    def send(self, data: bytes) -> None:
        """Bytes on the line, as they are."""
        with self._wire:
            if self._master is None:
                log.info("%s: unplugged or closed: %d bytes dropped", self.name, len(data))
                return
            write_all(self._master, data, self.settings.wire_timeout_ms / 1000)

    def inject(self, fault: Fault) -> None:
        self._faults.add(fault)
        if fault is Fault.UNPLUGGED:
            with self._wire:
                self._unplug_locked()

    def clear(self, fault: Fault) -> None:
        self._faults.discard(fault)

    def active_faults(self) -> frozenset[Fault]:
        return self._faults.snapshot()

    def close(self) -> None:
        super().close()
        with self._wire:
            self._unplug_locked()
