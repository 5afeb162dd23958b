"""The caller display's sound: a chime, then the call spoken in Bahasa Indonesia.

``call_text("A-012", 3)`` -> "Nomor antrean, A, dua belas. Silakan menuju loket tiga." (letters by
their Indonesian names, numbers in words: espeak-ng reads digits one way, staff say them
another). :class:`CallVoice` makes each text's WAV once with espeak-ng (voice ``id``) through
:mod:`kiosk.speech.espeak`, the module the kiosk's spoken prompts use too, cached by a hash of
(voice, rate, text); the newest :data:`CACHE_FILES` files are kept. The chime is two sine tones
made here.
"""

from __future__ import annotations

import io
import logging
import math
import struct
import wave
from functools import cache
from pathlib import Path

from kiosk.speech.espeak import Espeak, SpeechUnavailable, WavCache

log = logging.getLogger(__name__)

__all__ = ["CACHE_FILES", "CallVoice", "SpeechUnavailable", "call_text", "chime_wav"]

VOICE = "id"
RATE_WPM = 140  # slower than espeak-ng's 175: a waiting room is noisy
CACHE_FILES = 300  # about 250 KB each: at most ~75 MB
LETTERS = {
    "A": "A", "B": "Be", "C": "Ce", "D": "De", "E": "E", "F": "Ef", "G": "Ge", "H": "Ha",
    "I": "I", "J": "Je", "K": "Ka", "L": "El", "M": "Em", "N": "En", "O": "O", "P": "Pe",
    "Q": "Ki", "R": "Er", "S": "Es", "T": "Te", "U": "U", "V": "Ve", "W": "We", "X": "Eks",
    "Y": "Ye", "Z": "Zet",
}  # fmt: skip


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


class CallVoice:
    """The spoken call of a ticket, as WAV bytes (made once per text, in ``cache_dir``)."""

    def __init__(self, cache_dir: Path, espeak: Espeak | None = None) -> None:
        self.cache = WavCache(
            cache_dir, espeak or Espeak(rate_wpm=RATE_WPM), keep_files=CACHE_FILES
        )

    def wav(self, number: str, counter_number: int) -> bytes:
        """Raises :class:`SpeechUnavailable` when espeak-ng cannot make it."""
        return self.cache.wav(call_text(number, counter_number), VOICE).read_bytes()


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
