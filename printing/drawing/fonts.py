"""The embedded fonts (DejaVu Sans regular and bold, shipped in ``printing/fonts``).

Registration happens once per process. :func:`printable` replaces every character the font
cannot draw with U+FFFD (a visible box-with-question-mark glyph DejaVu has) and logs which code
points were replaced, never the text itself (it may be a name).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from printing.drawing import pdf_encoding

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
REPLACEMENT = "\ufffd"
# Spaces pass as they are; a no-break space marks a name the line breaker keeps whole, and the
# drawing code prints it as a plain space (printing.drawing.text_fit).
_SPACES = frozenset(" \u00a0")
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_coverage: frozenset[int] = frozenset()


def register_fonts() -> None:
    """Register both faces with reportlab (idempotent, thread-safe).

    Also turns off reportlab's ASCII85 stream encoding (process-wide): binary zlib streams
    are valid PDF, a fifth smaller, and encoding them is several milliseconds faster; and
    installs the byte-identical fast path for reportlab's PDF text encoding.
    """
    global _coverage
    if _coverage:
        return
    with _lock:
        if _coverage:
            return
        rl_config.useA85 = 0
        pdf_encoding.install()
        maps = []
        for name, filename in _FILES.items():
            font = TTFont(name, str(FONT_DIR / filename))
            pdfmetrics.registerFont(font)
            maps.append(frozenset(font.face.charToGlyph))
        # A character prints only if both faces have it, so bold and regular agree.
        _coverage = maps[0] & maps[1]


def printable(text: str) -> str:
    """``text`` with characters the fonts lack replaced by U+FFFD (and logged).

    Deliberately not cached: a cache would keep citizens' names in memory after their print.
    """
    register_fonts()
    missing = sorted({ord(c) for c in text if ord(c) not in _coverage and c not in _SPACES})
    if not missing:
        return text
    log.warning(
        "replaced %d character(s) the font lacks: %s",
        len(missing),
        " ".join(f"U+{cp:04X}" for cp in missing[:8]),
    )
    return "".join(c if ord(c) in _coverage or c in _SPACES else REPLACEMENT for c in text)


def text_width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))
