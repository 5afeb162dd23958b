"""The simulated keyboard-wedge scanner (driver "sim-wedge"), simulated at the transport.

Two transports, chosen by ``transport`` ("auto" picks the first that works):

- ``uinput``: a virtual input device made through ``/dev/uinput`` (python-evdev's ``UInput``).
  The driver opens and grabs it exactly as it does a real scanner's event device.
- ``replay``: where ``/dev/uinput`` does not exist (containers, most CI), the scanner's side
  writes the kernel's ``struct input_event`` records into a pipe, and the driver reads that pipe
  with the same decoder and parser it uses on an event device (only the open and the grab,
  which a pipe has not, are skipped).

:meth:`SimulatedWedgeScanner.scan` types a code as a scanner does (a key every ``key_gap_ms``,
then the terminator); :meth:`send_events` / :meth:`send_records` send any events or recorded
bytes. Faults (an API, like every simulated device): ``unplugged`` (the device disappears: the
driver's read fails, OFFLINE until cleared and reopened), ``garbage`` (each scan carries keys
that are no characters), ``half_code`` (each scan stops halfway, no terminator).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from devices.faults import Fault, FaultSet
from devices.model import DeviceFault
from devices.scanners.hid_wedge import WedgeRulesSettings, WedgeScannerBase
from devices.scanners.input_events import (
    EV_KEY,
    EV_SYN,
    KEY_PRESS,
    KEY_RELEASE,
    SYN_REPORT,
    InputEvent,
    encode_events,
)
from devices.scanners.keymap import KEY_ENTER, KEY_F1, KEY_TAB, keystrokes
from devices.scanners.streams import ByteStream, EvdevStream, FdStream, ScannerOpenError
from devices.sim.wire import nonblocking, widen_pipe, write_all

if TYPE_CHECKING:
    from devices.drivers import DriverContext

log = logging.getLogger(__name__)

SUPPORTED_FAULTS = frozenset({Fault.UNPLUGGED, Fault.GARBAGE, Fault.HALF_CODE})
UINPUT = "/dev/uinput"


class SimulatedWedgeSettings(WedgeRulesSettings):
    transport: Literal["auto", "uinput", "replay"] = Field(
        default="auto", description="uinput where /dev/uinput is writable, else replay"
    )
    key_gap_ms: float = Field(
        default=2.0, ge=0, le=1000, description="Time between two keys the scanner types, ms"
    )
    wire_timeout_ms: int = Field(
        default=2000, gt=0, description="A send gives up when the driver does not read, ms"
    )


def uinput_available() -> bool:
    return os.access(UINPUT, os.W_OK)


class SimulatedWedgeScanner(WedgeScannerBase):
    driver: ClassVar[str] = "sim-wedge"
    Settings: ClassVar[type[SimulatedWedgeSettings]] = SimulatedWedgeSettings
    settings: SimulatedWedgeSettings
    supported_faults: frozenset[Fault] = SUPPORTED_FAULTS

    def __init__(
        self, name: str, settings: SimulatedWedgeSettings, context: DriverContext | None = None
    ) -> None:
        super().__init__(name, settings, context)
        wanted = settings.transport
        self.transport = "uinput" if wanted == "uinput" or (
            wanted == "auto" and uinput_available()
        ) else "replay"  # fmt: skip
        self._faults = FaultSet(SUPPORTED_FAULTS)
        self._wire = threading.Lock()
        self._writer: int | None = None  # replay: the pipe's write end
        self._uinput: Any = None  # uinput: evdev.UInput

    # -- the scanner's side -------------------------------------------------------------------

    def _connect(self) -> ByteStream:
        if Fault.UNPLUGGED in self._faults:
            raise ScannerOpenError(DeviceFault("SCANNER_OFFLINE", "simulated wedge: unplugged"))
        with self._wire:
            self._unplug_locked()
            if self.transport == "uinput":
                from evdev import UInput, ecodes

                keys = sorted(code for code in ecodes.keys if isinstance(code, int) and code < 256)
                self._uinput = UInput({ecodes.EV_KEY: keys}, name=f"adm-sim-wedge-{self.name}")
                return EvdevStream(self._uinput.device.path)
            reader, writer = os.pipe()
            widen_pipe(writer)
            self._writer = nonblocking(writer)
            return FdStream(reader, "simulated wedge (input_event replay)")

    def _unplug_locked(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            os.close(writer)
        uinput, self._uinput = self._uinput, None
        if uinput is not None:
            uinput.close()

    def scan(self, text: str) -> None:
        """Type ``text`` and the terminator, as a scanner does (faults applied)."""
        faults = self._faults.snapshot()
        terminator: int | None = KEY_TAB if self.settings.terminator == "tab" else KEY_ENTER
        if Fault.HALF_CODE in faults:
            text, terminator = text[: max(1, len(text) // 2)], None
        gap = self.settings.key_gap_ms / 1000
        events = list(keystrokes(text, start=time.time(), key_gap_s=gap, terminator=terminator))
        if Fault.GARBAGE in faults:
            at = events[len(events) // 2]
            noise = [InputEvent(at.sec, at.usec, EV_KEY, KEY_F1 + i, value)
                     for i in range(3) for value in (KEY_PRESS, KEY_RELEASE)]  # fmt: skip
            noise.append(InputEvent(at.sec, at.usec, EV_SYN, SYN_REPORT, 0))
            events[len(events) // 2 : len(events) // 2] = noise
        self.send_events(events)

    def send_events(self, events: Iterable[InputEvent]) -> None:
        """Send key events as the device would (times as given in replay mode)."""
        events = list(events)
        if self.transport == "uinput":
            with self._wire:
                if self._uinput is None:
                    log.info("%s: unplugged or closed: events dropped", self.name)
                    return
                for event in events:
                    self._uinput.write(event.type, event.code, event.value)
            return
        self.send_records(encode_events(events))

    def send_records(self, data: bytes) -> None:
        """Replay transport: raw ``struct input_event`` bytes (a recording), as they are."""
        if self.transport != "replay":
            raise RuntimeError("raw records can only be replayed without uinput")
        with self._wire:
            if self._writer is None:
                log.info("%s: unplugged or closed: %d bytes dropped", self.name, len(data))
                return
            try:
                write_all(self._writer, data, self.settings.wire_timeout_ms / 1000)
            except BrokenPipeError:
                log.info("%s: the driver closed the device: bytes dropped", self.name)

    # -- FaultInjectable ----------------------------------------------------------------------

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
