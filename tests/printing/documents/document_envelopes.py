"""Hand-written synthetic envelopes for every document type (no real person, no real NIK).

``envelope(doc)`` returns a fresh, fully filled envelope; ``text_paths(doc)`` lists every
free-text field (as a path into the envelope) for the hostile-string tests.
"""

from __future__ import annotations

import copy
from typing import Any

from printing.documents.types import DocumentType, Media

QR = "ADMDOC1.eyJ2IjoxLCJkaWQiOiJURVNULTAwMDEifQ.c2lnbmF0dXJlLWJ5dGVzLWZvci10ZXN0cw"
OFFICIAL = {
    "name": "Teguh Budi Santosa",
    "title": "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukamaju",
    "nip": "197205291995041001",
}
ADDRESS = {
    "street": "Jl. Melati No. 12",
    "rt": "3",
    "rw": "007",
    "kelurahan": "Sukarame",
    "kecamatan": "Telaga Sari",
    "kabupaten": "Kabupaten Sukamaju",
    "provinsi": "Jawa Barat",
    "kode_pos": "16451",
}


_ORDINALS = (
    "Pertama",
    "Kedua",
    "Ketiga",
    "Keempat",
    "Kelima",
    "Keenam",
    "Ketujuh",
    "Kedelapan",
    "Kesembilan",
    "Kesepuluh",
)


def _member(index: int) -> dict[str, Any]:
    relation = ("KEPALA KELUARGA", "ISTRI")[index] if index < 2 else "ANAK"
    female = index % 2 == 1
    day = 10 + index
    nik_day = day + (40 if female else 0)
    year = 1980 + index if index < 2 else 2005 + index
    return {
        "nik": f"327105{nik_day:02d}08{year % 100:02d}{index + 1:04d}",
        "name": f"Anggota {_ORDINALS[index]} Lestari",
        "sex": "P" if female else "L",
        "birth_place": f"Kota Lama {index}",
        "birth_date": f"{year:04d}-08-{day:02d}",
        "religion": "ISLAM",
        "education": "SLTA/SEDERAJAT",
        "occupation": f"Pekerjaan Nomor {index}",
        "blood_type": "AB+",
        "marital_status": "KAWIN TERCATAT" if index < 2 else "BELUM KAWIN",
        "marriage_date": "2003-02-14" if index < 2 else None,
        "relation": relation,
        "citizenship": "WNI",
        "passport": f"X00{index}12345" if index == 9 else None,
        "kitap": f"2C0{index}998877" if index == 9 else None,
        "father_name": f"Ayah Bintang {index}",
        "mother_name": f"Ibu Melati {index}",
    }


def _data(doc: DocumentType, members: int) -> dict[str, Any]:
    head = _member(0)
    if doc is DocumentType.KK:
        return {
            "kk_number": "3271051502240007",
            "head_name": head["name"],
            "address": dict(ADDRESS),
            "members": [_member(i) for i in range(members)],
        }
    if doc is DocumentType.KTP:
        keys = [
            "nik",
            "name",
            "sex",
            "birth_place",
            "birth_date",
            "blood_type",
            "religion",
            "marital_status",
            "occupation",
            "citizenship",
        ]
        return {**{k: head[k] for k in keys}, "address": dict(ADDRESS), "valid_until": None}
    if doc is DocumentType.KIA:
        child = _member(6)
        return {
            **{
                k: child[k] for k in ["nik", "name", "sex", "birth_place", "birth_date", "religion"]
            },
            "citizenship": "WNI",
            "kk_number": "3271051502240007",
            "head_name": head["name"],
            "address": dict(ADDRESS),
            "valid_until": "2028-08-15",
        }
    if doc is DocumentType.AKTA_KELAHIRAN:
        child = _member(3)
        return {
            "certificate_number": "3271-LT-01092008-0042",
            "nik": child["nik"],
            "name": child["name"],
            "sex": child["sex"],
            "birth_place": child["birth_place"],
            "birth_date": child["birth_date"],
            "birth_order": 2,
            "father_name": head["name"],
            "mother_name": _member(1)["name"],
            "citizenship": "WNI",
        }
    if doc is DocumentType.AKTA_KEMATIAN:
        return {
            "certificate_number": "3271-KM-20032025-0007",
            "nik": "3271050101450003",
            "name": "Almarhum Gunung Perkasa",
            "sex": "L",
            "birth_place": "Batu Putih",
            "birth_date": "1945-01-01",
            "death_date": "2025-03-17",
            "death_place": "Rumah Sakit Umum Sukamaju",
            "citizenship": "WNI",
        }
    return {
        **head,
        "kk_number": "3271051502240007",
        "head_name": head["name"],
        "address": dict(ADDRESS),
    }


def envelope(doc: DocumentType, *, members: int = 10) -> dict[str, Any]:
    return copy.deepcopy(
        {
            "type": doc.value,
            "document_id": f"TEST-{doc.value.upper()}-0001",
            "issued_on": "2026-09-01",
            "issued_place": "Sukamaju",
            "official": dict(OFFICIAL),
            "verification_qr": QR,
            "data": _data(doc, members),
        }
    )


_NOT_TEXT = {
    "nik",
    "kk_number",
    "sex",
    "birth_date",
    "religion",
    "education",
    "blood_type",
    "marital_status",
    "marriage_date",
    "relation",
    "citizenship",
    "valid_until",
    "certificate_number",
    "birth_order",
    "death_date",
    "rt",
    "rw",
    "kode_pos",
}


def text_paths(doc: DocumentType) -> list[tuple[str | int, ...]]:
    """Every free-text field the document prints (official name/title, place, data strings).

    Cards (KTP-el, KIA) carry no official's name or title, like the real ones.
    """
    paths: list[tuple[str | int, ...]] = [("issued_place",)]
    if doc.media is not Media.CARD:
        paths += [("official", "name"), ("official", "title")]

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in _NOT_TEXT:
                    walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))
        elif isinstance(value, str):
            paths.append(path)

    walk(envelope(doc)["data"], ("data",))
    return paths


def set_path(target: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    node: Any = target
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
