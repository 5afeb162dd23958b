"""Synthetic families: people with consistent NIKs, KK numbers, relations and life events.

Everything is drawn from one ``random.Random(seed)`` so the same seed gives the same people.
Ages are computed against the fixed ``REFERENCE_DATE`` (never the wall clock).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from kiosk.synthetic import names
from kiosk.synthetic.regions import BIRTH_PLACES, REGENCIES, District, Regency

REFERENCE_DATE = date(2026, 10, 1)
EARLIEST_BIRTH = date(1936, 1, 1)  # keeps two-digit NIK years unambiguous until 2035
MAX_MEMBERS = 10
SIBLING_GAP_DAYS = 400
RECENT_END = REFERENCE_DATE - timedelta(days=60)  # deaths end here, so they are registered


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    rt: str
    rw: str
    kelurahan: str
    kecamatan: str
    kabupaten: str
    provinsi: str
    kode_pos: str


@dataclass(frozen=True, slots=True)
class Person:
    """One person's registry record (the generator's private, complete view)."""

    nik: str
    name: str
    sex: str  # "L" / "P"
    birth_date: date
    birth_place: str
    religion: str
    education: str
    occupation: str
    blood_type: str
    marital_status: str
    marriage_date: date | None
    relation: str
    father_name: str
    mother_name: str
    birth_order: int = 1
    citizenship: str = "WNI"
    passport: str | None = None
    kitap: str | None = None
    death_date: date | None = None
    death_place: str | None = None

    @property
    def alive(self) -> bool:
        return self.death_date is None

    def age_on(self, day: date) -> int:
        before = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before)


@dataclass(frozen=True, slots=True)
class Family:
    kk_number: str
    kk_issued: date
    regency: Regency
    address: Address
    members: tuple[Person, ...]  # living, in KK order; members[0] is the head
    deceased: tuple[Person, ...] = field(default=())

    @property
    def head(self) -> Person:
        return self.members[0]


def _random_date(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _education(rng: random.Random, age: int) -> str:
    if age < 5:
        return "TIDAK/BELUM SEKOLAH"
    if age < 12:
        return "BELUM TAMAT SD/SEDERAJAT"
    if age < 15:
        return "TAMAT SD/SEDERAJAT"
    if age < 18:
        return "SLTP/SEDERAJAT"
    return rng.choice(names.EDUCATION_ADULT)


def _occupation(rng: random.Random, age: int, *, homemaker: bool = False) -> str:
    if age < 6:
        return "BELUM/TIDAK BEKERJA"
    if age < 22:
        return "PELAJAR/MAHASISWA"
    if age >= 62:
        return rng.choice(("PENSIUNAN", "BELUM/TIDAK BEKERJA", "PETANI/PEKEBUN"))
    if homemaker and rng.random() < 0.5:
        return "MENGURUS RUMAH TANGGA"
    return rng.choice(names.OCCUPATIONS_ADULT)


class _Builder:
    """Draws families one at a time, keeping NIK and KK serials unique."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
        self._serials: dict[str, int] = {}

    def _serial(self, prefix: str) -> str:
        number = self._serials.get(prefix, 0) + 1
        self._serials[prefix] = number
        return f"{prefix}{number:04d}"

    def nik(self, region: str, sex: str, born: date) -> str:
        day = born.day + (40 if sex == "P" else 0)
        return self._serial(f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}")

    def kk_number(self, region: str, issued: date) -> str:
        return self._serial(f"{region}{issued:%d%m%y}")

    def given(self, sex: str) -> str:
        pool = names.GIVEN_MALE if sex == "L" else names.GIVEN_FEMALE
        return self.rng.choice(pool)

    def full_name(self, sex: str, family_name: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:
            long = names.LONG_SUFFIX_MALE if sex == "L" else names.LONG_SUFFIX_FEMALE
            return f"{self.given(sex)} {rng.choice(long)}"
        if roll < 0.35:
            middle = names.MIDDLE_MALE if sex == "L" else names.MIDDLE_FEMALE
            return f"{self.given(sex)} {rng.choice(middle)} {family_name}"
        if roll < 0.45:
            return self.given(sex)
        return f"{self.given(sex)} {family_name}"

    def person(
        self,
        region: str,
        *,
        sex: str,
        born: date,
        relation: str,
        name: str,
        religion: str,
        marital: str = "BELUM KAWIN",
        married_on: date | None = None,
        father: str | None = None,
        mother: str | None = None,
        birth_order: int = 1,
        homemaker: bool = False,
    ) -> Person:
        rng = self.rng
        age = REFERENCE_DATE.year - born.year
        return Person(
            nik=self.nik(region, sex, born),
            name=name,
            sex=sex,
            birth_date=born,
            birth_place=rng.choice(BIRTH_PLACES),
            religion=religion,
            education=_education(rng, age),
            occupation=_occupation(rng, age, homemaker=homemaker),
            blood_type=rng.choice(names.BLOOD_TYPES),
            marital_status=marital,
            marriage_date=married_on,
            relation=relation,
            father_name=father or self.full_name("L", rng.choice(names.FAMILY)),
            mother_name=mother or self.full_name("P", rng.choice(names.FAMILY)),
            birth_order=birth_order,
        )

    def family(self, index: int) -> Family:
        rng = self.rng
        regency = REGENCIES[rng.randrange(len(REGENCIES))]
        district: District = rng.choice(regency.districts)
        village, postcode = rng.choice(district.villages)
        region = f"{regency.province_code}{regency.code}{district.code}"
        # Family 0 always has children and a death so every document type exists.
        if index == 0:
            size = 5
        elif index % 9 == 4:
            size = MAX_MEMBERS
        else:
            size = rng.choice((1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7))
        members, deceased = self._members(region, size, index == 0)
        youngest = max(p.birth_date for p in members)
        kk_issued = _random_date(
            rng, max(youngest, _years_before(REFERENCE_DATE, 6)), REFERENCE_DATE - timedelta(days=7)
        )
        kk = self.kk_number(region, kk_issued)
        address = Address(
            street=f"{rng.choice(names.STREETS)} NO. {rng.randint(1, 180)}",
            rt=f"{rng.randint(1, 15):03d}",
            rw=f"{rng.randint(1, 12):03d}",
            kelurahan=village,
            kecamatan=district.name,
            kabupaten=regency.full_name,
            provinsi=regency.province,
            kode_pos=postcode,
        )
        return Family(kk, kk_issued, regency, address, tuple(members), tuple(deceased))

    def _members(
        self, region: str, size: int, force_full: bool
    ) -> tuple[list[Person], list[Person]]:
        rng = self.rng
        family_name = rng.choice(names.FAMILY)
        religion = rng.choice(names.RELIGIONS)
        widow = size >= 2 and (force_full or rng.random() < 0.12)
        # A young head (force_full) guarantees children under 17, so a KIA exists.
        oldest_head = 36 if force_full else 62
        head_born = _random_date(
            rng, _years_before(REFERENCE_DATE, oldest_head), _years_before(REFERENCE_DATE, 30)
        )
        deceased: list[Person] = []
        if size == 1:
            head = self.person(
                region,
                sex=rng.choice(("L", "P")),
                born=_random_date(
                    rng, _years_before(REFERENCE_DATE, 70), _years_before(REFERENCE_DATE, 19)
                ),
                relation="KEPALA KELUARGA",
                name=self.full_name("L", family_name),
                religion=religion,
                marital=rng.choice(("BELUM KAWIN", "BELUM KAWIN", "CERAI HIDUP")),
            )
            if head.sex == "P":
                head = replace(head, name=self.full_name("P", family_name))
            return [head], deceased
        married_on = _random_date(rng, _years_before(head_born, -23), _years_before(head_born, -28))
        wife_born = _random_date(rng, _years_before(married_on, 30), _years_before(married_on, 19))
        husband_name = self.full_name("L", family_name)
        wife_name = self.full_name("P", rng.choice(names.FAMILY))
        husband = self.person(
            region,
            sex="L",
            born=head_born,
            relation="KEPALA KELUARGA",
            name=husband_name,
            religion=religion,
            marital="KAWIN TERCATAT",
            married_on=married_on,
        )
        wife = self.person(
            region,
            sex="P",
            born=wife_born,
            relation="ISTRI",
            name=wife_name,
            religion=religion,
            marital="KAWIN TERCATAT",
            married_on=married_on,
            homemaker=True,
        )
        extra_slots = 1 if size >= 4 and rng.random() < 0.35 else 0
        child_slots = size - (1 if widow else 2) - extra_slots
        children = self._children(region, child_slots, husband, wife, married_on, family_name)
        if widow:
            last_birth = max((c.birth_date for c in children), default=married_on)
            died = _random_date(rng, last_birth + timedelta(days=300), RECENT_END)
            deceased.append(
                replace(
                    husband,
                    relation="SUAMI",
                    death_date=min(died, RECENT_END),
                    death_place=rng.choice(BIRTH_PLACES),
                )
            )
            wife = replace(wife, relation="KEPALA KELUARGA", marital_status="CERAI MATI")
            members = [wife]
        else:
            members = [husband, wife]
        members += children
        core = len(members)
        while len(members) < size:
            members.append(self._relative(region, members[0], first=len(members) == core))
        if force_full:
            deceased += self._deceased_parent(region, members[0])
        return members, deceased

    def _children(
        self,
        region: str,
        count: int,
        father: Person,
        mother: Person,
        married_on: date,
        family_name: str,
    ) -> list[Person]:
        rng = self.rng
        start = max(married_on + timedelta(days=300), _years_before(mother.birth_date, -19))
        end = min(_years_before(mother.birth_date, -44), REFERENCE_DATE - timedelta(days=30))
        window = (end - start).days
        count = min(max(count, 0), window // SIBLING_GAP_DAYS + 1) if window >= 0 else 0
        slack = window - (count - 1) * SIBLING_GAP_DAYS
        offsets = sorted(rng.randrange(slack + 1) for _ in range(count))
        births = [start + timedelta(days=o + i * SIBLING_GAP_DAYS) for i, o in enumerate(offsets)]
        children: list[Person] = []
        for order, born in enumerate(births, start=1):
            sex = rng.choice(("L", "P"))
            children.append(
                self.person(
                    region,
                    sex=sex,
                    born=born,
                    relation="ANAK",
                    name=self.full_name(sex, family_name),
                    religion=father.religion,
                    father=father.name,
                    mother=mother.name,
                    birth_order=order,
                )
            )
        # Slots left over (a short child-bearing window) are filled with relatives.
        return children

    def _relative(self, region: str, head: Person, *, first: bool) -> Person:
        rng = self.rng
        latest = _years_before(head.birth_date, 20)
        if first and latest > EARLIEST_BIRTH:
            return self.person(
                region,
                sex="P",
                born=_random_date(rng, EARLIEST_BIRTH, latest),
                relation="ORANG TUA",
                name=head.mother_name,
                religion=head.religion,
                marital="CERAI MATI",
            )
        sex = rng.choice(("L", "P"))
        person = self.person(
            region,
            sex=sex,
            born=_random_date(
                rng, _years_before(REFERENCE_DATE, 30), _years_before(REFERENCE_DATE, 15)
            ),
            relation="FAMILI LAIN",
            name=self.full_name(sex, rng.choice(names.FAMILY)),
            religion=head.religion,
        )
        if rng.random() < 0.2:
            person = replace(
                person,
                citizenship="WNA",
                passport=f"X{rng.randrange(10**7):07d}",
                kitap=f"2C{rng.randrange(10**8):08d}",
            )
        return person

    def _deceased_parent(self, region: str, head: Person) -> list[Person]:
        rng = self.rng
        born = _random_date(rng, EARLIEST_BIRTH, _years_before(head.birth_date, 22))
        died = _random_date(rng, _years_before(REFERENCE_DATE, 8), RECENT_END)
        father = self.person(
            region,
            sex="L",
            born=born,
            relation="ORANG TUA",
            name=head.father_name,
            religion=head.religion,
            marital="KAWIN TERCATAT",
        )
        return [replace(father, death_date=died, death_place=rng.choice(BIRTH_PLACES))]


def generate_families(seed: int, count: int) -> list[Family]:
    """``count`` families (at least 1) drawn deterministically from ``seed``."""
    builder = _Builder(seed)
    return [builder.family(index) for index in range(max(count, 1))]
