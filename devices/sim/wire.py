"""Writing into a simulated device's wire (a pipe or a pty master) without ever hanging.

The reader is the real driver on another thread; if it is not reading (closed, or a test that
never reads), a write gives up after a timeout instead of blocking the caller.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import time

PIPE_BYTES = 1 << 20  # room for a few thousand key events before a reader must drain them


def nonblocking(fd: int) -> int:
    os.set_blocking(fd, False)
    return fd


def widen_pipe(fd: int) -> None:
    """Ask for a larger pipe buffer (Linux F_SETPIPE_SZ); the default 64 KiB stays otherwise."""
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def write_all(fd: int, data: bytes, timeout_s: float = 5.0) -> None:
    """Write all of ``data`` to a non-blocking ``fd``; TimeoutError if the reader stalls,
    OSError (EPIPE, EIO, EBADF) if the other end is gone."""
    view = memoryview(data)
    deadline = time.monotonic() + timeout_s
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"{len(view)} bytes not taken by the reader in {timeout_s} s")
        _, writable, _ = select.select([], [fd], [], remaining)
        if not writable:
            continue
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            continue
        view = view[written:]
