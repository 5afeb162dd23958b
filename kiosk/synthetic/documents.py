"""The ready documents of a synthetic population, and the envelope each one prints from.

The envelope is the JSON the registry's reserve call returns as ``document``; its shape is
defined by ``printing.documents.schema`` (the printing side validates it on its own).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from kiosk.domain.documents import DocumentType
from kiosk.synthetic import names
from kiosk.synthetic.people import REFERENCE_DATE, Address, Family, Person
from kiosk.synthetic.regions import Regency

ADULT_AGE = 17
ON_TIME_DAYS = 60  # births registered within 60 days get an "LT" number, later ones "LU"


@dataclass(frozen=True)
class ReadyDocument:
    """A document ready to print: who may print it (holder), whom it is about (subject)."""

    doc: DocumentType
    holder_nik: str
    holder_name: str
    subject_nik: str
    subject_name: str = ""
    subject_relation: str = ""  # in the family (the KK's word): what tells members apart
    subject_birth_year: int | None = None
    issued_on: date = field(default=REFERENCE_DATE)
    issued_place: str = ""
    official: Mapping[str, str] = field(default_factory=dict, hash=False)
    data: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def envelope(self, document_id: str, verification_qr: str) -> dict[str, Any]:
        """The JSON-able envelope ``printing.documents.render`` takes."""
        return {
            "type": self.doc.value,
            "document_id": document_id,
            "issued_on": self.issued_on.isoformat(),
            "issued_place": self.issued_place,
            "official": dict(self.official),
            "verification_qr": verification_qr,
            "data": _plain(self.data),
        }


def _plain(value: Any) -> Any:
    """A deep copy with dates as ISO strings (so callers can mutate and json.dumps it)."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _address(address: Address) -> dict[str, str]:
    return {
        "street": address.street,
        "rt": address.rt,
        "rw": address.rw,
        "kelurahan": address.kelurahan,
        "kecamatan": address.kecamatan,
        "kabupaten": address.kabupaten,
        "provinsi": address.provinsi,
        "kode_pos": address.kode_pos,
    }


def _member(person: Person) -> dict[str, Any]:
    return {
        "nik": person.nik,
        "name": person.name,
        "sex": person.sex,
        "birth_place": person.birth_place,
        "birth_date": person.birth_date,
        "religion": person.religion,
        "education": person.education,
        "occupation": person.occupation,
        "blood_type": person.blood_type,
        "marital_status": person.marital_status,
        "marriage_date": person.marriage_date,
        "relation": person.relation,
        "citizenship": person.citizenship,
        "passport": person.passport,
        "kitap": person.kitap,
        "father_name": person.father_name,
        "mother_name": person.mother_name,
    }


def registration_date(certificate_number: str) -> date:
    """The DDMMYYYY part of ``RRRR-XX-DDMMYYYY-NNNN``."""
    part = certificate_number.split("-")[2]
    return date(int(part[4:]), int(part[2:4]), int(part[:2]))


def _nip(rng: random.Random, index: int) -> str:
    """18 digits: birth date, appointment year and month (aged 23-30), sex, serial."""
    born = date(1968, 1, 1) + timedelta(days=rng.randrange(6000))
    appointed = f"{born.year + rng.randint(23, 30)}{rng.randint(1, 12):02d}"
    return f"{born:%Y%m%d}{appointed}{rng.randint(1, 2)}{index + 1:03d}"


class _DocumentMaker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed ^ 0x5EED)  # noqa: S311 (synthetic data, not secrets)
        self._serials: dict[str, int] = {}
        self._officials: dict[str, tuple[str, str]] = {}

    def _serial(self, key: str) -> int:
        self._serials[key] = self._serials.get(key, 0) + 1
        return self._serials[key]

    def official(self, regency: Regency, doc: DocumentType) -> dict[str, str]:
        if regency.code4 not in self._officials:
            index = len(self._officials)
            name = names.OFFICIAL_NAMES[index % len(names.OFFICIAL_NAMES)]
            self._officials[regency.code4] = (name, _nip(self.rng, index))
        name, nip = self._officials[regency.code4]
        if doc in (DocumentType.AKTA_KELAHIRAN, DocumentType.AKTA_KEMATIAN):
            title = f"PEJABAT PENCATATAN SIPIL {regency.full_name}"
        else:
            title = f"KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL {regency.full_name}"
        return {"name": name.upper(), "title": title, "nip": nip}

    def ready(
        self,
        family: Family,
        doc: DocumentType,
        holder: Person,
        subject: Person,
        data: Mapping[str, Any],
        *,
        not_before: date | None = None,
    ) -> ReadyDocument:
        issued = REFERENCE_DATE - timedelta(days=self.rng.randrange(45))
        # Never issued before the subject was born, nor before its own registration.
        issued = max(issued, subject.birth_date + timedelta(days=1), not_before or issued)
        return ReadyDocument(
            doc=doc,
            holder_nik=holder.nik,
            holder_name=holder.name,
            subject_nik=subject.nik,
            subject_name=subject.name,
            subject_relation=subject.relation,
            subject_birth_year=subject.birth_date.year,
            issued_on=issued,
            issued_place=family.regency.name,
            official=self.official(family.regency, doc),
            data=data,
        )

    def certificate_number(self, regency: Regency, kind: str, registered: date) -> str:
        serial = self._serial(f"{regency.code4}-{kind}")
        return f"{regency.code4}-{kind}-{registered:%d%m%Y}-{serial:04d}"

    def family_documents(self, family: Family) -> Iterator[ReadyDocument]:
        head = family.head
        address = _address(family.address)
        yield self.ready(
            family,
            DocumentType.KK,
            head,
            head,
            {
                "kk_number": family.kk_number,
                "head_name": head.name,
                "address": address,
                "members": [_member(p) for p in family.members],
            },
            not_before=max(family.kk_issued, *(p.birth_date for p in family.members)),
        )
        for person in family.members:
            adult = person.age_on(REFERENCE_DATE) >= ADULT_AGE
            holder = person if adult else head
            record = _member(person)
            if adult:
                yield self.ready(
                    family, DocumentType.KTP, person, person, self._ktp(record, address)
                )
            else:
                yield self.ready(family, DocumentType.KIA, head, person, self._kia(family, person))
            yield self.ready(
                family,
                DocumentType.BIODATA,
                holder,
                person,
                {
                    **record,
                    "kk_number": family.kk_number,
                    "head_name": head.name,
                    "address": address,
                    "family": [_member(p) for p in family.members],  # page 2
                },
            )
            if person.relation == "ANAK":
                birth = self._birth(family, person)
                yield self.ready(
                    family,
                    DocumentType.AKTA_KELAHIRAN,
                    holder,
                    person,
                    birth,
                    not_before=registration_date(birth["certificate_number"]),
                )
        for person in family.deceased:
            death = self._death(family, person)
            yield self.ready(
                family,
                DocumentType.AKTA_KEMATIAN,
                head,
                person,
                death,
                not_before=registration_date(death["certificate_number"]),
            )

    @staticmethod
    def _ktp(record: Mapping[str, Any], address: Mapping[str, str]) -> dict[str, Any]:
        keys = (
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
        )
        return {**{k: record[k] for k in keys}, "address": address, "valid_until": None}

    @staticmethod
    def _kia(family: Family, child: Person) -> dict[str, Any]:
        born = child.birth_date
        try:
            seventeen = born.replace(year=born.year + ADULT_AGE)
        except ValueError:
            seventeen = date(born.year + ADULT_AGE, 3, 1)
        return {
            "nik": child.nik,
            "name": child.name,
            "sex": child.sex,
            "birth_place": child.birth_place,
            "birth_date": born,
            "religion": child.religion,
            "citizenship": child.citizenship,
            "kk_number": family.kk_number,
            "head_name": family.head.name,
            "address": _address(family.address),
            "valid_until": seventeen - timedelta(days=1),
        }

    def _birth(self, family: Family, child: Person) -> dict[str, Any]:
        on_time = self.rng.random() < 0.8
        delay = self.rng.randint(3, 50) if on_time else self.rng.randint(90, 2000)
        registered = min(child.birth_date + timedelta(days=delay), REFERENCE_DATE)
        kind = "LT" if (registered - child.birth_date).days <= ON_TIME_DAYS else "LU"
        return {
            "certificate_number": self.certificate_number(family.regency, kind, registered),
            "nik": child.nik,
            "name": child.name,
            "sex": child.sex,
            "birth_place": child.birth_place,
            "birth_date": child.birth_date,
            "birth_order": child.birth_order,
            "father_name": child.father_name,
            "mother_name": child.mother_name,
            "citizenship": child.citizenship,
        }

    def _death(self, family: Family, person: Person) -> dict[str, Any]:
        died = person.death_date or REFERENCE_DATE
        registered = min(died + timedelta(days=self.rng.randint(2, 40)), REFERENCE_DATE)
        return {
            "certificate_number": self.certificate_number(family.regency, "KM", registered),
            "nik": person.nik,
            "name": person.name,
            "sex": person.sex,
            "birth_place": person.birth_place,
            "birth_date": person.birth_date,
            "death_date": died,
            "death_place": person.death_place or family.regency.name,
            "citizenship": person.citizenship,
        }


def family_documents(seed: int, families: list[Family]) -> list[ReadyDocument]:
    maker = _DocumentMaker(seed)
    return [doc for family in families for doc in maker.family_documents(family)]
