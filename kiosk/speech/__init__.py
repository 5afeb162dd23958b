"""Spoken prompts: espeak-ng makes WAVs (cached by text in the state dir), aplay plays them.

Nothing here knows Qt: :class:`Announcer` takes ``say(text, language)`` from the GUI thread and
does the synthesis and the playback on its own worker thread. Prompts are fixed catalogue texts;
:class:`EspeakSynthesizer` refuses anything holding a run of digits (a NIK or PIN is never
spoken), and cache file names are hashes of the text.
"""

from kiosk.speech.announcer import Announcer
from kiosk.speech.player import AplayPlayer, PlaybackFailed
from kiosk.speech.settings import AudioSettings, AudioSettingsStore
from kiosk.speech.synth import EspeakSynthesizer, SpeechRefused, SpeechUnavailable

__all__ = [
    "Announcer",
    "AplayPlayer",
    "AudioSettings",
    "AudioSettingsStore",
    "EspeakSynthesizer",
    "PlaybackFailed",
    "SpeechRefused",
    "SpeechUnavailable",
]
