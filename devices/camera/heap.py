"""Handing memory the camera no longer uses back to the system.

Releasing a capture frees the decoder's buffers (FFmpeg's frame pool, OpenCV's conversion
buffers: several MB at 720p), but glibc's malloc keeps freed memory in its arenas for the next
allocation, so the process stays as large as it was while it captured. ``malloc_trim(0)`` returns
the free pages of every arena to the kernel. The camera calls it when it starts resting: then
nothing will capture until the next scan, and a kiosk rests at its attract screen most of the day.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import cache
from typing import Any

log = logging.getLogger(__name__)


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def trim_free_memory() -> bool:
    """Give malloc's free pages back to the kernel; False where the C library cannot."""
    trim = _libc()
    if trim is None:
        return False
    return bool(trim(0))
