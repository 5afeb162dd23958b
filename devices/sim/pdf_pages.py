"""The page count of a classic-xref PDF, read in-process: trailer -> catalog -> page tree.

The simulated printers need a job's page count before the first sheet moves. ``pdfinfo`` costs
a process start (about 8 ms, a fifth of a whole simulated session), and the kiosk's own renderer
writes plain PDFs: one cross-reference table, no object streams, no incremental updates. For
those the count is three lookups. Anything else (a cross-reference stream, a ``/Prev`` chain,
an offset that points at the wrong object, a missing key) gives ``None``, and the caller asks
poppler, which then also judges whether the file is a PDF at all. Every read is bounded: the
input is a print job, hostile until checked.
"""

from __future__ import annotations

import re

_TAIL = 1024  # startxref and %%EOF sit in the last bytes
_MAX_OBJECTS = 100_000
_OBJECT_WINDOW = 4096  # how far into an object its dictionary is looked for

_STARTXREF = re.compile(rb"startxref\s+(\d{1,12})\s+%%EOF\s*$")
_SUBSECTION = re.compile(rb"(\d{1,9}) (\d{1,9})[ \t]*\r?\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])[ \r\n]{2}")
_TRAILER = re.compile(rb"trailer\s*<<(.{0,2048}?)>>\s*startxref", re.DOTALL)
_REF = rb"\s+(\d{1,9})\s+(\d{1,5})\s+R"
_ROOT = re.compile(rb"/Root" + _REF)
_PAGES = re.compile(rb"/Pages" + _REF)
_COUNT = re.compile(rb"/Count\s+(\d{1,6})\b")
_TYPE_PAGES = re.compile(rb"/Type\s*/Pages\b")


def count_pages(data: bytes) -> int | None:
    """The number of pages, or ``None`` when this is not a PDF of the simple kind."""
    if not data.startswith(b"%PDF-"):
        return None
    tail = _STARTXREF.search(data[-_TAIL:])
    if tail is None:
        return None
    offsets = _xref(data, int(tail.group(1)))
    trailer = _TRAILER.search(data, int(tail.group(1)), len(data))
    if offsets is None or trailer is None or b"/Prev" in trailer.group(1):
        return None
    root = _ROOT.search(trailer.group(1))
    catalog = _object(data, offsets, root)
    pages = _object(data, offsets, _PAGES.search(catalog) if catalog else None)
    if pages is None or _TYPE_PAGES.search(pages) is None:
        return None
    count = _COUNT.search(pages)
    return int(count.group(1)) if count else None


def _xref(data: bytes, at: int) -> dict[tuple[int, int], int] | None:
    """``(number, generation) -> byte offset`` of every object in use."""
    if not data.startswith(b"xref", at):
        return None
    pos = at + 4
    while data[pos : pos + 1] in (b"\r", b"\n", b" "):
        pos += 1
    offsets: dict[tuple[int, int], int] = {}
    while (sub := _SUBSECTION.match(data, pos)) is not None:
        first, count = int(sub.group(1)), int(sub.group(2))
        if len(offsets) + count > _MAX_OBJECTS:
            return None
        pos = sub.end()
        for number in range(first, first + count):
            entry = _ENTRY.match(data, pos)
            if entry is None:
                return None
            if entry.group(3) == b"n":
                offsets[(number, int(entry.group(2)))] = int(entry.group(1))
            pos = entry.end()
    return offsets if data.startswith(b"trailer", pos) else None


def _object(
    data: bytes, offsets: dict[tuple[int, int], int], ref: re.Match[bytes] | None
) -> bytes | None:
    """The start of an indirect object's body, if the xref points at that very object."""
    if ref is None:
        return None
    number, generation = int(ref.group(1)), int(ref.group(2))
    at = offsets.get((number, generation))
    header = f"{number} {generation} obj".encode()
    if at is None or not data.startswith(header, at):
        return None
    body = data[at + len(header) : at + len(header) + _OBJECT_WINDOW]
    end = body.find(b"endobj")
    return body[:end] if end >= 0 else None
