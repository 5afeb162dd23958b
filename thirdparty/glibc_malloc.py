"""glibc's malloc, told from Python (ctypes) to give memory back that it would keep.

A kiosk rests at its attract screen most of the day, after bursts of large allocations: the
camera's 720p frames and FFmpeg's decoder buffers (several MB each, in several threads) while a
citizen scans. glibc keeps what is freed for the next allocation, so the process would stay as
large as it was while scanning:

- :func:`trim` (``malloc_trim(0)``) returns the free pages of the arenas to the kernel; the
  camera calls it when it starts resting (nothing captures until the next scan).
- ``malloc_trim`` cannot shrink the top of a thread's own arena (glibc makes one per thread
  that allocates while another holds the main one), where a thread's last frames stay:
  :func:`one_arena`, called by ``kiosk run`` before it starts a thread, makes every thread
  allocate from the main arena, which :func:`trim` shrinks whole.

Where the C library is not glibc (musl has neither call) both do nothing and say so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any

M_ARENA_MAX = -8  # mallopt parameter (malloc.h)


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    except (OSError, AttributeError):  # not glibc
        return None
    return libc


def trim() -> bool:
    """Give malloc's free pages back to the kernel; False if none were or the C library cannot."""
    libc = _libc()
    return libc is not None and bool(libc.malloc_trim(0))


def one_arena() -> bool:
    """Every thread started from now on allocates from the main arena (before any thread is)."""
    libc = _libc()
    return libc is not None and bool(libc.mallopt(M_ARENA_MAX, 1))
