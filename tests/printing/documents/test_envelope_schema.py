"""Envelope validation: every rule names the field it broke."""

from __future__ import annotations

from typing import Any

import pytest
from document_envelopes import envelope, set_path

from printing.documents import DocumentDataError
from printing.documents.schema import validate_envelope
from printing.documents.types import DocumentType


def _error(doc: DocumentType, path: tuple[str | int, ...], value: Any) -> DocumentDataError:
    env = envelope(doc)
    set_path(env, path, value)
    with pytest.raises(DocumentDataError) as caught:
        validate_envelope(env)
    return caught.value


@pytest.mark.parametrize("doc", list(DocumentType))
def test_sample_envelopes_are_valid(doc: DocumentType) -> None:
    checked, _ = validate_envelope(envelope(doc))
    assert checked.type is doc


@pytest.mark.parametrize(
    ("doc", "path", "value", "where", "says"),
    [
        (
            DocumentType.KK,
            ("data", "members", 0, "birth_date"),
            "1980-02-30",
            "data.members.0.birth_date",
            "real date",
        ),
        (
            DocumentType.KK,
            ("data", "members", 2, "birth_date"),
            "13/08/2007",
            "data.members.2.birth_date",
            "YYYY-MM-DD",
        ),
        (DocumentType.KK, ("data", "members", 1, "sex"), "X", "data.members.1.sex", ""),
        (
            DocumentType.KK,
            ("data", "members", 1, "religion"),
            "ATHEIS",
            "data.members.1.religion",
            "",
        ),
        (
            DocumentType.KK,
            ("data", "members", 4, "marital_status"),
            "KAWIN",
            "data.members.4.marital_status",
            "",
        ),
        (
            DocumentType.KK,
            ("data", "members", 4, "name"),
            "\u200b\u202e",
            "data.members.4.name",
            "empty",
        ),
        (DocumentType.KK, ("data", "members", 4, "name"), "A" * 513, "data.members.4.name", "512"),
        (
            DocumentType.KK,
            ("data", "address", "kode_pos"),
            "1645",
            "data.address.kode_pos",
            "5 digits",
        ),
        (DocumentType.KK, ("data", "address", "rt"), "0003", "data.address.rt", "3 digits"),
        (
            DocumentType.KTP,
            ("data", "nik"),
            "３２７１０５１００８８０００００１",
            "data.nik",
            "16 digits",
        ),
        (DocumentType.KTP, ("data", "nik"), 3271051008800001, "data.nik", ""),
        (DocumentType.KTP, ("data", "blood_type"), "Z", "data.blood_type", ""),
        (DocumentType.KIA, ("data", "kk_number"), "327105150224000", "data.kk_number", "16 digits"),
        (DocumentType.KIA, ("data", "valid_until"), "1999-01-01", "data.valid_until", "expired"),
        (
            DocumentType.AKTA_KELAHIRAN,
            ("data", "certificate_number"),
            "3271-XX-01092008-0042",
            "data.certificate_number",
            "RRRR",
        ),
        (
            DocumentType.AKTA_KELAHIRAN,
            ("data", "certificate_number"),
            "3271-LT-31022008-0042",
            "data.certificate_number",
            "registration date",
        ),
        (
            DocumentType.AKTA_KELAHIRAN,
            ("data", "certificate_number"),
            "3271-LT-01012001-0042",
            "data.certificate_number",
            "outside",
        ),
        (DocumentType.AKTA_KELAHIRAN, ("data", "birth_order"), True, "data.birth_order", ""),
        (DocumentType.AKTA_KELAHIRAN, ("data", "birth_order"), 0, "data.birth_order", ""),
        (
            DocumentType.AKTA_KEMATIAN,
            ("data", "death_date"),
            "1944-01-01",
            "data.death_date",
            "before the birth",
        ),
        (
            DocumentType.AKTA_KEMATIAN,
            ("data", "death_date"),
            "2027-01-01",
            "data.death_date",
            "after the issue",
        ),
        (DocumentType.BIODATA, ("official", "nip"), "1972", "official.nip", "18 digits"),
        (DocumentType.BIODATA, ("document_id",), "abc", "document_id", "6-40"),
        (DocumentType.BIODATA, ("verification_qr",), "x" * 513, "verification_qr", "512"),
        (DocumentType.BIODATA, ("verification_qr",), "ADMDOC1.ü", "verification_qr", "ASCII"),
        (DocumentType.BIODATA, ("issued_on",), "2026-13-01", "issued_on", "real date"),
        (DocumentType.BIODATA, ("type",), "paspor", "type", ""),
    ],
)
def test_bad_values_name_their_field(
    doc: DocumentType, path: tuple[str | int, ...], value: Any, where: str, says: str
) -> None:
    error = _error(doc, path, value)
    assert error.path == where
    assert says in error.message


def test_eleven_members_do_not_fit_a_kk() -> None:
    env = envelope(DocumentType.KK)
    env["data"]["members"].append(dict(env["data"]["members"][-1]))
    with pytest.raises(DocumentDataError) as caught:
        validate_envelope(env)
    assert caught.value.path == "data.members"


def test_missing_required_field_is_named() -> None:
    env = envelope(DocumentType.KTP)
    del env["data"]["name"]
    with pytest.raises(DocumentDataError) as caught:
        validate_envelope(env)
    assert caught.value.path == "data.name"


def test_not_an_object_is_rejected() -> None:
    with pytest.raises(DocumentDataError):
        validate_envelope(["not", "an", "object"])  # type: ignore[arg-type]


def test_unknown_fields_are_ignored_and_text_is_cleaned() -> None:
    env = envelope(DocumentType.KTP)
    env["data"]["hobby"] = "berkebun"
    env["data"]["name"] = "  Embun\u200b  Pagi\u202e\n"
    _, data = validate_envelope(env)
    assert data.name == "Embun Pagi"  # type: ignore[union-attr]
