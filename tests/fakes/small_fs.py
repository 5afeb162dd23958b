"""A real small filesystem for disk-full tests: a tmpfs mounted for the test, then filled.

Mounting needs root, as CI has (``mount -t tmpfs`` works in its containers). Nothing is
mocked: SQLite, the audit log and the simulated printer's job records meet a real ENOSPC.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

FILLER = "filler.bin"
_CHUNK = b"\0" * 65536


@contextlib.contextmanager
def small_tmpfs(mountpoint: Path, size_mib: int) -> Iterator[Path]:
    """A ``size_mib`` tmpfs on ``mountpoint`` for the duration of the block."""
    if os.geteuid() != 0:
        pytest.fail("mounting a tmpfs needs root (CI runs as root)")
    mountpoint.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mib}m,mode=0700", "tmpfs", str(mountpoint)],
        check=True,
        capture_output=True,
    )
    try:
        yield mountpoint
    finally:
        done = subprocess.run(["umount", str(mountpoint)], capture_output=True, check=False)
        if done.returncode != 0:  # something still holds a file: detach it anyway
            subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True, check=False)


def free_bytes(path: Path) -> int:
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize


def fill(directory: Path, leave_bytes: int = 0) -> None:
    """Write a filler file until about ``leave_bytes`` are free (0: until ENOSPC)."""
    fd = os.open(directory / FILLER, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        while leave_bytes == 0 or free_bytes(directory) > leave_bytes + len(_CHUNK):
            os.write(fd, _CHUNK)  # unbuffered: nothing is left to fail at close
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
    finally:
        os.close(fd)


def unfill(directory: Path) -> None:
    (directory / FILLER).unlink(missing_ok=True)
