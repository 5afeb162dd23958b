"""The kiosk's look: colours (with their WCAG contrast), touch sizes from the screen's dpi, fonts.

Every foreground/background pair the stylesheet uses is declared once in :data:`COLOUR_PAIRS`
so a test can check each reaches 7:1 (WCAG AAA). Touch targets are computed in millimetres
from the logical dpi, so a 15 mm button stays 15 mm on any panel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FONT_FAMILY = "DejaVu Sans"
BODY_PT = 24  # body text, points: 32 px at 96 dpi (issue 14: >= 32 px)
SMALL_PT = 24  # nothing citizen-facing is smaller than body text
TITLE_PT = 36
HERO_PT = 56  # ticket numbers, the attract title
# Large-text mode (the citizen's choice): body text 1.5x (48 px at 96 dpi). Headings (48 px)
# and the hero numbers (75 px) are already that large and keep their size: on a 1366 x 768
# panel the room they would take is what lets every screen still fit.
LARGE_BODY = 1.5
LARGE_TITLE = 1.0
LARGE_HERO = 1.0
MIN_TARGET_MM = 24.0  # smallest touch target, mm: 91 px at 96 dpi (issue 14: >= 90 px)
KEY_TARGET_MM = 24.0  # keypad keys, mm
GAP_MM = 6.5  # between neighbouring touch targets: 25 px at 96 dpi (issue 14: >= 24 px)
MM_PER_INCH = 25.4


@dataclass(frozen=True, slots=True)
class ColourPair:
    role: str  # the ``role`` property value (or widget kind) using this pair
    fg: str  # "#rrggbb"
    bg: str


# role -> (text colour, background colour). All must reach 7:1.
COLOUR_PAIRS: tuple[ColourPair, ...] = (
    ColourPair("page", "#1a1a1a", "#ffffff"),
    ColourPair("header", "#ffffff", "#0b3d91"),
    ColourPair("primary", "#ffffff", "#0b3d91"),
    ColourPair("primary_pressed", "#ffffff", "#062a66"),
    ColourPair("secondary", "#0b2a5b", "#e3eaf5"),
    ColourPair("secondary_pressed", "#ffffff", "#0b3d91"),
    ColourPair("disabled", "#2e2e2e", "#d4d4d4"),
    ColourPair("danger", "#ffffff", "#8b1a1a"),
    ColourPair("success", "#ffffff", "#1b5e20"),
    ColourPair("notice", "#1a1a1a", "#fff1b8"),
    ColourPair("error_panel", "#5c0f0f", "#fdecec"),
    ColourPair("ok_panel", "#0f3d13", "#e6f4e7"),
    ColourPair("key", "#0b2a5b", "#e3eaf5"),
    ColourPair("overlay", "#1a1a1a", "#fff1b8"),
    ColourPair("checked", "#ffffff", "#0b3d91"),
    ColourPair("help", "#1a1a1a", "#ffd166"),  # "Panggil petugas": found at a glance
    ColourPair("tile", "#1a1a1a", "#ffffff"),  # attract tiles: white, framed in primary
    ColourPair("tile_active", "#0b2a5b", "#e3eaf5"),  # the tile the slide talks about
)

PAIRS = {pair.role: pair for pair in COLOUR_PAIRS}


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    if len(colour) != 7 or colour[0] != "#":
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    a, b = relative_luminance(fg), relative_luminance(bg)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def mm_to_px(mm: float, dpi: float) -> int:
    return math.ceil(mm * dpi / MM_PER_INCH)


@dataclass(frozen=True, slots=True)
class TouchMetrics:
    """Sizes in device-independent pixels for a screen with ``dpi`` logical dots per inch.

    ``scale`` below 1 shrinks everything for a developer's preview window (``kiosk run`` in a
    window smaller than the panel); the kiosk itself always runs at 1.
    """

    dpi: float
    scale: float = 1.0

    def _px(self, mm: float) -> int:
        return max(1, round(mm_to_px(mm, self.dpi) * self.scale))

    @property
    def target_px(self) -> int:
        return self._px(MIN_TARGET_MM)

    @property
    def key_px(self) -> int:
        return self._px(KEY_TARGET_MM)

    @property
    def spacing_px(self) -> int:
        """Between lines of text."""
        return self._px(3.0)

    @property
    def gap_px(self) -> int:
        """Between neighbouring touch targets (and the blocks of a page)."""
        return self._px(GAP_MM)

    @property
    def margin_px(self) -> int:
        return self._px(GAP_MM)

    def pt(self, points: float) -> int:
        """A font size in points, scaled like everything else."""
        return max(6, round(points * self.scale))


def font_rules(metrics: TouchMetrics, large: bool = False) -> str:
    """The font sizes of the citizen's pages; ``large``: the large-text mode's.

    The window applies the large set to its page stack only: the header and the help bar keep
    their size and place, so the toggle is where it was when the citizen looks for it again.
    """
    body = metrics.pt(BODY_PT * (LARGE_BODY if large else 1))
    title = metrics.pt(TITLE_PT * (LARGE_TITLE if large else 1))
    hero = metrics.pt(HERO_PT * (LARGE_HERO if large else 1))
    rules = [
        f"QWidget {{ font-size: {body}pt; }}",
        f"QLabel[role='title'] {{ font-size: {title}pt; }}",
        f"QLabel[role='hero'] {{ font-size: {hero}pt; }}",
        f"#attract_start, #confirm_print, #done_finish {{ font-size: {title}pt; }}",
        f"#check_verdict, #done_where, #ticket_status {{ font-size: {title}pt; }}",
        f"QPushButton[role='key'] {{ font-size: {title}pt; }}",
        f"QPushButton[role='key_word'] {{ font-size: {body}pt; }}",
    ]
    return "\n".join(rules)


def stylesheet(metrics: TouchMetrics) -> str:
    """The application stylesheet; colours only from :data:`COLOUR_PAIRS`."""
    p = PAIRS
    t = metrics.target_px
    pad = max(8, t // 5)
    radius = max(6, t // 8)
    # QSS sizes are the content box: a button is min-height + padding + border (2 px) high.
    inner = max(1, t - 2 * pad - 4)
    key_inner = max(1, metrics.key_px - 2 * 4 - 4)
    rules = [
        f"QWidget {{ font-family: '{FONT_FAMILY}'; font-size: {metrics.pt(BODY_PT)}pt; }}",
        f"#kiosk_root, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget "
        f"{{ color: {p['page'].fg}; background-color: {p['page'].bg}; }}",
        f"QLabel {{ color: {p['page'].fg}; background-color: transparent; }}",
        f"#header {{ color: {p['header'].fg}; background-color: {p['header'].bg}; }}",
        f"#header QLabel {{ color: {p['header'].fg}; }}",
        f"QLabel[role='title'] {{ font-size: {metrics.pt(TITLE_PT)}pt; font-weight: bold; }}",
        "QLabel[role='strong'] { font-weight: bold; }",  # a form's field names
        f"QLabel[role='hero'] {{ font-size: {metrics.pt(HERO_PT)}pt; font-weight: bold; }}",
        f"QLabel[role='notice'] {{ color: {p['notice'].fg}; background-color: {p['notice'].bg};"
        f" padding: {pad}px; border-radius: {radius}px; }}",
        f"QLabel[role='error_panel'] {{ color: {p['error_panel'].fg};"
        f" background-color: {p['error_panel'].bg}; padding: {pad}px;"
        f" border-radius: {radius}px; }}",
        f"QLabel[role='ok_panel'] {{ color: {p['ok_panel'].fg};"
        f" background-color: {p['ok_panel'].bg}; padding: {pad}px;"
        f" border-radius: {radius}px; }}",
        f"#attract_start, #confirm_print, #done_finish {{ min-height: {t * 3 // 2 - 2 * pad - 4}px;"
        f" font-size: {metrics.pt(TITLE_PT)}pt; }}",
        f"#check_verdict, #done_where, #ticket_status {{ font-size: {metrics.pt(TITLE_PT)}pt;"
        f" font-weight: bold; }}",
        f"QPushButton {{ min-height: {inner}px; min-width: {inner}px; padding: {pad}px;"
        f" border-radius: {radius}px; border: 2px solid {p['primary'].bg};"
        f" color: {p['secondary'].fg}; background-color: {p['secondary'].bg}; }}",
        f"QPushButton:pressed, QPushButton:checked {{ color: {p['secondary_pressed'].fg};"
        f" background-color: {p['secondary_pressed'].bg}; }}",
        f"QPushButton[role='primary'] {{ color: {p['primary'].fg};"
        f" background-color: {p['primary'].bg}; font-weight: bold; }}",
        f"QPushButton[role='primary']:pressed {{ color: {p['primary_pressed'].fg};"
        f" background-color: {p['primary_pressed'].bg}; }}",
        f"QPushButton[role='danger'] {{ color: {p['danger'].fg};"
        f" background-color: {p['danger'].bg};"
        f" border-color: {p['danger'].bg}; }}",
        f"QPushButton[role='key'] {{ color: {p['key'].fg}; background-color: {p['key'].bg};"
        f" font-size: {metrics.pt(TITLE_PT)}pt; font-weight: bold; min-height: {key_inner}px;"
        f" min-width: {key_inner}px; padding: 4px; }}",
        f"QPushButton[role='key_word'] {{ color: {p['key'].fg}; background-color: {p['key'].bg};"
        f" min-height: {key_inner}px; min-width: {key_inner}px;"
        f" padding: 4px; }}",
        f"QPushButton:disabled, QPushButton[role='primary']:disabled,"
        f" QPushButton[role='key']:disabled,"
        f" QPushButton[role='key_word']:disabled {{ color: {p['disabled'].fg};"
        f" background-color: {p['disabled'].bg}; border-color: {p['disabled'].bg}; }}",
        f"#header QPushButton {{ color: {p['secondary'].fg}; background-color: {p['secondary'].bg};"
        f" border-color: {p['secondary'].bg}; }}",
        f"#warning_overlay {{ color: {p['overlay'].fg}; background-color: {p['overlay'].bg};"
        f" border: 4px solid {p['primary'].bg}; border-radius: {radius}px; }}",
        f"QProgressBar {{ min-height: {t // 2}px; border: 2px solid {p['primary'].bg};"
        f" border-radius: {radius}px; color: {p['page'].fg}; background-color: {p['page'].bg};"
        f" text-align: center; }}",
        f"QProgressBar::chunk {{ background-color: {p['success'].bg}; }}",
        f"QPushButton[role='help'] {{ color: {p['help'].fg}; background-color: {p['help'].bg};"
        f" border-color: {p['help'].fg}; font-weight: bold; }}",
        f"QPushButton[role='help']:pressed {{ color: {p['secondary_pressed'].fg};"
        f" background-color: {p['secondary_pressed'].bg}; }}",
        f"QPushButton[role='tile'] {{ color: {p['tile'].fg}; background-color: {p['tile'].bg};"
        f" border: 3px solid {p['primary'].bg}; }}",
        f"QPushButton[role='tile'][active='true'] {{ color: {p['tile_active'].fg};"
        f" background-color: {p['tile_active'].bg}; border: 6px solid {p['primary'].bg}; }}",
        f"QPushButton[role='tile']:pressed {{ color: {p['secondary_pressed'].fg};"
        f" background-color: {p['secondary_pressed'].bg}; }}",
        f"QLabel[role='on_primary'] {{ color: {p['primary'].fg}; font-weight: bold; }}",
        f"QLabel[role='on_secondary'] {{ color: {p['secondary'].fg}; }}",
        f"QLabel[role='on_tile'] {{ color: {p['tile'].fg}; font-weight: bold; }}",
        f"QLabel[role='on_help'] {{ color: {p['help'].fg}; font-weight: bold; }}",
        f"QLabel[role='on_pressed'] {{ color: {p['secondary_pressed'].fg}; }}",
        f"QLabel[dim='true'] {{ color: {p['disabled'].fg}; }}",
        f"#help_bar {{ color: {p['header'].fg}; background-color: {p['header'].bg}; }}",
        f"#choice_panel {{ color: {p['overlay'].fg}; background-color: {p['overlay'].bg};"
        f" border: 4px solid {p['primary'].bg}; border-radius: {radius}px; }}",
        f"#staff_call_panel {{ color: {p['overlay'].fg}; background-color: {p['overlay'].bg};"
        f" border: 4px solid {p['primary'].bg}; border-radius: {radius}px; }}",
    ]
    return "\n".join(rules)
