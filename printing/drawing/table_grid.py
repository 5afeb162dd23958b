"""A ruled table drawn directly on the canvas: bold wrapped headers, fitted cells.

Used by the KK member tables and the biodata record. Each cell's text is shrunk, wrapped or
cut to stay inside its cell (see :mod:`printing.drawing.text_fit`); empty cells print "-".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from printing.drawing.fonts import BOLD, REGULAR
from printing.drawing.text_fit import draw_fitted

PAD = 1.8  # points between a cell's rule and its text


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: float
    align: str = "left"
    bold: bool = False


@dataclass(frozen=True, slots=True)
class TableStyle:
    header_height: float
    row_height: float
    header_size: float
    cell_size: float
    min_size: float = 3.8
    line_width: float = 0.5
    header_fill: float = 0.88  # grey level of the header band


def draw_table(
    canvas: Canvas,
    x: float,
    y_top: float,
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    style: TableStyle,
    *,
    min_rows: int = 0,
) -> float:
    """Draw the table with its top-left at (x, y_top); return the y of its bottom rule.

    ``min_rows`` draws empty ruled rows up to that count (a KK always shows ten lines).
    """
    total_width = sum(c.width for c in columns)
    row_count = max(len(rows), min_rows)
    height = style.header_height + row_count * style.row_height
    bottom = y_top - height
    canvas.saveState()
    canvas.setFillGray(style.header_fill)
    canvas.rect(x, y_top - style.header_height, total_width, style.header_height, stroke=0, fill=1)
    canvas.setFillGray(0)
    canvas.setLineWidth(style.line_width)
    grid = canvas.beginPath()
    grid.rect(x, bottom, total_width, height)
    left = x
    for column in columns[:-1]:
        left += column.width
        grid.moveTo(left, y_top)
        grid.lineTo(left, bottom)
    for index in range(row_count):
        line_y = y_top - style.header_height - index * style.row_height
        grid.moveTo(x, line_y)
        grid.lineTo(x + total_width, line_y)
    canvas.drawPath(grid, stroke=1, fill=0)
    left = x
    for column in columns:
        if not column.title:
            left += column.width
            continue
        draw_fitted(
            canvas,
            column.title,
            left + PAD,
            y_top - 1,
            column.width - 2 * PAD,
            style.header_height - 2,
            font=BOLD,
            size=style.header_size,
            min_size=style.min_size,
            align="center",
            wrap_first=True,
        )
        left += column.width
    for row_index, row in enumerate(rows):
        row_top = y_top - style.header_height - row_index * style.row_height
        left = x
        for column, value in zip(columns, row, strict=True):
            draw_fitted(
                canvas,
                value,
                left + PAD,
                row_top - 0.5,
                column.width - 2 * PAD,
                style.row_height - 1,
                font=BOLD if column.bold else REGULAR,
                size=style.cell_size,
                min_size=style.min_size,
                align=column.align,
            )
            left += column.width
    canvas.restoreState()
    return bottom
