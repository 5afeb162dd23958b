"""espeak-ng (Debian package ``espeak-ng``): the one place that builds and runs its command.

Used by the kiosk's spoken prompts (:mod:`kiosk.speech.synth`) and the office caller display's
spoken calls (:mod:`kiosk.office.speech`). :class:`Espeak` runs

    espeak-ng -v VOICE -s RATE -w OUT.wav --stdin

with no shell, the text on standard input (never in argv, so a text that starts with ``-`` is
never an option), a timeout, and checks that a WAV came out. :func:`clean_text` is what may reach
espeak-ng: printable characters only, whitespace collapsed, and no ``[[...]]`` (espeak-ng reads
phoneme mnemonics between double brackets), at most :data:`MAX_TEXT_CHARS`.

:class:`WavCache` keeps each text's WAV in a directory, named by the SHA-256 of (voice, rate,
text): made once, and no file name says anything about anyone. A new WAV is written beside its
final name and renamed into place, so a power cut never leaves half a file; ``keep_files``
bounds the cache to the newest files.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

MAX_TEXT_CHARS = 600
DEFAULT_TIMEOUT_S = 20.0
_VOICE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8}){0,2}(\+[a-z0-9]{1,16})?")
_NOT_SPOKEN = re.compile(r"\[\[|\]\]|[^\w\s.,;:!?'\"()/%+&@#=*\-–—’]")


class SpeechUnavailable(Exception):
    """espeak-ng is missing, failed, timed out, or wrote no WAV."""


class SpeechRefused(ValueError):
    """The text may not be spoken (empty, too long, or not a prompt)."""


def clean_text(text: str) -> str:
    """``text`` as espeak-ng gets it: printable, on one line, without phoneme brackets."""
    cleaned = " ".join(_NOT_SPOKEN.sub(" ", text).split())
    if not cleaned or len(cleaned) > MAX_TEXT_CHARS:
        raise SpeechRefused(f"text of {len(cleaned)} characters")
    return cleaned


@dataclass(frozen=True, slots=True)
class Espeak:
    """How espeak-ng is run: which binary, how fast, for how long at most."""

    binary: str = "espeak-ng"
    rate_wpm: int = 175  # espeak-ng's own default
    timeout_s: float = DEFAULT_TIMEOUT_S

    def __post_init__(self) -> None:
        if not 80 <= self.rate_wpm <= 450:  # espeak-ng's range
            raise ValueError(f"rate {self.rate_wpm} words per minute is outside 80-450")
        if self.timeout_s <= 0:
            raise ValueError("timeout_s must be positive")

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def command(self, voice: str, out: Path) -> list[str]:
        """The argv (the text goes on standard input)."""
        if not _VOICE.fullmatch(voice):
            raise SpeechRefused(f"not an espeak-ng voice name: {voice!r}")
        return [self.binary, "-v", voice, "-s", str(self.rate_wpm), "-w", str(out), "--stdin"]

    def write_wav(self, text: str, voice: str, out: Path) -> None:
        """Speak ``text`` (cleaned) with ``voice`` into the WAV file ``out`` (blocks)."""
        argv = self.command(voice, out)
        try:
            done = subprocess.run(
                argv,
                input=clean_text(text).encode("utf-8"),
                capture_output=True,
                timeout=self.timeout_s,
                check=False,
            )
        except FileNotFoundError:
            raise SpeechUnavailable(f"{self.binary} is not installed") from None
        except subprocess.TimeoutExpired:
            raise SpeechUnavailable(f"{self.binary} took over {self.timeout_s:g} s") from None
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise SpeechUnavailable(f"{self.binary} exit {done.returncode}: {detail[0][:200]}")
        try:
            with out.open("rb") as handle:
                head = handle.read(12)
        except FileNotFoundError:
            head = b""
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise SpeechUnavailable(f"{self.binary} wrote no WAV")


class WavCache:
    """Each (voice, text)'s WAV, made once by :class:`Espeak` and kept in ``directory``."""

    def __init__(self, directory: Path, espeak: Espeak, *, keep_files: int | None = None) -> None:
        self.directory = Path(directory)
        self.espeak = espeak
        self.keep_files = keep_files
        self._lock = threading.Lock()  # one synthesis at a time; the others find its file

    def path(self, text: str, voice: str) -> Path:
        """Where the WAV of ``text`` is (or will be) kept."""
        key = f"espeak-ng\0{voice}\0{self.espeak.rate_wpm}\0{clean_text(text)}".encode()
        return self.directory / f"{hashlib.sha256(key).hexdigest()[:40]}.wav"

    def wav(self, text: str, voice: str) -> Path:
        """The WAV of ``text`` spoken with ``voice``: from the cache, or made now (blocks)."""
        path = self.path(text, voice)
        if path.exists():
            return path
        with self._lock:
            if path.exists():
                return path
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".synth-", suffix=".wav", dir=self.directory)
            os.close(fd)
            tmp = Path(name)
            try:
                self.espeak.write_wav(text, voice, tmp)
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            if self.keep_files is not None:
                self._trim(self.keep_files)
        return path

    def _trim(self, keep: int) -> None:
        files = sorted(self.directory.glob("*.wav"), key=lambda p: p.stat().st_mtime_ns)
        for old in files[: max(0, len(files) - keep)]:
            old.unlink(missing_ok=True)
