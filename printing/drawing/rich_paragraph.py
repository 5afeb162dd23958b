"""A justified-left paragraph of regular and bold runs, wrapped with our own line breaker.

Certificates print sentences like "telah lahir **NAMA**, anak kedua, ..." where values are
bold. Runs are split into words, laid out greedily, and drawn with ``drawString`` (no markup).
If the paragraph is taller than its box at ``size`` it shrinks down to ``min_size``; if it is
still too tall it is not cut: :class:`~printing.drawing.text_fit.TextDoesNotFit` is raised and
the document is not printed (see :mod:`printing.drawing.text_fit`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from printing.drawing.fonts import BOLD, REGULAR, printable, text_width
from printing.drawing.text_fit import TextDoesNotFit, plain, wrap


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False


Word = tuple[str, str]  # (text, font)
Line = list[Word]


def _words(runs: Sequence[Run], size: float, width: float) -> list[Word]:
    words: list[Word] = []
    for run in runs:
        font = BOLD if run.bold else REGULAR
        for word in printable(run.text).split(" "):  # a name (no-break spaces) is one word
            if not word:
                continue
            if text_width(plain(word), font, size) > width:
                words.extend((piece, font) for piece in wrap(word, font, size, width))
            else:
                words.append((word, font))
    return words


def _lines(words: list[Word], size: float, width: float) -> list[Line]:
    lines: list[Line] = []
    current: Line = []
    used = 0.0
    for text, font in words:
        word_width = text_width(plain(text), font, size)
        gap = text_width(" ", font, size) if current else 0.0
        if current and used + gap + word_width > width:
            lines.append(current)
            current, used = [], 0.0
            gap = 0.0
        current.append((text, font))
        used += gap + word_width
    if current:
        lines.append(current)
    return lines


def draw_paragraph(
    canvas: Canvas,
    runs: Sequence[Run],
    x: float,
    y_top: float,
    width: float,
    max_height: float,
    *,
    size: float,
    min_size: float,
    leading: float = 1.6,
) -> float:
    """Draw the runs; return the y just below the last line."""
    trial = size
    while True:
        lines = _lines(_words(runs, trial, width), trial, width)
        if len(lines) * trial * leading <= max_height or trial <= min_size:
            break
        trial = max(min_size, trial * 0.92)
    max_lines = max(1, int(max_height // (trial * leading)))
    if len(lines) > max_lines:
        raise TextDoesNotFit(sum(len(run.text) for run in runs), width, max_height)
    baseline = y_top - trial
    for line in lines:
        cursor = x
        for index, (text, font) in enumerate(line):
            if index:
                cursor += text_width(" ", font, trial)
            canvas.setFont(font, trial)
            canvas.drawString(cursor, baseline, plain(text))
            cursor += text_width(plain(text), font, trial)
        baseline -= trial * leading
    return baseline + trial * leading - trial * (leading - 1) - 2
