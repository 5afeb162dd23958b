"""KIA (Kartu Identitas Anak) front: ID-1 card; a photo area only from age five."""

from __future__ import annotations

from datetime import date

from printing.documents.field_format import caps, enum_text, place, place_and_birth_date, rt_rw
from printing.documents.indonesian import date_numeric
from printing.documents.ktp import region_header
from printing.documents.pdf_canvas import ID1_CARD, DocumentCanvas, RenderedDocument
from printing.documents.schema import Envelope, KiaData
from printing.documents.types import DocumentType
from printing.drawing.card_layout import CardFace, CardRow, draw_card_face

PHOTO_FROM_AGE = 5


def age_on(born: date, day: date) -> int:
    return day.year - born.year - int((day.month, day.day) < (born.month, born.day))


def kia_rows(data: KiaData) -> list[CardRow]:
    address = data.address
    parts = [
        address.street,
        f"RT/RW {rt_rw(address)}" if address.rt or address.rw else None,
        place(address.kelurahan),
        place(address.kecamatan),
    ]
    street = caps(", ".join(p for p in parts if p)) or None
    return [
        CardRow("NIK", data.nik, bold=True),
        CardRow("Nama", caps(data.name)),
        CardRow("Tempat/Tgl Lahir", place_and_birth_date(data.birth_place, data.birth_date)),
        CardRow("Jenis Kelamin", data.sex.words),
        CardRow("Agama", enum_text(data.religion)),
        CardRow("Kewarganegaraan", data.citizenship.value),
        CardRow("No. KK", data.kk_number),
        CardRow("Nama Kepala Kel.", caps(data.head_name)),
        CardRow("Alamat", street),
        CardRow("Berlaku Hingga", date_numeric(data.valid_until)),
    ]


def render_kia(envelope: Envelope, data: KiaData) -> RenderedDocument:
    page = DocumentCanvas(DocumentType.KIA, ID1_CARD)
    face = CardFace(
        header=region_header(data.address.provinsi, data.address.kabupaten),
        title="KARTU IDENTITAS ANAK",
        rows=kia_rows(data),
        photo=age_on(data.birth_date, envelope.issued_on) >= PHOTO_FROM_AGE,
        issue_place=place(envelope.issued_place) or "-",
        issue_date=date_numeric(envelope.issued_on) or "-",
        document_id=envelope.document_id,
        verification_qr=envelope.verification_qr,
        tint=(0.93, 0.97, 0.90),
        signature_space=False,
    )
    draw_card_face(page.canvas, face, page.width, page.height)
    page.end_page()
    return page.finish()
