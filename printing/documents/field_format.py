"""How data values print: capitals, "-" for missing, Indonesian dates, RT/RW, place/date."""

from __future__ import annotations

from datetime import date

from printing.documents.indonesian import date_numeric
from printing.documents.schema import Address, Envelope, Sex
from printing.drawing.text_fit import keep_names, unbroken


def caps(value: str | None) -> str | None:
    """Capitals as on civil documents; None stays None (printed as "-")."""
    return value.upper() if value else None


def place(value: str | None) -> str | None:
    """A place name in capitals, never split across lines ("SUMBER REJO", not "SUMBER / REJO")."""
    return unbroken(caps(value))


def official_title(envelope: Envelope) -> str:
    """The signing official's title, the issuing regency's name in it kept on one line."""
    return keep_names(envelope.official.title.upper(), envelope.issued_place.upper())


def enum_text(value: object) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def day(value: date | None) -> str | None:
    return date_numeric(value)


def sex_words(sex: Sex) -> str:
    return sex.words


def rt_rw(address: Address) -> str:
    rt = address.rt.zfill(3) if address.rt else "-"
    rw = address.rw.zfill(3) if address.rw else "-"
    return f"{rt}/{rw}"


def place_and_birth_date(place: str | None, born: date) -> str:
    """ "SUKAMAJU, 17-08-1990" (the Tempat/Tgl Lahir field)."""
    return f"{unbroken((place or '-').upper())}, {date_numeric(born)}"
