"""The help bar on every citizen screen: call staff, listen (spoken prompts), large text."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.engine.view import CallStaff, DismissStaffCall, Screen, SetLargeText
from kiosk.speech import Announcer, AplayPlayer, AudioSettingsStore, EspeakSynthesizer
from ui.i18n.catalog import LANGUAGES, MESSAGES, Catalog
from ui.window import KioskWindow

HELP_BUTTONS = ("call_staff", "listen", "large_text", "lang_toggle")


def widget(window: KioskWindow, kind: type[Any], name: str) -> Any:
    found = window.findChild(kind, name)
    assert found is not None, name
    return found


def test_every_screen_has_its_spoken_prompt_in_both_languages() -> None:
    catalog = Catalog(strict=True)
    for screen in Screen:
        key = f"prompt_{screen.value}"
        for language in LANGUAGES:
            text = catalog.text(key, language)
            assert len(text.split()) >= 4, (key, language)
            # Fixed texts only: no number a citizen typed or owns (the WAV cache is keyed by it).
            assert not re.search(r"[0-9]", text), (key, language)
    prompts = [k for k in MESSAGES if k.startswith("prompt_")]
    assert all(MESSAGES[k]["id"] != MESSAGES[k]["en"] for k in prompts)


def test_each_page_says_its_prompt_and_the_done_page_says_card_or_paper(
    window, show, sample_views
) -> None:
    catalog = Catalog(strict=True)
    for state, fields in sample_views.items():
        show(**fields)
        text = window.prompt_text()
        if state == "warning":
            assert text == catalog.text("prompt_warning", "id")
        elif state == "staff_called":
            assert text == catalog.text("prompt_staff_called", "id")
        elif state == "done":
            assert text == catalog.text("prompt_done", "id")  # a KK: the paper tray
        elif state == "done_more":  # the family's other documents are offered aloud too
            assert text == catalog.text("prompt_done_more", "id")
        elif state == "error_locked":  # no counter service on screen: no "blue button"
            assert text == catalog.text("prompt_error_no_ticket", "id")
        else:
            assert text == catalog.text(f"prompt_{fields['screen'].value}", "id"), state
    show(screen=Screen.DONE, document=sample_views["confirm_card"]["document"])
    assert "slot kartu" in window.prompt_text()
    assert "ponsel" in window.prompt_text()  # the reminder is spoken as well


def test_the_help_bar_is_on_every_citizen_screen(window, show, sample_views) -> None:
    for state, fields in sample_views.items():
        if state in ("warning", "staff_called"):
            continue  # a panel covers the screen; its own button is the way on
        show(**fields)
        for name in HELP_BUTTONS:
            assert widget(window, QPushButton, name).isVisible(), (state, name)


def test_call_staff_says_someone_is_coming_with_the_time_in_the_office_zone(
    window, show, session, press
) -> None:
    show(screen=Screen.PIN)
    press("call_staff")
    assert session.sent(CallStaff) == [CallStaff()]
    show(screen=Screen.PIN, staff_called_at=datetime(2026, 11, 23, 2, 42, tzinfo=UTC))
    assert window.staff_overlay.isVisible()
    assert widget(window, QLabel, "staff_call_title").text() == "Petugas segera datang"
    # The window's office is in Asia/Jayapura (UTC+9): 02:42 UTC is 11:42 WIT.
    assert widget(window, QLabel, "staff_call_when").text() == "Dipanggil pukul 11:42 WIT"
    press("staff_call_close")
    assert session.sent(DismissStaffCall) == [DismissStaffCall()]
    show(screen=Screen.PIN)
    assert not window.staff_overlay.isVisible()
    assert widget(window, QPushButton, "pin_key_1").isVisible()  # the flow goes on


def test_large_text_toggle_makes_page_text_48_px_and_keeps_the_help_bar(
    window, show, session, press
) -> None:
    show(screen=Screen.MENU)
    title = widget(window, QLabel, "menu_title")
    bar_button = widget(window, QPushButton, "call_staff")
    bar_px = QFontInfo(bar_button.label.font()).pixelSize()
    assert widget(window, QPushButton, "large_text").text() == "Huruf besar"
    press("large_text")
    assert session.sent(SetLargeText) == [SetLargeText(True)]
    show(screen=Screen.MENU, large_text=True)
    assert widget(window, QPushButton, "large_text").text() == "Huruf biasa"
    tile = widget(window, QPushButton, "menu_print")
    assert QFontInfo(tile.label.font()).pixelSize() >= 48
    assert QFontInfo(title.font()).pixelSize() >= 48
    assert QFontInfo(bar_button.label.font()).pixelSize() == bar_px  # the bar stays put
    press("large_text")
    assert session.sent(SetLargeText)[-1] == SetLargeText(False)
    show(screen=Screen.MENU)
    assert QFontInfo(tile.label.font()).pixelSize() == 32


@pytest.fixture
def announcer(tmp_path: Path):  # type: ignore[no-untyped-def]
    speaker = Announcer(
        EspeakSynthesizer(tmp_path / "speech"),
        AplayPlayer("null"),  # ALSA's null device: the real aplay, no sound card needed
        AudioSettingsStore(tmp_path / "audio.json"),
    )
    yield speaker
    speaker.close()


def test_a_screen_speaks_its_prompt_when_it_opens_and_on_listen(
    window, show, press, announcer: Announcer
) -> None:
    catalog = Catalog(strict=True)
    window.set_speaker(announcer)
    show(screen=Screen.MENU)
    show(screen=Screen.SCAN)
    assert announcer.wait_idle(60)  # all prompts were synthesised ahead, this one played
    assert announcer.played[-1] == ("id", catalog.text("prompt_scan", "id"))
    played = len(announcer.played)
    press("listen")
    assert announcer.wait_idle(15)
    assert len(announcer.played) == played + 1
    assert announcer.played[-1] == ("id", catalog.text("prompt_scan", "id"))
    show(screen=Screen.SCAN, language="en")  # another language: said again, in it
    assert announcer.wait_idle(15)
    assert announcer.played[-1] == ("en", catalog.text("prompt_scan", "en"))
    window.set_speaker(None)


def test_every_prompt_is_cached_once_per_language_under_a_hashed_name(
    window, announcer: Announcer, tmp_path: Path
) -> None:
    window.set_speaker(announcer)  # synthesises every prompt ahead, in every language
    assert announcer.wait_idle(120)
    cache = sorted(p.name for p in (tmp_path / "speech").iterdir())
    prompts = [k for k in MESSAGES if k.startswith("prompt_")]
    assert len(cache) == 2 * len(prompts)
    assert all(re.fullmatch(r"[0-9a-f]{40}\.wav", name) for name in cache)
    window.set_speaker(None)
