"""Cleaning registry text before it reaches a page.

Registry strings are hostile until checked: they may carry control bytes, bidi overrides
(U+202E turns ``ABC`` into ``CBA`` on screen), zero-width characters that hide in names, or
decomposed accents. :func:`clean_text` NFC-normalises, turns line breaks and tabs into
spaces, removes every other control, format (Cf), surrogate and private-use character, and
collapses runs of white space. It never interprets markup: text is drawn with
``drawString``, so ``<img src=...>`` prints as those characters.
"""

from __future__ import annotations

import unicodedata

_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
_SPACE_CATEGORIES = frozenset({"Zs", "Zl", "Zp"})
_SPACE_CONTROLS = frozenset("\t\n\r\v\f\x1c\x1d\x1e\x1f\x85")


def clean_text(raw: str) -> str:
    """The printable form of ``raw``; see the module docstring for what goes."""
    text = unicodedata.normalize("NFC", raw)
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char in _SPACE_CONTROLS or category in _SPACE_CATEGORIES:
            out.append(" ")
        elif category not in _REMOVED_CATEGORIES:
            out.append(char)
    # Removing a combining-mark neighbour can leave a new composable pair: normalise again.
    return unicodedata.normalize("NFC", " ".join("".join(out).split()))
