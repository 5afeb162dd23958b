"""The shared page of the kutipan akta (birth and death certificates), A4 portrait.

Heading (REPUBLIK INDONESIA / PENCATATAN SIPIL / citizenship / KUTIPAN AKTA ...), the
certificate sentence, the place and date of issue and the Pejabat Pencatatan Sipil's TTE
block with the verification QR bottom right.
"""

from __future__ import annotations

from collections.abc import Sequence

from printing.documents.field_format import official_title, place
from printing.documents.indonesian import date_long
from printing.documents.pdf_canvas import A4_PORTRAIT, MM, DocumentCanvas, RenderedDocument
from printing.documents.schema import Citizenship, Envelope
from printing.documents.types import DocumentType
from printing.drawing.fonts import BOLD, REGULAR
from printing.drawing.rich_paragraph import Run, draw_paragraph
from printing.drawing.text_fit import draw_fitted
from printing.drawing.tte_block import Signatory, draw_tte_block

MARGIN = 25 * MM


def _frame(page: DocumentCanvas) -> None:
    """The certificate's double border."""
    canvas = page.canvas
    canvas.saveState()
    canvas.setStrokeColorRGB(0.15, 0.25, 0.45)
    canvas.setLineWidth(2.2)
    canvas.rect(10 * MM, 8 * MM, page.width - 20 * MM, page.height - 18 * MM)
    canvas.setLineWidth(0.6)
    canvas.rect(12 * MM, 10 * MM, page.width - 24 * MM, page.height - 22 * MM)
    canvas.restoreState()


def render_certificate(
    envelope: Envelope,
    doc: DocumentType,
    title: str,
    citizenship: Citizenship,
    nik: str | None,
    sentence: Sequence[Run],
) -> RenderedDocument:
    page = DocumentCanvas(doc, A4_PORTRAIT)
    canvas, width, height = page.canvas, page.width, page.height
    inner = width - 2 * MARGIN
    _frame(page)
    top = height - 22 * MM
    heading = (
        ("REPUBLIK INDONESIA", 13.0),
        ("PENCATATAN SIPIL", 12.0),
        (
            "WARGA NEGARA INDONESIA" if citizenship is Citizenship.WNI else "WARGA NEGARA ASING",
            10.5,
        ),
    )
    for text, size in heading:
        draw_fitted(
            canvas, text, MARGIN, top, inner, size * 1.5, font=BOLD, size=size, align="center"
        )
        top -= size * 1.55
    top -= 8 * MM
    draw_fitted(canvas, title, MARGIN, top, inner, 24, font=BOLD, size=18, align="center")
    top -= 30
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN + 30 * MM, top, width - MARGIN - 30 * MM, top)
    top -= 12 * MM
    if nik:
        draw_fitted(canvas, f"NIK : {nik}", MARGIN, top, inner, 16, font=BOLD, size=11.5)
        top -= 12 * MM
    body_bottom = 95 * MM
    draw_paragraph(
        canvas, sentence, MARGIN, top, inner, top - body_bottom, size=13, min_size=6.5, leading=1.75
    )
    signatory = Signatory(
        place_and_date=(
            f"Dikeluarkan di {place(envelope.issued_place)}, "
            f"tanggal {date_long(envelope.issued_on)}"
        ),
        title=official_title(envelope),
        name=envelope.official.name.upper(),
        nip=envelope.official.nip,
        document_id=envelope.document_id,
        verification_qr=envelope.verification_qr,
    )
    draw_tte_block(
        canvas,
        signatory,
        right=width - MARGIN + 8 * MM,
        bottom=24 * MM,
        width=95 * MM,
        qr_size=30 * MM,
        size=9,
    )
    draw_fitted(
        canvas,
        "Kutipan ini diterbitkan dari register akta pencatatan sipil.",
        MARGIN - 8 * MM,
        18 * MM,
        inner,
        10,
        font=REGULAR,
        size=7,
    )
    page.end_page()
    return page.finish()
