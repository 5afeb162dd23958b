"""Spoken prompts' text to WAV: the kiosk language's voice, personal data refused, cached by text.

espeak-ng itself is run by :mod:`kiosk.speech.espeak` (shared with the office caller display);
this adds what is the kiosk's own: a voice per kiosk language, and the refusal of any text that
holds a run of digits (a PIN, a NIK or KK number is never spoken).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path

from kiosk.speech.espeak import (
    DEFAULT_TIMEOUT_S,
    MAX_TEXT_CHARS,
    Espeak,
    SpeechRefused,
    SpeechUnavailable,
    WavCache,
)

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_RATE_WPM",
    "MAX_TEXT_CHARS",
    "VOICES",
    "EspeakSynthesizer",
    "SpeechRefused",
    "SpeechUnavailable",
]

VOICES: Mapping[str, str] = {"id": "id", "en": "en"}  # kiosk language -> espeak-ng voice
DEFAULT_RATE_WPM = 150  # a little slower than espeak-ng's 175: clearer for first-time users
_DIGIT_RUN = re.compile(r"[0-9]{6,}")  # a PIN (6), a NIK or KK number (16)


class EspeakSynthesizer:
    def __init__(
        self,
        cache_dir: Path,
        *,
        binary: str = "espeak-ng",
        rate_wpm: int = DEFAULT_RATE_WPM,
        voices: Mapping[str, str] = VOICES,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.espeak = Espeak(binary, rate_wpm, timeout_s)
        self.cache = WavCache(cache_dir, self.espeak)
        self.voices = dict(voices)

    @property
    def cache_dir(self) -> Path:
        return self.cache.directory

    def available(self) -> bool:
        return self.espeak.available()

    def cache_path(self, text: str, language: str) -> Path:
        return self.cache.path(text, self._voice(language))

    def _voice(self, language: str) -> str:
        try:
            return self.voices[language]
        except KeyError:
            raise SpeechRefused(f"no voice for language {language!r}") from None

    def wav_for(self, text: str, language: str) -> Path:
        """The WAV of ``text`` spoken in ``language``: from the cache, or made now (blocks)."""
        if _DIGIT_RUN.search(text):
            raise SpeechRefused("prompt text holds a run of digits (personal data?)")
        path = self.cache.wav(text, self._voice(language))
        log.debug("speech: %s (%s)", path.name, language)
        return path
