"""Fitting and cleaning text: whatever the input, lines stay inside their box."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printing.documents.text_clean import clean_text
from printing.drawing.fonts import BOLD, REGULAR, printable, register_fonts, text_width
from printing.drawing.text_fit import LEADING, layout, shown, wrap

register_fonts()


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "S"]),
        min_size=1,
        max_size=520,
    ),
    width=st.floats(min_value=20, max_value=400),
    height=st.floats(min_value=6, max_value=60),
    size=st.floats(min_value=5, max_value=14),
    font=st.sampled_from([REGULAR, BOLD]),
)
def test_layout_never_leaves_the_box(
    text: str, width: float, height: float, size: float, font: str
) -> None:
    text = shown(clean_text(text))
    placed = layout(text, font, size, 3.0, width, height)
    assert 3.0 - 1e-9 <= placed.size <= size + 1e-9
    for line in placed.lines:
        assert text_width(line, font, placed.size) <= width + 0.01
    if len(placed.lines) > 1 or placed.cut:
        assert (
            len(placed.lines) * placed.size * LEADING <= max(height, placed.size * LEADING) + 0.01
        )
    if not placed.cut:
        assert "".join("".join(placed.lines).split()) == "".join(text.split())


def test_wrap_keeps_every_character_in_order() -> None:
    text = "SATU DUA TIGA " + "X" * 80 + " EMPAT"
    lines = wrap(text, REGULAR, 8, 60)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(text_width(line, REGULAR, 8) <= 60 for line in lines)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Embun \t Pagi \n", "Embun Pagi"),
        ("A\u202eB\u202dC\u2066D\u2069", "ABCD"),
        ("Z\u200bW\u200cX\u200dY\ufeff", "ZWXY"),
        ("\x00\x01BEL\x07\x1b[0m\x7f", "BEL[0m"),
        ("e\u0301", "é"),
        ("line\u2028break\u2029para", "line break para"),
        ("\ud800lone", "lone"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_printable_replaces_and_logs_code_points_only(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="printing.drawing.fonts"):
        assert printable("RAHASIA 𝄞 NAMA") == "RAHASIA \ufffd NAMA"
    assert "U+1D11E" in caplog.text
    assert "RAHASIA" not in caplog.text


def test_shown_prints_a_dash_for_missing() -> None:
    assert shown(None) == "-"
    assert shown("   ") == "-"
    assert shown("ADA") == "ADA"
