"""Spoken prompts with the real parts: espeak-ng makes the WAV, aplay plays it (ALSA's null
device, so the tests need no sound card but run the same code a kiosk runs)."""

from __future__ import annotations

import io
import logging
import re
import wave
from array import array
from pathlib import Path

import pytest

from kiosk.speech import (
    Announcer,
    AplayPlayer,
    AudioSettings,
    AudioSettingsStore,
    EspeakSynthesizer,
    PlaybackFailed,
    SpeechRefused,
    SpeechUnavailable,
)
from kiosk.speech.player import scaled_wav

PROMPT_ID = "Silakan ambil dokumen Anda di baki kertas."
PROMPT_EN = "Please take your document from the paper tray."


@pytest.fixture
def synth(tmp_path: Path) -> EspeakSynthesizer:
    return EspeakSynthesizer(tmp_path / "speech")


def test_espeak_ng_makes_a_valid_wav_of_plausible_length_cached_by_text(
    synth: EspeakSynthesizer,
) -> None:
    path = synth.wav_for(PROMPT_ID, "id")
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        seconds = wav.getnframes() / wav.getframerate()
    assert 1.0 < seconds < 8.0, seconds  # 7 words at 150 words per minute: about 3 s
    assert re.fullmatch(r"[0-9a-f]{40}\.wav", path.name)  # a hash, never the text
    stamp = path.stat().st_mtime_ns
    assert synth.wav_for("  Silakan ambil dokumen   Anda di baki kertas. ", "id") == path
    assert path.stat().st_mtime_ns == stamp  # from the cache, not made again
    english = synth.wav_for(PROMPT_EN, "en")
    assert english != path and english.parent == path.parent
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    "text", ["NIK 3201010101900001", "PIN Anda 123456", "", "x" * 700], ids=str.__len__
)
def test_personal_data_or_odd_texts_are_never_spoken(synth: EspeakSynthesizer, text: str) -> None:
    with pytest.raises(SpeechRefused):
        synth.wav_for(text, "id")
    assert not synth.cache_dir.exists() or not any(synth.cache_dir.iterdir())


def test_an_unknown_language_or_a_missing_espeak_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SpeechRefused, match="no voice"):
        EspeakSynthesizer(tmp_path).wav_for(PROMPT_ID, "jv")
    missing = EspeakSynthesizer(tmp_path, binary="espeak-ng-not-installed")
    assert not missing.available()
    with pytest.raises(SpeechUnavailable, match="not installed"):
        missing.wav_for(PROMPT_ID, "id")


def test_volume_scales_the_samples(synth: EspeakSynthesizer) -> None:
    data = synth.wav_for(PROMPT_EN, "en").read_bytes()
    full, seconds = scaled_wav(data, 100)
    half, _ = scaled_wav(data, 50)
    assert full == data and seconds > 1.0

    def peak(blob: bytes) -> int:
        with wave.open(io.BytesIO(blob)) as wav:
            samples = array("h", wav.readframes(wav.getnframes()))
        return max(abs(s) for s in samples)

    assert peak(half) == pytest.approx(peak(full) / 2, abs=1)


def test_aplay_plays_to_the_null_device_and_reports_a_missing_one(
    synth: EspeakSynthesizer,
) -> None:
    wav = synth.wav_for(PROMPT_ID, "id")
    AplayPlayer("null").play(wav, 70)
    with pytest.raises(PlaybackFailed, match="exit 1"):
        AplayPlayer("no_such_pcm_device").play(wav, 70)


def test_the_announcer_speaks_off_the_callers_thread_and_respects_mute(
    tmp_path: Path, synth: EspeakSynthesizer
) -> None:
    store = AudioSettingsStore(tmp_path / "audio.json")
    announcer = Announcer(synth, AplayPlayer("null"), store)
    try:
        announcer.say(PROMPT_ID, "id")
        assert announcer.wait_idle(15)
        assert list(announcer.played) == [("id", PROMPT_ID)]
        announcer.set_muted(True)
        announcer.say(PROMPT_EN, "en")
        assert announcer.wait_idle(15)
        assert list(announcer.played) == [("id", PROMPT_ID)]  # muted: not played ...
        assert synth.cache_path(PROMPT_EN, "en").exists()  # ... but ready for later
        assert AudioSettingsStore(tmp_path / "audio.json").settings == AudioSettings(80, True)
    finally:
        announcer.close()


def test_the_latest_prompt_wins(tmp_path: Path, synth: EspeakSynthesizer) -> None:
    announcer = Announcer(synth, AplayPlayer("null"), AudioSettingsStore(tmp_path / "a.json"))
    try:
        announcer.prepare([(PROMPT_ID, "id"), (PROMPT_EN, "en")])
        announcer.say(PROMPT_ID, "id")
        announcer.say(PROMPT_EN, "en")
        assert announcer.wait_idle(15)
        assert announcer.played[-1] == ("en", PROMPT_EN)
    finally:
        announcer.close()


def test_a_broken_sound_device_is_logged_once_and_never_raised(
    tmp_path: Path, synth: EspeakSynthesizer, caplog: pytest.LogCaptureFixture
) -> None:
    announcer = Announcer(
        synth, AplayPlayer("no_such_pcm_device"), AudioSettingsStore(tmp_path / "a.json")
    )
    try:
        with caplog.at_level(logging.ERROR, logger="kiosk.speech.announcer"):
            for _ in range(3):
                announcer.say(PROMPT_ID, "id")
                assert announcer.wait_idle(15)
        assert len([r for r in caplog.records if "PlaybackFailed" in r.getMessage()]) == 1
        assert list(announcer.played) == []
    finally:
        announcer.close()


def test_audio_settings_survive_a_restart_and_a_damaged_file_gives_defaults(
    tmp_path: Path,
) -> None:
    path = tmp_path / "audio.json"
    AudioSettingsStore(path).save(AudioSettings(volume=35, muted=False))
    assert AudioSettingsStore(path).settings == AudioSettings(35, False)
    for junk in ('{"volume": "loud", "muted": false}', "[", '{"volume": 300, "muted": false}'):
        path.write_text(junk)
        assert AudioSettingsStore(path).settings == AudioSettings()
    with pytest.raises(ValueError):
        AudioSettings(volume=101)
