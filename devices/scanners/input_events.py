"""The kernel's ``struct input_event`` as bytes, decoded and encoded.

An event device (``/dev/input/eventN``) is read as a stream of these records: a ``timeval``
(seconds, microseconds), then type, code and value. The HID wedge driver reads the device's
bytes and decodes them here, and a recording of those bytes replays through the very same
decoder and parser (:mod:`devices.scanners.wedge_parser`), so a replay tests the real path.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass

EV_SYN = 0x00
EV_KEY = 0x01
EV_MSC = 0x04
SYN_REPORT = 0
SYN_DROPPED = 3  # the kernel's buffer overflowed: events were lost

KEY_RELEASE, KEY_PRESS, KEY_REPEAT = 0, 1, 2

# struct input_event { struct timeval time; __u16 type; __u16 code; __s32 value; }, in this
# machine's native layout (24 bytes on 64-bit Linux), as the kernel writes it.
RECORD = struct.Struct("@llHHi")


@dataclass(frozen=True, slots=True)
class InputEvent:
    sec: int
    usec: int
    type: int
    code: int
    value: int

    @property
    def time(self) -> float:
        """Seconds, as the kernel stamped the event (only differences are used)."""
        return self.sec + self.usec / 1_000_000


def encode_events(events: Iterable[InputEvent]) -> bytes:
    return b"".join(RECORD.pack(e.sec, e.usec, e.type, e.code, e.value) for e in events)


class EventDecoder:
    """Bytes to events. A read may end inside a record (a pipe, a recording cut short): the
    partial record waits for the rest, and never more than one record's bytes are held."""

    def __init__(self) -> None:
        self._partial = b""

    @property
    def partial_bytes(self) -> int:
        return len(self._partial)

    def feed(self, data: bytes) -> list[InputEvent]:
        buffer = self._partial + data
        whole = len(buffer) - len(buffer) % RECORD.size
        self._partial = buffer[whole:]
        return [InputEvent(*fields) for fields in RECORD.iter_unpack(buffer[:whole])]

    def reset(self) -> None:
        self._partial = b""
