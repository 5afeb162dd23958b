"""The caller display's sound: a chime, then the call spoken in Bahasa Indonesia.

``call_text("A-012", 3)`` -> "Nomor antrean, A, dua belas. Silakan menuju loket tiga." (letters by
their Indonesian names, numbers in words: espeak-ng reads digits one way, staff say them
another). :class:`CallVoice` makes each text's WAV once with espeak-ng (Debian package
``espeak-ng``, voice ``id``) and keeps it in a cache directory named by a hash of (voice, rate,
text); the newest :data:`CACHE_FILES` files are kept. A new WAV is written beside its name and
renamed into place, so a crash never leaves half a file. The chime is two sine tones made here.

Self-contained on purpose: :meth:`EspeakWav.wav_for` has the signature of the kiosk's
spoken-prompt synthesiser (``kiosk.speech.synth.EspeakSynthesizer.wav_for``, branch ux14), so
once both are merged this module can take that one instead of its own.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import os
import shutil
import struct
import subprocess
import tempfile
import threading
import wave
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

VOICE = "id"
RATE_WPM = 140  # slower than espeak-ng's 175: a waiting room is noisy
SYNTH_TIMEOUT_S = 20.0
CACHE_FILES = 300  # about 250 KB each: at most ~75 MB
LETTERS = {
    "A": "A", "B": "Be", "C": "Ce", "D": "De", "E": "E", "F": "Ef", "G": "Ge", "H": "Ha",
    "I": "I", "J": "Je", "K": "Ka", "L": "El", "M": "Em", "N": "En", "O": "O", "P": "Pe",
    "Q": "Ki", "R": "Er", "S": "Es", "T": "Te", "U": "U", "V": "Ve", "W": "We", "X": "Eks",
    "Y": "Ye", "Z": "Zet",
}  # fmt: skip


class SpeechUnavailable(Exception):
    """espeak-ng is missing, failed, or wrote no WAV."""


def number_words(n: int) -> str:
    from printing.documents.indonesian import number_in_words

    return number_in_words(n)


def call_text(number: str, counter_number: int) -> str:
    """What the display says for ticket ``number`` (``A-012``) called to loket ``counter``."""
    letter, _, digits = number.partition("-")
    if letter not in LETTERS or not digits.isdigit() or not 1 <= counter_number <= 999:
        raise ValueError(f"not a ticket number and counter: {number!r}, {counter_number}")
    return (
        f"Nomor antrean, {LETTERS[letter]}, {number_words(int(digits))}. "
        f"Silakan menuju loket {number_words(counter_number)}."
    )


class EspeakWav:
    """Text to a WAV file with espeak-ng, cached by text (``wav_for(text, language)``)."""

    def __init__(
        self, cache_dir: Path, *, binary: str = "espeak-ng", rate_wpm: int = RATE_WPM
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.binary = binary
        self.rate_wpm = rate_wpm
        self._lock = threading.Lock()  # one synthesis at a time; the others find its file

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def cache_path(self, text: str, language: str = VOICE) -> Path:
        key = f"espeak-ng\0{language}\0{self.rate_wpm}\0{text}".encode()
        return self.cache_dir / f"{hashlib.sha256(key).hexdigest()[:40]}.wav"

    def wav_for(self, text: str, language: str = VOICE) -> Path:
        path = self.cache_path(text, language)
        if path.exists():
            return path
        with self._lock:
            if path.exists():
                return path
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".synth-", suffix=".wav", dir=self.cache_dir)
            os.close(fd)
            tmp = Path(name)
            try:
                self._run(text, language, tmp)
                if tmp.read_bytes()[:4] != b"RIFF":
                    raise SpeechUnavailable("espeak-ng wrote no WAV")
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            self._trim()
        return path

    def _run(self, text: str, voice: str, out: Path) -> None:
        argv = [self.binary, "-v", voice, "-s", str(self.rate_wpm), "-w", str(out), "--stdin"]
        try:
            done = subprocess.run(
                argv, input=text.encode(), capture_output=True, timeout=SYNTH_TIMEOUT_S, check=False
            )
        except FileNotFoundError:
            raise SpeechUnavailable(f"{self.binary} is not installed") from None
        except subprocess.TimeoutExpired:
            raise SpeechUnavailable(f"{self.binary} took over {SYNTH_TIMEOUT_S:.0f} s") from None
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip()[-200:]
            raise SpeechUnavailable(f"{self.binary} exit {done.returncode}: {detail}")

    def _trim(self) -> None:
        files = sorted(self.cache_dir.glob("*.wav"), key=lambda p: p.stat().st_mtime)
        for old in files[:-CACHE_FILES]:
            old.unlink(missing_ok=True)


class CallVoice:
    """The spoken call of a ticket, as WAV bytes (made once per text)."""

    def __init__(self, synth: EspeakWav) -> None:
        self.synth = synth

    def wav(self, number: str, counter_number: int) -> bytes:
        return self.synth.wav_for(call_text(number, counter_number), VOICE).read_bytes()


@cache
def chime_wav(rate: int = 22_050) -> bytes:
    """A two-tone chime ("ding-dong", E5 then C5, 0.9 s), 16-bit mono PCM."""
    samples = bytearray()
    for frequency, seconds in ((659.25, 0.45), (523.25, 0.45)):
        count = int(rate * seconds)
        for i in range(count):
            t = i / rate
            envelope = math.exp(-4.0 * t) * min(1.0, i / (0.01 * rate))  # soft attack, decay
            tone = math.sin(2 * math.pi * frequency * t) + 0.3 * math.sin(
                4 * math.pi * frequency * t
            )
            samples += struct.pack("<h", int(12_000 * envelope * tone))
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(bytes(samples))
    return out.getvalue()
