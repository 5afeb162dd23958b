"""KTP-el front: ID-1 card with the holder's data, photo area, issue block and QR."""

from __future__ import annotations

from printing.documents.field_format import caps, enum_text, place, place_and_birth_date, rt_rw
from printing.documents.indonesian import date_numeric
from printing.documents.pdf_canvas import ID1_CARD, DocumentCanvas, RenderedDocument
from printing.documents.schema import Envelope, KtpData
from printing.documents.types import DocumentType
from printing.drawing.card_layout import CardFace, CardRow, draw_card_face

FOR_LIFE = "SEUMUR HIDUP"


def ktp_rows(data: KtpData) -> list[CardRow]:
    address = data.address
    return [
        CardRow("NIK", data.nik, bold=True),
        CardRow("Nama", caps(data.name)),
        CardRow("Tempat/Tgl Lahir", place_and_birth_date(data.birth_place, data.birth_date)),
        CardRow("Jenis Kelamin", data.sex.words, extra=("Gol. Darah", enum_text(data.blood_type))),
        CardRow("Alamat", caps(address.street)),
        CardRow("RT/RW", rt_rw(address)),
        CardRow("Kel/Desa", place(address.kelurahan)),
        CardRow("Kecamatan", place(address.kecamatan)),
        CardRow("Agama", enum_text(data.religion)),
        CardRow("Status Perkawinan", data.marital_status.on_card if data.marital_status else None),
        CardRow("Pekerjaan", caps(data.occupation)),
        CardRow("Kewarganegaraan", data.citizenship.value),
        CardRow("Berlaku Hingga", date_numeric(data.valid_until) or FOR_LIFE),
    ]


def region_header(provinsi: str | None, kabupaten: str | None) -> tuple[str, str]:
    return (f"PROVINSI {place(provinsi) or '-'}", place(kabupaten) or "-")


def render_ktp(envelope: Envelope, data: KtpData) -> RenderedDocument:
    page = DocumentCanvas(DocumentType.KTP, ID1_CARD)
    face = CardFace(
        header=region_header(data.address.provinsi, data.address.kabupaten),
        title=None,
        rows=ktp_rows(data),
        photo=True,
        issue_place=place(envelope.issued_place) or "-",
        issue_date=date_numeric(envelope.issued_on) or "-",
        document_id=envelope.document_id,
        verification_qr=envelope.verification_qr,
    )
    draw_card_face(page.canvas, face, page.width, page.height)
    page.end_page()
    return page.finish()
