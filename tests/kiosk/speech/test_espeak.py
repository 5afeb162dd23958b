"""The one espeak-ng runner (kiosk prompts and the office's spoken calls) with the real
espeak-ng: a WAV comes out, no shell, the text only on stdin and cleaned, bounded in time."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from kiosk.office.speech import CallVoice
from kiosk.speech.espeak import (
    MAX_TEXT_CHARS,
    Espeak,
    SpeechRefused,
    SpeechUnavailable,
    WavCache,
    clean_text,
)
from kiosk.speech.synth import EspeakSynthesizer


def seconds_of(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return wav.getnframes() / wav.getframerate()


def test_espeak_ng_writes_a_wav_in_each_voice(tmp_path: Path) -> None:
    espeak = Espeak(rate_wpm=150)
    for voice, text in (("id", "Silakan pindai kode QR Anda."), ("en", "Please scan your code.")):
        out = tmp_path / f"{voice}.wav"
        espeak.write_wav(text, voice, out)
        assert 0.8 < seconds_of(out) < 6.0, voice


def test_the_command_has_no_shell_and_no_text_and_refuses_odd_voices(tmp_path: Path) -> None:
    out = tmp_path / "x.wav"
    assert Espeak(rate_wpm=140).command("id", out) == [
        "espeak-ng", "-v", "id", "-s", "140", "-w", str(out), "--stdin",
    ]  # fmt: skip
    for voice in ("--help", "id;rm -rf /", "id -w /etc/passwd", "", "ID"):
        with pytest.raises(SpeechRefused):
            Espeak().command(voice, out)
    assert Espeak().command("en-us+f3", out)[2] == "en-us+f3"  # a variant is a voice too
    with pytest.raises(ValueError):
        Espeak(rate_wpm=10)


def test_a_text_that_looks_like_an_option_or_markup_is_only_spoken(tmp_path: Path) -> None:
    """Text goes on stdin: ``--version`` is read out (a WAV), not obeyed (which writes none)."""
    out = tmp_path / "option.wav"
    Espeak().write_wav("--version -w /tmp/elsewhere.wav", "en", out)
    assert seconds_of(out) > 0.5
    assert clean_text("[[h@l'oU]] <speak>Halo\x00\x1b[2J\n\tdunia</speak>") == (
        "h@l'oU speak Halo 2J dunia /speak"
    )
    for empty in ("", " \n\t", "[[]]", "\x00\x07"):
        with pytest.raises(SpeechRefused):
            clean_text(empty)
    with pytest.raises(SpeechRefused):
        clean_text("a" * (MAX_TEXT_CHARS + 1))


def test_failures_are_speech_unavailable_never_a_hang(tmp_path: Path) -> None:
    out = tmp_path / "x.wav"
    with pytest.raises(SpeechUnavailable, match="not installed"):
        Espeak(binary="espeak-ng-not-installed").write_wav("Halo", "id", out)
    with pytest.raises(SpeechUnavailable, match="exit 1"):  # espeak-ng has no such voice
        Espeak().write_wav("Halo", "xx", out)
    with pytest.raises(SpeechUnavailable, match="took over"):
        Espeak(timeout_s=0.0001).write_wav("Halo " * 100, "id", out)


def test_the_cache_makes_each_text_once_atomically_and_keeps_the_newest(tmp_path: Path) -> None:
    cache = WavCache(tmp_path / "wav", Espeak(), keep_files=2)
    first = cache.wav("Satu.", "id")
    stamp = first.stat().st_mtime_ns
    assert cache.wav("  Satu.\n", "id") == first and first.stat().st_mtime_ns == stamp
    assert cache.wav("Satu.", "en") != first  # the voice is part of the name
    cache.wav("Dua.", "id")
    names = sorted(p.name for p in (tmp_path / "wav").iterdir())
    assert len(names) == 2 and first.name not in names  # the oldest went; no temp file left
    slower = WavCache(tmp_path / "wav", Espeak(rate_wpm=120))
    assert slower.path("Dua.", "id") != cache.path("Dua.", "id")  # the rate is part of the name


def test_kiosk_prompts_and_office_calls_run_the_same_module(tmp_path: Path) -> None:
    prompts = EspeakSynthesizer(tmp_path / "prompts", timeout_s=0.0001)
    with pytest.raises(SpeechUnavailable, match="took over"):  # the shared runner's timeout
        prompts.wav_for("Silakan pindai kode QR Anda.", "id")
    call = CallVoice(tmp_path / "calls").wav("A-012", 3)
    assert call[:4] == b"RIFF" and call[8:12] == b"WAVE"
    spoken = next((tmp_path / "calls").glob("*.wav"))
    assert 2.0 < seconds_of(spoken) < 10.0
