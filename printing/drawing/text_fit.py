"""Fitting text into boxes without markup: shrink, then wrap; never cut.

Text is drawn with ``drawString`` only (never Paragraph markup), so whatever the registry sends
prints as characters. A value that does not fit at the largest size shrinks (down to a floor),
then wraps over several lines. A value that still does not fit is never printed cut short: an
identity document with half a name on it is a wrong document, so :func:`draw_fitted` raises
:class:`TextDoesNotFit` and the whole render fails (the kiosk releases the voucher with
``DOCUMENT_DATA_INVALID``; the registry's data must be fixed at the counter).

Place names are never split inside a name ("KABUPATEN SUMBER / REJO"): a document marks them
with :func:`unbroken` or :func:`keep_names` (their inner spaces become no-break spaces, which
the wrapper does not break at and which print as plain spaces). Only a name wider than a whole
line at the smallest size is broken, between its words.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from printing.drawing.fonts import printable, text_width

MISSING = "-"
NBSP = "\u00a0"  # inside a name: not a place to break a line (printed as a space)
ELLIPSIS = "…"
LEADING = 1.15
STROKE_BOLD = 0.045  # outline width per point of type for stroke-bold text


class TextDoesNotFit(ValueError):
    """A value too long for its box even at the smallest size; it must not print cut."""

    def __init__(self, length: int, width: float, height: float) -> None:
        # No part of the value itself: it is personal data.
        super().__init__(
            f"a value of {length} characters does not fit its {width:.0f} x {height:.0f} pt box"
        )


@dataclass(frozen=True, slots=True)
class Placed:
    """What was drawn: the lines, their size, and whether the text had to be cut."""

    lines: tuple[str, ...]
    size: float
    cut: bool


def shown(value: object) -> str:
    """The text to print for a value: "-" for missing or empty values."""
    if value is None:
        return MISSING
    text = str(value).strip()
    return printable(text) if text else MISSING


def unbroken(name: str | None) -> str | None:
    """``name`` (a place name) kept on one line when its text wraps; None stays None."""
    return None if name is None else NBSP.join(name.split())


def keep_names(text: str, *names: str | None) -> str:
    """``text`` with each of ``names`` that occurs in it kept on one line when it wraps."""
    for name in names:
        words = (name or "").split()
        if len(words) > 1:
            text = text.replace(" ".join(words), NBSP.join(words))
    return text


def plain(text: str) -> str:
    """The text as printed: no-break spaces become spaces (the fonts have no glyph for them)."""
    return text.replace(NBSP, " ")


def _width(text: str, font: str, size: float) -> float:
    return text_width(plain(text), font, size)


def _split_long_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and text_width(current + char, font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


class _NameTooWide(Exception):
    """A name wider than the line: it cannot stay whole at this size."""


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a name wider than the box is broken between its words, any other
    word wider than the box between characters. Lines come as printed (plain spaces)."""
    return [plain(line) for line in _wrap(text, font, size, width, split_names=True)]


def _wrap(text: str, font: str, size: float, width: float, *, split_names: bool) -> list[str]:
    """:func:`wrap`, names kept whole; raises _NameTooWide for a name wider than ``width``
    unless ``split_names``."""
    lines: list[str] = []
    current = ""
    space = text_width(" ", font, size)
    current_width = 0.0
    for word in text.split(" "):
        if not word:
            continue
        word_width = _width(word, font, size)
        if word_width > width:
            if NBSP in word and not split_names:
                raise _NameTooWide
            if current:
                lines.append(current)
            if NBSP in word:
                *full, current = wrap(plain(word), font, size, width)
            else:
                *full, current = _split_long_word(word, font, size, width)
            lines.extend(full)
            current_width = text_width(current, font, size)
            continue
        if current and current_width + space + word_width <= width:
            current += " " + word
            current_width += space + word_width
        elif current:
            lines.append(current)
            current, current_width = word, word_width
        else:
            current, current_width = word, word_width
    if current:
        lines.append(current)
    return lines or [""]


def _cut(line: str, font: str, size: float, width: float) -> str:
    while line and _width(line + ELLIPSIS, font, size) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def layout(
    text: str,
    font: str,
    size: float,
    min_size: float,
    width: float,
    height: float,
    *,
    wrap_first: bool = False,
) -> Placed:
    """Choose size and lines so ``text`` fits ``width`` x ``height`` points.

    One line at ``size`` if it fits; otherwise the larger of (a) one line shrunk to fit and
    (b) wrapped lines at the largest size whose lines fit the height (``wrap_first`` prefers
    wrapping at full size); if neither works at ``min_size``, wrapped lines cut with "…".
    """
    placed = _layout(text, font, size, min_size, width, height, wrap_first=wrap_first)
    return Placed(tuple(plain(line) for line in placed.lines), placed.size, placed.cut)


def _layout(
    text: str,
    font: str,
    size: float,
    min_size: float,
    width: float,
    height: float,
    *,
    wrap_first: bool,
) -> Placed:
    one_line = _width(text, font, 1.0)
    if one_line * size <= width:
        return Placed((text,), size, cut=False)
    shrunk = min(width / one_line, height / LEADING) if one_line else size
    if wrap_first or shrunk < size * 0.8:
        trial = size
        while trial >= min_size and trial > shrunk:
            try:
                lines = _wrap(text, font, trial, width, split_names=False)
            except _NameTooWide:
                lines = []
            if lines and len(lines) * trial * LEADING <= height + 0.01:
                return Placed(tuple(lines), trial, cut=False)
            trial *= 0.92
    if shrunk >= min_size:
        return Placed((text,), shrunk, cut=False)
    try:
        lines = _wrap(text, font, min_size, width, split_names=False)
    except _NameTooWide:  # a name wider than a line even at the smallest size: between words
        lines = _wrap(text, font, min_size, width, split_names=True)
    max_lines = max(1, int((height + 0.01) // (min_size * LEADING)))
    if len(lines) <= max_lines:
        return Placed(tuple(lines), min_size, cut=False)
    kept = lines[:max_lines]
    kept[-1] = _cut(kept[-1] + " " + lines[max_lines], font, min_size, width)
    return Placed(tuple(kept), min_size, cut=True)


def draw_fitted(
    canvas: Canvas,
    value: object,
    x: float,
    y_top: float,
    width: float,
    height: float,
    *,
    font: str,
    size: float,
    min_size: float = 4.0,
    align: str = "left",
    valign: str = "middle",
    wrap_first: bool = False,
    stroke_bold: bool = False,
) -> Placed:
    """Draw ``value`` inside the box whose top-left corner is (x, y_top).

    ``stroke_bold`` thickens the regular face with a thin outline (text render mode 2): the
    cards use it instead of embedding a second face (each embedded face costs ~2.5 ms).
    """
    text = shown(value)
    placed = layout(text, font, size, min_size, width, height, wrap_first=wrap_first)
    if placed.cut:
        raise TextDoesNotFit(len(text), width, height)
    leading = placed.size * LEADING
    block = leading * len(placed.lines)
    if valign == "top":
        first_baseline = y_top - placed.size
    else:
        first_baseline = y_top - (height - block) / 2 - placed.size * 0.95
    canvas.setFont(font, placed.size)
    mode = None
    if stroke_bold:
        canvas.saveState()
        canvas.setLineWidth(placed.size * STROKE_BOLD)
        mode = 2  # fill, then stroke the outline
    for index, line in enumerate(placed.lines):
        baseline = first_baseline - index * leading
        if align == "center":
            canvas.drawCentredString(x + width / 2, baseline, line, mode=mode)
        elif align == "right":
            canvas.drawRightString(x + width, baseline, line, mode=mode)
        else:
            canvas.drawString(x, baseline, line, mode=mode)
    if stroke_bold:
        canvas.restoreState()
    return placed
