"""Queue tickets for 58 mm and 80 mm thermal paper, as ESC/POS bytes.

The ticket, top to bottom: the office (bold) and the agency, the service name in Indonesian and
English, the big number (``A-042``; a priority ticket carries an inverted band with its kind,
``PRIORITAS: LANSIA``; a checked-in online booking its slot, ``Booking pukul 10:00``), the date
and time of issue in the office's time zone, "Berlaku hari ini" (numbers restart each day), the
people ahead, the estimated wait in words in both languages ("sekitar 25 menit"; "tidak
diketahui" early in the day, before service times are known), for a ticket a kiosk error handed
over the line ``Ref: <reference>`` (the officer looks the error up by it), a native ESC/POS QR
code (``GS ( k``) holding the ticket id for check-in at the counter, a short footer, feed and
cut. Without a logo a ticket stays within :data:`MAX_TICKET_BYTES`.

The job starts with ``ESC @`` (initialise), ``FS .`` (leave the double-byte character mode that
many printers sold in Asia start in, where a byte above 0x80 would swallow the next one) and
``ESC t 0`` (code page CP437), so the printer's state does not depend on the previous job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from printing.tickets.escpos_recorder import new_recorder
from printing.tickets.printable import fit_lines, printable

# Every name at its longest on 80 mm paper comes to about 555 bytes (0.6 s at 9600 baud); a
# typical ticket is about 340. The budget was 512 before the validity and the estimate in words
# in both languages (issue 13) were added. A ticket handed over from an error carries its
# reference instead of a priority band or a booking slot (about the same bytes).
MAX_TICKET_BYTES = 576
PAPER_DOTS = {58: 384, 80: 576}  # printable width at 203 dpi
COLUMNS = {58: 32, 80: 48}  # font A (12 x 24 dots)
OFFICE_LINES = {58: 2, 80: 1}  # "Mal Pelayanan Publik Kabupaten ..." needs two narrow lines
QR_MODULE_DOTS = {58: 6, 80: 8}
NUMBER_SCALE = 4  # the big number: 4 x 4 times font A
FEED_BEFORE_QR = 1
_TICKET_ID = re.compile(r"[A-Z0-9][A-Z0-9-]{0,23}")
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
_FS = b"\x1c"
_QR_EC_LEVEL_M = 1  # escpos.constants.QR_ECLEVEL_M

PRIORITY_LABEL = "PRIORITAS / PRIORITY"  # a priority ticket whose kind was not recorded
PRIORITY_KINDS = {  # the queue's priority kinds (kiosk.queue.models.Priority values)
    "lansia": "PRIORITAS: LANSIA",
    "disabilitas": "PRIORITAS: DISABILITAS",
    "ibu_hamil": "PRIORITAS: IBU HAMIL",
    "prioritas": PRIORITY_LABEL,
}
VALID_TODAY = ("Berlaku hari ini", "Valid today")
LONGEST_ESTIMATE_MIN = 8 * 60  # an office day: beyond it the estimate says "over 8 hours"
FOOTER_ID = "Tunjukkan QR di loket"
FOOTER_EN = "Show QR at the counter"

Width = Literal[58, 80]


@dataclass(frozen=True, slots=True)
class TicketData:
    """What one queue ticket shows. Text fields are data: they are printed, never obeyed."""

    ticket_id: str  # QR content for the counter's check-in: A-Z, 0-9 and '-', up to 24
    office: str
    service_name_id: str
    service_name_en: str
    code: str  # the service's letter prefix
    number: int  # 1, 2, ... per service and day
    issued_at: datetime  # aware, in the office's time zone
    people_ahead: int
    priority: str | None = None  # a key of PRIORITY_KINDS (lansia, disabilitas, ibu_hamil, ...)
    estimate_minutes: int | None = None  # expected wait, when recent service times are known
    agency: str = ""  # the agency serving it, in offices that host several (Mal Pelayanan Publik)
    booking_slot: str = ""  # "10:00": an online booking's slot (called from then), else ""
    reference: str | None = None  # the kiosk error this ticket hands over (txid or R-reference)

    def __post_init__(self) -> None:
        if not _TICKET_ID.fullmatch(self.ticket_id):
            raise ValueError("ticket_id must be 1-24 of A-Z, 0-9 and '-'")
        if not re.fullmatch(r"[A-Z]", self.code):
            raise ValueError("code must be one letter A-Z")
        if not 1 <= self.number <= 9999:
            raise ValueError("number must be 1-9999")
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("issued_at must be an aware datetime (office time zone)")
        if not 0 <= self.people_ahead <= 99_999:
            raise ValueError("people_ahead must be 0-99999")
        if self.estimate_minutes is not None and not 0 <= self.estimate_minutes <= 9_999:
            raise ValueError("estimate_minutes must be 0-9999")
        if self.booking_slot and not re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", self.booking_slot):
            raise ValueError("booking_slot must be HH:MM or empty")
        if self.priority is not None and self.priority not in PRIORITY_KINDS:
            raise ValueError(f"priority must be one of {sorted(PRIORITY_KINDS)} or None")
        if self.reference is not None and not _REFERENCE.fullmatch(self.reference):
            raise ValueError("reference must be 1-32 of A-Z, a-z, 0-9, '_' and '-'")

    @property
    def display_number(self) -> str:
        """The number as called out: ``A-042``."""
        return f"{self.code}-{self.number:03d}"


def issued_text(issued_at: datetime) -> str:
    """``23-11-2026 14:05 WIB``: the Indonesian date order and the zone's abbreviation."""
    zone = issued_at.tzname() or issued_at.strftime("%z")
    return f"{issued_at:%d-%m-%Y %H:%M} {printable(zone)}".strip()


def estimate_words(minutes: int | None) -> tuple[str, str]:
    """The expected wait in words, (Indonesian, English): ``("sekitar 25 menit", "about 25
    minutes")``; rounded to 5 minutes, since it is an estimate; ``"tidak diketahui"`` when the
    day's service times do not tell yet."""
    if minutes is None:
        return "tidak diketahui", "not known yet"
    if minutes < 5:
        return "kurang dari 5 menit", "under 5 min"
    if minutes >= LONGEST_ESTIMATE_MIN:
        return "lebih dari 8 jam", "over 8 hours"
    rounded = 5 * round(minutes / 5)
    hours, rest = divmod(rounded, 60)
    if hours == 0:
        return f"sekitar {rest} menit", f"about {rest} min"
    if rest == 0:
        return f"sekitar {hours} jam", f"about {hours} h"
    return f"sekitar {hours} jam {rest} menit", f"about {hours} h {rest} min"


def pair(text_id: str, text_en: str, columns: int) -> list[str]:
    """``"id / en"`` on one line when it fits, else two lines (each cut to fit)."""
    both = f"{printable(text_id)} / {printable(text_en)}"
    if len(both) <= columns:
        return [both]
    return fit_lines(text_id, columns, 1) + fit_lines(text_en, columns, 1)


def compose_ticket(ticket: TicketData, width_mm: Width, *, native_qr: bool = True) -> bytes:
    """The ESC/POS bytes of ``ticket`` for ``width_mm`` paper (58 or 80), ending with a cut.

    ``native_qr=False`` sends the QR as a raster image (``GS v 0``) for printers without
    ``GS ( k``; that costs several kilobytes (see benchmarks/ticket.py) and leaves the budget.
    """
    if width_mm not in COLUMNS:
        raise ValueError("width_mm must be 58 or 80")
    columns = COLUMNS[width_mm]
    p = new_recorder(PAPER_DOTS[width_mm])
    p.hw("INIT")
    p._raw(_FS + b".")  # FS . : cancel double-byte (Kanji / Chinese) character mode
    p.charcode("CP437")
    p.set(align="center")

    def lines(text: str, max_lines: int) -> None:
        for line in fit_lines(text, columns, max_lines):
            p.textln(line)

    p.set(bold=True)
    lines(ticket.office, OFFICE_LINES[width_mm])
    p.set(bold=False)
    lines(ticket.agency, 1)
    lines(ticket.service_name_id, 2)
    lines(ticket.service_name_en, 1)
    p.ln()
    p.set(custom_size=True, width=NUMBER_SCALE, height=NUMBER_SCALE)
    p.textln(ticket.display_number)
    p.set(custom_size=True, width=1, height=1)
    if ticket.priority is not None:
        p.set(invert=True)
        p.text(f" {PRIORITY_KINDS[ticket.priority]} ")
        p.set(invert=False)
        p.ln()
    if ticket.booking_slot:
        slot = ticket.booking_slot
        for line in pair(f"Booking pukul {slot}", f"Booked for {slot}", columns):
            p.textln(line)
    p.textln(issued_text(ticket.issued_at))
    words_id, words_en = estimate_words(ticket.estimate_minutes)
    for line in [
        *pair(*VALID_TODAY, columns),
        f"Di depan Anda / Ahead: {ticket.people_ahead}",
        *pair(f"Perkiraan: {words_id}", f"Est.: {words_en}", columns),
    ]:
        p.textln(line)
    if ticket.reference is not None:
        ref = f"Ref: {ticket.reference}"
        # a journal id (32 characters) goes under its label on 58 mm paper, never cut
        for line in [ref] if len(ref) <= columns else ["Ref:", ticket.reference]:
            p.textln(line)
    p.ln(FEED_BEFORE_QR)
    p.qr(ticket.ticket_id, ec=_QR_EC_LEVEL_M, size=QR_MODULE_DOTS[width_mm], native=native_qr)
    if native_qr:  # the raster path already ends with two line feeds
        p.ln()
    footer = f"{FOOTER_ID} / {FOOTER_EN}"
    for line in [footer] if len(footer) <= columns else [FOOTER_ID, FOOTER_EN]:
        p.textln(line)
    p.cut()
    return p.output
