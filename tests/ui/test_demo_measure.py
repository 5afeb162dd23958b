"""The demo's own checks: a whole NIK on a screenshot is caught, goals are measured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.engine.view import Screen
from ui.demo.measure import Measurements, nik_runs, texts_of


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        ("3201014508900001", True),
        ("NIK: 3201 0145 0890 0001", True),
        ("3201.0145.0890.0001", True),
        ("•••• •••• •••• ••01", False),
        ("3201 0145 08__ ____", False),  # ten typed so far
        ("32010145089000011", False),  # 17 digits: not a NIK
        ("KK-3201-000042", False),
    ],
)
def test_a_whole_nik_is_recognised_in_any_grouping(text: str, leak: bool) -> None:
    assert bool(nik_runs([text])) is leak


def test_a_revealed_nik_on_the_keypad_fails_the_screenshot_and_a_masked_one_passes(
    window, show, press, tmp_path: Path
) -> None:
    show(screen=Screen.NIK_ENTRY)
    press(*(f"nik_key_{d}" for d in "3201014508900001"))
    measure = Measurements()
    assert measure.shot(window, "masked.png") == []  # masked: nothing to read
    press("nik_show")
    problems = measure.shot(window, "shown.png")
    assert "shown.png: a whole NIK on screen" in problems
    assert measure.nik_leaks == ["shown.png: a whole NIK on screen"]
    assert not measure.ok
    assert any("3201 0145" in t for t in texts_of(window))
    data = json.loads(measure.write(tmp_path).read_text())
    figures = data["screens"]["nik_entry (normal text)"]
    assert figures["min_text_px"] >= 32 and figures["min_target_px"] >= 90
    assert figures["min_gap_px"] >= 24 and figures["min_contrast"] >= 7
    assert data["nik_on_screenshots"] == ["shown.png: a whole NIK on screen"]


def test_journeys_over_their_goal_are_not_ok() -> None:
    measure = Measurements()
    measure.journey("a queue ticket", 2, 2, "ticket")
    assert measure.ok
    measure.journey("print a KK with a voucher QR", 9, 8, "done")
    assert not measure.ok
