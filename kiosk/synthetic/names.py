"""Built-in word lists for synthetic people and places.

Every name is made of common Indonesian words (flowers, sky, sea, virtues) or common name
parts, so no list entry is a particular person. A few carry Latin diacritics (Arabic-style
transliteration, as some families write them) and a few are long, to exercise the layouts.
"""

from __future__ import annotations

GIVEN_MALE: tuple[str, ...] = (
    "Bayu",
    "Bintang",
    "Fajar",
    "Gunung",
    "Guntur",
    "Rimba",
    "Samudra",
    "Surya",
    "Angkasa",
    "Bumi",
    "Cakra",
    "Damar",
    "Elang",
    "Halilintar",
    "Jati",
    "Langit",
    "Nusa",
    "Ombak",
    "Raḥmat",
    "Ṣabar",
    "Tegar",
    "Teguh",
    "Wira",
    "Yudha",
)

GIVEN_FEMALE: tuple[str, ...] = (
    "Melati",
    "Mawar",
    "Anggrek",
    "Kenanga",
    "Cahaya",
    "Embun",
    "Intan",
    "Kasih",
    "Mentari",
    "Pelangi",
    "Senja",
    "Wangi",
    "Bunga",
    "Tirta",
    "Sekar",
    "Ḥikmah",
    "Nūr",
    "Rindu",
    "Lembayung",
    "Purnama",
    "Seruni",
    "Teratai",
)

MIDDLE_MALE: tuple[str, ...] = ("Putra", "Jaya", "Agung", "Budi", "Mulia", "Bayu")

MIDDLE_FEMALE: tuple[str, ...] = ("Ayu", "Putri", "Dewi", "Sari", "Indah", "Suci", "Murni")

FAMILY: tuple[str, ...] = (
    "Pratama",
    "Lestari",
    "Utama",
    "Perkasa",
    "Kusuma",
    "Permata",
    "Wijaya",
    "Nugraha",
    "Setiawan",
    "Rahayu",
    "Sentosa",
    "Abadi",
    "Makmur",
    "Sejahtera",
    "Kencana",
    "Pertiwi",
    "Mahardika",
    "Bestari",
)

# Long names (still common words) to test shrinking and wrapping in the layouts.
LONG_SUFFIX_MALE: tuple[str, ...] = (
    "Cahaya Samudra Perkasa Mahardika Wijayakusuma",
    "Anugerah Bintang Gunung Jati Mahardika Nusantara",
)

LONG_SUFFIX_FEMALE: tuple[str, ...] = (
    "Cahaya Samudra Lestari Kusumaningrum Wijayakusuma",
    "Purnamasari Embun Pagi Sejahtera Sentosa Abadi",
)

STREETS: tuple[str, ...] = (
    "JL. MELATI",
    "JL. KENANGA",
    "JL. MERDEKA",
    "JL. PAHLAWAN",
    "JL. KEBUN RAYA",
    "JL. SAWAH LEGA",
    "JL. PASAR BARU",
    "GG. MANGGA",
    "GG. DAMAI",
    "DUSUN KRAJAN",
    "KOMPLEK GRIYA ASRI BLOK C",
    "PERUMAHAN TAMAN SARI INDAH",
)

OFFICIAL_NAMES: tuple[str, ...] = (
    "Teguh Budi Santosa",
    "Sekar Ayu Rahayu",
    "Wira Jaya Utama",
    "Cahaya Murni Lestari",
)

RELIGIONS: tuple[str, ...] = (
    "ISLAM",
    "ISLAM",
    "ISLAM",
    "ISLAM",
    "KRISTEN",
    "KATOLIK",
    "HINDU",
    "BUDDHA",
    "KHONGHUCU",
    "KEPERCAYAAN TERHADAP TUHAN YME",
)

EDUCATION_ADULT: tuple[str, ...] = (
    "TAMAT SD/SEDERAJAT",
    "SLTP/SEDERAJAT",
    "SLTA/SEDERAJAT",
    "SLTA/SEDERAJAT",
    "DIPLOMA I/II",
    "AKADEMI/DIPLOMA III/S. MUDA",
    "DIPLOMA IV/STRATA I",
    "STRATA II",
    "STRATA III",
)

OCCUPATIONS_ADULT: tuple[str, ...] = (
    "WIRASWASTA",
    "KARYAWAN SWASTA",
    "PETANI/PEKEBUN",
    "NELAYAN/PERIKANAN",
    "PEDAGANG",
    "GURU",
    "PEGAWAI NEGERI SIPIL (PNS)",
    "BURUH HARIAN LEPAS",
    "SOPIR",
    "PERAWAT",
    "KARYAWAN BUMN",
    "TUKANG KAYU",
)

BLOOD_TYPES: tuple[str, ...] = (
    "A",
    "B",
    "AB",
    "O",
    "A+",
    "B+",
    "O+",
    "AB-",
    "TIDAK TAHU",
    "TIDAK TAHU",
)
