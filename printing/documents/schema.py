"""The document envelope the registry returns, as pydantic models, and its validation.

``{"type", "document_id", "issued_on", "issued_place", "official": {name, title, nip},
"verification_qr", "data": {...per type...}}``. Every text field is cleaned
(:func:`~printing.documents.text_clean.clean_text`) and length-capped; NIK and KK numbers are
16 digits, dates are real ``YYYY-MM-DD`` dates, enumerations are closed. Anything else raises
:class:`DocumentDataError` naming the field path (``data.members.3.nik``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from printing.documents.text_clean import clean_text
from printing.documents.types import DocumentType

MAX_TEXT = 512  # code points after cleaning, for any free-text field
MAX_MEMBERS = 10  # a KK sheet holds ten rows per table


class DocumentDataError(ValueError):
    """Envelope data that breaks the schema; ``path`` names the field (``data.members.3.nik``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def _text(max_len: int, *, required: bool = False) -> Callable[[str], str]:
    def check(value: str) -> str:
        cleaned = clean_text(value)
        if len(cleaned) > max_len:
            raise ValueError(f"longer than {max_len} characters")
        if required and not cleaned:
            raise ValueError("must not be empty")
        return cleaned

    return check


def _pattern(regex: str, what: str) -> Callable[[str], str]:
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"must be {what}")
        return value

    return check


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a real date") from None
    if not 1850 <= parsed.year <= 2150:
        raise ValueError("is out of range")
    return parsed


def _certificate_date(value: str) -> str:
    try:
        date(int(value[12:16]), int(value[10:12]), int(value[8:10]))
    except ValueError:
        raise ValueError("has no real registration date") from None
    return value


Text = Annotated[str, AfterValidator(_text(MAX_TEXT))]
Name = Annotated[str, AfterValidator(_text(MAX_TEXT, required=True))]
Number16 = Annotated[str, AfterValidator(_pattern(r"[0-9]{16}", "exactly 16 digits"))]
Digits3 = Annotated[str, AfterValidator(_pattern(r"[0-9]{1,3}", "1 to 3 digits"))]
PostCode = Annotated[str, AfterValidator(_pattern(r"[0-9]{5}", "5 digits"))]
Nip = Annotated[str, AfterValidator(_pattern(r"[0-9]{18}", "exactly 18 digits"))]
Day = Annotated[date, BeforeValidator(_iso_date)]
BirthCertificateNo = Annotated[
    str,
    AfterValidator(_pattern(r"[0-9]{4}-L[TU]-[0-9]{8}-[0-9]{4}", "shaped RRRR-LT-DDMMYYYY-NNNN")),
    AfterValidator(_certificate_date),
]
DeathCertificateNo = Annotated[
    str,
    AfterValidator(_pattern(r"[0-9]{4}-KM-[0-9]{8}-[0-9]{4}", "shaped RRRR-KM-DDMMYYYY-NNNN")),
    AfterValidator(_certificate_date),
]


class Sex(StrEnum):
    L = "L"
    P = "P"

    @property
    def words(self) -> str:
        return "LAKI-LAKI" if self is Sex.L else "PEREMPUAN"


class Religion(StrEnum):
    ISLAM = "ISLAM"
    KRISTEN = "KRISTEN"
    KATOLIK = "KATOLIK"
    HINDU = "HINDU"
    BUDDHA = "BUDDHA"
    KHONGHUCU = "KHONGHUCU"
    KEPERCAYAAN = "KEPERCAYAAN TERHADAP TUHAN YME"


class Education(StrEnum):
    NONE = "TIDAK/BELUM SEKOLAH"
    SD_NOT_DONE = "BELUM TAMAT SD/SEDERAJAT"
    SD = "TAMAT SD/SEDERAJAT"
    SLTP = "SLTP/SEDERAJAT"
    SLTA = "SLTA/SEDERAJAT"
    D1_D2 = "DIPLOMA I/II"
    D3 = "AKADEMI/DIPLOMA III/S. MUDA"
    S1 = "DIPLOMA IV/STRATA I"
    S2 = "STRATA II"
    S3 = "STRATA III"


class BloodType(StrEnum):
    A = "A"
    B = "B"
    AB = "AB"
    O = "O"  # noqa: E741 (the blood group's own name)
    A_POS = "A+"
    A_NEG = "A-"
    B_POS = "B+"
    B_NEG = "B-"
    AB_POS = "AB+"
    AB_NEG = "AB-"
    O_POS = "O+"
    O_NEG = "O-"
    UNKNOWN = "TIDAK TAHU"


class MaritalStatus(StrEnum):
    SINGLE = "BELUM KAWIN"
    MARRIED = "KAWIN TERCATAT"
    MARRIED_UNRECORDED = "KAWIN BELUM TERCATAT"
    DIVORCED = "CERAI HIDUP"
    WIDOWED = "CERAI MATI"

    @property
    def on_card(self) -> str:
        """The shorter wording printed on KTP-el cards."""
        return {
            MaritalStatus.SINGLE: "BELUM KAWIN",
            MaritalStatus.MARRIED: "KAWIN",
            MaritalStatus.MARRIED_UNRECORDED: "KAWIN",
            MaritalStatus.DIVORCED: "CERAI HIDUP",
            MaritalStatus.WIDOWED: "CERAI MATI",
        }[self]


class Relation(StrEnum):
    HEAD = "KEPALA KELUARGA"
    HUSBAND = "SUAMI"
    WIFE = "ISTRI"
    CHILD = "ANAK"
    CHILD_IN_LAW = "MENANTU"
    GRANDCHILD = "CUCU"
    PARENT = "ORANG TUA"
    PARENT_IN_LAW = "MERTUA"
    OTHER_FAMILY = "FAMILI LAIN"
    HOUSEHOLD_HELP = "PEMBANTU"
    OTHER = "LAINNYA"


class Citizenship(StrEnum):
    WNI = "WNI"
    WNA = "WNA"


class _Model(BaseModel):
    # Unknown keys are ignored (a newer registry may add fields); known ones are checked.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Official(_Model):
    name: Name
    title: Text
    nip: Nip


class Address(_Model):
    street: Text | None = None
    rt: Digits3 | None = None
    rw: Digits3 | None = None
    kelurahan: Text | None = None
    kecamatan: Text | None = None
    kabupaten: Text | None = None
    provinsi: Text | None = None
    kode_pos: PostCode | None = None


class Person(_Model):
    """The fields a KK row and a biodata record share."""

    nik: Number16
    name: Name
    sex: Sex
    birth_place: Text | None = None
    birth_date: Day
    religion: Religion | None = None
    education: Education | None = None
    occupation: Text | None = None
    blood_type: BloodType | None = None
    marital_status: MaritalStatus | None = None
    marriage_date: Day | None = None
    relation: Relation | None = None
    citizenship: Citizenship = Citizenship.WNI
    passport: Text | None = None
    kitap: Text | None = None
    father_name: Text | None = None
    mother_name: Text | None = None


class KkData(_Model):
    kk_number: Number16
    head_name: Text
    address: Address = Field(default_factory=Address)
    members: Annotated[list[Person], Field(min_length=1, max_length=MAX_MEMBERS)]


class KtpData(_Model):
    nik: Number16
    name: Name
    sex: Sex
    birth_place: Text | None = None
    birth_date: Day
    blood_type: BloodType | None = None
    address: Address = Field(default_factory=Address)
    religion: Religion | None = None
    marital_status: MaritalStatus | None = None
    occupation: Text | None = None
    citizenship: Citizenship = Citizenship.WNI
    valid_until: Day | None = None  # None: SEUMUR HIDUP (for life)


class KiaData(_Model):
    nik: Number16
    name: Name
    sex: Sex
    birth_place: Text | None = None
    birth_date: Day
    religion: Religion | None = None
    citizenship: Citizenship = Citizenship.WNI
    kk_number: Number16
    head_name: Text | None = None
    address: Address = Field(default_factory=Address)
    valid_until: Day


class AktaKelahiranData(_Model):
    certificate_number: BirthCertificateNo
    nik: Number16 | None = None
    name: Name
    sex: Sex
    birth_place: Text
    birth_date: Day
    birth_order: Annotated[int, Field(ge=1, le=30, strict=True)]
    father_name: Text | None = None
    mother_name: Text | None = None
    citizenship: Citizenship = Citizenship.WNI


class AktaKematianData(_Model):
    certificate_number: DeathCertificateNo
    nik: Number16
    name: Name
    sex: Sex
    birth_place: Text | None = None
    birth_date: Day
    death_date: Day
    death_place: Text
    citizenship: Citizenship = Citizenship.WNI


class BiodataData(Person):
    kk_number: Number16
    head_name: Text | None = None
    address: Address = Field(default_factory=Address)
    # The family on the person's KK; when given, the biodata has a second page listing it.
    family: Annotated[list[Person], Field(max_length=MAX_MEMBERS)] = Field(default_factory=list)


DocumentData = KkData | KtpData | KiaData | AktaKelahiranData | AktaKematianData | BiodataData

DATA_MODELS: dict[DocumentType, type[BaseModel]] = {
    DocumentType.KK: KkData,
    DocumentType.KTP: KtpData,
    DocumentType.KIA: KiaData,
    DocumentType.AKTA_KELAHIRAN: AktaKelahiranData,
    DocumentType.AKTA_KEMATIAN: AktaKematianData,
    DocumentType.BIODATA: BiodataData,
}


class Envelope(_Model):
    type: DocumentType
    document_id: Annotated[
        str, AfterValidator(_pattern(r"[A-Z0-9-]{6,40}", "6-40 of A-Z, 0-9 and '-'"))
    ]
    issued_on: Day
    issued_place: Text
    official: Official
    verification_qr: Annotated[
        str, AfterValidator(_pattern(r"[\x20-\x7e]{1,512}", "1-512 printable ASCII characters"))
    ]
    data: dict[str, Any]


def _error_path(prefix: tuple[str | int, ...], error: Mapping[str, Any]) -> str:
    return ".".join(str(part) for part in (*prefix, *error["loc"]))


def _first_error(exc: ValidationError, prefix: tuple[str | int, ...]) -> DocumentDataError:
    error = exc.errors(include_url=False)[0]
    message = str(error["msg"]).removeprefix("Value error, ")
    return DocumentDataError(_error_path(prefix, error), message)


def validate_envelope(raw: Mapping[str, Any]) -> tuple[Envelope, DocumentData]:
    """The checked envelope and its typed ``data``, or :class:`DocumentDataError`."""
    if not isinstance(raw, Mapping):
        raise DocumentDataError("", "the envelope must be a JSON object")
    try:
        envelope = Envelope.model_validate(dict(raw))
    except ValidationError as exc:
        raise _first_error(exc, ()) from None
    try:
        data = DATA_MODELS[envelope.type].model_validate(envelope.data)
    except ValidationError as exc:
        raise _first_error(exc, ("data",)) from None
    _check_consistency(envelope, data)
    return envelope, data  # type: ignore[return-value]


def _registered(certificate_number: str) -> date:
    return date(
        int(certificate_number[12:16]),
        int(certificate_number[10:12]),
        int(certificate_number[8:10]),
    )


def _check_consistency(envelope: Envelope, data: BaseModel) -> None:
    """Dates that contradict each other would print a document nobody can trust."""
    issued = envelope.issued_on
    born = getattr(data, "birth_date", None)
    if isinstance(born, date) and born > issued:
        raise DocumentDataError("data.birth_date", "is after the issue date")
    if isinstance(data, AktaKematianData):
        if data.death_date < data.birth_date:
            raise DocumentDataError("data.death_date", "is before the birth date")
        if data.death_date > issued:
            raise DocumentDataError("data.death_date", "is after the issue date")
    if isinstance(data, AktaKelahiranData | AktaKematianData):
        event = data.birth_date if isinstance(data, AktaKelahiranData) else data.death_date
        registered = _registered(data.certificate_number)
        if not event <= registered <= issued:
            raise DocumentDataError(
                "data.certificate_number", "registration date is outside event..issue date"
            )
    if isinstance(data, KiaData) and not data.birth_date < issued <= data.valid_until:
        raise DocumentDataError("data.valid_until", "the card would be expired when issued")
    if isinstance(data, KkData):
        for index, member in enumerate(data.members):
            if member.birth_date > issued:
                raise DocumentDataError(
                    f"data.members.{index}.birth_date", "is after the issue date"
                )
