"""Kutipan Akta Kelahiran: number RRRR-LT-DDMMYYYY-NNNN and the birth sentence in words."""

from __future__ import annotations

from printing.documents.certificate_page import render_certificate
from printing.documents.field_format import caps, place
from printing.documents.indonesian import date_in_words, ordinal_in_words
from printing.documents.rendered import RenderedDocument
from printing.documents.schema import AktaKelahiranData, Envelope
from printing.documents.types import DocumentType
from printing.drawing.rich_paragraph import Run


def birth_sentence(data: AktaKelahiranData) -> list[Run]:
    runs = [
        Run("Berdasarkan Akta Kelahiran Nomor"),
        Run(data.certificate_number, bold=True),
        Run("bahwa di"),
        Run(place(data.birth_place) or "-", bold=True),
        Run("pada tanggal"),
        Run(date_in_words(data.birth_date), bold=True),
        Run("telah lahir"),
        Run(f"{caps(data.name)},", bold=True),
        Run(f"anak {ordinal_in_words(data.birth_order)}, {data.sex.words.lower()},"),
    ]
    mother = caps(data.mother_name) or "-"
    if data.father_name:
        runs += [
            Run("dari ayah"),
            Run(caps(data.father_name) or "-", bold=True),
            Run("dan ibu"),
            Run(f"{mother}.", bold=True),
        ]
    else:
        runs += [Run("dari ibu"), Run(f"{mother}.", bold=True)]
    return runs


def render_akta_kelahiran(envelope: Envelope, data: AktaKelahiranData) -> RenderedDocument:
    return render_certificate(
        envelope,
        DocumentType.AKTA_KELAHIRAN,
        "KUTIPAN AKTA KELAHIRAN",
        data.citizenship,
        data.nik,
        birth_sentence(data),
    )
