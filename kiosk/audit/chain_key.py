"""The audit chain's HMAC key: read from the file the config names, or made for the simulator.

In production ``audit.key_file`` names a file of at least :data:`MIN_KEY_BYTES` random bytes,
readable only by the kiosk user (and its group): whoever can rewrite the log but not read this
file cannot forge a chain that verifies. In simulator mode (and in tests) the key is generated
once in the audit directory (``chain.key``, mode 0600).
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

KEY_NAME = "chain.key"
MIN_KEY_BYTES = 32
MAX_KEY_BYTES = 4096


class AuditKeyError(ValueError):
    """A key file that cannot be used (missing, too short, readable by anyone)."""


def read_key(path: Path) -> bytes:
    """The key in ``path``; raises :class:`AuditKeyError` saying what is wrong with the file."""
    try:
        info = path.stat()
        with path.open("rb") as handle:
            key = handle.read(MAX_KEY_BYTES + 1)
    except OSError as exc:
        raise AuditKeyError(f"{path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise AuditKeyError(f"{path}: not a regular file")
    if info.st_mode & (stat.S_IROTH | stat.S_IWOTH):
        raise AuditKeyError(f"{path}: readable or writable by other users (chmod 0600)")
    if not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
        raise AuditKeyError(f"{path}: a key is {MIN_KEY_BYTES}-{MAX_KEY_BYTES} bytes")
    return key


def generated_key(directory: Path) -> bytes:
    """The simulator's key in ``directory``, made (0600) the first time.

    Written whole to a private temporary file, then linked into place: a second process
    starting at the same moment reads the complete key or makes the same link fail."""
    path = directory / KEY_NAME
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        return read_key(path)
    tmp = directory / f".{KEY_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_bytes(MIN_KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process made it first: use theirs
    finally:
        tmp.unlink(missing_ok=True)
    return read_key(path)
