"""``kiosk scan-image``: decode QR / Code128 / PDF417 codes in image files.

For each file: the codes found (format, text) and the decode time in ms. ``--json`` prints one
JSON array of ``{"file", "codes": [{"format", "text"}], "ms"}``; a file that cannot be loaded gets
an entry with ``"error"`` (and ``"ms": null``) and the others still run. Exit 1 if any file failed
to load. Files are hostile input: size and pixel count are checked before decoding, and decoded
text is escaped before it reaches a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from devices.codes.backends import BACKENDS, DEFAULT_BACKEND, make_reader
from devices.codes.image_files import DEFAULT_MAX_PIXELS, ImageFileError, load_image
from kiosk.logs import setup_logging


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--decoder", choices=BACKENDS, default=DEFAULT_BACKEND, help="decoder backend"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON array")
    parser.add_argument(
        "--max-pixels",
        type=int,
        default=DEFAULT_MAX_PIXELS,
        help=f"refuse images with more pixels than this (default {DEFAULT_MAX_PIXELS})",
    )
    parser.add_argument("--log-level", default="WARNING", help="log level (default WARNING)")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="image files")


def scan_file(reader: Any, path: Path, max_pixels: int) -> dict[str, Any]:
    """One file's entry: codes and decode ms, or an error."""
    entry: dict[str, Any] = {"file": str(path), "codes": [], "ms": None}
    try:
        image = load_image(path, max_pixels=max_pixels, mode="gray")
    except ImageFileError as exc:
        entry["error"] = str(exc)
        return entry
    started = time.perf_counter()
    codes = reader.decode(image)
    entry["ms"] = round((time.perf_counter() - started) * 1000, 2)
    entry["codes"] = [{"format": c.format.value, "text": c.text} for c in codes]
    return entry


def _printable(text: str) -> str:
    """Decoded text as it may safely reach a terminal (control characters escaped)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in text)


def _print_text(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        name = _printable(entry["file"])
        if "error" in entry:
            print(f"{name}: error: {_printable(entry['error'])}")
            continue
        codes = entry["codes"]
        print(f"{name}: {len(codes)} code(s), decode {entry['ms']:.1f} ms")
        for code in codes:
            print(f"  {code['format']:<8} {_printable(code['text'])}")


def run(args: argparse.Namespace) -> int:
    setup_logging(args.log_level)
    reader = make_reader(args.decoder)
    entries = [scan_file(reader, path, args.max_pixels) for path in args.files]
    if args.json:
        json.dump(entries, sys.stdout, ensure_ascii=True)
        sys.stdout.write("\n")
    else:
        _print_text(entries)
    return 1 if any("error" in e for e in entries) else 0
