"""The signing official's block with the verification (TTE) QR, bottom right of A4 documents.

SUKAMAJU, 25 Agustus 2026                 (place and issue date)
KEPALA DINAS ... KABUPATEN SUKAMAJU       (title, wrapped)
No. Dokumen ...      +------+
Ref. TTE ...         |  QR  |             (QR at the block's right edge)
Ditandatangani ...   +------+
TEGUH BUDI SANTOSA                        (name, bold, underlined)
NIP. 19720529 199504 1 000
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from printing.drawing.fonts import BOLD, REGULAR
from printing.drawing.qr import draw_qr
from printing.drawing.text_fit import draw_fitted, shown

TTE_NOTE = "Ditandatangani secara elektronik. Pindai kode QR untuk memeriksa keaslian."


def signature_reference(verification_qr: str) -> str:
    """A short fingerprint of the QR content anyone can recompute: ``1A2B-3C4D-5E6F-7A8B``."""
    digest = hashlib.sha256(verification_qr.encode("utf-8")).hexdigest().upper()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def format_nip(nip: str) -> str:
    """NIP in its usual groups: birth date, appointment month, sex, serial."""
    if len(nip) == 18:
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    return nip


@dataclass(frozen=True, slots=True)
class Signatory:
    place_and_date: str
    title: str
    name: str
    nip: str
    document_id: str
    verification_qr: str


def draw_tte_block(
    canvas: Canvas,
    signatory: Signatory,
    *,
    right: float,
    bottom: float,
    width: float,
    qr_size: float,
    size: float = 8.0,
) -> float:
    """Draw the block ending at (right, bottom); return the y of its top edge."""
    left = right - width
    line = size * 1.25
    # Bottom up: NIP, name, then the QR row, then title and place/date above it.
    nip_y = bottom
    draw_fitted(
        canvas,
        "NIP. " + format_nip(signatory.nip),
        left,
        nip_y + line,
        width,
        line,
        font=REGULAR,
        size=size,
        align="center",
    )
    name_top = nip_y + 2 * line
    placed = draw_fitted(
        canvas, signatory.name, left, name_top, width, line, font=BOLD, size=size, align="center"
    )
    name_width = min(width, canvas.stringWidth(placed.lines[0], BOLD, placed.size))
    canvas.setLineWidth(0.6)
    underline_y = name_top - line + 1.5
    canvas.line(
        left + (width - name_width) / 2, underline_y, left + (width + name_width) / 2, underline_y
    )
    qr_bottom = name_top + 3
    draw_qr(canvas, signatory.verification_qr, right - qr_size, qr_bottom, qr_size)
    beside = width - qr_size - 6
    note_size = size * 0.8
    notes = (
        f"No. Dokumen: {signatory.document_id}",
        f"Ref. TTE: {signature_reference(signatory.verification_qr)}",
    )
    note_top = qr_bottom + qr_size - 2
    for text in notes:
        draw_fitted(
            canvas, text, left, note_top, beside, note_size * 1.3, font=BOLD, size=note_size
        )
        note_top -= note_size * 1.4
    draw_fitted(
        canvas,
        TTE_NOTE,
        left,
        note_top,
        beside,
        note_top - qr_bottom,
        font=REGULAR,
        size=note_size,
        valign="top",
        wrap_first=True,
    )
    title_top = qr_bottom + qr_size + 3 * line + 2
    draw_fitted(
        canvas,
        signatory.title,
        left,
        title_top,
        width,
        2 * line,
        font=BOLD,
        size=size,
        align="center",
        wrap_first=True,
    )
    top = title_top + line
    draw_fitted(
        canvas,
        shown(signatory.place_and_date),
        left,
        top,
        width,
        line,
        font=REGULAR,
        size=size,
        align="center",
    )
    return top
