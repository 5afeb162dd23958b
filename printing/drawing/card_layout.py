"""The front of an ID-1 card (KTP-el, KIA): header, label rows, photo, issue block, QR.

Cards embed one face (DejaVu Sans) and draw bold text as stroke-bold: a second embedded face
costs ~2.5 ms per card, a third of the card's render budget.

85.60 x 53.98 mm. Left: the rows ("NIK", "Nama", ...) with a colon column; right: the photo
area (a drawn placeholder silhouette: the kiosk has no photo), the place and date of issue, the
holder's signature space and the verification QR in the bottom-right corner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from printing.drawing.fonts import REGULAR
from printing.drawing.qr import draw_qr
from printing.drawing.text_fit import draw_fitted
from printing.drawing.tte_block import signature_reference

MM = 72 / 25.4


@dataclass(frozen=True, slots=True)
class CardRow:
    label: str
    value: str | None
    bold: bool = False
    extra: tuple[str, str | None] | None = None  # a second label/value on the same row


@dataclass(frozen=True, slots=True)
class CardFace:
    header: tuple[str, ...]  # "PROVINSI ...", "KABUPATEN ..."
    title: str | None  # "KARTU IDENTITAS ANAK" (KIA) or None
    rows: Sequence[CardRow]
    photo: bool
    issue_place: str
    issue_date: str
    document_id: str
    verification_qr: str
    tint: tuple[float, float, float] = (0.90, 0.95, 1.0)
    signature_space: bool = True  # KTP-el: the holder signs; KIA: children do not


def draw_photo_placeholder(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    """A grey head-and-shoulders silhouette in a framed box."""
    canvas.saveState()
    canvas.setFillColorRGB(0.82, 0.86, 0.92)
    canvas.setStrokeColorRGB(0.45, 0.5, 0.58)
    canvas.setLineWidth(0.4)
    canvas.rect(x, y, w, h, stroke=1, fill=1)
    canvas.setFillColorRGB(0.55, 0.6, 0.68)
    cx = x + w / 2
    canvas.circle(cx, y + h * 0.62, w * 0.2, stroke=0, fill=1)
    shoulders = canvas.beginPath()
    shoulders.moveTo(x + w * 0.12, y)
    shoulders.curveTo(x + w * 0.12, y + h * 0.3, x + w * 0.3, y + h * 0.4, cx, y + h * 0.4)
    shoulders.curveTo(x + w * 0.7, y + h * 0.4, x + w * 0.88, y + h * 0.3, x + w * 0.88, y)
    shoulders.close()
    canvas.drawPath(shoulders, stroke=0, fill=1)
    canvas.restoreState()


def draw_card_face(canvas: Canvas, face: CardFace, width: float, height: float) -> None:
    canvas.saveState()
    canvas.setFillColorRGB(*face.tint)
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    canvas.setFillGray(0)
    top = height - 1.6 * MM
    heading = [(line, 6.6, 2.9 * MM) for line in face.header]  # (text, size, line step)
    if face.title:
        heading.append((face.title, 6.2, 3.1 * MM))
    for text, size, step in heading:
        draw_fitted(
            canvas,
            text,
            3 * MM,
            top,
            width - 6 * MM,
            2.9 * MM,
            font=REGULAR,
            stroke_bold=True,
            size=size,
            align="center",
        )
        top -= step
    top -= 0.6 * MM
    _draw_rows(canvas, face.rows, top, bottom=4.2 * MM)
    _draw_right_column(canvas, face, width, top)
    footer = f"No. Dok: {face.document_id}   Ref. TTE: {signature_reference(face.verification_qr)}"
    draw_fitted(
        canvas, footer, 3 * MM, 3.6 * MM, 56 * MM, 2.6 * MM, font=REGULAR, size=4.2, min_size=2.5
    )
    canvas.restoreState()


def _draw_rows(canvas: Canvas, rows: Sequence[CardRow], top: float, bottom: float) -> None:
    label_x, colon_x, value_x, right = 3 * MM, 20 * MM, 21.5 * MM, 60 * MM
    step = (top - bottom) / max(len(rows), 1)
    for row in rows:
        size = 7.4 if row.bold else 5.6
        font = REGULAR
        bold = row.bold
        draw_fitted(
            canvas,
            row.label,
            label_x,
            top,
            colon_x - label_x - 0.5 * MM,
            step,
            font=font,
            size=size,
            min_size=3,
            stroke_bold=bold,
        )
        draw_fitted(
            canvas, ":", colon_x, top, 1.2 * MM, step, font=font, size=size, stroke_bold=bold
        )
        value_right = right if row.extra is None else 42 * MM
        draw_fitted(
            canvas,
            row.value,
            value_x,
            top,
            value_right - value_x,
            step,
            font=font,
            size=size,
            min_size=2.8,
            stroke_bold=bold,
        )
        if row.extra is not None:
            label, value = row.extra
            draw_fitted(
                canvas,
                f"{label} : {value or '-'}",
                43 * MM,
                top,
                right - 43 * MM,
                step,
                font=REGULAR,
                size=5.6,
                min_size=2.8,
            )
        top -= step


def _draw_right_column(canvas: Canvas, face: CardFace, width: float, top: float) -> None:
    """Bottom up: QR in the corner, signature space beside it, issue block, then the photo."""
    left, right = 61.5 * MM, width - 2 * MM
    column = right - left
    qr_size = 12.5 * MM
    qr_bottom = 1.4 * MM
    draw_qr(canvas, face.verification_qr, right - qr_size, qr_bottom, qr_size, error="l")
    sign_right = right - qr_size - 1 * MM
    if face.signature_space:
        canvas.setLineWidth(0.3)
        canvas.setStrokeGray(0.35)
        canvas.line(left + 0.5 * MM, 3.2 * MM, sign_right, 3.2 * MM)
        draw_fitted(
            canvas,
            "Tanda tangan",
            left,
            3 * MM,
            sign_right - left,
            2 * MM,
            font=REGULAR,
            size=3.2,
            min_size=2.5,
            align="center",
        )
    issue_top = qr_bottom + qr_size + 0.6 * MM + 2 * 2.3 * MM
    for text in (face.issue_place, face.issue_date):
        draw_fitted(
            canvas,
            text,
            left,
            issue_top,
            column,
            2.3 * MM,
            font=REGULAR,
            size=5,
            min_size=2.8,
            align="center",
        )
        issue_top -= 2.3 * MM
    if face.photo:
        # 3:4 portrait, as large as the space between the header and the issue block allows.
        space_bottom = qr_bottom + qr_size + 0.6 * MM + 2 * 2.3 * MM + 0.6 * MM
        photo_h = min(24.5 * MM, top - 0.3 * MM - space_bottom)
        photo_w = photo_h * 0.78
        draw_photo_placeholder(
            canvas, left + (column - photo_w) / 2, space_bottom, photo_w, photo_h
        )
