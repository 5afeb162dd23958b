"""The document types the kiosk prints, and what paper each needs."""

from __future__ import annotations

from enum import StrEnum


class Media(StrEnum):
    """The stock a document is printed on."""

    A4 = "a4"
    CARD = "card"  # CR80 / ID-1 PVC blanko


class DocumentType(StrEnum):
    """Document types; the value is the wire name used in vouchers, the registry and the CLI."""

    KK = "kk"
    KTP = "ktp"
    KIA = "kia"
    AKTA_KELAHIRAN = "akta-kelahiran"
    AKTA_KEMATIAN = "akta-kematian"
    BIODATA = "biodata"

    @property
    def media(self) -> Media:
        return Media.CARD if self in (DocumentType.KTP, DocumentType.KIA) else Media.A4

    @property
    def name_id(self) -> str:
        return _NAMES[self][0]

    @property
    def name_en(self) -> str:
        return _NAMES[self][1]


_NAMES: dict[DocumentType, tuple[str, str]] = {
    DocumentType.KK: ("Kartu Keluarga", "Family Card"),
    DocumentType.KTP: ("KTP-el", "Electronic ID Card"),
    DocumentType.KIA: ("Kartu Identitas Anak", "Child Identity Card"),
    DocumentType.AKTA_KELAHIRAN: ("Kutipan Akta Kelahiran", "Birth Certificate"),
    DocumentType.AKTA_KEMATIAN: ("Kutipan Akta Kematian", "Death Certificate"),
    DocumentType.BIODATA: ("Biodata Penduduk", "Resident Biodata"),
}
