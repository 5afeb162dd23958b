"""Kutipan Akta Kematian: number RRRR-KM-DDMMYYYY-NNNN and the death sentence in words."""

from __future__ import annotations

from printing.documents.certificate_page import render_certificate
from printing.documents.field_format import caps, place
from printing.documents.indonesian import date_in_words
from printing.documents.rendered import RenderedDocument
from printing.documents.schema import AktaKematianData, Envelope
from printing.documents.types import DocumentType
from printing.drawing.rich_paragraph import Run


def death_sentence(data: AktaKematianData) -> list[Run]:
    return [
        Run("Berdasarkan Akta Kematian Nomor"),
        Run(data.certificate_number, bold=True),
        Run("bahwa di"),
        Run(place(data.death_place) or "-", bold=True),
        Run("pada tanggal"),
        Run(date_in_words(data.death_date), bold=True),
        Run("telah meninggal dunia"),
        Run(f"{caps(data.name)},", bold=True),
        Run("NIK"),
        Run(f"{data.nik},", bold=True),
        Run("lahir di"),
        Run(place(data.birth_place) or "-", bold=True),
        Run("tanggal"),
        Run(f"{date_in_words(data.birth_date)},", bold=True),
        Run(f"{data.sex.words.lower()}."),
    ]


def render_akta_kematian(envelope: Envelope, data: AktaKematianData) -> RenderedDocument:
    return render_certificate(
        envelope,
        DocumentType.AKTA_KEMATIAN,
        "KUTIPAN AKTA KEMATIAN",
        data.citizenship,
        None,
        death_sentence(data),
    )
