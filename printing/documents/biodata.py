"""Biodata Penduduk: the person's registry record as a two-column table, A4 portrait.

When the registry sends the family on the person's KK, a second page lists it (DATA ANGGOTA
KELUARGA), and every page says "Halaman n dari 2" so a sheet that did not come out is missed.
"""

from __future__ import annotations

from printing.documents.field_format import caps, day, enum_text, official_title, place, rt_rw
from printing.documents.indonesian import date_long
from printing.documents.pdf_canvas import A4_PORTRAIT, MM, DocumentCanvas, RenderedDocument
from printing.documents.schema import BiodataData, Envelope, Person
from printing.documents.types import DocumentType
from printing.drawing.fonts import BOLD, REGULAR
from printing.drawing.table_grid import Column, TableStyle, draw_table
from printing.drawing.text_fit import draw_fitted
from printing.drawing.tte_block import Signatory, draw_tte_block

MARGIN = 18 * MM
STYLE = TableStyle(header_height=14, row_height=14.2, header_size=8.5, cell_size=8.4, min_size=4)
LABEL_WIDTH = 62 * MM

FAMILY_STYLE = TableStyle(header_height=22, row_height=15, header_size=8, cell_size=8, min_size=4)
FAMILY_COLUMNS = (
    Column("No", 8 * MM, align="center"),
    Column("Nama Lengkap", 52 * MM, bold=True),
    Column("NIK", 33 * MM, align="center"),
    Column("Jenis Kelamin", 20 * MM, align="center"),
    Column("Tanggal Lahir", 22 * MM, align="center"),
    Column("Status Hubungan Dalam Keluarga", 39 * MM),
)

Section = tuple[str, list[tuple[str, object]]]


def biodata_sections(data: BiodataData) -> list[Section]:
    address = data.address
    return [
        (
            "DATA KELUARGA",
            [
                ("Nomor Kartu Keluarga", data.kk_number),
                ("Nama Kepala Keluarga", caps(data.head_name)),
                ("Alamat", caps(address.street)),
                ("RT/RW", rt_rw(address)),
                ("Desa/Kelurahan", place(address.kelurahan)),
                ("Kecamatan", place(address.kecamatan)),
                ("Kabupaten/Kota", place(address.kabupaten)),
                ("Provinsi", place(address.provinsi)),
                ("Kode Pos", address.kode_pos),
            ],
        ),
        (
            "DATA INDIVIDU",
            [
                ("NIK", data.nik),
                ("Nama Lengkap", caps(data.name)),
                ("Tempat Lahir", place(data.birth_place)),
                ("Tanggal Lahir", day(data.birth_date)),
                ("Jenis Kelamin", data.sex.words),
                ("Golongan Darah", enum_text(data.blood_type)),
                ("Agama", enum_text(data.religion)),
                ("Status Perkawinan", enum_text(data.marital_status)),
                ("Tanggal Perkawinan", day(data.marriage_date)),
                ("Status Hubungan Dalam Keluarga", enum_text(data.relation)),
                ("Pendidikan Terakhir", enum_text(data.education)),
                ("Jenis Pekerjaan", caps(data.occupation)),
                ("Kewarganegaraan", data.citizenship.value),
                ("Nomor Paspor", caps(data.passport)),
                ("Nomor KITAP", caps(data.kitap)),
            ],
        ),
        (
            "DATA ORANG TUA",
            [("Nama Ayah", caps(data.father_name)), ("Nama Ibu", caps(data.mother_name))],
        ),
    ]


def _family_row(number: int, person: Person) -> list[object]:
    return [
        number,
        caps(person.name),
        person.nik,
        person.sex.words,
        day(person.birth_date),
        enum_text(person.relation),
    ]


def _title(page: DocumentCanvas, data: BiodataData) -> float:
    """The document's title and region at the top of a page; returns where content starts."""
    canvas, inner = page.canvas, page.width - 2 * MARGIN
    top = page.height - 16 * MM
    draw_fitted(
        canvas,
        "BIODATA PENDUDUK WARGA NEGARA INDONESIA",
        MARGIN,
        top,
        inner,
        20,
        font=BOLD,
        size=14,
        align="center",
    )
    top -= 20
    region = (
        f"{place(data.address.kabupaten) or '-'} - PROVINSI {place(data.address.provinsi) or '-'}"
    )
    draw_fitted(canvas, region, MARGIN, top, inner, 14, font=BOLD, size=9.5, align="center")
    return top - 22


def _page_number(page: DocumentCanvas, envelope: Envelope, number: int, pages: int) -> None:
    if pages > 1:
        text = f"{envelope.document_id} - Halaman {number} dari {pages}"
        draw_fitted(page.canvas, text, MARGIN, 6 * MM, 90 * MM, 10, font=REGULAR, size=7)


def render_biodata(envelope: Envelope, data: BiodataData) -> RenderedDocument:
    page = DocumentCanvas(DocumentType.BIODATA, A4_PORTRAIT)
    canvas, width = page.canvas, page.width
    inner = width - 2 * MARGIN
    pages = 2 if data.family else 1
    top = _title(page, data)
    for title, rows in biodata_sections(data):
        columns = (Column(title, LABEL_WIDTH), Column("", inner - LABEL_WIDTH, bold=True))
        top = draw_table(canvas, MARGIN, top, columns, [list(r) for r in rows], STYLE) - 9
    signatory = Signatory(
        place_and_date=f"{place(envelope.issued_place)}, {date_long(envelope.issued_on)}",
        title=official_title(envelope),
        name=envelope.official.name.upper(),
        nip=envelope.official.nip,
        document_id=envelope.document_id,
        verification_qr=envelope.verification_qr,
    )
    draw_tte_block(
        canvas,
        signatory,
        right=width - MARGIN,
        bottom=10 * MM,
        width=92 * MM,
        qr_size=26 * MM,
        size=8,
    )
    _page_number(page, envelope, 1, pages)
    page.end_page()
    if data.family:
        top = _title(page, data)
        family = [_family_row(i, p) for i, p in enumerate(data.family, start=1)]
        banner = (Column("DATA ANGGOTA KELUARGA", inner),)
        top = draw_table(canvas, MARGIN, top, banner, [], STYLE) - 4
        draw_table(canvas, MARGIN, top, FAMILY_COLUMNS, family, FAMILY_STYLE)
        _page_number(page, envelope, 2, pages)
        page.end_page()
    return page.finish()
