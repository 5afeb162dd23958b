"""What the citizen session shows, and what the screens may ask of it.

The session controller (kiosk/engine/session.py) publishes a frozen :class:`SessionView`
after every change; screens render it and send :data:`Intent` objects back. Nothing here
knows Qt. Fields not relevant to the current screen are None or empty. Personal data in a
view is already masked; a new view after a wipe holds none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kiosk.domain.documents import DocumentType


class Screen(StrEnum):
    ATTRACT = "attract"
    MENU = "menu"
    SCAN = "scan"  # hold a voucher QR or an ID barcode to the camera
    NIK_ENTRY = "nik_entry"  # manual NIK on the on-screen keypad
    PIN = "pin"
    CHOOSE_DOCUMENT = "choose_document"  # identify path: the NIK's ready documents
    CONFIRM = "confirm"
    PRINTING = "printing"
    DONE = "done"
    SERVICE = "service"  # queue: choose a service
    TICKET = "ticket"  # queue: ticket printing / printed
    CHECK_SCAN = "check_scan"  # authenticity: scan a printed document's QR
    CHECK_RESULT = "check_result"
    ERROR = "error"
    HELP = "help"  # no QR code or a forgotten PIN: how to get them, and a ticket for the counter
    INFO_LIST = "info_list"  # service information: every printable document and queue service
    INFO = "info"  # one service: requirements, fee, service time, complaint channel
    SURVEY = "survey"  # satisfaction (IKM, PermenPANRB 14/2017) after a session: skippable


class MenuOption(StrEnum):
    PRINT = "print"
    QUEUE = "queue"
    CHECK = "check"


class PrintStep(StrEnum):
    RESERVING = "reserving"
    RENDERING = "rendering"
    PRINTING = "printing"
    FINISHING = "finishing"


class Priority(StrEnum):
    ELDERLY = "elderly"
    DISABLED = "disabled"
    PREGNANT = "pregnant"


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    vid: str
    doc: DocumentType
    holder_masked: str  # e.g. "BU** SAN*****"
    expires: datetime | None = None
    subject_masked: str | None = None  # whom it is about, when not the holder (a child)
    relation: str | None = None  # that person's relation in the family, the KK's word ("ANAK")
    birth_year: int | None = None  # that person's birth year: tells a family's members apart

    @property
    def named(self) -> str:
        """The name the document is in: its subject's, else its holder's."""
        return self.subject_masked or self.holder_masked


@dataclass(frozen=True, slots=True)
class PrintProgress:
    step: PrintStep
    fraction: float  # 0.0 .. 1.0 over the whole print


@dataclass(frozen=True, slots=True)
class ServiceView:
    code: str
    name_id: str
    name_en: str
    available: bool
    unavailable_reason: str | None  # message key: queue_closed, queue_quota, printer_unavailable
    opens: str  # "08:00"
    closes: str
    waiting: int  # people ahead now
    estimate_min: int | None  # minutes, when recent service times are known
    priority_allowed: bool


@dataclass(frozen=True, slots=True)
class TicketView:
    ticket_id: str
    number: str  # "A-042"
    service_code: str
    name_id: str
    name_en: str
    issued_at: datetime
    waiting: int
    priority: Priority | None
    printed: bool  # False: printing failed, the number is kept and can be reprinted
    estimate_min: int | None = None  # expected wait, minutes; None = not known yet
    status: str = "waiting"  # waiting, called, serving, served, no_show, transferred, cancelled
    counter_number: int | None = None  # the counter that called it (loket 3)


@dataclass(frozen=True, slots=True)
class BookingView:
    """A booking QR at the kiosk, in plain words: how the arrival fits the slot (checked in:
    ``early``, ``on_time``, ``late``) or why it was refused (a message key such as
    ``booking_too_early``). Times are office-local ``HH:MM`` (with the date when not today)."""

    outcome: str
    slot: str = ""  # "10:00": the booked slot's start
    opens: str = ""  # check-in window opens
    closes: str = ""  # check-in window closes
    minutes: int = 0  # late by so many minutes

    def values(self) -> dict[str, str | int]:
        """The placeholders of the booking messages."""
        return {
            "slot": self.slot,
            "opens": self.opens,
            "closes": self.closes,
            "minutes": self.minutes,
        }


@dataclass(frozen=True, slots=True)
class ErrorView:
    code: str  # message key, e.g. PRINTER_PAPER_OUT, VOUCHER_EXPIRED, REGISTRY_UNAVAILABLE
    next_step: str  # message key: take_queue_ticket, try_again, contact_officer, ...
    reference: str  # short code a technician can look up in the log / journal


@dataclass(frozen=True, slots=True)
class InfoView:
    """Transparency about one service (a document printed here, or a counter service)."""

    key: str  # "doc:kk", "queue:A"
    name_id: str
    name_en: str
    requirements_id: tuple[str, ...]  # persyaratan, one item each
    requirements_en: tuple[str, ...]
    fee_rp: int  # 0: free
    sla_minutes: int | None  # the service-time promise (maklumat pelayanan)
    complaint_id: str  # where to complain (e.g. LAPOR! SP4N)
    complaint_en: str
    queue_code: str | None = None  # a counter service: a ticket can be taken for it
    opens: str | None = None  # counter hours, office local time ("08:00")
    closes: str | None = None


@dataclass(frozen=True, slots=True)
class AuthenticityView:
    valid: bool
    reason: str | None  # message key when not valid
    doc: DocumentType | None = None
    document_id: str | None = None
    issued_on: str | None = None
    holder_masked: str | None = None


@dataclass(frozen=True, slots=True)
class SessionView:
    screen: Screen
    seq: int = 0
    language: str = "id"
    busy: bool = False  # a blocking call is under way (verifying, reserving ...)
    menu: dict[MenuOption, bool] = field(default_factory=dict)  # option -> available now
    attempts_left: int | None = None
    locked_until: datetime | None = None
    document: DocumentSummary | None = None
    choices: tuple[DocumentSummary, ...] = ()
    progress: PrintProgress | None = None
    services: tuple[ServiceView, ...] = ()
    ticket: TicketView | None = None
    error: ErrorView | None = None
    authenticity: AuthenticityView | None = None
    notice: str | None = None  # message key of a transient hint (e.g. code_not_recognised)
    booking: BookingView | None = None  # a scanned booking QR: checked in, or why not
    bookings: bool = False  # the queue takes online bookings here (the services offer a scan)
    warning_seconds_left: int | None = None  # inactivity countdown, when shown
    large_text: bool = False  # the citizen chose large text (until the session ends)
    staff_called_at: datetime | None = None  # a staff call is under way: "someone is coming"
    handover: ServiceView | None = None  # the counter service this screen offers a ticket for
    topics: tuple[InfoView, ...] = ()  # INFO_LIST
    info: InfoView | None = None  # INFO


# Intents: what a screen may ask. Plain frozen dataclasses.


@dataclass(frozen=True, slots=True)
class Touch:
    """Any touch on the attract screen (starts a session) or activity elsewhere."""


@dataclass(frozen=True, slots=True)
class SetLanguage:
    language: str  # "id" or "en"


@dataclass(frozen=True, slots=True)
class ChooseMenu:
    option: MenuOption


@dataclass(frozen=True, slots=True)
class CodeScanned:
    text: str
    format: str  # "qr", "code128", "pdf417"


@dataclass(frozen=True, slots=True)
class ScanFailed:
    """A reader read something that cannot be a code (half a code, noise, too long)."""

    reason: str  # devices.ports.ScanProblemKind value: incomplete, garbage, too_long, ...


@dataclass(frozen=True, slots=True)
class StartManualNik:
    pass


@dataclass(frozen=True, slots=True)
class EnterNik:
    digits: str


@dataclass(frozen=True, slots=True)
class EnterPin:
    digits: str


@dataclass(frozen=True, slots=True)
class ChooseDocument:
    vid: str


@dataclass(frozen=True, slots=True)
class Confirm:
    pass


@dataclass(frozen=True, slots=True)
class Back:
    pass


@dataclass(frozen=True, slots=True)
class Cancel:
    """End the session now: wipe and return to ATTRACT."""


@dataclass(frozen=True, slots=True)
class ChooseService:
    code: str
    priority: Priority | None = None


@dataclass(frozen=True, slots=True)
class ScanBooking:
    """From the services: scan an online booking's QR (the scan screen checks it in)."""


@dataclass(frozen=True, slots=True)
class ReprintTicket:
    pass


@dataclass(frozen=True, slots=True)
class StillHere:
    """The citizen answered the inactivity warning."""


@dataclass(frozen=True, slots=True)
class SetLargeText:
    """Large text on or off, for the rest of the session."""

    on: bool


@dataclass(frozen=True, slots=True)
class CallStaff:
    """The citizen pressed "Panggil petugas" (any screen)."""


@dataclass(frozen=True, slots=True)
class DismissStaffCall:
    """The citizen closed the "someone is coming" panel (the call itself stands)."""


@dataclass(frozen=True, slots=True)
class MoreDocuments:
    """After a print: the family's other ready documents, to choose the next one."""


@dataclass(frozen=True, slots=True)
class ShowHelp:
    """ "Belum punya kode QR / lupa PIN?" (scan, NIK and PIN screens)."""


@dataclass(frozen=True, slots=True)
class TakeTicket:
    """A queue ticket for the service the screen offers (``SessionView.handover``)."""


@dataclass(frozen=True, slots=True)
class ShowInfo:
    """Service information: the list (``key`` None), or one service by its ``InfoView.key``."""

    key: str | None = None


@dataclass(frozen=True, slots=True)
class Finish:
    """The citizen is done (done, ticket, check result, error): the survey, then the end."""


@dataclass(frozen=True, slots=True)
class Rate:
    """The survey's answer: 1 tidak baik, 2 kurang baik, 3 baik, 4 sangat baik."""

    score: int
    reasons: tuple[str, ...] = ()  # reason codes offered for that score (kiosk.feedback)


@dataclass(frozen=True, slots=True)
class Tick:
    """Sent about once a second by the UI; drives inactivity and the session cap."""

    now: float  # time.monotonic()


Intent = (
    Touch
    | SetLanguage
    | ChooseMenu
    | CodeScanned
    | ScanFailed
    | StartManualNik
    | EnterNik
    | EnterPin
    | ChooseDocument
    | Confirm
    | Back
    | Cancel
    | ChooseService
    | ScanBooking
    | ReprintTicket
    | StillHere
    | SetLargeText
    | CallStaff
    | DismissStaffCall
    | MoreDocuments
    | ShowHelp
    | TakeTicket
    | ShowInfo
    | Finish
    | Rate
    | Tick
)
