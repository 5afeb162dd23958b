"""Kartu Keluarga: A4 landscape, header block, the two member tables, footer and TTE block."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from printing.documents.field_format import caps, day, enum_text, official_title, place, rt_rw
from printing.documents.indonesian import date_long, date_numeric
from printing.documents.pdf_canvas import A4_LANDSCAPE, DocumentCanvas, RenderedDocument
from printing.documents.schema import MAX_MEMBERS, Envelope, KkData, Person
from printing.documents.types import DocumentType
from printing.drawing.fonts import BOLD, REGULAR
from printing.drawing.table_grid import Column, TableStyle, draw_table
from printing.drawing.text_fit import draw_fitted
from printing.drawing.tte_block import Signatory, draw_tte_block

MARGIN = 22.0
STYLE = TableStyle(header_height=21, row_height=12.6, header_size=6.4, cell_size=6.6, min_size=3.4)
IDENTITY_COLUMNS = (
    Column("No", 20, align="center"),
    Column("Nama Lengkap", 150, bold=True),
    Column("NIK", 82, align="center"),
    Column("Jenis Kelamin", 56, align="center"),
    Column("Tempat Lahir", 88),
    Column("Tanggal Lahir", 56, align="center"),
    Column("Agama", 66),
    Column("Pendidikan", 100),
    Column("Jenis Pekerjaan", 122),
    Column("Golongan Darah", 57.9, align="center"),
)
CIVIL_COLUMNS = (
    Column("No", 20, align="center"),
    Column("Status Perkawinan", 80),
    Column("Tanggal Perkawinan", 62, align="center"),
    Column("Status Hubungan Dalam Keluarga", 92),
    Column("Kewarga- negaraan", 58, align="center"),
    Column("No. Paspor", 80, align="center"),
    Column("No. KITAP", 80, align="center"),
    Column("Nama Ayah", 162.9),
    Column("Nama Ibu", 163),
)


def _identity_row(number: int, person: Person) -> list[object]:
    return [
        number,
        caps(person.name),
        person.nik,
        person.sex.words,
        place(person.birth_place),
        day(person.birth_date),
        enum_text(person.religion),
        enum_text(person.education),
        caps(person.occupation),
        enum_text(person.blood_type),
    ]


def _civil_row(number: int, person: Person) -> list[object]:
    return [
        number,
        enum_text(person.marital_status),
        day(person.marriage_date),
        enum_text(person.relation),
        person.citizenship.value,
        caps(person.passport),
        caps(person.kitap),
        caps(person.father_name),
        caps(person.mother_name),
    ]


def _header(canvas: Canvas, data: KkData, width: float, top: float) -> float:
    draw_fitted(
        canvas,
        "KARTU KELUARGA",
        MARGIN,
        top,
        width - 2 * MARGIN,
        20,
        font=BOLD,
        size=17,
        align="center",
    )
    draw_fitted(
        canvas,
        f"No. {data.kk_number}",
        MARGIN,
        top - 20,
        width - 2 * MARGIN,
        15,
        font=BOLD,
        size=11.5,
        align="center",
    )
    address = data.address
    left_rows = (
        ("Nama Kepala Keluarga", caps(data.head_name)),
        ("Alamat", caps(address.street)),
        ("RT/RW", rt_rw(address)),
        ("Desa/Kelurahan", place(address.kelurahan)),
    )
    right_rows = (
        ("Kecamatan", place(address.kecamatan)),
        ("Kabupaten/Kota", place(address.kabupaten)),
        ("Kode Pos", address.kode_pos),
        ("Provinsi", place(address.provinsi)),
    )
    line = 11.0
    row_top = top - 40
    half = (width - 2 * MARGIN) / 2
    for index, ((l_label, l_value), (r_label, r_value)) in enumerate(
        zip(left_rows, right_rows, strict=True)
    ):
        y = row_top - index * line
        for x, label, value in ((MARGIN, l_label, l_value), (MARGIN + half + 40, r_label, r_value)):
            draw_fitted(canvas, label, x, y, 95, line, font=REGULAR, size=8)
            draw_fitted(canvas, ":", x + 96, y, 5, line, font=REGULAR, size=8)
            draw_fitted(canvas, value, x + 103, y, half - 150, line, font=BOLD, size=8, min_size=4)
    return row_top - len(left_rows) * line


def render_kk(envelope: Envelope, data: KkData) -> RenderedDocument:
    page = DocumentCanvas(DocumentType.KK, A4_LANDSCAPE)
    canvas, width, height = page.canvas, page.width, page.height
    bottom = _header(canvas, data, width, height - MARGIN)
    members = data.members
    identity = [_identity_row(i, p) for i, p in enumerate(members, start=1)]
    table_bottom = draw_table(
        canvas, MARGIN, bottom - 5, IDENTITY_COLUMNS, identity, STYLE, min_rows=MAX_MEMBERS
    )
    civil = [_civil_row(i, p) for i, p in enumerate(members, start=1)]
    table_bottom = draw_table(
        canvas, MARGIN, table_bottom - 7, CIVIL_COLUMNS, civil, STYLE, min_rows=MAX_MEMBERS
    )
    footer_top = table_bottom - 8
    draw_fitted(
        canvas,
        f"Dikeluarkan Tanggal : {date_numeric(envelope.issued_on)}",
        MARGIN,
        footer_top,
        300,
        11,
        font=BOLD,
        size=8,
    )
    notes = (
        "LEMBAR 1 : KEPALA KELUARGA",
        "Dokumen ini ditandatangani secara elektronik. Keaslian dapat diperiksa dengan",
        "memindai kode QR; tidak memerlukan cap dan tanda tangan basah.",
    )
    for index, note in enumerate(notes):
        draw_fitted(
            canvas, note, MARGIN, footer_top - 14 - index * 10, 330, 10, font=REGULAR, size=6.8
        )
    signatory = Signatory(
        place_and_date=f"{place(envelope.issued_place)}, {date_long(envelope.issued_on)}",
        title=official_title(envelope),
        name=envelope.official.name.upper(),
        nip=envelope.official.nip,
        document_id=envelope.document_id,
        verification_qr=envelope.verification_qr,
    )
    draw_tte_block(
        canvas, signatory, right=width - MARGIN, bottom=MARGIN - 6, width=300, qr_size=68, size=7.4
    )
    page.end_page()
    return page.finish()
