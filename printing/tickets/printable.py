"""Text that a receipt printer can only print, never obey.

Everything that reaches a ticket from data (office and service names, labels) passes through
:func:`printable`: Unicode is normalised (NFC), control and format characters (C0, C1, DEL,
bidi overrides, zero-width marks) are removed, line breaks, tabs and spaces collapse to single
spaces, and what the printer's code page (CP437, ``ESC t 0``, the page every ESC/POS printer has)
cannot show is transliterated (``ā`` -> ``a``, full-width ``Ａ`` -> ``A``) or replaced with ``?``.

The result encodes (:func:`encode_printable`) to bytes in ``0x20-0x7E`` and ``0x80-0xFF`` only:
no ESC, GS, FS, DLE, NUL, CAN or any other byte that starts an ESC/POS command.
"""

from __future__ import annotations

import textwrap
import unicodedata

CODE_PAGE = "cp437"  # Python codec of the printer's code page 0 (ESC t 0)
REPLACEMENT = "?"
ELLIPSIS = "..."


def _is_printable_byte(value: int) -> bool:
    return 0x20 <= value <= 0x7E or value >= 0x80


def _encodable(char: str) -> bool:
    try:
        encoded = char.encode(CODE_PAGE)
    except UnicodeEncodeError:
        return False
    return len(encoded) == 1 and _is_printable_byte(encoded[0])


def _transliterate(char: str) -> str:
    """``char`` spelled with code-page characters (diacritics dropped), or ``?``."""
    spelled = "".join(
        part
        for part in unicodedata.normalize("NFKD", char)
        if not unicodedata.combining(part) and unicodedata.category(part)[0] != "C"
    )
    if spelled and all(_encodable(part) for part in spelled):
        return spelled
    return REPLACEMENT


def printable(text: str) -> str:
    """``text`` reduced to characters the printer prints (one line, single spaces, stripped)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if char in "\t\n\v\f\r" or category in ("Zs", "Zl", "Zp"):
            out.append(" ")
        elif category[0] == "C" or category in ("Mn", "Me", "Mc"):
            continue  # controls, format (bidi, zero-width), surrogates, private use, lone marks
        elif _encodable(char):
            out.append(char)
        else:
            out.append(_transliterate(char))
    return " ".join("".join(out).split())


def encode_printable(text: str) -> bytes:
    """The code-page bytes of ``text``; raises ``ValueError`` if it was not made printable."""
    if text != printable(text):
        raise ValueError("text must pass through printable() first")
    return text.encode(CODE_PAGE)


def fit_lines(text: str, columns: int, max_lines: int) -> list[str]:
    """``printable(text)`` wrapped to ``columns``; beyond ``max_lines`` it ends with ``...``."""
    if columns <= len(ELLIPSIS) or max_lines < 1:
        raise ValueError("need more than 3 columns and at least one line")
    clean = printable(text)
    if not clean:
        return []
    wrapped = textwrap.wrap(clean, columns, break_long_words=True, break_on_hyphens=False)
    lines = [line.strip() for line in wrapped if line.strip()]
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    if len(last) + len(ELLIPSIS) > columns:
        last = last[: columns - len(ELLIPSIS)].rstrip()
    kept[-1] = last + ELLIPSIS
    return kept
