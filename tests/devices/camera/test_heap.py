"""The camera hands the decoder's freed memory back to the system when it rests."""

from __future__ import annotations

import os

from devices.camera.heap import trim_free_memory


def rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_freed_memory_goes_back_to_the_system() -> None:
    # 48 MB in 64 KB blocks (malloc's heap, below its mmap threshold), each followed by a small
    # block that stays: free() alone cannot shrink the heap past the blocks that stay.
    blocks, keep = [], []
    for _ in range(768):
        blocks.append(b"x" * 65536)
        keep.append(b"k" * 600)
    grown = rss_bytes()
    blocks.clear()
    assert trim_free_memory()
    assert grown - rss_bytes() > 32 * 2**20
    assert len(keep) == 768
