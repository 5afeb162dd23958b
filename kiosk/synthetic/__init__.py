"""Synthetic population: citizens, families and their ready documents, from a seed.

Names are common Indonesian words (never a real person), places are invented, NIKs and KK
numbers are valid by ``kiosk.domain.nik``. The same ``(seed, families)`` always gives the
same population.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.synthetic.documents import ReadyDocument, family_documents
from kiosk.synthetic.people import REFERENCE_DATE, Family, Person, generate_families

__all__ = [
    "REFERENCE_DATE",
    "Citizen",
    "Family",
    "Person",
    "Population",
    "ReadyDocument",
    "generate_population",
]


@dataclass(frozen=True)
class Citizen:
    nik: str
    name: str
    sex: str  # "L" / "P"
    birth_date: date
    kk_number: str
    alive: bool


@dataclass(frozen=True)
class Population:
    citizens: list[Citizen]
    documents: list[ReadyDocument]


def _citizen(person: Person, kk_number: str) -> Citizen:
    return Citizen(
        nik=person.nik,
        name=person.name,
        sex=person.sex,
        birth_date=person.birth_date,
        kk_number=kk_number,
        alive=person.alive,
    )


def generate_population(seed: int, families: int) -> Population:
    """``families`` families (at least 1) with their members, the deceased and documents."""
    drawn = generate_families(seed, families)
    citizens = [
        _citizen(person, family.kk_number)
        for family in drawn
        for person in (*family.members, *family.deceased)
    ]
    return Population(citizens=citizens, documents=family_documents(seed, drawn))
