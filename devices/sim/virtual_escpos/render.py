"""Draws parsed ESC/POS commands onto paper: one grayscale image per job (up to a cut).

The paper is 384 dots wide for 58 mm rolls and 576 dots for 80 mm rolls (203 dpi). Text uses a
monospaced face on the printer's cells (font A 12x24, font B 9x17), scaled dot-for-dot for double
width/height like a thermal head does; native QR codes are drawn with segno and CODE128 with
:mod:`.code128`, module for module, so a decoder reads them back as a scanner would read paper.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from devices.sim.virtual_escpos.code128 import Code128Error, encode_code128
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
    Text,
)
from devices.sim.virtual_escpos.parser import parse_escpos

log = logging.getLogger(__name__)

PAPER_DOTS = {58: 384, 80: 576}
DEFAULT_LINE_SPACING = 30
MARGIN_DOTS = 12  # blank paper above the first line and below the last
MAX_JOB_DOTS = 16_000  # 2 m of paper: a longer job is cut there (hostile input stays bounded)
_FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
)
# (cell width, cell height, point size) of font A and font B.
_CELLS = {0: (12, 24, 20), 1: (9, 17, 15)}
_QR_ERROR = {48: "L", 49: "M", 50: "Q", 51: "H"}
# ESC t n -> Python codec (the usual Epson tables; unknown pages fall back to cp437).
CODE_PAGES = {
    0: "cp437", 1: "cp932", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 11: "cp851",
    13: "cp857", 14: "cp737", 15: "iso8859_7", 16: "cp1252", 17: "cp866", 18: "cp852",
    19: "cp858", 21: "cp874", 32: "cp720", 33: "cp775", 34: "cp855", 35: "cp861", 36: "cp862",
    37: "cp864", 38: "cp869", 39: "iso8859_2", 40: "iso8859_15", 44: "cp1125", 45: "cp1250",
    46: "cp1251", 47: "cp1253", 48: "cp1254", 49: "cp1255", 50: "cp1256", 51: "cp1257",
    52: "cp1258", 53: "kz1048",
}  # fmt: skip


def paper_dots(width_mm: int) -> int:
    try:
        return PAPER_DOTS[width_mm]
    except KeyError:
        raise ValueError(f"paper width must be 58 or 80 mm, not {width_mm}") from None


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    log.warning("no monospaced TrueType font found; using Pillow's default")
    return ImageFont.load_default(size)


@lru_cache(maxsize=4096)
def _glyph(
    char: str, font: int, bold: bool, underline: int, invert: bool, wide: int, high: int
) -> Image.Image:
    cell_w, cell_h, size = _CELLS[font]
    img = Image.new("L", (cell_w, cell_h), 0 if invert else 255)
    draw = ImageDraw.Draw(img)
    ink = 255 if invert else 0
    top = (cell_h - size) // 2 - 1
    for dx in (0, 1) if bold else (0,):
        draw.text((dx, top), char, font=_font(size), fill=ink)
    if underline:
        draw.rectangle((0, cell_h - underline, cell_w - 1, cell_h - 1), fill=ink)
    img = img.point(lambda v: 0 if v < 128 else 255)
    if wide > 1 or high > 1:
        img = img.resize((cell_w * wide, cell_h * high), Image.Resampling.NEAREST)
    return img


def _bits_to_image(bits: np.ndarray) -> Image.Image:
    """A 0/1 array (1 = black dot) as a white-paper grayscale image."""
    return Image.fromarray(np.where(bits.astype(bool), 0, 255).astype(np.uint8), "L")


@dataclass
class _Style:
    font: int = 0
    bold: bool = False
    underline: int = 0
    wide: int = 1
    high: int = 1
    invert: bool = False
    align: Align = Align.LEFT
    code_page: int = 0
    line_spacing: int = DEFAULT_LINE_SPACING
    barcode: dict[str, int] = field(
        default_factory=lambda: {"height": 162, "width": 3, "hri_position": 0, "hri_font": 0}
    )
    qr_size: int = 3
    qr_error: str = "L"
    qr_data: bytes = b""
    graphics: Image.Image | None = None  # GS ( L graphics waiting for their print command


class PaperRenderer:
    """Applies commands one by one; :meth:`apply` returns a job's image when a cut ends it."""

    def __init__(self, width_mm: int = 80) -> None:
        self.width = paper_dots(width_mm)
        self.style = _Style()
        self._strips: list[Image.Image] = []
        self._line: list[tuple[int, Image.Image]] = []  # (x, item) on the current line
        self._x = 0
        self._height = 0  # dots of paper used by the current job so far
        self._inked = False

    @property
    def has_content(self) -> bool:
        """Has anything been printed (text, image, code) since the last cut?"""
        return self._inked

    def apply(self, command: Command) -> Image.Image | None:
        handler = getattr(self, f"_on_{type(command).__name__}", None)
        if handler is not None:
            handler(command)
        if self._height > MAX_JOB_DOTS:
            log.warning("job longer than %d dots: cut there", MAX_JOB_DOTS)
            if not self._inked:
                self._strips, self._height = [], 0
                return None
            return self.cut()
        if isinstance(command, Cut):
            if not self._inked:  # a cut of blank paper is not a job
                self._strips, self._line, self._x, self._height = [], [], 0, 0
                return None
            return self.cut(command.feed)
        return None

    def cut(self, feed: int = 0) -> Image.Image:
        """End the job: everything printed so far, as one image."""
        self._print_line()
        strips = [Image.new("L", (self.width, MARGIN_DOTS), 255), *self._strips]
        strips.append(Image.new("L", (self.width, MARGIN_DOTS + feed), 255))
        page = Image.new("L", (self.width, sum(s.height for s in strips)), 255)
        y = 0
        for strip in strips:
            page.paste(strip, (0, y))
            y += strip.height
        self._strips, self._height = [], 0
        self._inked = False
        return page

    # -- layout -------------------------------------------------------------------------

    def _x_for(self, width: int) -> int:
        if self.style.align is Align.CENTER:
            return max(0, (self.width - width) // 2)
        if self.style.align is Align.RIGHT:
            return max(0, self.width - width)
        return 0

    def _print_line(self, empty_feed: bool = False) -> None:
        if not self._line:
            if empty_feed:
                self._feed(self.style.line_spacing)
            return
        height = max([self.style.line_spacing] + [img.height for _, img in self._line])
        strip = Image.new("L", (self.width, height), 255)
        offset = self._x_for(self._x)
        for x, img in self._line:
            strip.paste(img, (offset + x, height - img.height))
        self._append(strip)
        self._line = []
        self._x = 0

    def _append(self, strip: Image.Image) -> None:
        self._strips.append(strip)
        self._height += strip.height

    def _feed(self, dots: int) -> None:
        if dots > 0:
            self._append(Image.new("L", (self.width, min(dots, 2000)), 255))

    def _block(self, img: Image.Image) -> None:
        """A standalone block (raster image, QR, barcode) on its own lines."""
        self._print_line()
        if img.width > self.width:
            img = img.crop((0, 0, self.width, img.height))
        strip = Image.new("L", (self.width, img.height), 255)
        strip.paste(img, (self._x_for(img.width), 0))
        self._append(strip)
        self._inked = True

    def _add_to_line(self, img: Image.Image) -> None:
        if self._x + img.width > self.width and self._line:
            self._print_line()
        if img.width > self.width:
            img = img.crop((0, 0, self.width, img.height))
        self._line.append((self._x, img))
        self._x += img.width
        self._inked = True

    # -- commands -----------------------------------------------------------------------

    def _on_Text(self, command: Text) -> None:
        s = self.style
        codec = CODE_PAGES.get(s.code_page, "cp437")
        for char in command.data.decode(codec, errors="replace"):
            if char == "\t":
                cell = _CELLS[s.font][0] * s.wide
                spaces = 8 - (self._x // cell) % 8
                char = " " * spaces
            for c in char:
                self._add_to_line(_glyph(c, s.font, s.bold, s.underline, s.invert, s.wide, s.high))

    def _on_LineFeed(self, _: LineFeed) -> None:
        self._print_line(empty_feed=True)

    def _on_Feed(self, command: Feed) -> None:
        self._print_line()
        lines = command.unit is FeedUnit.LINES
        self._feed(command.amount * (self.style.line_spacing if lines else 1))

    def _on_Initialize(self, _: Initialize) -> None:
        self.style = _Style()
        self._line = []
        self._x = 0

    def _on_SetPrintMode(self, command: SetPrintMode) -> None:
        mode = command.mode
        self.style.font = mode & 1
        self.style.bold = bool(mode & 0x08)
        self.style.high = 2 if mode & 0x10 else 1
        self.style.wide = 2 if mode & 0x20 else 1
        self.style.underline = 1 if mode & 0x80 else 0

    def _on_SetBold(self, command: SetBold) -> None:
        self.style.bold = command.on

    def _on_SetUnderline(self, command: SetUnderline) -> None:
        self.style.underline = command.thickness

    def _on_SetCharSize(self, command: SetCharSize) -> None:
        self.style.wide, self.style.high = command.width, command.height

    def _on_SetAlign(self, command: SetAlign) -> None:
        self.style.align = command.align

    def _on_SetFont(self, command: SetFont) -> None:
        self.style.font = command.font

    def _on_SetCodePage(self, command: SetCodePage) -> None:
        if command.page not in CODE_PAGES:
            log.info("code page %d not known; printing with cp437", command.page)
        self.style.code_page = command.page

    def _on_SetInvert(self, command: SetInvert) -> None:
        self.style.invert = command.on

    def _on_SetLineSpacing(self, command: SetLineSpacing) -> None:
        self.style.line_spacing = DEFAULT_LINE_SPACING if command.dots is None else command.dots

    def _on_SetBarcodeOption(self, command: SetBarcodeOption) -> None:
        self.style.barcode[command.option] = command.value

    def _on_RasterImage(self, command: RasterImage) -> None:
        rows = np.frombuffer(command.data, dtype=np.uint8).reshape(
            command.height, command.width_bytes
        )
        img = _bits_to_image(np.unpackbits(rows, axis=1))
        if command.mode:
            wide = 2 if command.mode in (1, 3) else 1
            high = 2 if command.mode in (2, 3) else 1
            img = img.resize((img.width * wide, img.height * high), Image.Resampling.NEAREST)
        self._block(img)

    def _on_GraphicsStore(self, command: GraphicsStore) -> None:
        rows = np.frombuffer(command.data, dtype=np.uint8).reshape(
            command.height, (command.width + 7) // 8
        )
        img = _bits_to_image(np.unpackbits(rows, axis=1)[:, : command.width])
        if command.scale_x > 1 or command.scale_y > 1:
            size = (img.width * command.scale_x, img.height * command.scale_y)
            img = img.resize(size, Image.Resampling.NEAREST)
        self.style.graphics = img

    def _on_GraphicsPrint(self, _: GraphicsPrint) -> None:
        if self.style.graphics is not None:
            self._block(self.style.graphics)
            self.style.graphics = None

    def _on_BitImage(self, command: BitImage) -> None:
        rows = 24 if command.mode >= 32 else 8
        columns = np.frombuffer(command.data, dtype=np.uint8).reshape(command.columns, rows // 8)
        bits = np.unpackbits(columns, axis=1).T  # (rows, columns)
        img = _bits_to_image(bits)
        wide = 1 if command.mode in (1, 33) else 2
        high = 3 if rows == 8 else 1
        if wide > 1 or high > 1:
            img = img.resize((img.width * wide, img.height * high), Image.Resampling.NEAREST)
        self._add_to_line(img)

    def _on_QrCommand(self, command: QrCommand) -> None:
        s, fn, params = self.style, command.function, command.params
        if fn == 67 and params and 1 <= params[0] <= 16:
            s.qr_size = params[0]
        elif fn == 69 and params and params[0] in _QR_ERROR:
            s.qr_error = _QR_ERROR[params[0]]
        elif fn == 80 and params:
            s.qr_data = params[1:]
        elif fn == 81:
            self._print_qr()

    def _print_qr(self) -> None:
        import segno

        s = self.style
        if not s.qr_data:
            return
        try:
            qr = segno.make_qr(s.qr_data, error=s.qr_error, boost_error=False)
        except (segno.DataOverflowError, ValueError) as exc:
            log.warning("QR code not printed: %s", exc)
            return
        # The quiet zone (4 modules) is blank paper around the symbol, as scanners need it.
        matrix = np.array([list(row) for row in qr.matrix_iter(border=4)], dtype=np.uint8)
        img = _bits_to_image(np.kron(matrix, np.ones((s.qr_size, s.qr_size), dtype=np.uint8)))
        self._block(img)

    def _on_Barcode(self, command: Barcode) -> None:
        if command.system != 73:
            log.warning("barcode system %d is not drawn (only CODE128, m=73)", command.system)
            return
        try:
            code = encode_code128(command.data)
        except Code128Error as exc:
            log.warning("CODE128 not printed: %s", exc)
            return
        opts = self.style.barcode
        module = min(max(opts["width"], 1), 6)
        widths = code.modules()
        bar_row: list[int] = []
        for i, width in enumerate(widths):
            bar_row += [1 if i % 2 == 0 else 0] * (width * module)
        height = max(opts["height"], 1)
        bars = _bits_to_image(np.tile(np.array(bar_row, dtype=np.uint8), (height, 1)))
        position = opts["hri_position"]
        hri = self._hri_image(code.text, opts["hri_font"]) if position else None
        parts = [p for p in (hri if position in (1, 3) else None, bars) if p is not None]
        if hri is not None and position in (2, 3):
            parts.append(hri)
        block = Image.new("L", (max(p.width for p in parts), sum(p.height for p in parts)), 255)
        y = 0
        for part in parts:
            block.paste(part, ((block.width - part.width) // 2, y))
            y += part.height
        self._block(block)

    def _hri_image(self, text: str, font: int) -> Image.Image:
        font = 1 if font in (1, 49) else 0
        cell_w, cell_h, _ = _CELLS[font]
        img = Image.new("L", (max(cell_w * len(text), 1), cell_h), 255)
        for i, char in enumerate(text):
            img.paste(_glyph(char, font, False, 0, False, 1, 1), (i * cell_w, 0))
        return img


def render_escpos(data: bytes, width_mm: int) -> list[Image.Image]:
    """One image per job in ``data`` (a job ends with a cut; trailing uncut output is a job too)."""
    renderer = PaperRenderer(width_mm)
    images = [img for cmd in parse_escpos(data) if (img := renderer.apply(cmd)) is not None]
    if renderer.has_content:
        images.append(renderer.cut())
    return images
