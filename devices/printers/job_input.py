"""Checks on what is handed to a document or card printer, and the health-check test page.

Shared by the CUPS drivers and the simulated printers. A job title shows in print queues and
logs, so it must be a short code ("ADM-KK-3f9a1c"), never a name or an ID number.
"""

from __future__ import annotations

import io
import re

# Titles are fixed shapes like "ADM-3f9a1c..." (a transaction id): no spaces, so no names, and
# no NIK/KK-shaped token (16 digits standing alone). Digit runs inside a hex id are fine: a uuid4
# hex often holds 8+ digits in a row, and refusing it would fail real prints.
_TITLE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{16}(?![0-9A-Za-z])")
MAX_PDF_BYTES = 50_000_000


class JobInputError(ValueError):
    """A job refused before anything was sent to the printer (bad title or document).

    The one submit failure that proves nothing was queued: an engine may release the voucher
    on it. Any other exception from a submit leaves the job's fate unknown.
    """


def check_title(title: str) -> str:
    """Refuse titles that could carry personal data (they show in queues and logs)."""
    if not _TITLE.fullmatch(title) or _ID_NUMBER.search(title):
        raise JobInputError("job title must be a short code (letters, digits, .-_:), no ID numbers")
    return title


def check_pdf(pdf: bytes) -> None:
    if not pdf.startswith(b"%PDF-"):
        raise JobInputError("not a PDF document")
    if len(pdf) > MAX_PDF_BYTES:
        raise JobInputError(f"PDF larger than {MAX_PDF_BYTES} bytes")


def health_check_pdf(label: str, *, width_mm: float = 210.0, height_mm: float = 297.0) -> bytes:
    """A tiny one-page PDF for external health checks (no personal data)."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(width_mm * mm, height_mm * mm), invariant=True)
    page.setTitle("ADM test page")
    page.setFont("Helvetica-Bold", 10 if width_mm < 100 else 16)
    page.drawString(6 * mm, height_mm * mm - 14 * mm, "ADM kiosk - test page")
    page.setFont("Helvetica", 8 if width_mm < 100 else 11)
    page.drawString(6 * mm, height_mm * mm - 22 * mm, label)
    page.rect(4 * mm, 4 * mm, (width_mm - 8) * mm, (height_mm - 8) * mm)
    page.showPage()
    page.save()
    return buffer.getvalue()
