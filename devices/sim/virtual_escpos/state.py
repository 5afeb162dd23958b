"""The virtual printer's simulated condition and its real-time status answers (DLE EOT n).

Answers follow the ESC/POS specification: every status byte has bits 1 and 4 set and bits 0 and
7 clear (0x12 is "all fine"). The driver's parser (:mod:`devices.printers.escpos_status`) is
written separately, so a wrong bit on either side shows up in tests against these values.
"""

from __future__ import annotations

from devices.faults import Fault, FaultSet

SUPPORTED_FAULTS = frozenset(
    {
        Fault.PAPER_NEAR_END,
        Fault.PAPER_OUT,
        Fault.COVER_OPEN,
        Fault.OFFLINE,
        Fault.SLOW,
        Fault.DISCONNECT_MID_JOB,
    }
)

_FIXED = 0x12  # bits 1 and 4 are always set in a status byte
_OFFLINE = 0x08  # n=1 bit 3: printer offline
_COVER_OPEN = 0x04  # n=2 bit 2: cover open
_PAPER_END_STOP = 0x20  # n=2 bit 5: printing stopped by paper end
_NEAR_END = 0x0C  # n=4 bits 2-3: roll paper near-end sensor
_PAPER_OUT = 0x60  # n=4 bits 5-6: roll paper end sensor


class VirtualPrinterState:
    """What the paper, cover and link are doing, driven by injected faults."""

    def __init__(self) -> None:
        self.faults = FaultSet(SUPPORTED_FAULTS)

    @property
    def answers(self) -> bool:
        """Does the printer answer at all? An OFFLINE printer is silent."""
        return Fault.OFFLINE not in self.faults

    @property
    def can_print(self) -> bool:
        return Fault.PAPER_OUT not in self.faults and Fault.COVER_OPEN not in self.faults

    def status_byte(self, n: int) -> bytes | None:
        """The answer to DLE EOT ``n``, or None when the printer does not answer."""
        if not self.answers or not 1 <= n <= 4:
            return None
        paper_out = Fault.PAPER_OUT in self.faults
        cover_open = Fault.COVER_OPEN in self.faults
        value = _FIXED
        if n == 1 and (paper_out or cover_open):
            value |= _OFFLINE
        elif n == 2:
            value |= _COVER_OPEN if cover_open else 0
            value |= _PAPER_END_STOP if paper_out else 0
        elif n == 4:
            if paper_out:
                value |= _PAPER_OUT | _NEAR_END
            elif Fault.PAPER_NEAR_END in self.faults:
                value |= _NEAR_END
        return bytes([value])
