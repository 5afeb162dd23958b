"""Technician screens in the chosen language only, the overview page, and the sound page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fakes.kiosks import journal_suspect
from fakes.sim_kiosk import click
from PySide6.QtWidgets import QLabel, QPushButton, QTableWidget

from devices.faults import Fault
from kiosk.bootstrap import Kiosk
from kiosk.speech import (
    Announcer,
    AplayPlayer,
    AudioSettings,
    AudioSettingsStore,
    EspeakSynthesizer,
)
from tests.ui.technician.conftest import enter_pin
from ui.technician.audio_page import AudioPage
from ui.technician.overlay import TechnicianOverlay

# English words the Indonesian pages used to show ("camera idle ok", "Transaksi SUSPECT", ...)
ENGLISH = re.compile(
    r"\b(idle|busy|offline|closed|ok|paper|cover|camera|receipt|document|card|suspect|"
    r"reachable|free|hours|left|low|streaming|simulated|failed|read|test|blanko left|"
    r"transaction|jobs|pages|cuts|lines|errors|decode)\b",
    re.IGNORECASE,
)


def login(qtbot, overlay: TechnicianOverlay) -> None:  # type: ignore[no-untyped-def]
    enter_pin(qtbot, overlay, "246810")
    qtbot.waitUntil(lambda: overlay.top.currentIndex() == 1, timeout=10_000)


def idle(qtbot, overlay: TechnicianOverlay) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not overlay.runner.busy, timeout=20_000)


def shown_texts(overlay: TechnicianOverlay) -> list[str]:
    texts = []
    for widget in overlay.findChildren(QLabel) + overlay.findChildren(QPushButton):
        if widget.isVisible() and widget.text():
            texts.append(widget.text())
    for table in overlay.findChildren(QTableWidget):
        if not table.isVisible():
            continue
        for c in range(table.columnCount()):
            header = table.horizontalHeaderItem(c)
            texts.append(header.text() if header is not None else "")
            for r in range(table.rowCount()):
                item = table.item(r, c)
                texts.append(item.text() if item is not None else "")
    return texts


def test_every_technician_page_in_indonesian_has_no_english(
    qtbot, overlay: TechnicianOverlay, sim_kiosk: Kiosk
) -> None:  # type: ignore[no-untyped-def]
    journal_suspect(sim_kiosk)  # a row on the SUSPECT page
    sim_kiosk.faults.inject("receipt", Fault.PAPER_OUT)  # a condition and a last error
    try:
        login(qtbot, overlay)
        if overlay.ctx.language != "id":
            click(qtbot, overlay, "tech_language")
        found: list[str] = []
        for name in overlay.pages:
            if name == "readers":
                continue  # decoded codes are shown as read
            click(qtbot, overlay, f"tech_nav_{name}")
            idle(qtbot, overlay)
            if name == "health":
                click(qtbot, overlay, "tech_health_internal")
                idle(qtbot, overlay)
            for text in shown_texts(overlay):
                if name == "suspect":  # the journal's own reason and ids stay as written
                    text = re.sub(r"(tx|V|TX)-\S+", "", text)
                found += [f"{name}: {m.group(0)!r} in {text!r}" for m in ENGLISH.finditer(text)]
        status = overlay.pages["status"]
        row = status.row_for("receipt")  # type: ignore[attr-defined]
        assert row[0] == "Printer tiket" and "kertas habis" in row[1]
        assert "Kertas: habis" in row[2]
        card = status.row_for("card")  # type: ignore[attr-defined]
        assert re.search(r"Blanko: \d+ tersisa \(menipis pada 10\)", card[2])
    finally:
        sim_kiosk.faults.clear("receipt", Fault.PAPER_OUT)
    reasons = {r.reason for r in sim_kiosk.journal.recent()}
    found = [f for f in found if not any(r and r in f for r in reasons)]
    assert found == []


def test_the_status_page_is_the_first_page_and_no_page_repeats_another(
    qtbot, overlay: TechnicianOverlay
) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    assert overlay.current is overlay.pages["status"]
    assert overlay.nav["status"].isChecked()
    kinds = [type(page) for page in overlay.pages.values()]
    assert len(kinds) == len(set(kinds))


def test_the_sound_page_says_when_spoken_prompts_are_off(qtbot, overlay: TechnicianOverlay) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_audio")
    idle(qtbot, overlay)
    page = overlay.pages["audio"]
    assert isinstance(page, AudioPage)
    assert page.settings is None and "espeak-ng" in page.message.text()
    assert not page.louder.isEnabled()


@pytest.fixture
def speech(tmp_path: Path, overlay: TechnicianOverlay):  # type: ignore[no-untyped-def]
    announcer = Announcer(
        EspeakSynthesizer(tmp_path / "speech"),
        AplayPlayer("null"),
        AudioSettingsStore(tmp_path / "audio.json"),
    )
    overlay.tech_actions.speech = announcer
    yield announcer
    overlay.tech_actions.speech = None
    announcer.close()


def test_volume_and_mute_are_set_audited_and_kept(
    qtbot, overlay: TechnicianOverlay, sim_kiosk: Kiosk, speech: Announcer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, overlay)
    click(qtbot, overlay, "tech_nav_audio")
    page = overlay.pages["audio"]
    assert isinstance(page, AudioPage)
    qtbot.waitUntil(lambda: page.settings == AudioSettings(80, False), timeout=10_000)
    click(qtbot, overlay, "tech_audio_quieter")
    qtbot.waitUntil(lambda: page.settings == AudioSettings(70, False), timeout=10_000)
    click(qtbot, overlay, "tech_audio_mute")
    qtbot.waitUntil(lambda: page.settings == AudioSettings(70, True), timeout=10_000)
    assert AudioSettingsStore(tmp_path / "audio.json").settings == AudioSettings(70, True)
    actions = [
        e["what"]
        for e in sim_kiosk.audit.entries()
        if e["event"] == "technician_action" and e["what"].startswith("audio")
    ]
    assert actions[-2:] == ["audio_volume_70", "audio_mute"]
    click(qtbot, overlay, "tech_audio_mute")  # now "turn sound on"
    qtbot.waitUntil(lambda: page.settings == AudioSettings(70, False), timeout=10_000)
    click(qtbot, overlay, "tech_audio_sample")
    qtbot.waitUntil(lambda: len(speech.played) == 1, timeout=30_000)
    idle(qtbot, overlay)
