"""Speaking prompts off the GUI thread: the latest request wins, the rest is cache warming.

``say`` (from the GUI thread) replaces whatever prompt waits and stops the one playing: when
the citizen moves on, the old screen's prompt stops. ``prepare`` synthesises prompts ahead of
time at low priority, so the first time a screen opens its WAV is already in the cache.
Failures (no espeak-ng, no sound card) are logged once each and never reach the citizen.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from kiosk.speech.player import PlaybackFailed
from kiosk.speech.settings import AudioSettings, AudioSettingsStore
from kiosk.speech.synth import SpeechRefused, SpeechUnavailable

log = logging.getLogger(__name__)

HISTORY = 20  # the last prompts played (language, text): fixed catalogue texts only


class Synthesizer(Protocol):
    def wav_for(self, text: str, language: str) -> Path: ...


class Player(Protocol):
    def play(self, wav: Path, volume: int) -> None: ...
    def stop(self) -> None: ...


class Announcer:
    def __init__(self, synth: Synthesizer, player: Player, store: AudioSettingsStore) -> None:
        self._synth = synth
        self._player = player
        self._store = store
        self._cond = threading.Condition()
        self._pending: tuple[str, str] | None = None
        self._warm: deque[tuple[str, str]] = deque()
        self._busy = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self._reported: set[str] = set()
        self.played: deque[tuple[str, str]] = deque(maxlen=HISTORY)

    # -- from any thread (the GUI's) --------------------------------------------------------

    def say(self, text: str, language: str) -> None:
        """Speak ``text`` soon, instead of anything playing or waiting. Never blocks."""
        with self._cond:
            if self._closed:
                return
            self._pending = (text, language)
            self._start()
            self._cond.notify_all()
        self._player.stop()

    def stop(self) -> None:
        """Silence: drop the waiting prompt and stop the one playing."""
        with self._cond:
            self._pending = None
        self._player.stop()

    def prepare(self, prompts: Iterable[tuple[str, str]]) -> None:
        """Synthesise ``(text, language)`` prompts into the cache in the background."""
        with self._cond:
            if self._closed:
                return
            self._warm.extend(prompts)
            self._start()
            self._cond.notify_all()

    @property
    def synthesizer(self) -> Synthesizer:
        return self._synth

    @property
    def settings(self) -> AudioSettings:
        return self._store.settings

    def set_volume(self, volume: int) -> AudioSettings:
        current = self._store.settings
        return self._store.save(AudioSettings(max(0, min(100, volume)), current.muted))

    def set_muted(self, muted: bool) -> AudioSettings:
        if muted:
            self.stop()
        return self._store.save(AudioSettings(self._store.settings.volume, muted))

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Block until nothing waits or plays (tests)."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._pending is None and not self._warm and not self._busy, timeout_s
            )

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._pending = None
            self._warm.clear()
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        self._player.stop()
        if thread is not None:
            thread.join(timeout=10)

    # -- the worker ---------------------------------------------------------------------------

    def _start(self) -> None:
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._busy = False
                self._cond.notify_all()
                self._cond.wait_for(lambda: self._closed or self._pending or self._warm)
                if self._closed:
                    return
                if self._pending is not None:
                    job, speak = self._pending, True
                    self._pending = None
                else:
                    job, speak = self._warm.popleft(), False
                self._busy = True
            self._do(job, speak)

    def _do(self, job: tuple[str, str], speak: bool) -> None:
        text, language = job
        try:
            wav = self._synth.wav_for(text, language)
            settings = self._store.settings
            if not speak or settings.muted:
                return
            with self._cond:
                if self._pending is not None or self._closed:
                    return  # a newer prompt already waits
            self._player.play(wav, settings.volume)
            self.played.append((language, text))
        except SpeechRefused as exc:
            log.error("speech: prompt refused: %s", exc)
        except (SpeechUnavailable, PlaybackFailed, OSError) as exc:
            self._report(exc)
        except Exception:
            log.exception("speech: unexpected failure")

    def _report(self, exc: Exception) -> None:
        kind = f"{type(exc).__name__}: {exc}"
        if kind not in self._reported:
            self._reported.add(kind)
            log.error("speech: %s (reported once; prompts stay silent)", kind)
