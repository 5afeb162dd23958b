"""ESC/POS real-time status (DLE EOT n), parsed per the specification.

Every status byte has bits 1 and 4 set and bits 0 and 7 clear; a byte that does not is not a
status answer (line noise, a stale reply to something else) and is treated like no answer.
No answer is UNKNOWN, never "paper out": python-escpos's ``paper_status()`` returns 0 ("no
paper") when the printer is silent, which a kiosk must not believe.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.model import PaperLevel, Tristate

DLE_EOT = b"\x10\x04"
PRINTER_STATUS = 1  # bit 3: offline
OFFLINE_CAUSE = 2  # bit 2: cover open; bit 5: stopped by paper end; bit 6: error
ERROR_CAUSE = (
    3  # bit 2: recoverable; bit 3: autocutter; bit 5: unrecoverable; bit 6: auto-recoverable
)
PAPER_SENSOR = 4  # bits 2-3: near end; bits 5-6: paper end

_FIXED_MASK, _FIXED_VALUE = 0x93, 0x12


def request(n: int) -> bytes:
    return DLE_EOT + bytes([n])


def is_status_byte(value: int) -> bool:
    return value & _FIXED_MASK == _FIXED_VALUE


@dataclass(frozen=True, slots=True)
class RealtimeStatus:
    """What the printer told us; UNKNOWN wherever it said nothing (or nothing valid)."""

    online: Tristate = Tristate.UNKNOWN
    paper: PaperLevel = PaperLevel.UNKNOWN
    cover_open: Tristate = Tristate.UNKNOWN
    error: Tristate = Tristate.UNKNOWN

    @property
    def answered(self) -> bool:
        return self.online is not Tristate.UNKNOWN or self.paper is not PaperLevel.UNKNOWN

    @property
    def blocks_printing(self) -> bool:
        """Known to be unable to print now (paper out, cover open or offline)."""
        return (
            self.paper is PaperLevel.OUT
            or self.cover_open is Tristate.YES
            or self.online is Tristate.NO
        )


def _bit(value: int | None, mask: int) -> Tristate:
    if value is None or not is_status_byte(value):
        return Tristate.UNKNOWN
    return Tristate.YES if value & mask else Tristate.NO


def parse_online(value: int | None) -> Tristate:
    """DLE EOT 1: YES when online, NO when offline, UNKNOWN when silent."""
    offline = _bit(value, 0x08)
    if offline is Tristate.UNKNOWN:
        return offline
    return Tristate.NO if offline is Tristate.YES else Tristate.YES


def parse_cover_open(value: int | None) -> Tristate:
    """DLE EOT 2, bit 2."""
    return _bit(value, 0x04)


def parse_error(value: int | None) -> Tristate:
    """DLE EOT 2, bit 6: an error occurred (jam, cutter, head temperature, ...)."""
    return _bit(value, 0x40)


def parse_paper(value: int | None) -> PaperLevel:
    """DLE EOT 4: paper end sensor (bits 5-6) wins over the near-end sensor (bits 2-3)."""
    if value is None or not is_status_byte(value):
        return PaperLevel.UNKNOWN
    if value & 0x60:
        return PaperLevel.OUT
    if value & 0x0C:
        return PaperLevel.NEAR_END
    return PaperLevel.OK


def combine(printer: int | None, offline_cause: int | None, paper: int | None) -> RealtimeStatus:
    """One status from the answers to DLE EOT 1, 2 and 4 (None where there was no answer)."""
    return RealtimeStatus(
        online=parse_online(printer),
        paper=parse_paper(paper),
        cover_open=parse_cover_open(offline_cause),
        error=parse_error(offline_cause),
    )
