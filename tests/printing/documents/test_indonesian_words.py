"""Numbers and dates in Indonesian words, as certificates print them."""

from __future__ import annotations

from datetime import date

import pytest

from printing.documents.indonesian import (
    date_in_words,
    date_long,
    date_numeric,
    number_in_words,
    ordinal_in_words,
)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (17, "tujuh belas"),
        (20, "dua puluh"),
        (31, "tiga puluh satu"),
        (100, "seratus"),
        (111, "seratus sebelas"),
        (250, "dua ratus lima puluh"),
        (1000, "seribu"),
        (1990, "seribu sembilan ratus sembilan puluh"),
        (2000, "dua ribu"),
        (2008, "dua ribu delapan"),
        (2024, "dua ribu dua puluh empat"),
        (11000, "sebelas ribu"),
        (1_000_000, "satu juta"),
    ],
)
def test_number_in_words(n: int, words: str) -> None:
    assert number_in_words(n) == words


def test_date_in_words_matches_the_certificate_form() -> None:
    assert date_in_words(date(1990, 8, 17)) == (
        "tujuh belas Agustus seribu sembilan ratus sembilan puluh"
    )
    assert date_in_words(date(2001, 1, 1)) == "satu Januari dua ribu satu"


def test_ordinals_and_numeric_dates() -> None:
    assert ordinal_in_words(1) == "kesatu"  # not "ke-satu", and not "pertama"
    assert ordinal_in_words(2) == "kedua"
    assert ordinal_in_words(3) == "ketiga"
    assert ordinal_in_words(11) == "kesebelas"
    assert ordinal_in_words(12) == "kedua belas"
    assert ordinal_in_words(21) == "kedua puluh satu"
    assert date_numeric(date(1990, 8, 17)) == "17-08-1990"
    assert date_numeric(None) is None
    assert date_long(date(2026, 9, 1)) == "1 September 2026"


@pytest.mark.parametrize("bad", [-1, 1_000_000_000])
def test_out_of_range_numbers_raise(bad: int) -> None:
    with pytest.raises(ValueError):
        number_in_words(bad)
    with pytest.raises(ValueError):
        ordinal_in_words(0)
