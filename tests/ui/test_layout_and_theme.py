"""Touch first: 24 mm targets, 24 pt text (36 pt in large-text mode), 7:1 contrast.

That every screen fits every panel is tests/ui/test_panel_sizes.py's job."""

from __future__ import annotations

import re

import pytest

from ui.theme import (
    BODY_PT,
    COLOUR_PAIRS,
    TouchMetrics,
    contrast_ratio,
    font_rules,
    mm_to_px,
    stylesheet,
)


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
    assert TouchMetrics(96).target_px == 91  # 24 mm at 96 dpi: over the 90 px
    assert TouchMetrics(96).gap_px == 25  # 6.5 mm: over the 24 px gaps
    assert TouchMetrics(160).target_px == mm_to_px(24, 160) == 152


def test_large_text_makes_body_text_one_and_a_half_times_larger() -> None:
    normal, large = font_rules(TouchMetrics(96)), font_rules(TouchMetrics(96), large=True)
    assert f"QWidget {{ font-size: {BODY_PT}pt; }}" in normal
    assert f"QWidget {{ font-size: {BODY_PT * 3 // 2}pt; }}" in large  # 24 pt -> 36 pt (48 px)
