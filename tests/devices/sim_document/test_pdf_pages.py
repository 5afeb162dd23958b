"""The in-process page count agrees with poppler's, or declines and leaves the answer to it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fuzz.byte_mutations import mutations, within
from hypothesis import HealthCheck, given, settings

from devices.sim import virtual_paper
from devices.sim.pdf_pages import count_pages
from devices.sim.virtual_paper import PaperError, page_count
from kiosk.synthetic.documents import family_documents
from kiosk.synthetic.people import generate_families
from printing.documents import render
from printing.documents.rendered import RenderedDocument
from printing.documents.types import DocumentType
from tests.devices.sim_document.conftest import reportlab_pdf


def poppler_pages(pdf: bytes, tmp: Path) -> int | None:
    path = tmp / "probe.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, timeout=30, check=False)
    match = re.search(rb"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
    return int(match.group(1)) if done.returncode == 0 and match else None


def kiosk_documents() -> dict[DocumentType, RenderedDocument]:
    """One document of every type the kiosk renders, from the synthetic registry's data."""
    out: dict[DocumentType, RenderedDocument] = {}
    for ready in family_documents(11, generate_families(11, 6)):
        if ready.doc not in out:
            out[ready.doc] = render(ready.envelope("DOC-PAGES-0001", "ADMDOC1.e30.c2ln"))
    return out


KIOSK_DOCUMENTS = kiosk_documents()


@pytest.mark.parametrize("doc", sorted(KIOSK_DOCUMENTS, key=lambda d: d.value))
def test_every_kiosk_document_is_counted_in_process(doc: DocumentType, tmp_path: Path) -> None:
    rendered = KIOSK_DOCUMENTS[doc]
    assert count_pages(rendered.pdf) == poppler_pages(rendered.pdf, tmp_path) == rendered.pages


@pytest.mark.parametrize("pages", [1, 2, 3, 7])
def test_multi_page_reportlab_documents(pages: int, tmp_path: Path) -> None:
    pdf = reportlab_pdf(pages)
    assert count_pages(pdf) == poppler_pages(pdf, tmp_path) == pages


def _with_update(pdf: bytes) -> bytes:
    """``pdf`` plus an incremental update (a second xref section with /Prev), as editors save."""
    old_xref = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    root = re.search(rb"/Root \d+ \d+ R", pdf)
    size = re.search(rb"/Size (\d+)", pdf)
    assert root and size
    number = int(size.group(1))
    obj = f"{number} 0 obj\n<< /Producer (update) >>\nendobj\n".encode()
    at = len(pdf)
    xref_at = at + len(obj)
    xref = f"xref\n{number} 1\n{at:010d} 00000 n \n".encode()
    trailer = (
        b"trailer\n<< /Size %d " % (number + 1)
        + root.group(0)
        + b" /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (old_xref, xref_at)
    )
    return pdf + obj + xref + trailer


def test_what_it_does_not_read_is_left_to_poppler(tmp_path: Path) -> None:
    pdf = reportlab_pdf(2)
    updated = _with_update(pdf)
    assert poppler_pages(updated, tmp_path) == 2
    assert count_pages(updated) is None  # a /Prev chain: poppler decides
    assert count_pages(pdf.replace(b"/Type /Pages", b"/Type /Pagex")) is None
    assert count_pages(pdf[: len(pdf) // 2]) is None
    assert count_pages(b"") is None
    assert count_pages(b"%PDF-1.4\ngarbage") is None
    assert count_pages(b"GIF89a" + pdf[5:]) is None
    # An xref offset pointing at another object than the one named is not followed.
    catalog = re.search(rb"/Root (\d+) 0 R", pdf)
    assert catalog
    shifted = pdf.replace(b"\n%s 0 obj" % catalog.group(1), b"\n%s 0 obj " % catalog.group(1))
    assert count_pages(shifted) in (None, 2)


def test_page_count_asks_poppler_only_when_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    real_run = virtual_paper._run

    def counting_run(argv: list[str], timeout_s: float) -> bytes:
        calls.append(argv)
        return real_run(argv, timeout_s)

    monkeypatch.setattr(virtual_paper, "_run", counting_run)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(reportlab_pdf(3))
    assert page_count(plain) == 3
    assert calls == []
    updated = tmp_path / "updated.pdf"
    updated.write_bytes(_with_update(reportlab_pdf(3)))
    assert page_count(updated) == 3
    assert [argv[0] for argv in calls] == ["pdfinfo"]
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\ngarbage")
    with pytest.raises(PaperError):
        page_count(broken)


SEED = KIOSK_DOCUMENTS[DocumentType.KK].pdf


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=mutations(SEED))
def test_mutated_documents_never_get_a_count_poppler_disagrees_with(
    data: bytes, tmp_path: Path
) -> None:
    counted: Any = within(2.0, lambda: count_pages(data))
    if counted is not None:
        assert counted == poppler_pages(data, tmp_path)
