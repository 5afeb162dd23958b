"""Volume and mute, set by the technician, kept in the state dir across restarts."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_VOLUME = 80  # percent
MAX_FILE_BYTES = 4096


@dataclass(frozen=True, slots=True)
class AudioSettings:
    volume: int = DEFAULT_VOLUME  # percent, 0-100
    muted: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.volume <= 100:
            raise ValueError(f"volume {self.volume} is not 0-100")


class AudioSettingsStore:
    """``audio.json`` in the state dir; a missing or damaged file gives the defaults."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._settings = self._load()

    @property
    def settings(self) -> AudioSettings:
        with self._lock:
            return self._settings

    def _load(self) -> AudioSettings:
        try:
            if self.path.stat().st_size > MAX_FILE_BYTES:
                raise ValueError("file too large")
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            volume, muted = raw["volume"], raw["muted"]
            if type(volume) is not int or type(muted) is not bool:
                raise ValueError("volume must be an integer, muted true or false")
            return AudioSettings(volume=volume, muted=muted)
        except FileNotFoundError:
            return AudioSettings()
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.error("audio settings %s unreadable (%s): using the defaults", self.path, exc)
            return AudioSettings()

    def save(self, settings: AudioSettings) -> AudioSettings:
        text = json.dumps({"volume": settings.volume, "muted": settings.muted})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".audio-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        with self._lock:
            self._settings = settings
        return settings
