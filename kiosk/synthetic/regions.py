"""Synthetic regions: real province codes (so NIKs validate) with invented place names.

The regency and district codes and the names below them are made up; they only have the
shape of Kemendagri region codes (province 2, regency 2, district 2 digits).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class District:
    """A kecamatan with its villages (kelurahan/desa) and the postcode of each."""

    code: str  # 2 digits
    name: str
    villages: tuple[tuple[str, str], ...]  # (name, kode pos)


@dataclass(frozen=True, slots=True)
class Regency:
    province_code: str
    province: str
    code: str  # 2 digits
    kind: str  # "KABUPATEN" or "KOTA"
    name: str
    districts: tuple[District, ...]

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"

    @property
    def code4(self) -> str:
        """Province + regency code, the ``RRRR`` of certificate numbers."""
        return f"{self.province_code}{self.code}"


REGENCIES: tuple[Regency, ...] = (
    Regency(
        "32",
        "JAWA BARAT",
        "71",
        "KABUPATEN",
        "SUKAMAJU",
        (
            District("05", "CIMANGGIS HILIR", (("SUKARAME", "16451"), ("CIBENDA", "16452"))),
            District("11", "TELAGA SARI", (("MEKARSARI", "16460"), ("SINDANGLAYA", "16461"))),
        ),
    ),
    Regency(
        "33",
        "JAWA TENGAH",
        "74",
        "KOTA",
        "BANYU ASRI",
        (
            District("02", "KALI PUTIH", (("SIDOMULYO", "50212"), ("NGEMPLAK", "50213"))),
            District("07", "GUNUNG WANGI", (("KARANGREJO", "50231"),)),
        ),
    ),
    Regency(
        "35",
        "JAWA TIMUR",
        "72",
        "KABUPATEN",
        "SUMBER REJO",
        (
            District("03", "WATU ULO", (("TANJUNGSARI", "68173"), ("SUMBERAGUNG", "68174"))),
            District("14", "PANDAN ARUM", (("KEBONAGUNG", "68182"),)),
        ),
    ),
    Regency(
        "51",
        "BALI",
        "71",
        "KABUPATEN",
        "TIRTA GANGGA",
        (District("04", "BUKIT SARI", (("BANJAR TENGAH", "80571"), ("PENATARAN", "80572"))),),
    ),
    Regency(
        "73",
        "SULAWESI SELATAN",
        "75",
        "KOTA",
        "PANTAI MAKMUR",
        (District("06", "TANJUNG BUNGA", (("BONTO LEBANG", "90224"), ("PAROPO", "90225"))),),
    ),
    Regency(
        "12",
        "SUMATERA UTARA",
        "73",
        "KABUPATEN",
        "DANAU INDAH",
        (
            District("09", "SIBORONG HULU", (("LUMBAN GAOL", "22452"),)),
            District("12", "PARAPAT BARU", (("TIGA DOLOK", "22453"), ("SIPANGAN", "22454"))),
        ),
    ),
)

# Places of birth: regency names from the list above plus a few invented towns.
BIRTH_PLACES: tuple[str, ...] = (
    *(r.name for r in REGENCIES),
    "KOTA LAMA",
    "PELABUHAN RATU INDAH",
    "BATU PUTIH",
)
