"""NIK and KK numbers: parsing, validation and masking.

A NIK is 16 digits: province(2) regency(2) district(2), birth date DDMMYY (day + 40 for
women), serial(4). A KK number has the same region part, then the issue date DDMMYY and a
serial. Both value objects print masked (``3201********0001``); only ``.value`` holds the
digits, and nothing that logs should touch it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

# Province codes in use by Dukcapil (Kemendagri region codes), including the 2022 Papua split.
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    }
)

_DIGITS16 = re.compile(r"[0-9]{16}")
_NIK_SHAPED = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{8}([0-9]{4})(?![0-9])")


class NikError(ValueError):
    """A NIK or KK number that is not valid; ``code`` is stable, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Sex(StrEnum):
    MALE = "L"  # laki-laki
    FEMALE = "P"  # perempuan


def mask_number(digits: str) -> str:
    """Mask a 16-digit number as ``3201********0001``; anything else is masked whole."""
    if len(digits) == 16 and digits.isdigit():
        return f"{digits[:4]}{'*' * 8}{digits[-4:]}"
    return "*" * min(len(digits), 16)


def mask_nik_shaped(text: str) -> str:
    """Mask every 16-digit run in free text (used by the log redaction filter)."""
    return _NIK_SHAPED.sub(lambda m: f"{m.group(1)}{'*' * 8}{m.group(2)}", text)


def _check_digits(raw: str, what: str) -> str:
    if not isinstance(raw, str):
        raise NikError("not_text", f"{what} must be text")
    value = raw.strip()
    if not _DIGITS16.fullmatch(value):
        raise NikError("format", f"{what} must be exactly 16 digits")
    return value


def _check_region(value: str, what: str) -> None:
    if value[:2] not in PROVINCE_CODES:
        raise NikError("region", f"{what} has an unknown province code")
    if value[2:4] == "00" or value[4:6] == "00":
        raise NikError("region", f"{what} has an invalid regency or district code")


def _two_digit_year(yy: int, day: int, month: int, today: date) -> date:
    """The most recent real date with these two-digit-year parts that is not after today."""
    for century in (2000, 1900):
        try:
            candidate = date(century + yy, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    raise ValueError("no such date")


@dataclass(frozen=True, slots=True)
class Nik:
    """A validated NIK. ``str()`` and ``repr()`` are masked."""

    value: str = field(repr=False)
    birth_date: date = field(repr=False)
    sex: Sex = field(repr=False)

    @classmethod
    def parse(cls, raw: str, *, today: date | None = None) -> Nik:
        today = today or date.today()
        value = _check_digits(raw, "NIK")
        _check_region(value, "NIK")
        day, month, yy = int(value[6:8]), int(value[8:10]), int(value[10:12])
        sex = Sex.MALE
        if day > 40:
            day -= 40
            sex = Sex.FEMALE
        try:
            born = _two_digit_year(yy, day, month, today)
        except ValueError:
            raise NikError("birth_date", "NIK has no real birth date") from None
        if value[12:] == "0000":
            raise NikError("serial", "NIK serial must be 0001-9999")
        return cls(value=value, birth_date=born, sex=sex)

    @property
    def region(self) -> str:
        return self.value[:6]

    @property
    def masked(self) -> str:
        return mask_number(self.value)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"Nik({self.masked})"


@dataclass(frozen=True, slots=True)
class KkNumber:
    """A validated family-card (KK) number: region(6), issue date DDMMYY, serial(4)."""

    value: str = field(repr=False)
    issued: date = field(repr=False)

    @classmethod
    def parse(cls, raw: str, *, today: date | None = None) -> KkNumber:
        today = today or date.today()
        value = _check_digits(raw, "KK number")
        _check_region(value, "KK number")
        day, month, yy = int(value[6:8]), int(value[8:10]), int(value[10:12])
        try:
            issued = _two_digit_year(yy, day, month, today)
        except ValueError:
            raise NikError("issue_date", "KK number has no real issue date") from None
        if value[12:] == "0000":
            raise NikError("serial", "KK number serial must be 0001-9999")
        return cls(value=value, issued=issued)

    @property
    def masked(self) -> str:
        return mask_number(self.value)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"KkNumber({self.masked})"
