"""The fast path for reportlab's PDF text encoding gives the codec's bytes, or the codec's error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from document_envelopes import envelope, set_path, text_paths
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase import pdfdoc

from printing.documents import render
from printing.documents.types import DocumentType
from printing.drawing import pdf_encoding
from printing.drawing.fonts import register_fonts

codec_path: Callable[[Any], Any] = pdf_encoding._codec_path


def _outcome(encode: Callable[[Any], Any], value: Any) -> Any:
    try:
        return encode(value)
    except UnicodeEncodeError as exc:
        return ("error", exc.start)


def test_it_is_installed_for_every_document() -> None:
    register_fonts()
    assert pdfdoc.pdfdocEnc is pdf_encoding.pdfdoc_encode
    assert codec_path is not pdf_encoding.pdfdoc_encode


def test_every_single_character_encodes_as_the_codec_does() -> None:
    differ = [
        hex(code_point)
        for code_point in range(0x300)
        if _outcome(pdf_encoding.pdfdoc_encode, chr(code_point))
        != _outcome(codec_path, chr(code_point))
    ]
    assert differ == []


@given(st.text(alphabet=st.characters(max_codepoint=0x2100), max_size=40))
def test_any_text_encodes_as_the_codec_does(text: str) -> None:
    assert _outcome(pdf_encoding.pdfdoc_encode, text) == _outcome(codec_path, text)


def test_bytes_and_other_values_pass_through_unchanged() -> None:
    assert pdf_encoding.pdfdoc_encode(b"\x00\xff") == b"\x00\xff"
    assert pdf_encoding.pdfdoc_encode(None) is None


def _with_accents(doc: DocumentType) -> dict[str, Any]:
    """An envelope whose free text holds characters beyond ASCII (they go the codec's way)."""
    data = envelope(doc)
    for path in text_paths(doc)[:3]:
        set_path(data, path, "Éndáng Ñurhayati “Siti” Ç–ß")
    return data


@pytest.mark.parametrize("doc", list(DocumentType), ids=lambda d: d.value)
def test_documents_are_byte_identical_on_either_path(
    doc: DocumentType, monkeypatch: pytest.MonkeyPatch
) -> None:
    register_fonts()
    for data in (envelope(doc), _with_accents(doc)):
        fast = render(data).pdf
        with monkeypatch.context() as patch:
            patch.setattr(pdfdoc, "pdfdocEnc", codec_path)
            slow = render(data).pdf
        assert fast == slow
