"""glibc's malloc gives back what the kiosk freed: trim, and one arena for every thread."""

from __future__ import annotations

import os
import subprocess
import sys

from thirdparty import glibc_malloc


def rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_trim_gives_freed_memory_back_to_the_system() -> None:
    # 48 MB in 64 KB blocks (malloc's heap, below its mmap threshold), each followed by a small
    # block that stays: free() alone cannot shrink the heap past the blocks that stay.
    blocks, keep = [], []
    for _ in range(768):
        blocks.append(b"x" * 65536)
        keep.append(b"k" * 600)
    grown = rss_bytes()
    blocks.clear()
    assert glibc_malloc.trim()
    assert grown - rss_bytes() > 32 * 2**20
    assert len(keep) == 768


THREAD_ALLOCATES = """
import ctypes, sys, threading
from thirdparty import glibc_malloc
if sys.argv[1] == "one":
    assert glibc_malloc.one_arena()
held = []
def allocate():
    held.append(b"x" * 200_000)  # malloc, from this thread
threads = [threading.Thread(target=allocate) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
ctypes.CDLL("libc.so.6").malloc_stats()  # one "Arena N:" block per arena, on stderr
"""


def arenas(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", THREAD_ALLOCATES, mode],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stderr.count("Arena ")


def test_one_arena_keeps_every_thread_in_the_main_arena() -> None:
    assert arenas("one") == 1
    assert arenas("default") > 1  # the control: threads get arenas of their own otherwise
