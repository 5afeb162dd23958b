"""Drawing code symbols (QR, Code128, PDF417) as clean grayscale images.

Used by the simulated camera (a "presented" code), by health checks and by the decode corpus of
tests and benchmarks. QR comes from segno; Code128 and PDF417 from zxing-cpp's writer. The output
is black on white with a quiet zone, ``module_px`` pixels per module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from devices.ports import CodeFormat

if TYPE_CHECKING:
    import numpy.typing as npt

    Gray = npt.NDArray[np.uint8]

MAX_SYMBOL_TEXT = 1000  # characters; a presented code longer than this is refused


class SymbolError(ValueError):
    """The text cannot be drawn as that kind of code."""


def _qr(text: str, module_px: int) -> Gray:
    import segno

    try:
        qr = segno.make_qr(text, error="m")
    except (ValueError, segno.DataOverflowError) as exc:
        raise SymbolError(f"cannot draw QR: {exc}") from None
    modules = np.array(qr.matrix, dtype=np.uint8)  # 1 = dark, no border
    image = np.where(modules == 1, 0, 255).astype(np.uint8)
    image = np.kron(image, np.ones((module_px, module_px), dtype=np.uint8))
    quiet = 4 * module_px
    return np.pad(image, quiet, constant_values=255)


def _zxing_symbol(text: str, kind: CodeFormat, module_px: int) -> Gray:
    import zxingcpp

    try:
        if kind is CodeFormat.CODE128:
            barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
        else:  # error-correction level 5, as identity documents use: misreads stay detectable
            barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.PDF417, ec_level="5")
    except (ValueError, RuntimeError) as exc:
        raise SymbolError(f"cannot draw {kind.value}: {exc}") from None
    image = np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=module_px), dtype=np.uint8)
    if kind is CodeFormat.CODE128:
        # Linear codes read better with bars a good deal taller than the writer's default.
        target = max(image.shape[0], image.shape[1] // 3)
        image = np.repeat(image[:1], target, axis=0)
        image = np.pad(image, ((4 * module_px, 4 * module_px), (0, 0)), constant_values=255)
    return np.ascontiguousarray(image)


def render_symbol(text: str, kind: CodeFormat, module_px: int = 4) -> Gray:
    """A clean grayscale image of ``text`` drawn as ``kind`` (black on white, quiet zone)."""
    if not text:
        raise SymbolError("empty text")
    if len(text) > MAX_SYMBOL_TEXT:
        raise SymbolError(f"text longer than {MAX_SYMBOL_TEXT} characters")
    if not 1 <= module_px <= 32:
        raise SymbolError("module_px must be 1-32")
    if kind is CodeFormat.QR:
        return _qr(text, module_px)
    return _zxing_symbol(text, kind, module_px)
