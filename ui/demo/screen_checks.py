"""What "a screen fits" and the issue's measured goals mean, checked on a rendered window.

Used by the layout tests (every citizen screen, every panel size, both text sizes, both
languages) and by the demo, which measures its own screens. Each function returns a list of
problems (empty: all good), so one run reports everything that is wrong, not just the first.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from PySide6.QtCore import QRect
from PySide6.QtGui import QFontInfo, QImage
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget

from ui.theme import contrast_ratio
from ui.widgets.choice_panel import ChoicePanel
from ui.widgets.controls import TileButton, WrappingLabel
from ui.window import KioskWindow

MIN_TARGET_PX = 90
MIN_GAP_PX = 24
BODY_PX = 32
LARGE_BODY_PX = 48
MIN_CONTRAST = 7.0


def rect_in(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisible() and widget.isVisibleTo(window) and widget.width() > 0


def visible_leaves(window: KioskWindow) -> list[QWidget]:
    """Every text, button and picture the citizen sees now (only the overlay, when one is up)."""
    kinds = (QLabel, QPushButton, QProgressBar)
    panels = [p for p in window.current_page.findChildren(ChoicePanel) if p.isVisible()]
    if window.overlay.isVisible():
        roots: list[QWidget] = [window.overlay]
    elif window.staff_overlay.isVisible():
        roots = [window.staff_overlay]
    elif panels:
        roots = [*panels, window.header, window.help_bar]
    else:
        roots = [window.header, window.current_page, window.help_bar]
    leaves: list[QWidget] = []
    for root in roots:
        for widget in root.findChildren(QWidget):
            if isinstance(widget, kinds) and _shown(widget, window):
                leaves.append(widget)
        for name in ("camera_preview", "scan_guide"):
            extra = root.findChild(QWidget, name)
            if extra is not None and _shown(extra, window):
                leaves.append(extra)
    return leaves


def _label_problems(label: QLabel, name: str) -> list[str]:
    if not label.text():
        return []
    if label.wordWrap():
        if isinstance(label, WrappingLabel):
            needed = label.needed_height(label.width())
        else:
            needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return [f"{name} needs {needed}px high, has {label.height()}"]
        words = label.text().split()
        widest = max((label.fontMetrics().horizontalAdvance(w) for w in words), default=0)
        inner = label.contentsRect().width() - 2 * label.margin()
        if widest > inner + 1:
            return [f"{name}: a word {widest}px wide in {inner}px"]
        return []
    needed = label.sizeHint().width()
    if needed > label.width() + 1:
        return [f"{name} needs {needed}px wide, has {label.width()}"]
    return []


def _button_problems(button: QPushButton, name: str) -> list[str]:
    if isinstance(button, TileButton) or not button.text():
        return []  # a tile's text is its label, checked as one
    metrics = button.fontMetrics()
    lines = button.text().split("\n")
    widest = max(metrics.horizontalAdvance(line) for line in lines)
    problems = []
    if widest > button.contentsRect().width():
        problems.append(f"{name} text {widest}px wider than {button.contentsRect().width()}")
    if metrics.lineSpacing() * len(lines) > button.height():
        problems.append(f"{name} text taller than the button")
    return problems


def fit_problems(window: KioskWindow) -> list[str]:
    """Clipped text, widgets outside the window, overlapping widgets."""
    problems: list[str] = []
    leaves = visible_leaves(window)
    if not leaves:
        return ["nothing visible"]
    bounds = window.rect()
    rects = {id(widget): rect_in(widget, window) for widget in leaves}
    for widget in leaves:
        name = widget.objectName() or type(widget).__name__
        rect = rects[id(widget)]
        if not bounds.contains(rect):
            problems.append(f"{name} {rect.getRect()} outside the window {bounds.getRect()}")
        if isinstance(widget, QLabel):
            problems += _label_problems(widget, name)
        if isinstance(widget, QPushButton):
            problems += _button_problems(widget, name)
    for a, b in combinations(leaves, 2):
        overlap = rects[id(a)].intersected(rects[id(b)])
        related = a.isAncestorOf(b) or b.isAncestorOf(a)
        if overlap.width() > 1 and overlap.height() > 1 and not related:
            problems.append(f"{a.objectName()} overlaps {b.objectName()}")
    return problems


def gap_between(a: QRect, b: QRect) -> int | None:
    """The free space between two side-by-side or stacked rectangles (None: diagonal)."""
    if a.right() < b.left() or b.right() < a.left():
        if a.bottom() < b.top() or b.bottom() < a.top():
            return None
        return max(b.left() - a.right(), a.left() - b.right()) - 1
    if a.bottom() < b.top() or b.bottom() < a.top():
        return max(b.top() - a.bottom(), a.top() - b.bottom()) - 1
    return 0


def in_chrome(widget: QWidget, window: KioskWindow) -> bool:
    return window.header.isAncestorOf(widget) or window.help_bar.isAncestorOf(widget)


def goal_problems(window: KioskWindow, *, large: bool, portrait: bool) -> list[str]:
    """The issue's measured goals on the panel itself (scale 1): text size, touch targets and
    the gaps between them, and, in portrait, every control in the lower two thirds."""
    problems: list[str] = []
    leaves = visible_leaves(window)
    buttons = [w for w in leaves if isinstance(w, QPushButton)]
    for widget in leaves:
        if not isinstance(widget, QLabel | QPushButton) or not widget.text():
            continue
        if isinstance(widget, QLabel) and isinstance(widget.parentWidget(), TileButton):
            pass  # a tile's text: counted like any label below
        px = QFontInfo(widget.font()).pixelSize()
        body = LARGE_BODY_PX if large and not in_chrome(widget, window) else BODY_PX
        if isinstance(widget, TileButton):
            continue  # its label carries the text
        if px < body:
            problems.append(f"{widget.objectName()} text {px}px < {body}px")
    for button in buttons:
        size = button.size()
        if min(size.width(), size.height()) < MIN_TARGET_PX:
            problems.append(f"{button.objectName()} {size.width()}x{size.height()} < 90 px")
        if portrait and rect_in(button, window).top() < window.height() // 3:
            problems.append(
                f"{button.objectName()} in the top third (y={rect_in(button, window).top()})"
            )
    for a, b in combinations(buttons, 2):
        gap = gap_between(rect_in(a, window), rect_in(b, window))
        if gap is not None and gap < MIN_GAP_PX:
            problems.append(f"{a.objectName()} and {b.objectName()} {gap}px apart")
    return problems


def pixels_of(image: QImage) -> np.ndarray:
    """The image as an (h, w) array of 0xAARRGGBB values."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    row = image.bytesPerLine() // 4
    data = np.frombuffer(image.constBits(), dtype=np.uint32, count=row * image.height())
    return data.reshape(image.height(), row)[:, : image.width()].copy()  # the image is freed


def _hex(value: int) -> str:
    return f"#{value & 0xFFFFFF:06x}"


def measured_contrast(pixels: np.ndarray) -> tuple[float, str, str] | None:
    """Contrast of the text in ``pixels`` (a widget's area of the screen, as drawn): the
    background is the commonest colour, the text the colour furthest from it among those
    covering at least 1 % of the text's pixels (antialiased edges are in between)."""
    colours, counts = np.unique(pixels, return_counts=True)
    if len(colours) < 2:
        return None
    bg = int(colours[np.argmax(counts)])
    others = counts.sum() - counts.max()
    best: tuple[float, str, str] | None = None
    for colour, count in zip(colours.tolist(), counts.tolist(), strict=True):
        if colour == bg or count < max(3, others // 100):
            continue
        ratio = contrast_ratio(_hex(colour), _hex(bg))
        if best is None or ratio > best[0]:
            best = (ratio, _hex(colour), _hex(bg))
    return best


def text_contrasts(window: KioskWindow) -> list[tuple[QWidget, tuple[float, str, str] | None]]:
    """Every visible text as drawn on screen (grabbed pixels), with its measured contrast."""
    screen = pixels_of(window.grab().toImage())
    found: list[tuple[QWidget, tuple[float, str, str] | None]] = []
    for widget in visible_leaves(window):
        if not isinstance(widget, QLabel | QPushButton) or isinstance(widget, TileButton):
            continue
        if not widget.text():
            continue
        area = widget.contentsRect().translated(rect_in(widget, window).topLeft())
        area = area.intersected(window.rect())
        crop = screen[area.top() : area.bottom() + 1, area.left() : area.right() + 1]
        found.append((widget, measured_contrast(crop)))
    return found


def contrast_problems(window: KioskWindow) -> list[str]:
    """Every visible text as drawn reaches 7:1 against its background: checked on the
    rendering, not on the stylesheet's claims."""
    problems = []
    for widget, found in text_contrasts(window):
        if found is None:
            problems.append(f"{widget.objectName()}: no text drawn")
        elif found[0] < MIN_CONTRAST:
            ratio, fg, bg = found
            problems.append(f"{widget.objectName()}: {fg} on {bg} is {ratio:.1f}:1")
    return problems
