"""Reading rendered PDFs back with poppler (pdftotext, pdffonts, pdfinfo, pdftoppm)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image


def _run(args: list[str], pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run(
            [*args, handle.name, *(["-"] if args[0] == "pdftotext" else [])],
            check=True,
            capture_output=True,
            timeout=60,
        )
    return result.stdout.decode("utf-8")


def text_of(pdf: bytes) -> str:
    return _run(["pdftotext", "-enc", "UTF-8"], pdf)


def squashed(text: str) -> str:
    """Text without any white space (values may wrap over lines)."""
    return "".join(text.split())


def page_size(pdf: bytes) -> tuple[float, float]:
    info = _run(["pdfinfo"], pdf)
    match = re.search(r"Page size:\s+([0-9.]+) x ([0-9.]+) pts", info)
    assert match, info
    return float(match.group(1)), float(match.group(2))


def fonts(pdf: bytes) -> list[tuple[str, str, str]]:
    """(name, type, embedded yes/no) per font line of pdffonts."""
    lines = _run(["pdffonts"], pdf).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID
        rows.append((parts[0], parts[1], parts[-5]))
    return rows


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def words(pdf: bytes) -> tuple[tuple[float, float], list[Word]]:
    """Page size and every word's bounding box (pdftotext -bbox, top-left origin)."""
    html = _run(["pdftotext", "-bbox"], pdf)
    html = re.sub(r"<!DOCTYPE[^>]*>", "", html)
    root = ElementTree.fromstring(html)
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    page = root.find(".//x:page", namespace)
    assert page is not None
    size = (float(page.attrib["width"]), float(page.attrib["height"]))
    found = [
        Word(
            w.text or "",
            float(w.attrib["xMin"]),
            float(w.attrib["yMin"]),
            float(w.attrib["xMax"]),
            float(w.attrib["yMax"]),
        )
        for w in page.iter("{http://www.w3.org/1999/xhtml}word")
    ]
    return size, found


def page_image(pdf: bytes, dpi: int) -> Image.Image:
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-singlefile",
                str(source),
                str(Path(scratch) / "page"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        with Image.open(Path(scratch) / "page.png") as image:
            return image.convert("L")
