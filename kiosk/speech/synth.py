"""Text to WAV with espeak-ng (Debian package ``espeak-ng``), cached by text.

The cache file's name is the SHA-256 of (voice, rate, text): the same prompt is synthesised
once per kiosk, and no file name says anything about anyone. A new file is written beside its
final name and renamed into place, so a power cut never leaves half a WAV in the cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)

VOICES: Mapping[str, str] = {"id": "id", "en": "en"}  # kiosk language -> espeak-ng voice
DEFAULT_RATE_WPM = 150  # a little slower than espeak-ng's 175: clearer for first-time users
SYNTH_TIMEOUT_S = 20.0
MAX_TEXT_CHARS = 600
_DIGIT_RUN = re.compile(r"[0-9]{6,}")  # a PIN (6), a NIK or KK number (16)


class SpeechUnavailable(Exception):
    """espeak-ng is missing, failed, or gave no WAV."""


class SpeechRefused(ValueError):
    """The text may not be spoken (it looks like personal data, or it is not a prompt)."""


class EspeakSynthesizer:
    def __init__(
        self,
        cache_dir: Path,
        *,
        binary: str = "espeak-ng",
        rate_wpm: int = DEFAULT_RATE_WPM,
        voices: Mapping[str, str] = VOICES,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.binary = binary
        self.rate_wpm = rate_wpm
        self.voices = dict(voices)

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def cache_path(self, text: str, language: str) -> Path:
        voice = self._voice(language)
        key = f"espeak-ng\0{voice}\0{self.rate_wpm}\0{text}".encode()
        return self.cache_dir / f"{hashlib.sha256(key).hexdigest()[:40]}.wav"

    def _voice(self, language: str) -> str:
        try:
            return self.voices[language]
        except KeyError:
            raise SpeechRefused(f"no voice for language {language!r}") from None

    def wav_for(self, text: str, language: str) -> Path:
        """The WAV of ``text`` spoken in ``language``: from the cache, or made now (blocks)."""
        text = " ".join(text.split())
        if not text or len(text) > MAX_TEXT_CHARS:
            raise SpeechRefused(f"prompt text of {len(text)} characters")
        if _DIGIT_RUN.search(text):
            raise SpeechRefused("prompt text holds a run of digits (personal data?)")
        path = self.cache_path(text, language)
        if path.exists():
            return path
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".synth-", suffix=".wav", dir=self.cache_dir)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            self._run(text, self._voice(language), tmp)
            with tmp.open("rb") as handle:
                head = handle.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                raise SpeechUnavailable("espeak-ng wrote no WAV")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        log.debug("speech: synthesised %s (%s)", path.name, language)
        return path

    def _run(self, text: str, voice: str, out: Path) -> None:
        argv = [self.binary, "-v", voice, "-s", str(self.rate_wpm), "-w", str(out), "--stdin"]
        try:
            done = subprocess.run(
                argv,
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=SYNTH_TIMEOUT_S,
                check=False,
            )
        except FileNotFoundError:
            raise SpeechUnavailable(f"{self.binary} is not installed") from None
        except subprocess.TimeoutExpired:
            raise SpeechUnavailable(f"{self.binary} took over {SYNTH_TIMEOUT_S:.0f} s") from None
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise SpeechUnavailable(f"{self.binary} exit {done.returncode}: {detail[0]}")
