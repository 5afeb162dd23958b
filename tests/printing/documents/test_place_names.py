"""Place names never split inside a name when text wraps ("KABUPATEN SUMBER / REJO" was)."""

from __future__ import annotations

import pytest
from document_envelopes import envelope
from pdf_tools import text_of

from printing.documents import render
from printing.documents.types import DocumentType
from printing.drawing.fonts import BOLD, REGULAR, register_fonts, text_width
from printing.drawing.text_fit import NBSP, keep_names, layout, unbroken, wrap

register_fonts()

REGENCY = "Sumber Rejo"
TITLE = "Pejabat Pencatatan Sipil Kabupaten Sumber Rejo"


def _width_of(words: str, size: float) -> float:
    return text_width(words, BOLD, size)


def test_wrapping_breaks_before_a_name_not_inside_it() -> None:
    text = keep_names(TITLE.upper(), REGENCY.upper())
    # Room for everything up to "SUMBER" on the first line, not for "SUMBER REJO".
    width = _width_of("PEJABAT PENCATATAN SIPIL KABUPATEN SUMBER", 8) + 1
    lines = wrap(text, BOLD, 8, width)
    assert lines == ["PEJABAT PENCATATAN SIPIL KABUPATEN", "SUMBER REJO"]
    plain = wrap(TITLE.upper(), BOLD, 8, width)  # without the mark: split inside the name
    assert plain == ["PEJABAT PENCATATAN SIPIL KABUPATEN SUMBER", "REJO"]


def test_a_name_wider_than_a_line_breaks_between_its_words_not_its_letters() -> None:
    name = unbroken("PELABUHAN RATU INDAH")
    assert name is not None and NBSP in name
    width = _width_of("PELABUHAN RATU", 8) + 1
    assert wrap(name, BOLD, 8, width) == ["PELABUHAN RATU", "INDAH"]


def test_layout_shrinks_rather_than_split_a_name() -> None:
    name = unbroken("KABUPATEN SUMBER REJO")
    assert name is not None
    one_line_at_7 = text_width("KABUPATEN SUMBER REJO", REGULAR, 7)
    placed = layout(name, REGULAR, 9, 4, one_line_at_7 + 1, 30, wrap_first=True)
    assert placed.lines == ("KABUPATEN SUMBER REJO",)  # printed with plain spaces
    assert placed.size < 9


def test_unbroken_and_keep_names_leave_other_text_alone() -> None:
    assert unbroken(None) is None
    assert unbroken("SUKAMAJU") == "SUKAMAJU"
    assert keep_names("KOTA LAMA", None, "", "SUKAMAJU") == "KOTA LAMA"


HEAD_OF_OFFICE = "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sumber Rejo"


@pytest.mark.parametrize(
    ("doc", "title"),
    [
        (DocumentType.AKTA_KELAHIRAN, TITLE),  # split "SUMBER / REJO" before the fix
        (DocumentType.AKTA_KEMATIAN, TITLE),
        (DocumentType.KK, HEAD_OF_OFFICE),
        (DocumentType.BIODATA, HEAD_OF_OFFICE),
    ],
)
def test_the_officials_title_keeps_the_regency_whole(doc: DocumentType, title: str) -> None:
    env = envelope(doc)
    env["issued_place"] = REGENCY
    env["official"] = {**env["official"], "title": title}
    text = text_of(render(env).pdf)
    lines = [line.strip() for line in text.splitlines()]
    assert not any(line.endswith("SUMBER") for line in lines), lines
    assert any("SUMBER REJO" in line for line in lines)  # printed with a plain space
    assert NBSP not in text
