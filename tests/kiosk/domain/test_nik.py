from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.nik import PROVINCE_CODES, KkNumber, Nik, NikError, Sex, mask_nik_shaped

TODAY = date(2026, 11, 23)


def make_nik(prov: str = "32", born: date = date(1990, 8, 17), female: bool = False) -> str:
    day = born.day + (40 if female else 0)
    return f"{prov}0105{day:02d}{born.month:02d}{born.year % 100:02d}0001"


def test_parses_male_and_female() -> None:
    man = Nik.parse(make_nik(), today=TODAY)
    assert man.birth_date == date(1990, 8, 17)
    assert man.sex is Sex.MALE
    woman = Nik.parse(make_nik(female=True), today=TODAY)
    assert woman.sex is Sex.FEMALE
    assert woman.birth_date == date(1990, 8, 17)


def test_str_and_repr_are_masked() -> None:
    nik = Nik.parse("3201051708900001", today=TODAY)
    assert str(nik) == "3201********0001"
    assert "05170890" not in repr(nik)
    assert nik.value == "3201051708900001"


def test_century_is_the_most_recent_past_date() -> None:
    assert Nik.parse(make_nik(born=date(2010, 1, 2)), today=TODAY).birth_date.year == 2010
    # 30-11-26 is after today, so it must be 1926
    assert Nik.parse("3201053011260001", today=TODAY).birth_date == date(1926, 11, 30)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("320105170890000", "format"),
        ("32010517089000011", "format"),
        ("32O1051708900001", "format"),
        ("９２01051708900001", "format"),
        ("0001051708900001", "region"),
        ("3200051708900001", "region"),
        ("3201003108900001", "region"),
        ("3201053102900001", "birth_date"),
        ("3201057208900001", "birth_date"),  # day 72 - 40 = 32
        ("3201051713900001", "birth_date"),  # month 13
        ("3201051708900000", "serial"),
    ],
)
def test_rejects_with_a_code(raw: str, code: str) -> None:
    with pytest.raises(NikError) as err:
        Nik.parse(raw, today=TODAY)
    assert err.value.code == code


def test_kk_number() -> None:
    kk = KkNumber.parse("3201052303150007", today=TODAY)
    assert kk.issued == date(2015, 3, 23)
    assert str(kk) == "3201********0007"
    with pytest.raises(NikError):
        KkNumber.parse("3201053202150007", today=TODAY)


def test_mask_free_text() -> None:
    text = "nik=3201051708900001 kk 3201052303150007 phone 081234567890 and 12345678901234567"
    masked = mask_nik_shaped(text)
    assert "3201051708900001" not in masked
    assert "3201********0001" in masked
    assert "081234567890" in masked  # not NIK-shaped
    assert "12345678901234567" in masked  # 17 digits is not a NIK


@given(st.text(max_size=40))
def test_random_text_gives_valid_nik_or_nik_error(raw: str) -> None:
    try:
        nik = Nik.parse(raw, today=TODAY)
    except NikError:
        return
    assert nik.value.isdigit() and len(nik.value) == 16


@given(
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(1, 99),
    st.integers(1, 99),
    st.dates(min_value=date(1927, 1, 1), max_value=TODAY),
    st.booleans(),
    st.integers(1, 9999),
)
def test_round_trip_of_generated_niks(
    prov: str, reg: int, dist: int, born: date, female: bool, serial: int
) -> None:
    day = born.day + (40 if female else 0)
    raw = f"{prov}{reg:02d}{dist:02d}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    nik = Nik.parse(raw, today=TODAY)
    assert nik.birth_date == born
    assert nik.sex is (Sex.FEMALE if female else Sex.MALE)
    assert nik.region == raw[:6]
    assert str(nik) == raw[:4] + "********" + raw[-4:]
