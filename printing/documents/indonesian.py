"""Numbers and dates written the Indonesian way, as on civil-registry certificates.

``date_in_words(date(1990, 8, 17))`` -> "tujuh belas Agustus seribu sembilan ratus sembilan
puluh"; ``ordinal_in_words(2)`` -> "kedua"; ``date_numeric`` -> "17-08-1990".
"""

from __future__ import annotations

from datetime import date

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_UNITS = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def number_in_words(n: int) -> str:
    """Cardinal number in Indonesian words, 0 <= n < 1,000,000,000."""
    if n < 0 or n >= 1_000_000_000:
        raise ValueError("out of range")
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_UNITS[tens]} puluh" + (f" {_UNITS[rest]}" if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "seratus" if hundreds == 1 else f"{_UNITS[hundreds]} ratus"
        return head + (f" {number_in_words(rest)}" if rest else "")
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        head = "seribu" if thousands == 1 else f"{number_in_words(thousands)} ribu"
        return head + (f" {number_in_words(rest)}" if rest else "")
    millions, rest = divmod(n, 1_000_000)
    return f"{number_in_words(millions)} juta" + (f" {number_in_words(rest)}" if rest else "")


def ordinal_in_words(n: int) -> str:
    """Birth order as on a certificate: "kesatu", "kedua", "kesebelas", "kedua belas".

    The prefix ``ke-`` is written joined to the number word (KBBI; "ke-2" only with digits).
    For the first child the certificate form keeps the number word, "kesatu", not "pertama".
    """
    if n < 1:
        raise ValueError("an ordinal starts at 1")
    return f"ke{number_in_words(n)}"


def date_in_words(day: date) -> str:
    """ "tujuh belas Agustus seribu sembilan ratus sembilan puluh"."""
    return f"{number_in_words(day.day)} {MONTHS[day.month - 1]} {number_in_words(day.year)}"


def date_numeric(day: date | None) -> str | None:
    """ "17-08-1990" (the table form), or None for a missing date."""
    return None if day is None else f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def date_long(day: date) -> str:
    """ "17 Agustus 1990" (issue dates under a signature)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
