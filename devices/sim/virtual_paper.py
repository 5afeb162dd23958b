"""Virtual paper: a PDF job cut into one PDF and one PNG per page, with poppler-utils.

The simulated document and card printers "print" by moving these page files into their out
folder one page at a time, so a developer sees what the paper would look like, and a job cut
short by a fault leaves exactly the pages that came out. A PDF is hostile input: poppler runs
as a subprocess with a timeout, and anything it cannot read is a :class:`PaperError`.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from devices.sim.pdf_pages import count_pages

log = logging.getLogger(__name__)

_PAGES = re.compile(rb"^Pages:\s+(\d+)\s*$", re.MULTILINE)


class PaperError(Exception):
    """The document cannot be rendered (not a PDF poppler can read, too many pages, ...)."""


@dataclass(frozen=True, slots=True)
class RenderedPage:
    number: int  # 1-based
    pdf: Path
    png: Path | None  # None when pictures were not asked for (dpi 0)


def _run(argv: list[str], timeout_s: float) -> bytes:
    tool = shutil.which(argv[0])
    if tool is None:
        raise PaperError(f"{argv[0]} is not installed (Debian package poppler-utils)")
    try:
        done = subprocess.run(
            [tool, *argv[1:]], capture_output=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        raise PaperError(f"{argv[0]} took longer than {timeout_s:.0f} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise PaperError(f"{argv[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


def page_count(pdf: Path, timeout_s: float = 30.0) -> int:
    """From the file's own page tree when it is a plain PDF (no process), else from pdfinfo."""
    known = count_pages(pdf.read_bytes())
    if known is not None:
        return known
    match = _PAGES.search(_run(["pdfinfo", str(pdf)], timeout_s))
    if match is None:
        raise PaperError("pdfinfo reported no page count")
    return int(match.group(1))


def render_pages(
    pdf: Path, work_dir: Path, *, dpi: int, max_pages: int, timeout_s: float = 30.0
) -> list[RenderedPage]:
    """Split ``pdf`` into per-page PDFs and PNGs inside ``work_dir`` (which must exist).

    ``dpi == 0`` makes the PDF pages only (pdftoppm is most of the cost of a simulated job:
    about 40 of 60 ms for a KK, which a soak of 10,000 sessions does not need to see)."""
    count = page_count(pdf, timeout_s)
    if count < 1:
        raise PaperError("the document has no pages")
    if count > max_pages:
        raise PaperError(f"{count} pages, more than the {max_pages} allowed")
    if count == 1:  # the page is the document: no process to split it (most jobs are 1 page)
        shutil.copyfile(pdf, work_dir / "page-1.pdf")
    else:
        _run(["pdfseparate", str(pdf), str(work_dir / "page-%d.pdf")], timeout_s)
    pngs: dict[int, Path] = {}
    if dpi > 0:
        _run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(work_dir / "page")], timeout_s)
        pngs = {int(p.stem.rsplit("-", 1)[1]): p for p in work_dir.glob("page-*.png")}
    pages = []
    for number in range(1, count + 1):
        page_pdf = work_dir / f"page-{number}.pdf"
        if not page_pdf.exists() or (dpi > 0 and number not in pngs):
            raise PaperError(f"page {number} was not rendered")
        pages.append(RenderedPage(number, page_pdf, pngs.get(number)))
    return pages


def deliver(page: RenderedPage, out_dir: Path, stem: str) -> tuple[Path, Path | None]:
    """Move a rendered page to the out folder as ``<stem>.pdf`` and ``<stem>.png``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{stem}.pdf"
    shutil.move(page.pdf, pdf)
    if page.png is None:
        return pdf, None
    png = out_dir / f"{stem}.png"
    shutil.move(page.png, png)
    return pdf, png
