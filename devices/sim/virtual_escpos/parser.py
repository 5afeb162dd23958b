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

from devices.sim.virtual_escpos.commands import (
    Align,
    Barcode,
    BitImage,
    Command,
    Cut,
    Feed,
    FeedUnit,
    GraphicsPrint,
    GraphicsStore,
    Ignored,
    Initialize,
    LineFeed,
    QrCommand,
    RasterImage,
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

log = logging.getLogger(__name__)

MAX_PAYLOAD = 1 << 20  # bytes one command may carry (a 576-dot raster band of 14 000 lines)
MAX_RASTER_WIDTH_BYTES = 255
MAX_BIT_IMAGE_COLUMNS = 2400
MAX_BARCODE_DATA = 255

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
_TEXT_RUN = re.compile(rb"[\x20-\xff]+")

# A parse step: (command, bytes consumed) or None when more bytes are needed.
Step = tuple[Command, int] | None


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


def _payload(
    buf: bytes, pos: int, header: int, size: int, build: Callable[[bytes], Command]
) -> Step:
    """A command of ``header`` bytes followed by ``size`` bytes of data."""
    if size > MAX_PAYLOAD:
        return Skipped(f"declared length {size} over limit", bytes(buf[pos : pos + header])), header
    end = pos + header + size
    if len(buf) < end:
        return None
    return build(bytes(buf[pos + header : end])), header + size


def _bit_image(buf: bytes, pos: int) -> Step:
    if len(buf) < pos + 5:
        return None
    mode, columns = buf[pos + 2], buf[pos + 3] | buf[pos + 4] << 8
    if mode not in (0, 1, 32, 33) or columns > MAX_BIT_IMAGE_COLUMNS:
        return Skipped("bad ESC * header", bytes(buf[pos : pos + 5])), 5
    size = columns * (3 if mode >= 32 else 1)
    return _payload(buf, pos, 5, size, lambda data: BitImage(mode, columns, data))


def _tab_positions(buf: bytes, pos: int) -> Step:
    """ESC D n1 ... nk NUL (at most 32 positions)."""
    end = buf.find(b"\x00", pos + 2, pos + 2 + 33)
    if end < 0:
        if len(buf) < pos + 2 + 33:
            return None
        return Skipped("unterminated ESC D", bytes(buf[pos : pos + 2])), 2
    return Ignored("ESC D tab positions", bytes(buf[pos : end + 1])), end + 1 - pos


def _user_chars(buf: bytes, pos: int) -> Step:
    """ESC & y c1 c2 [x d1...d(y*x)] for each character c1..c2."""
    if len(buf) < pos + 5:
        return None
    y, c1, c2 = buf[pos + 2], buf[pos + 3], buf[pos + 4]
    if not (1 <= y <= 3 and 32 <= c1 <= c2 <= 126):
        return Skipped("bad ESC & header", bytes(buf[pos : pos + 5])), 5
    cursor = pos + 5
    for _ in range(c2 - c1 + 1):
        if len(buf) <= cursor:
            return None
        width = buf[cursor]
        if width > 12:
            return Skipped("bad ESC & width", bytes(buf[pos:cursor])), cursor - pos
        cursor += 1 + y * width
    if len(buf) < cursor:
        return None
    return Ignored("ESC & user characters", bytes(buf[pos:cursor])), cursor - pos


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
    ord("*"): _bit_image,
    ord("D"): _tab_positions,
    ord("&"): _user_chars,
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


def _barcode(buf: bytes, pos: int) -> Step:
    if len(buf) < pos + 3:
        return None
    system = buf[pos + 2]
    if system <= 6:  # function A: data up to NUL
        end = buf.find(b"\x00", pos + 3, pos + 3 + MAX_BARCODE_DATA + 1)
        if end < 0:
            if len(buf) < pos + 3 + MAX_BARCODE_DATA + 1:
                return None
            return Skipped("unterminated GS k data", bytes(buf[pos : pos + 3])), 3
        return Barcode(system, bytes(buf[pos + 3 : end])), end + 1 - pos
    if 65 <= system <= 79:  # function B: length byte then data
        if len(buf) < pos + 4:
            return None
        return _payload(buf, pos, 4, buf[pos + 3], lambda data: Barcode(system, data))
    return Skipped("bad GS k system", bytes(buf[pos : pos + 3])), 3


def _raster(buf: bytes, pos: int) -> Step:
    if len(buf) < pos + 8:
        return None
    if buf[pos + 2] not in (0, 48):
        return Skipped("unknown GS v function", bytes(buf[pos : pos + 3])), 3
    mode = buf[pos + 3]
    width = buf[pos + 4] | buf[pos + 5] << 8
    height = buf[pos + 6] | buf[pos + 7] << 8
    if mode not in (0, 1, 2, 3, 48, 49, 50, 51) or not 0 < width <= MAX_RASTER_WIDTH_BYTES:
        return Skipped("bad GS v 0 header", bytes(buf[pos : pos + 8])), 8
    return _payload(
        buf, pos, 8, width * height, lambda data: RasterImage(mode % 48, width, height, data)
    )


def _gs_paren(buf: bytes, pos: int) -> Step:
    """GS ( fn pL pH ...: length-prefixed functions; QR is GS ( k with cn 49."""
    if len(buf) < pos + 5:
        return None
    function = buf[pos + 2]
    size = buf[pos + 3] | buf[pos + 4] << 8

    def build(data: bytes) -> Command:
        if function == ord("k") and len(data) >= 2 and data[0] == 49:
            return QrCommand(data[1], data[2:])
        if function == ord("L") and len(data) >= 2 and data[0] in (0, 48):
            return _graphics(data)
        return Ignored(f"GS ( {chr(function)!r}", data)

    return _payload(buf, pos, 5, size, build)


def _graphics(data: bytes) -> Command:
    """GS ( L m fn ...: fn 112 stores raster graphics, fn 50 prints them."""
    function = data[1]
    if function in (2, 50):
        return GraphicsPrint()
    if function != 112:
        return Ignored(f"GS ( L fn {function}", data)
    if len(data) < 10:
        return Skipped("short GS ( L header", data)
    scale_x, scale_y = data[3], data[4]
    width, height = data[6] | data[7] << 8, data[8] | data[9] << 8
    size = (width + 7) // 8 * height
    if scale_x not in (1, 2) or scale_y not in (1, 2) or not 0 < width <= 8 * 255:
        return Skipped("bad GS ( L graphics header", data[:10])
    if len(data) - 10 != size:
        return Skipped("GS ( L graphics size does not match", data[:10])
    return GraphicsStore(width, height, scale_x, scale_y, data[10:])


def _gs_8(buf: bytes, pos: int) -> Step:
    """GS 8 L p1 p2 p3 p4 ...: graphics with a 32-bit length."""
    if len(buf) < pos + 7:
        return None
    if buf[pos + 2] != ord("L"):
        return Skipped("unknown GS 8 function", bytes(buf[pos : pos + 3])), 3
    size = int.from_bytes(buf[pos + 3 : pos + 7], "little")
    return _payload(buf, pos, 7, size, lambda data: Ignored("GS 8 L graphics", data))


def _downloaded_image(buf: bytes, pos: int) -> Step:
    """GS * x y d1...d(x*y*8)."""
    if len(buf) < pos + 4:
        return None
    size = buf[pos + 2] * buf[pos + 3] * 8
    return _payload(buf, pos, 4, size, lambda data: Ignored("GS * downloaded image", data))


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
    ord("k"): _barcode,
    ord("v"): _raster,
    ord("("): _gs_paren,
    ord("8"): _gs_8,
    ord("*"): _downloaded_image,
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


def _fs_paren(buf: bytes, pos: int) -> Step:
    if len(buf) < pos + 5:
        return None
    size = buf[pos + 3] | buf[pos + 4] << 8
    return _payload(buf, pos, 5, size, lambda data: Ignored("FS ( function", data))


_FS: dict[int, Callable[[bytes, int], Step]] = {
    ord("&"): _ignored("FS & kanji on", 0),
    ord("."): _ignored("FS . kanji off", 0),
    ord("!"): _ignored("FS ! kanji mode", 1),
    ord("-"): _ignored("FS - kanji underline", 1),
    ord("C"): _ignored("FS C kanji code", 1),
    ord("S"): _ignored("FS S kanji spacing", 2),
    ord("W"): _ignored("FS W kanji quadruple", 1),
    ord("p"): _ignored("FS p NV image", 2),
    ord("("): _fs_paren,
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
