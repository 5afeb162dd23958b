"""Touch first: 15 mm targets, 24 pt text, 7:1 contrast, and no clipping in either orientation."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QPushButton, QWidget

from ui.theme import BODY_PT, COLOUR_PAIRS, TouchMetrics, contrast_ratio, mm_to_px, stylesheet
from ui.window import KioskWindow

SIZES = [(1920, 1080), (1080, 1920)]


def test_every_colour_pair_reaches_aaa_contrast() -> None:
    for pair in COLOUR_PAIRS:
        assert contrast_ratio(pair.fg, pair.bg) >= 7.0, pair


def test_contrast_formula_against_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_every_stylesheet_rule_with_two_colours_reaches_7_to_1() -> None:
    sheet = stylesheet(TouchMetrics(96))
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", sheet)
    checked = 0
    for selector, body in rules:
        fg = re.search(r"(?<![-\w])color:\s*(#[0-9a-f]{6})", body)
        bg = re.search(r"background-color:\s*(#[0-9a-f]{6})", body)
        if fg and bg:
            checked += 1
            assert contrast_ratio(fg.group(1), bg.group(1)) >= 7.0, selector.strip()
    assert checked >= 10


def test_no_hover_only_cues() -> None:
    assert ":hover" not in stylesheet(TouchMetrics(96))


def test_touch_sizes_follow_the_dpi() -> None:
    assert TouchMetrics(96).target_px == 57  # 15 mm at 96 dpi
    assert TouchMetrics(160).target_px == mm_to_px(15, 160) == 95


def _visible_leaves(window: KioskWindow) -> list[QWidget]:
    kinds = (QLabel, QPushButton, QProgressBar)
    page = window.current_page
    roots: list[QWidget] = [window.header, page]
    if window.overlay.isVisible():
        roots = [window.overlay]
    leaves: list[QWidget] = []
    for root in roots:
        for widget in root.findChildren(QWidget):
            if isinstance(widget, kinds) and widget.isVisible() and widget.isVisibleTo(window):
                leaves.append(widget)
        for name in ("camera_preview", "scan_guide"):
            extra = root.findChild(QWidget, name)
            if extra is not None and extra.isVisible():
                leaves.append(extra)
    return leaves


def _rect_in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def _check_fits(widget: QWidget, window: KioskWindow) -> list[str]:
    problems = []
    name = widget.objectName() or type(widget).__name__
    rect = _rect_in_window(widget, window)
    if not window.rect().contains(rect):
        problems.append(f"{name} {rect} outside the window")
    if isinstance(widget, QLabel) and widget.text():
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + 1:
                problems.append(f"{name} needs {needed}px high, has {widget.height()}")
        else:
            needed = widget.sizeHint().width()
            if needed > widget.width() + 1:
                problems.append(f"{name} needs {needed}px wide, has {widget.width()}")
    if isinstance(widget, QPushButton) and widget.text():
        metrics = widget.fontMetrics()
        lines = widget.text().split("\n")
        widest = max(metrics.horizontalAdvance(line) for line in lines)
        if widest > widget.contentsRect().width():
            problems.append(f"{name} text {widest}px wider than {widget.contentsRect().width()}")
        if metrics.lineSpacing() * len(lines) > widget.height():
            problems.append(f"{name} text taller than the button")
    return problems


@pytest.mark.parametrize("size", SIZES, ids=["landscape", "portrait"])
def test_every_screen_fits_without_clipping_or_overlap(
    qtbot, window, show, sample_views, metrics, size
) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().width() == size[0])
    problems: list[str] = []
    for state, fields in sample_views.items():
        show(**fields)
        for _ in range(3):  # labels that re-wrap ask for a second layout pass
            QApplication.processEvents()
        leaves = _visible_leaves(window)
        assert leaves, state
        for widget in leaves:
            problems += [f"{state}: {p}" for p in _check_fits(widget, window)]
            name = widget.objectName()
            small = min(widget.width(), widget.height()) < metrics.target_px
            if isinstance(widget, QPushButton) and small:
                problems.append(f"{state}: {name} {widget.size()} under 15 mm")
            text = isinstance(widget, QLabel | QPushButton) and widget.text()
            if text and widget.font().pointSizeF() < BODY_PT:
                problems.append(f"{state}: {name} text under {BODY_PT} pt")
        for a, b in combinations(leaves, 2):
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            overlap = _rect_in_window(a, window).intersected(_rect_in_window(b, window))
            if overlap.width() > 1 and overlap.height() > 1:
                problems.append(f"{state}: {a.objectName()} overlaps {b.objectName()}")
    assert problems == []
