"""Every document type: page size, given fields in the text, embedded fonts, determinism, QR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from document_envelopes import envelope
from pdf_tools import fonts, page_image, page_size, squashed, text_of

from printing.documents import render
from printing.documents.types import DocumentType

MM = 72 / 25.4
SIZES = {
    DocumentType.KK: (297 * MM, 210 * MM),
    DocumentType.KTP: (85.60 * MM, 53.98 * MM),
    DocumentType.KIA: (85.60 * MM, 53.98 * MM),
    DocumentType.AKTA_KELAHIRAN: (210 * MM, 297 * MM),
    DocumentType.AKTA_KEMATIAN: (210 * MM, 297 * MM),
    DocumentType.BIODATA: (210 * MM, 297 * MM),
}


def _person_fields(person: dict[str, Any]) -> list[str]:
    return (
        [
            person["nik"],
            person["name"].upper(),
            person["birth_place"].upper(),
            _dmy(person["birth_date"]),
            person["occupation"].upper(),
            person["blood_type"],
            person["education"],
            person["religion"],
            person["marital_status"],
            person["relation"],
            person["father_name"].upper(),
            person["mother_name"].upper(),
        ]
        + [
            person[k]
            for k in ("passport", "kitap", "marriage_date")
            if person[k] and k != "marriage_date"
        ]
        + ([_dmy(person["marriage_date"])] if person["marriage_date"] else [])
    )


def _dmy(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}-{month}-{year}"


def _address_fields(address: dict[str, str]) -> list[str]:
    return [
        address["street"].upper(),
        address["kelurahan"].upper(),
        address["kecamatan"].upper(),
        address["kabupaten"].upper(),
        "003/007",
    ]


def expected_fields(doc: DocumentType, env: dict[str, Any]) -> list[str]:
    data = env["data"]
    common = [env["document_id"], env["issued_place"].upper()]
    if doc in (
        DocumentType.KK,
        DocumentType.BIODATA,
        DocumentType.AKTA_KELAHIRAN,
        DocumentType.AKTA_KEMATIAN,
    ):
        common += [env["official"]["name"].upper(), env["official"]["title"].upper()]
    if doc is DocumentType.KK:
        fields = [
            data["kk_number"],
            data["head_name"].upper(),
            data["address"]["kode_pos"],
            data["address"]["provinsi"].upper(),
            *_address_fields(data["address"]),
        ]
        for member in data["members"]:
            fields += _person_fields(member)
        return common + fields + ["01-09-2026"]
    if doc is DocumentType.BIODATA:
        return (
            common
            + _person_fields(data)
            + _address_fields(data["address"])
            + [data["kk_number"], data["address"]["kode_pos"], data["address"]["provinsi"].upper()]
        )
    if doc is DocumentType.KTP:
        return [
            *common,
            data["nik"],
            data["name"].upper(),
            data["birth_place"].upper(),
            _dmy(data["birth_date"]),
            "LAKI-LAKI",
            data["blood_type"],
            data["religion"],
            "KAWIN",
            data["occupation"].upper(),
            "WNI",
            "SEUMUR HIDUP",
            "01-09-2026",
            "PROVINSI " + data["address"]["provinsi"].upper(),
            *_address_fields(data["address"]),
        ]
    if doc is DocumentType.KIA:
        return [
            *common,
            data["nik"],
            data["name"].upper(),
            data["birth_place"].upper(),
            _dmy(data["birth_date"]),
            data["kk_number"],
            data["head_name"].upper(),
            "KARTU IDENTITAS ANAK",
            "15-08-2028",
            data["religion"],
            "WNI",
            data["address"]["street"].upper(),
        ]
    if doc is DocumentType.AKTA_KELAHIRAN:
        return [
            *common,
            data["certificate_number"],
            data["nik"],
            data["name"].upper(),
            data["birth_place"].upper(),
            "tiga belas Agustus dua ribu delapan",
            "anak kedua,",
            "perempuan",
            data["father_name"].upper(),
            data["mother_name"].upper(),
            "KUTIPAN AKTA KELAHIRAN",
            "WARGA NEGARA INDONESIA",
            "1 September 2026",
        ]
    return [
        *common,
        data["certificate_number"],
        data["nik"],
        data["name"].upper(),
        data["death_place"].upper(),
        data["birth_place"].upper(),
        "tujuh belas Maret dua ribu dua puluh lima",
        "satu Januari seribu sembilan ratus empat puluh lima",
        "laki-laki",
        "KUTIPAN AKTA KEMATIAN",
        "telah meninggal dunia",
    ]


@pytest.fixture(scope="module")
def rendered() -> dict[DocumentType, bytes]:
    return {doc: render(envelope(doc)).pdf for doc in DocumentType}


@pytest.mark.parametrize("doc", list(DocumentType))
def test_page_size_and_one_page(doc: DocumentType, rendered: dict[DocumentType, bytes]) -> None:
    result = render(envelope(doc))
    assert result.pages == 1
    assert result.doc is doc
    width, height = page_size(rendered[doc])
    assert width == pytest.approx(SIZES[doc][0], abs=0.05)
    assert height == pytest.approx(SIZES[doc][1], abs=0.05)


@pytest.mark.parametrize("doc", list(DocumentType))
def test_every_given_field_is_in_the_text(
    doc: DocumentType, rendered: dict[DocumentType, bytes]
) -> None:
    text = squashed(text_of(rendered[doc]))
    missing = [f for f in expected_fields(doc, envelope(doc)) if squashed(f) not in text]
    assert missing == []


@pytest.mark.parametrize("doc", list(DocumentType))
def test_fonts_are_embedded_dejavu_only(
    doc: DocumentType, rendered: dict[DocumentType, bytes]
) -> None:
    listed = fonts(rendered[doc])
    assert listed, "no fonts listed"
    for name, _kind, embedded in listed:
        assert embedded == "yes", name
        assert "DejaVuSans" in name


@pytest.mark.parametrize("doc", list(DocumentType))
def test_same_envelope_same_bytes(doc: DocumentType, rendered: dict[DocumentType, bytes]) -> None:
    again = render(envelope(doc))
    assert again.pdf == rendered[doc]
    assert again.sha256 == render(envelope(doc)).sha256


def test_same_bytes_in_another_process_with_another_hash_seed(tmp_path: Path) -> None:
    script = (
        "import hashlib, json, sys\n"
        "from printing.documents import render\n"
        "envs = json.load(open(sys.argv[1]))\n"
        "print(json.dumps([render(e).sha256 for e in envs]))\n"
    )
    envs = [envelope(doc) for doc in DocumentType]
    source = tmp_path / "envs.json"
    source.write_text(json.dumps(envs))
    result = subprocess.run(
        [sys.executable, "-c", script, str(source)],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert json.loads(result.stdout) == [render(e).sha256 for e in envs]


@pytest.mark.parametrize(
    ("doc", "dpi"),
    [
        (DocumentType.KTP, 600),
        (DocumentType.KIA, 600),
        (DocumentType.KK, 200),
        (DocumentType.AKTA_KELAHIRAN, 150),
        (DocumentType.BIODATA, 150),
    ],
)
def test_verification_qr_decodes_bottom_right(
    doc: DocumentType, dpi: int, rendered: dict[DocumentType, bytes]
) -> None:
    image = page_image(rendered[doc], dpi)
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in found] == [envelope(doc)["verification_qr"]]
    position = found[0].position
    assert position.top_left.x > image.width / 2
    assert position.top_left.y > image.height / 2


def test_different_documents_have_different_bytes(rendered: dict[DocumentType, bytes]) -> None:
    assert len({pdf for pdf in rendered.values()}) == len(rendered)


def test_biodata_with_the_family_is_two_numbered_pages() -> None:
    env = envelope(DocumentType.BIODATA)
    alone = render(env)
    env["data"]["family"] = envelope(DocumentType.KK)["data"]["members"][:3]
    both = render(env)
    assert (alone.pages, both.pages) == (1, 2)
    assert "Halaman" not in text_of(alone.pdf)  # one page needs no number
    pages = text_of(both.pdf).split("\f")
    assert "Halaman 1 dari 2" in pages[0] and "Halaman 2 dari 2" in pages[1]
    assert "DATA ANGGOTA KELUARGA" in pages[1]
    for member in env["data"]["family"]:
        assert member["nik"] in pages[1] and member["name"].upper() in pages[1]
    assert page_size(both.pdf) == pytest.approx(SIZES[DocumentType.BIODATA], abs=0.5)
