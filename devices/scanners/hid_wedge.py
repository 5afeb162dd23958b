"""HID keyboard-wedge scanners (driver "hid-wedge"), read through evdev and grabbed.

The scanner is an input event device; the kiosk opens it by a stable path
(``/dev/input/by-id/usb-<maker>_<model>-event-kbd``; ``/dev/input/eventN`` numbers change with
plugging order) and grabs it (EVIOCGRAB), so its keystrokes reach nothing else: not the
kiosk's window, not the compositor, not a console. The device's bytes (the kernel's
``struct input_event`` records) go through :class:`~devices.scanners.input_events.EventDecoder`
and :class:`~devices.scanners.wedge_parser.WedgeParser`, the same code a recording replays
through in simulation.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from devices.ports import ScannerRead
from devices.scanners.base import ScannerBase, ScannerSettings
from devices.scanners.input_events import EventDecoder
from devices.scanners.keymap import TERMINATORS
from devices.scanners.streams import ByteStream, EvdevStream
from devices.scanners.wedge_parser import WedgeParser, WedgeRules

if TYPE_CHECKING:
    from devices.drivers import DriverContext

log = logging.getLogger(__name__)


class WedgeRulesSettings(ScannerSettings):
    terminator: Literal["enter", "tab", "enter_or_tab"] = Field(
        default="enter", description="The key the scanner sends after each code"
    )
    max_key_gap_ms: int = Field(
        default=50,
        ge=5,
        le=2000,
        description="Longest pause between two keys of one code, ms; slower keys are a person's",
    )
    min_length: int = Field(
        default=4, ge=1, le=64, description="Shorter bursts are keys a person typed, characters"
    )
    layout: Literal["us"] = Field(
        default="us", description="Keyboard layout the scanner is set to (only US is mapped)"
    )


class HidWedgeSettings(WedgeRulesSettings):
    device: str = Field(
        pattern=r"^/dev/input/by-(id|path)/[^/\s]+$",
        description="Stable event device path: /dev/input/by-id/usb-...-event-kbd",
    )


def rules_of(settings: WedgeRulesSettings) -> WedgeRules:
    return WedgeRules(
        terminators=TERMINATORS[settings.terminator],
        max_key_gap_s=settings.max_key_gap_ms / 1000,
        min_length=settings.min_length,
        max_length=settings.max_length,
    )


class WedgeScannerBase(ScannerBase):
    """Events to codes; subclasses say where the events come from."""

    settings: WedgeRulesSettings

    def __init__(
        self, name: str, settings: WedgeRulesSettings, context: DriverContext | None = None
    ) -> None:
        super().__init__(name, settings, context)
        self._decoder = EventDecoder()
        self._parser = WedgeParser(rules_of(settings))

    def _parse(self, data: bytes, now: float) -> list[ScannerRead]:
        typed_before = self._parser.typed_keys
        out: list[ScannerRead] = []
        for event in self._decoder.feed(data):
            out += self._parser.feed(event)
        self._count_typed(typed_before)
        return out

    def _silence(self, silent_s: float, *, force: bool = False) -> list[ScannerRead]:
        if not force and silent_s < self._parser.rules.max_key_gap_s:
            return []
        typed_before = self._parser.typed_keys
        out = self._parser.idle(silent_s)
        self._count_typed(typed_before)
        return out

    def _count_typed(self, before: int) -> None:
        typed = self._parser.typed_keys - before
        if typed:
            self.counters.increment("keys_typed_by_hand", typed)
            log.info("%s: %d key(s) typed too slowly for a scanner, ignored", self.name, typed)

    def _pending(self) -> bool:
        return self._parser.pending or self._decoder.partial_bytes > 0

    def _reset_parser(self) -> None:
        self._decoder.reset()
        self._parser.reset()

    def _gap_s(self) -> float:
        return self._parser.rules.max_key_gap_s


class HidWedgeScanner(WedgeScannerBase):
    driver: ClassVar[str] = "hid-wedge"
    Settings: ClassVar[type[HidWedgeSettings]] = HidWedgeSettings
    settings: HidWedgeSettings

    def _connect(self) -> ByteStream:
        return EvdevStream(self.settings.device)
