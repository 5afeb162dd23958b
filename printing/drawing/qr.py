"""The verification QR as vector paths: a C++ encoder computes the matrix, we draw one path.

The matrix comes from zxing-cpp's writer (already a dependency for the camera decoder): segno
computes the same symbol in pure Python and took ~45 ms for a 300-character claim with its
mask selection (~8 ms with a fixed mask), zxing-cpp ~1 ms. Each row's runs of dark modules
become one rectangle, all in a single filled path written as PDF operators, which is both
smaller and much faster than reportlab's QR widget (one shape per module through the
graphics layer). The caller's layout leaves the quiet zone (4 modules) blank.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import zxingcpp
from reportlab.pdfgen.canvas import Canvas

QUIET_MODULES = 4


@lru_cache(maxsize=8)  # a re-render (reprint, checksum) reuses the matrix
def qr_path(data: str, error: str = "m") -> tuple[int, str]:
    """(modules per side, PDF path operators) for ``data``: one ``re`` per run of dark
    modules, in module units with rows counted downwards from the top."""
    symbol = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level=error.upper())
    dark = np.asarray(symbol.to_image(scale=1, add_quiet_zones=False)) < 128
    modules = dark.shape[0]
    padded = np.zeros((modules, modules + 2), dtype=np.int8)
    padded[:, 1:-1] = dark
    edges = np.diff(padded, axis=1)
    # Row-major order pairs each run's start with its end (both sorted by row, then column).
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    numbers = np.column_stack((starts, rows, ends - starts)).ravel().tolist()
    return modules, ("%d %d %d 1 re " * len(rows)) % tuple(numbers)


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float, *, error: str = "m") -> int:
    """Draw the QR for ``data`` with its lower-left corner at (x, y), ``size`` points wide.

    The path is written in module units (a transform maps one module to ``size / modules``
    points, rows growing downwards), so every coordinate is a small integer. Returns the
    number of modules per side.
    """
    modules, ops = qr_path(data, error)
    unit = size / modules
    canvas.saveState()
    canvas.transform(unit, 0, 0, -unit, x, y + size)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(f"{ops}f")
    canvas.restoreState()
    return modules
