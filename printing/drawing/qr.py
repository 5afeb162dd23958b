"""The verification QR as vector paths: segno computes the matrix, we draw one filled path.

Each row's runs of dark modules become one rectangle, all in a single filled path written
as PDF operators, which is both smaller and much faster than reportlab's QR widget (one
shape per module through the graphics layer). The caller's layout leaves the quiet zone
(4 modules) blank.
"""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.pdfgen.canvas import Canvas

QUIET_MODULES = 4


@lru_cache(maxsize=64)
def qr_runs(data: str, error: str = "m") -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(size in modules, dark runs as (row, first column, length)) for ``data``."""
    code = segno.make(data, error=error, micro=False, boost_error=False)
    runs: list[tuple[int, int, int]] = []
    matrix = code.matrix
    for row_index, row in enumerate(matrix):
        start = -1
        for col, dark in enumerate(row):
            if dark and start < 0:
                start = col
            elif not dark and start >= 0:
                runs.append((row_index, start, col - start))
                start = -1
        if start >= 0:
            runs.append((row_index, start, len(row) - start))
    return len(matrix), tuple(runs)


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float, *, error: str = "m") -> int:
    """Draw the QR for ``data`` with its lower-left corner at (x, y), ``size`` points wide.

    The path is written in module units (a transform maps one module to ``size / modules``
    points, rows growing downwards), so every coordinate is a small integer. Returns the
    number of modules per side.
    """
    modules, runs = qr_runs(data, error)
    unit = size / modules
    ops = " ".join(f"{col} {row} {length} 1 re" for row, col, length in runs)
    canvas.saveState()
    canvas.transform(unit, 0, 0, -unit, x, y + size)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(f"{ops} f")
    canvas.restoreState()
    return modules
