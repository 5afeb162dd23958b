"""NIK and KK numbers, and the log-redaction mask, against random and mutated input."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fuzz.byte_mutations import mutations, within
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.nik import KkNumber, Nik, NikError, mask_nik_shaped
from kiosk.logs import redact

TODAY = date(2026, 11, 23)
SEED_NIK = "3201015508900001"  # synthetic: Bogor, woman born 15-08-1990
SEED_KK = "3201011203150007"
_STANDALONE_16 = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")


def _parse(kind: type[Nik] | type[KkNumber], raw: Any) -> Nik | KkNumber | NikError:
    try:
        return within(0.5, lambda: kind.parse(raw, today=TODAY))
    except NikError as error:
        outcome = error
    assert outcome.code and str(outcome)
    return outcome


def test_the_seeds_parse() -> None:
    assert isinstance(_parse(Nik, SEED_NIK), Nik)
    assert isinstance(_parse(KkNumber, SEED_KK), KkNumber)


def _check_valid(parsed: Nik | KkNumber) -> None:
    assert re.fullmatch(r"[0-9]{16}", parsed.value)
    # Whatever form it takes on screen or in a log, the middle eight digits never show.
    for shown in (str(parsed), repr(parsed), parsed.masked, f"{parsed}"):
        assert parsed.value not in shown
        assert parsed.value[4:12] not in shown


@settings(max_examples=400, deadline=None)
@given(raw=mutations(SEED_NIK.encode()) | mutations(SEED_KK.encode()), kk=st.booleans())
def test_mutated_numbers(raw: bytes, kk: bool) -> None:
    outcome = _parse(KkNumber if kk else Nik, raw.decode("latin-1"))
    if not isinstance(outcome, NikError):
        _check_valid(outcome)
        if isinstance(outcome, Nik):
            assert outcome.birth_date <= TODAY


digits = st.text(alphabet="0123456789", min_size=16, max_size=16)
unicode_digits = st.text(
    alphabet=st.characters(whitelist_categories=["Nd"]), min_size=16, max_size=16
)


@settings(max_examples=300, deadline=None)
@given(
    raw=digits | unicode_digits | st.text(max_size=40),
    pad=st.sampled_from(["", " ", "\n", "\t", "\u00a0", "\u200b", "\x00"]),
)
def test_random_numbers(raw: str, pad: str) -> None:
    for kind in (Nik, KkNumber):
        outcome = _parse(kind, pad + raw + pad)
        if not isinstance(outcome, NikError):
            _check_valid(outcome)
            assert outcome.value.isascii()


@pytest.mark.parametrize("value", [None, 3201015508900001, b"3201015508900001", 1.0, ["x"]])
def test_wrongly_typed_numbers(value: Any) -> None:
    assert isinstance(_parse(Nik, value), NikError)
    assert isinstance(_parse(KkNumber, value), NikError)


def test_huge_number_text_is_cheap() -> None:
    assert isinstance(_parse(Nik, "3" * 10_000_000), NikError)
    assert isinstance(_parse(Nik, "3201" * 2_500_000), NikError)
    padded = _parse(Nik, " " * 10_000_000 + SEED_NIK)  # surrounding white space is trimmed
    assert isinstance(padded, Nik) and padded.value == SEED_NIK


@settings(max_examples=300, deadline=None)
@given(
    before=st.text(max_size=20),
    after=st.text(max_size=20),
    number=digits,
    sep=st.sampled_from(["", " ", "=", ":", "/", "a", "\n", "NIK"]),
)
def test_redaction_leaves_no_standalone_sixteen_digits(
    before: str, after: str, number: str, sep: str
) -> None:
    line = f"{before}{sep}{number}{sep}{after}"
    for masked in (mask_nik_shaped(line), redact(line)):
        assert not _STANDALONE_16.search(masked), masked
    if not re.search(r"[0-9]$", before + sep) and not re.match(r"[0-9]", sep + after):
        assert number not in redact(line)
