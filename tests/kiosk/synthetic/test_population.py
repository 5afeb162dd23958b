"""The synthetic population generator: deterministic, valid numbers, every document type."""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict

import pytest

from kiosk.domain.documents import DocumentType
from kiosk.domain.nik import KkNumber, Nik
from kiosk.synthetic import REFERENCE_DATE, generate_population


@pytest.mark.parametrize("seed", [0, 1, 7, 2024])
def test_same_seed_same_population(seed: int) -> None:
    first = generate_population(seed, 15)
    second = generate_population(seed, 15)
    assert first == second
    assert [d.envelope("X-1", "q") for d in first.documents] == [
        d.envelope("X-1", "q") for d in second.documents
    ]


def test_different_seeds_differ() -> None:
    assert generate_population(1, 5).citizens != generate_population(2, 5).citizens


@pytest.mark.parametrize("seed", range(12))
def test_niks_and_kk_numbers_are_valid_and_consistent(seed: int) -> None:
    population = generate_population(seed, 25)
    for citizen in population.citizens:
        nik = Nik.parse(citizen.nik, today=REFERENCE_DATE)
        assert nik.birth_date == citizen.birth_date
        assert nik.sex.value == citizen.sex
        assert citizen.birth_date <= REFERENCE_DATE
        KkNumber.parse(citizen.kk_number, today=REFERENCE_DATE)
    niks = [c.nik for c in population.citizens]
    assert len(set(niks)) == len(niks)


@pytest.mark.parametrize("seed", range(12))
def test_families_have_one_to_ten_living_members_and_an_adult_head(seed: int) -> None:
    population = generate_population(seed, 30)
    living: dict[str, list[str]] = defaultdict(list)
    for citizen in population.citizens:
        if citizen.alive:
            living[citizen.kk_number].append(citizen.nik)
    assert len(living) == 30
    assert all(1 <= len(members) <= 10 for members in living.values())
    kk_docs = [d for d in population.documents if d.doc is DocumentType.KK]
    assert len(kk_docs) == 30
    by_nik = {c.nik: c for c in population.citizens}
    for doc in kk_docs:
        members = doc.data["members"]
        assert members[0]["relation"] == "KEPALA KELUARGA"
        head = by_nik[doc.holder_nik]
        assert head.alive
        assert (REFERENCE_DATE - head.birth_date).days >= 17 * 365
        assert sorted(m["nik"] for m in members) == sorted(living[doc.data["kk_number"]])


def test_sizes_cover_one_and_ten() -> None:
    population = generate_population(3, 40)
    sizes = Counter(Counter(c.kk_number for c in population.citizens if c.alive).values())
    assert 1 in sizes
    assert 10 in sizes


@pytest.mark.parametrize("seed", range(8))
def test_every_document_type_present_even_for_one_family(seed: int) -> None:
    population = generate_population(seed, 1)
    assert {d.doc for d in population.documents} == set(DocumentType)
    assert any(not c.alive for c in population.citizens)


def test_holders_are_living_and_may_hold_the_document() -> None:
    population = generate_population(5, 20)
    by_nik = {c.nik: c for c in population.citizens}
    for doc in population.documents:
        holder, subject = by_nik[doc.holder_nik], by_nik[doc.subject_nik]
        assert holder.alive
        assert holder.name == doc.holder_name
        assert holder.kk_number == subject.kk_number
        age = (REFERENCE_DATE - holder.birth_date).days / 365.25
        assert age >= 17
        if doc.doc is DocumentType.AKTA_KEMATIAN:
            assert not subject.alive
            assert doc.holder_nik != doc.subject_nik
        if doc.doc is DocumentType.KIA:
            assert (REFERENCE_DATE - subject.birth_date).days / 365.25 < 17


def test_envelope_is_json_and_has_the_contract_keys() -> None:
    population = generate_population(11, 4)
    for doc in population.documents:
        envelope = doc.envelope("DOC-123456", "ADM-V1.payload.sig")
        assert json.loads(json.dumps(envelope)) == envelope
        assert set(envelope) == {
            "type",
            "document_id",
            "issued_on",
            "issued_place",
            "official",
            "verification_qr",
            "data",
        }
        assert envelope["type"] == doc.doc.value
        assert len(envelope["official"]["nip"]) == 18
        assert envelope["official"]["nip"].isdigit()


def test_siblings_are_spaced_and_born_to_adult_mothers() -> None:
    population = generate_population(9, 30)
    for doc in population.documents:
        if doc.doc is not DocumentType.KK:
            continue
        children = sorted(m["birth_date"] for m in doc.data["members"] if m["relation"] == "ANAK")
        for earlier, later in itertools.pairwise(children):
            assert (later - earlier).days >= 300


def test_names_include_diacritics_and_long_ones() -> None:
    names = [c.name for c in generate_population(4, 80).citizens]
    assert any(not name.isascii() for name in names)
    assert any(len(name) > 40 for name in names)


@pytest.mark.parametrize("seed", range(10))
def test_every_envelope_passes_the_printing_schema(seed: int) -> None:
    from printing.documents.schema import validate_envelope

    for index, doc in enumerate(generate_population(seed, 20).documents):
        validate_envelope(doc.envelope(f"DOC-{index:08d}", "ADMDOC1.payload.signature"))


def test_every_document_of_a_population_renders() -> None:
    from printing.documents import render

    for index, doc in enumerate(generate_population(21, 6).documents):
        rendered = render(doc.envelope(f"DOC-{index:08d}", "ADMDOC1.payload.signature"))
        # a biodata carries the family on its KK: a second page (multi-page jobs in sessions)
        assert rendered.pages == (2 if doc.doc.value == "biodata" else 1)
        assert rendered.doc is doc.doc
