"""An incremental ESC/POS parser: bytes in, :mod:`.commands` out.

Feed it chunks as they arrive (``feed``), then ``finish`` at the end of the stream. A command cut
in two by a chunk boundary waits for its remaining bytes; a length field larger than
:data:`MAX_PAYLOAD` is not trusted (only its header is skipped), so hostile input costs bounded
memory and time. Unknown or malformed bytes become :class:`~.commands.Skipped` and are logged;
the parser never raises anything but :class:`EscposParseError` (feeding a finished parser).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from devices.sim.virtual_escpos import payloads
from devices.sim.virtual_escpos.commands import (
    Align,
    Command,
    Cut,
    Feed,
    FeedUnit,
    Ignored,
    Initialize,
    LineFeed,
    SetAlign,
    SetBarcodeOption,
    SetBold,
    SetCharSize,
    SetCodePage,
    SetFont,
    SetInvert,
    SetLineSpacing,
    SetPrintMode,
    SetUnderline,
    Skipped,
    StatusRequest,
    Text,
)
from devices.sim.virtual_escpos.payloads import MAX_PAYLOAD as MAX_PAYLOAD
from devices.sim.virtual_escpos.payloads import Step

log = logging.getLogger(__name__)

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
# Text runs are cut into short commands: the renderer checks the job-length limit between
# commands, and one 200 KB run at 8x size grew a 6.4 million-dot page (GBs) before it could.
_TEXT_RUN = re.compile(rb"[\x20-\xff]{1,64}")


class EscposParseError(Exception):
    """The parser was used wrongly (fed after ``finish``); never raised for bad input bytes."""


def _one_byte(name: str, make: Callable[[int], Command]) -> Callable[[bytes, int], Step]:
    def step(buf: bytes, pos: int) -> Step:
        if len(buf) < pos + 3:
            return None
        return make(buf[pos + 2]), 3

    step.__name__ = name
    return step


def _ignored(name: str, params: int) -> Callable[[bytes, int], Step]:
    def step(buf: bytes, pos: int) -> Step:
        end = pos + 2 + params
        if len(buf) < end:
            return None
        return Ignored(name, bytes(buf[pos:end])), end - pos

    return step


def _align(n: int) -> Command:
    value = n - 48 if n >= 48 else n
    return SetAlign(Align(value)) if value in (0, 1, 2) else Skipped("bad ESC a value", bytes([n]))


def _feed(unit: FeedUnit) -> Callable[[int], Command]:
    return lambda n: Feed(n, unit)


def _status(n: int) -> Command:
    return StatusRequest(n) if 1 <= n <= 4 else Skipped("bad DLE EOT n", bytes([DLE, 4, n]))


def _char_size(n: int) -> Command:
    width, height = (n >> 4) + 1, (n & 0x0F) + 1
    if width > 8 or height > 8:
        return Skipped("bad GS ! size", bytes([GS, 0x21, n]))
    return SetCharSize(width, height)


_ESC: dict[int, Callable[[bytes, int], Step]] = {
    ord("@"): lambda buf, pos: (Initialize(), 2),
    ord("!"): _one_byte("ESC !", SetPrintMode),
    ord("E"): _one_byte("ESC E", lambda n: SetBold(bool(n & 1))),
    ord("G"): _one_byte("ESC G", lambda n: SetBold(bool(n & 1))),
    ord("-"): _one_byte("ESC -", lambda n: SetUnderline(min(n % 48 if n >= 48 else n, 2))),
    ord("a"): _one_byte("ESC a", _align),
    ord("M"): _one_byte("ESC M", lambda n: SetFont(1 if n in (1, 49) else 0)),
    ord("t"): _one_byte("ESC t", SetCodePage),
    ord("J"): _one_byte("ESC J", _feed(FeedUnit.DOTS)),
    ord("d"): _one_byte("ESC d", _feed(FeedUnit.LINES)),
    ord("3"): _one_byte("ESC 3", SetLineSpacing),
    ord("2"): lambda buf, pos: (SetLineSpacing(None), 2),
    ord("i"): lambda buf, pos: (Cut(partial=False), 2),
    ord("m"): lambda buf, pos: (Cut(partial=True), 2),
    ord("*"): payloads.bit_image,
    ord("D"): payloads.tab_positions,
    ord("&"): payloads.user_chars,
    ord("R"): _ignored("ESC R international set", 1),
    ord("{"): _ignored("ESC { upside down", 1),
    ord("V"): _ignored("ESC V rotate", 1),
    ord(" "): _ignored("ESC SP character spacing", 1),
    ord("$"): _ignored("ESC $ position", 2),
    ord("\\"): _ignored("ESC \\ position", 2),
    ord("c"): _ignored("ESC c panel/sensors", 2),
    ord("p"): _ignored("ESC p drawer pulse", 3),
    ord("r"): _ignored("ESC r colour", 1),
    ord("e"): _ignored("ESC e reverse feed", 1),
    ord("U"): _ignored("ESC U direction", 1),
    ord("L"): _ignored("ESC L page mode", 0),
    ord("S"): _ignored("ESC S standard mode", 0),
    ord("T"): _ignored("ESC T page direction", 1),
    ord("W"): _ignored("ESC W page area", 8),
    ord("%"): _ignored("ESC % user characters on/off", 1),
    ord("?"): _ignored("ESC ? cancel user character", 1),
    ord("="): _ignored("ESC = peripheral", 1),
    ord("u"): _ignored("ESC u drawer status", 1),
    ord("v"): _ignored("ESC v paper status", 0),
}


def _cut(buf: bytes, pos: int) -> Step:
    if len(buf) < pos + 3:
        return None
    mode = buf[pos + 2]
    if mode in (0, 1, 48, 49):
        return Cut(partial=mode in (1, 49)), 3
    if mode in (65, 66, 97, 98, 103, 104):
        if len(buf) < pos + 4:
            return None
        return Cut(partial=mode in (66, 98, 104), feed=buf[pos + 3]), 4
    return Skipped("bad GS V mode", bytes(buf[pos : pos + 3])), 3


def _barcode_option(option: str) -> Callable[[int], Command]:
    return lambda n: SetBarcodeOption(option, n % 48 if option == "hri_position" and n >= 48 else n)


_GS: dict[int, Callable[[bytes, int], Step]] = {
    ord("!"): _one_byte("GS !", _char_size),
    ord("B"): _one_byte("GS B", lambda n: SetInvert(bool(n & 1))),
    ord("h"): _one_byte("GS h", _barcode_option("height")),
    ord("w"): _one_byte("GS w", _barcode_option("width")),
    ord("H"): _one_byte("GS H", _barcode_option("hri_position")),
    ord("f"): _one_byte("GS f", _barcode_option("hri_font")),
    ord("V"): _cut,
    ord("k"): payloads.barcode,
    ord("v"): payloads.raster_image,
    ord("("): payloads.gs_paren,
    ord("8"): payloads.gs_8_graphics,
    ord("*"): payloads.downloaded_image,
    ord("b"): _ignored("GS b smoothing", 1),
    ord("L"): _ignored("GS L left margin", 2),
    ord("W"): _ignored("GS W print width", 2),
    ord("P"): _ignored("GS P motion units", 2),
    ord("a"): _ignored("GS a status back", 1),
    ord("r"): _ignored("GS r transmit status", 1),
    ord("I"): _ignored("GS I printer id", 1),
    ord("/"): _ignored("GS / print downloaded image", 1),
    ord("$"): _ignored("GS $ position", 2),
    ord("\\"): _ignored("GS \\ position", 2),
    ord("^"): _ignored("GS ^ macro", 3),
    ord(":"): _ignored("GS : macro", 0),
    ord("T"): _ignored("GS T line start", 1),
}


_FS: dict[int, Callable[[bytes, int], Step]] = {
    ord("&"): _ignored("FS & kanji on", 0),
    ord("."): _ignored("FS . kanji off", 0),
    ord("!"): _ignored("FS ! kanji mode", 1),
    ord("-"): _ignored("FS - kanji underline", 1),
    ord("C"): _ignored("FS C kanji code", 1),
    ord("S"): _ignored("FS S kanji spacing", 2),
    ord("W"): _ignored("FS W kanji quadruple", 1),
    ord("p"): _ignored("FS p NV image", 2),
    ord("("): payloads.fs_paren,
}

_DC4_PARAMS = {1: 2, 2: 2, 3: 2, 7: 1, 8: 7}


def _dle(buf: bytes, pos: int) -> Step:
    if len(buf) < pos + 2:
        return None
    kind = buf[pos + 1]
    if kind == 0x04:
        return _one_byte("DLE EOT", _status)(buf, pos)
    if kind == 0x05:
        return _ignored("DLE ENQ", 1)(buf, pos)
    if kind == 0x14:
        if len(buf) < pos + 3:
            return None
        params = _DC4_PARAMS.get(buf[pos + 2])
        if params is None:
            return Skipped("unknown DLE DC4 function", bytes(buf[pos : pos + 3])), 3
        return _ignored("DLE DC4", 1 + params)(buf, pos)
    return Skipped("unknown DLE command", bytes(buf[pos : pos + 2])), 2


_SINGLE: dict[int, Command] = {
    0x0A: LineFeed(),
    0x0D: Ignored("CR", b"\r"),
    0x00: Ignored("NUL", b"\x00"),
    0x0C: Ignored("FF", b"\x0c"),
    0x18: Ignored("CAN", b"\x18"),
}


def _prefixed(table: dict[int, Callable[[bytes, int], Step]], name: str) -> Callable[..., Step]:
    def step(buf: bytes, pos: int) -> Step:
        if len(buf) < pos + 2:
            return None
        handler = table.get(buf[pos + 1])
        if handler is None:
            return Skipped(f"unknown {name} command", bytes(buf[pos : pos + 2])), 2
        return handler(buf, pos)

    return step


_PREFIXES: dict[int, Callable[[bytes, int], Step]] = {
    ESC: _prefixed(_ESC, "ESC"),
    GS: _prefixed(_GS, "GS"),
    FS: _prefixed(_FS, "FS"),
    DLE: _dle,
}


def parse_step(buf: bytes, pos: int) -> Step:
    """Parse one command at ``pos``; None if ``buf`` ends before the command does."""
    byte = buf[pos]
    if byte >= 0x20:
        match = _TEXT_RUN.match(buf, pos)
        assert match is not None
        return Text(match.group()), match.end() - pos
    if byte == 0x09:
        return Text(b"\t"), 1
    single = _SINGLE.get(byte)
    if single is not None:
        return single, 1
    prefixed = _PREFIXES.get(byte)
    if prefixed is None:
        return Skipped("unknown control byte", bytes([byte])), 1
    return prefixed(buf, pos)


class EscposParser:
    """Turns a byte stream, fed in chunks of any size, into commands."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._finished = False
        self.skipped_bytes = 0

    def feed(self, data: bytes) -> list[Command]:
        if self._finished:
            raise EscposParseError("feed() after finish()")
        self._buffer += data
        return self._drain(final=False)

    def finish(self) -> list[Command]:
        """End of stream: an incomplete command at the end is skipped."""
        if self._finished:
            return []
        commands = self._drain(final=True)
        self._finished = True
        return commands

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a command."""
        return len(self._buffer)

    def _drain(self, final: bool) -> list[Command]:
        buf = bytes(self._buffer)
        commands: list[Command] = []
        pos = 0
        while pos < len(buf):
            step = parse_step(buf, pos)
            if step is None:
                if not final:
                    break
                step = Skipped("incomplete command at end of stream", buf[pos:]), len(buf) - pos
            command, used = step
            if isinstance(command, Skipped):
                self.skipped_bytes += used
                raw = command.raw[:4].hex()  # the command's head only: data may be personal
                log.info("skipped %d byte(s): %s (%s)", used, command.reason, raw)
            commands.append(command)
            pos += used
        del self._buffer[:pos]
        return commands


def parse_escpos(data: bytes) -> list[Command]:
    """Every command in a complete byte stream."""
    parser = EscposParser()
    return parser.feed(data) + parser.finish()
