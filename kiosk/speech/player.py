"""Playing a WAV through ALSA's ``aplay`` (Debian package ``alsa-utils``), volume applied here.

PySide6-Essentials has no QtMultimedia (it is in PySide6-Addons, some 200 MB with FFmpeg);
``aplay`` is a few hundred kB and already on every Debian system with sound. The samples are
scaled in Python (16-bit PCM, as espeak-ng writes) and piped to ``aplay -t wav -``.
:meth:`AplayPlayer.stop` ends the current playback from any thread (the screen changed).
"""

from __future__ import annotations

import io
import logging
import subprocess
import threading
import wave
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

EXTRA_WAIT_S = 5.0  # beyond the sound's own length, before aplay is given up on


class PlaybackFailed(Exception):
    """aplay is missing, or could not open the device."""


def scaled_wav(data: bytes, volume: int) -> tuple[bytes, float]:
    """``data`` (a 16-bit PCM WAV) at ``volume`` percent, and its length in seconds."""
    with wave.open(io.BytesIO(data), "rb") as source:
        params = source.getparams()
        frames = source.readframes(params.nframes)
    seconds = params.nframes / params.framerate if params.framerate else 0.0
    if params.sampwidth != 2:
        raise PlaybackFailed(f"{params.sampwidth * 8}-bit audio is not supported")
    factor = max(0, min(100, volume)) / 100
    if factor < 1.0:  # numpy: a per-sample Python loop held the GIL and stalled the GUI
        samples = np.frombuffer(frames, dtype="<i2")  # WAV PCM is little-endian
        frames = (samples * factor).astype("<i2").tobytes()  # truncated toward 0, as int()
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setparams(params)
        target.writeframes(frames)
    return out.getvalue(), seconds


class AplayPlayer:
    def __init__(self, device: str = "default", *, binary: str = "aplay") -> None:
        self.device = device
        self.binary = binary
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stopped = False

    def play(self, wav: Path, volume: int) -> None:
        """Play ``wav`` to the end (or until :meth:`stop`); blocks the calling worker."""
        data, seconds = scaled_wav(Path(wav).read_bytes(), volume)
        argv = [self.binary, "-q", "-D", self.device, "-t", "wav", "-"]
        try:
            process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
        except FileNotFoundError:
            raise PlaybackFailed(f"{self.binary} is not installed") from None
        with self._lock:
            self._process = process
            self._stopped = False
        try:
            try:
                _, err = process.communicate(data, timeout=seconds + EXTRA_WAIT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise PlaybackFailed(f"{self.binary} did not finish") from None
        finally:
            with self._lock:
                self._process = None
                stopped = self._stopped
        if stopped:
            return  # ended on purpose (aplay may say "read error" as its input is cut)
        if process.returncode != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            raise PlaybackFailed(
                f"{self.binary} -D {self.device} exit {process.returncode}: "
                f"{lines[-1] if lines else ''}"
            )

    def stop(self) -> None:
        """End the current playback, if any (any thread)."""
        with self._lock:
            process = self._process
            self._stopped = process is not None
        if process is not None and process.poll() is None:
            process.terminate()
