"""A registry simulator in its own process (``kiosk registry-sim --fleet N``) on loopback, for
fleet simulations and the fleet benchmark (its CPU time is then the registry's alone)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

START_TIMEOUT_S = 60.0
READY = "registry simulator listening on "


class RegistryProcess:
    def __init__(self, fleet: int, db: Path, *, extra: tuple[str, ...] = ()) -> None:
        command = [sys.executable, "-m", "kiosk", "registry-sim", "--host", "127.0.0.1",
                   "--port", "0", "--db", str(db), "--families", "1", "--fleet", str(fleet),
                   *extra]  # fmt: skip
        self.proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.url = self._wait_for_url()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _wait_for_url(self) -> str:
        assert self.proc.stdout is not None
        found: list[str] = []
        reader = threading.Thread(
            target=lambda: found.append(self.proc.stdout.readline()),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(START_TIMEOUT_S)
        line = found[0] if found else ""
        if not line.startswith(READY):
            self.stop()
            detail = self.proc.stderr.read() if self.proc.stderr else ""
            raise RuntimeError(f"registry simulator did not start: {line!r} {detail[-500:]}")
        return line.removeprefix(READY).strip()

    def cpu_seconds(self) -> float:
        """User + system CPU time the registry process has used (Linux /proc)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> RegistryProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
