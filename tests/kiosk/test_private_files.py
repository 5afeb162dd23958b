"""A kiosk process keeps its state to itself: the state dir is 0700, every file in it 0600."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from kiosk.config import repo_root


def test_a_kiosk_process_creates_private_state(tmp_path: Path) -> None:
    state = tmp_path / "state"
    config = repo_root() / "config" / "simulator.toml"
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "recover", "--simulate", "--config", str(config),
         "--state-dir", str(state)],
        capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=lambda: os.umask(0o022),  # started with the usual umask
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = list(state.rglob("*"))
    names = {p.name for p in found}
    assert {"journal.sqlite", "audit.log", "registry-sim.sqlite"} <= names, names
    for path in [state, *found]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode & 0o077 == 0, f"{path.relative_to(tmp_path)} is {mode:o}"
