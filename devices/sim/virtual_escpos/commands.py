"""The ESC/POS commands the virtual printer understands, as frozen dataclasses.

The parser (:mod:`.parser`) turns bytes into these; the renderer (:mod:`.render`) draws them.
Every byte of the input ends up in exactly one command, so nothing is lost silently:
bytes the parser does not understand become :class:`Skipped` with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Align(IntEnum):
    LEFT = 0
    CENTER = 1
    RIGHT = 2


class FeedUnit(StrEnum):
    DOTS = "dots"  # ESC J n: n motion units (1/203 inch here)
    LINES = "lines"  # ESC d n: n lines at the current line spacing


@dataclass(frozen=True, slots=True)
class Text:
    """Printable bytes (0x20-0xFF), decoded by the renderer with the current code page."""

    data: bytes


@dataclass(frozen=True, slots=True)
class LineFeed:
    """LF: print the line buffer and feed one line."""


@dataclass(frozen=True, slots=True)
class Feed:
    """ESC J n (dots) or ESC d n (lines): print the line buffer and feed."""

    amount: int
    unit: FeedUnit


@dataclass(frozen=True, slots=True)
class Initialize:
    """ESC @: back to power-on settings."""


@dataclass(frozen=True, slots=True)
class SetPrintMode:
    """ESC ! n: font B (bit 0), bold (bit 3), double height (4), double width (5), underline (7)."""

    mode: int


@dataclass(frozen=True, slots=True)
class SetBold:
    """ESC E n / ESC G n (double strike, drawn as bold)."""

    on: bool


@dataclass(frozen=True, slots=True)
class SetUnderline:
    """ESC - n: 0 off, 1 one dot, 2 two dots."""

    thickness: int


@dataclass(frozen=True, slots=True)
class SetCharSize:
    """GS ! n: width and height multipliers 1-8."""

    width: int
    height: int


@dataclass(frozen=True, slots=True)
class SetAlign:
    """ESC a n."""

    align: Align


@dataclass(frozen=True, slots=True)
class SetFont:
    """ESC M n: 0 font A (12x24), 1 font B (9x17)."""

    font: int


@dataclass(frozen=True, slots=True)
class SetCodePage:
    """ESC t n: the character code table for bytes 0x80-0xFF."""

    page: int


@dataclass(frozen=True, slots=True)
class SetInvert:
    """GS B n: white on black."""

    on: bool


@dataclass(frozen=True, slots=True)
class SetLineSpacing:
    """ESC 3 n (dots) or ESC 2 (default, ``dots`` is None)."""

    dots: int | None


@dataclass(frozen=True, slots=True)
class SetBarcodeOption:
    """GS h n (height), GS w n (module width), GS H n (HRI position), GS f n (HRI font)."""

    option: str  # "height", "width", "hri_position", "hri_font"
    value: int


@dataclass(frozen=True, slots=True)
class Barcode:
    """GS k m ...: ``system`` is m; ``data`` the code's bytes (CODE128 is m=73)."""

    system: int
    data: bytes


@dataclass(frozen=True, slots=True)
class QrCommand:
    """GS ( k with cn=49 (QR): fn 65 model, 67 module size, 69 error level, 80 store, 81 print."""

    function: int
    params: bytes


@dataclass(frozen=True, slots=True)
class RasterImage:
    """GS v 0 m xL xH yL yH d...: ``width_bytes`` x ``height`` bytes, MSB is the left dot."""

    mode: int
    width_bytes: int
    height: int
    data: bytes


@dataclass(frozen=True, slots=True)
class GraphicsStore:
    """GS ( L fn 112: raster graphics into the print buffer (``width`` x ``height`` dots)."""

    width: int
    height: int
    scale_x: int
    scale_y: int
    data: bytes


@dataclass(frozen=True, slots=True)
class GraphicsPrint:
    """GS ( L fn 50: print the buffered graphics."""


@dataclass(frozen=True, slots=True)
class BitImage:
    """ESC * m nL nH d...: a band of 8 (m=0,1) or 24 (m=32,33) dots high, column by column."""

    mode: int
    columns: int
    data: bytes


@dataclass(frozen=True, slots=True)
class Cut:
    """GS V m [n]: cut, after feeding ``feed`` dots; ends a job."""

    partial: bool
    feed: int = 0


@dataclass(frozen=True, slots=True)
class StatusRequest:
    """DLE EOT n: real-time status (1 printer, 2 offline cause, 3 error cause, 4 paper sensor)."""

    n: int


@dataclass(frozen=True, slots=True)
class Ignored:
    """A well-formed command with no effect on the paper image (drawer pulse, margins, ...)."""

    name: str
    raw: bytes


@dataclass(frozen=True, slots=True)
class Skipped:
    """Bytes the parser did not understand or could not trust; logged and not printed."""

    reason: str
    raw: bytes


Command = (
    Text
    | LineFeed
    | Feed
    | Initialize
    | SetPrintMode
    | SetBold
    | SetUnderline
    | SetCharSize
    | SetAlign
    | SetFont
    | SetCodePage
    | SetInvert
    | SetLineSpacing
    | SetBarcodeOption
    | Barcode
    | QrCommand
    | RasterImage
    | GraphicsStore
    | GraphicsPrint
    | BitImage
    | Cut
    | StatusRequest
    | Ignored
    | Skipped
)
