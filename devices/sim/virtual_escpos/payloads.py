"""ESC/POS commands that carry data (images, codes, length-prefixed functions).

Each parse step takes the buffer and the command's position and returns ``(command, bytes
used)``, or None when the buffer ends before the command does. Declared lengths over
:data:`MAX_PAYLOAD` are not trusted: only the command's header is skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from devices.sim.virtual_escpos.commands import (
    Barcode,
    BitImage,
    Command,
    GraphicsPrint,
    GraphicsStore,
    Ignored,
    QrCommand,
    RasterImage,
    Skipped,
)

MAX_PAYLOAD = 1 << 20  # bytes one command may carry (a 576-dot raster band of 14 000 lines)
MAX_RASTER_WIDTH_BYTES = 255
MAX_BIT_IMAGE_COLUMNS = 2400
MAX_BARCODE_DATA = 255

# A parse step: (command, bytes consumed) or None when more bytes are needed.
Step = tuple[Command, int] | None


def payload(
    buf: bytes, pos: int, header: int, size: int, build: Callable[[bytes], Command]
) -> Step:
    """A command of ``header`` bytes followed by ``size`` bytes of data."""
    if size > MAX_PAYLOAD:
        return Skipped(f"declared length {size} over limit", bytes(buf[pos : pos + header])), header
    end = pos + header + size
    if len(buf) < end:
        return None
    return build(bytes(buf[pos + header : end])), header + size


def bit_image(buf: bytes, pos: int) -> Step:
    if len(buf) < pos + 5:
        return None
    mode, columns = buf[pos + 2], buf[pos + 3] | buf[pos + 4] << 8
    if mode not in (0, 1, 32, 33) or columns > MAX_BIT_IMAGE_COLUMNS:
        return Skipped("bad ESC * header", bytes(buf[pos : pos + 5])), 5
    size = columns * (3 if mode >= 32 else 1)
    return payload(buf, pos, 5, size, lambda data: BitImage(mode, columns, data))


def tab_positions(buf: bytes, pos: int) -> Step:
    """ESC D n1 ... nk NUL (at most 32 positions)."""
    end = buf.find(b"\x00", pos + 2, pos + 2 + 33)
    if end < 0:
        if len(buf) < pos + 2 + 33:
            return None
        return Skipped("unterminated ESC D", bytes(buf[pos : pos + 2])), 2
    return Ignored("ESC D tab positions", bytes(buf[pos : end + 1])), end + 1 - pos


def user_chars(buf: bytes, pos: int) -> Step:
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


def barcode(buf: bytes, pos: int) -> Step:
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
        return payload(buf, pos, 4, buf[pos + 3], lambda data: Barcode(system, data))
    return Skipped("bad GS k system", bytes(buf[pos : pos + 3])), 3


def raster_image(buf: bytes, pos: int) -> Step:
    if len(buf) < pos + 8:
        return None
    if buf[pos + 2] not in (0, 48):
        return Skipped("unknown GS v function", bytes(buf[pos : pos + 3])), 3
    mode = buf[pos + 3]
    width = buf[pos + 4] | buf[pos + 5] << 8
    height = buf[pos + 6] | buf[pos + 7] << 8
    if mode not in (0, 1, 2, 3, 48, 49, 50, 51) or not 0 < width <= MAX_RASTER_WIDTH_BYTES:
        return Skipped("bad GS v 0 header", bytes(buf[pos : pos + 8])), 8
    return payload(
        buf, pos, 8, width * height, lambda data: RasterImage(mode % 48, width, height, data)
    )


def gs_paren(buf: bytes, pos: int) -> Step:
    """GS ( fn pL pH ...: length-prefixed functions; QR is GS ( k with cn 49."""
    if len(buf) < pos + 5:
        return None
    function = buf[pos + 2]
    size = buf[pos + 3] | buf[pos + 4] << 8

    def build(data: bytes) -> Command:
        if function == ord("k") and len(data) >= 2 and data[0] == 49:
            return QrCommand(data[1], data[2:])
        if function == ord("L") and len(data) >= 2 and data[0] in (0, 48):
            return graphics(data)
        return Ignored(f"GS ( {chr(function)!r}", data)

    return payload(buf, pos, 5, size, build)


def graphics(data: bytes) -> Command:
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


def gs_8_graphics(buf: bytes, pos: int) -> Step:
    """GS 8 L p1 p2 p3 p4 ...: graphics with a 32-bit length."""
    if len(buf) < pos + 7:
        return None
    if buf[pos + 2] != ord("L"):
        return Skipped("unknown GS 8 function", bytes(buf[pos : pos + 3])), 3
    size = int.from_bytes(buf[pos + 3 : pos + 7], "little")
    return payload(buf, pos, 7, size, lambda data: Ignored("GS 8 L graphics", data))


def downloaded_image(buf: bytes, pos: int) -> Step:
    """GS * x y d1...d(x*y*8)."""
    if len(buf) < pos + 4:
        return None
    size = buf[pos + 2] * buf[pos + 3] * 8
    return payload(buf, pos, 4, size, lambda data: Ignored("GS * downloaded image", data))


def fs_paren(buf: bytes, pos: int) -> Step:
    if len(buf) < pos + 5:
        return None
    size = buf[pos + 3] | buf[pos + 4] << 8
    return payload(buf, pos, 5, size, lambda data: Ignored("FS ( function", data))
