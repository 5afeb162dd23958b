"""Document render time: KK with 10 members, KTP-el and akta kelahiran (ms per render, median).

Targets (issue 5, this machine class): KK <= 50 ms, KTP <= 5 ms. Baseline in the same run: a
plain reportlab KK built the usual way (platypus Paragraph cells in two Tables, reportlab's
QrCodeWidget for the QR, the same embedded DejaVu fonts, invariant mode); ``ratio`` is our
time / the baseline's (below 1 is faster). A second pair compares the QR alone: our vector
path vs the widget, both on a blank page.

Run: ``python benchmarks/render.py [--quick]``.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kiosk.synthetic import generate_population
from printing.documents import render
from printing.documents.types import DocumentType
from printing.drawing.fonts import BOLD, REGULAR, register_fonts
from printing.drawing.qr import draw_qr, qr_path

# A verification claim of realistic length (the ADMDOC1 claims are <= 300 characters).
CLAIM = (
    "ADMDOC1."
    + ("eyJ2IjoxLCJkaWQiOiJLSy0wMDAwMDEiLCJkb2MiOiJrayJ9" * 4)[:190]
    + "."
    + ("c2lnbmF0dXJlLWJ5dGVzLWVkMjU1MTktNjQtYnl0ZXMtbG9uZw" * 2)[:86]
)


def _median_ms(
    action: Callable[[], object], repeats: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Median time; the QR cache is cleared first (a new document's QR is never cached).

    ``clock`` is wall time by default; ``time.process_time`` gives this process's CPU time,
    which a busy shared machine does not inflate.
    """
    for _ in range(3):
        action()
    times = []
    for _ in range(repeats):
        qr_path.cache_clear()
        started = clock()
        action()
        times.append((clock() - started) * 1000)
    return statistics.median(times)


def sample_envelopes() -> dict[str, dict[str, Any]]:
    population = generate_population(3, 40)
    kk10 = next(
        d for d in population.documents if d.doc is DocumentType.KK and len(d.data["members"]) == 10
    )
    ktp = next(d for d in population.documents if d.doc is DocumentType.KTP)
    akta = next(d for d in population.documents if d.doc is DocumentType.AKTA_KELAHIRAN)
    return {
        "kk10": kk10.envelope("KK-BENCH-000001", CLAIM),
        "ktp": ktp.envelope("KTP-BENCH-000001", CLAIM),
        "akta": akta.envelope("AKTA-BENCH-000001", CLAIM),
    }


def baseline_kk(envelope: dict[str, Any]) -> bytes:
    """The KK the straightforward way: Paragraphs in Tables, QrCodeWidget, SimpleDocTemplate."""
    register_fonts()
    data = envelope["data"]
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=6.6, leading=7.6)
    head = ParagraphStyle("head", fontName=BOLD, fontSize=6.4, leading=7.4, alignment=1)
    title = ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=20, alignment=1)

    def p(value: object, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape("-" if value in (None, "") else str(value)), style)

    identity = [
        "No",
        "Nama Lengkap",
        "NIK",
        "Jenis Kelamin",
        "Tempat Lahir",
        "Tanggal Lahir",
        "Agama",
        "Pendidikan",
        "Jenis Pekerjaan",
        "Golongan Darah",
    ]
    civil = [
        "No",
        "Status Perkawinan",
        "Tanggal Perkawinan",
        "Status Hubungan Dalam Keluarga",
        "Kewarganegaraan",
        "No. Paspor",
        "No. KITAP",
        "Nama Ayah",
        "Nama Ibu",
    ]
    rows1 = [[p(h, head) for h in identity]]
    rows2 = [[p(h, head) for h in civil]]
    for i, m in enumerate(data["members"], start=1):
        rows1.append(
            [
                p(i),
                p(m["name"].upper()),
                p(m["nik"]),
                p(m["sex"]),
                p(m["birth_place"]),
                p(m["birth_date"]),
                p(m["religion"]),
                p(m["education"]),
                p(m["occupation"]),
                p(m["blood_type"]),
            ]
        )
        rows2.append(
            [
                p(i),
                p(m["marital_status"]),
                p(m["marriage_date"]),
                p(m["relation"]),
                p(m["citizenship"]),
                p(m["passport"]),
                p(m["kitap"]),
                p(m["father_name"]),
                p(m["mother_name"]),
            ]
        )
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), (0.88, 0.88, 0.88)),
        ]
    )
    widths1 = [20, 150, 82, 56, 88, 56, 66, 100, 122, 58]
    widths2 = [20, 80, 62, 92, 58, 80, 80, 163, 163]
    qr = QrCodeWidget(envelope["verification_qr"], barLevel="M")
    x0, y0, x1, y1 = qr.getBounds()
    drawing = Drawing(68, 68, transform=[68 / (x1 - x0), 0, 0, 68 / (y1 - y0), 0, 0])
    drawing.add(qr)
    address = data["address"]
    header = Table(
        [
            [
                p("Nama Kepala Keluarga"),
                p(data["head_name"].upper()),
                p("Kecamatan"),
                p(address["kecamatan"]),
            ],
            [p("Alamat"), p(address["street"]), p("Kabupaten/Kota"), p(address["kabupaten"])],
            [
                p("RT/RW"),
                p(f"{address['rt']}/{address['rw']}"),
                p("Kode Pos"),
                p(address["kode_pos"]),
            ],
            [p("Desa/Kelurahan"), p(address["kelurahan"]), p("Provinsi"), p(address["provinsi"])],
        ],
        colWidths=[95, 300, 95, 300],
    )
    footer = Table(
        [
            [
                p(f"Dikeluarkan Tanggal : {envelope['issued_on']}"),
                p(f"No. Dokumen: {envelope['document_id']}"),
                drawing,
            ],
            ["", p(envelope["official"]["title"]), ""],
            ["", p(envelope["official"]["name"]), p(f"NIP. {envelope['official']['nip']}")],
        ],
        colWidths=[330, 300, 90],
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=22,
        rightMargin=22,
        topMargin=22,
        bottomMargin=22,
        invariant=1,
    )
    doc.build(
        [
            Paragraph("KARTU KELUARGA", title),
            p(f"No. {data['kk_number']}", head),
            header,
            Spacer(1, 4),
            Table(rows1, colWidths=widths1, style=grid),
            Spacer(1, 6),
            Table(rows2, colWidths=widths2, style=grid),
            Spacer(1, 6),
            footer,
        ]
    )
    return buffer.getvalue()


def _qr_page(widget: bool) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    if widget:
        qr = QrCodeWidget(CLAIM, barLevel="M")
        x0, y0, x1, y1 = qr.getBounds()
        drawing = Drawing(
            30 * mm, 30 * mm, transform=[30 * mm / (x1 - x0), 0, 0, 30 * mm / (y1 - y0), 0, 0]
        )
        drawing.add(qr)
        renderPDF.draw(drawing, canvas, 150 * mm, 20 * mm)
    else:
        draw_qr(canvas, CLAIM, 150 * mm, 20 * mm, 30 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def run(quick: bool) -> list[dict[str, Any]]:
    repeats = 15 if quick else 60
    envelopes = sample_envelopes()
    kk_ms = _median_ms(lambda: render(envelopes["kk10"]), repeats)
    base_ms = _median_ms(lambda: baseline_kk(envelopes["kk10"]), max(5, repeats // 3))
    qr_ms = _median_ms(lambda: _qr_page(widget=False), repeats)
    widget_ms = _median_ms(lambda: _qr_page(widget=True), max(5, repeats // 3))
    kk_pdf = render(envelopes["kk10"]).pdf

    def cpu(envelope: dict[str, Any]) -> float:
        return _median_ms(lambda: render(envelope), repeats, time.process_time)

    return [
        {
            "name": "render_kk_10_members",
            "value": round(kk_ms, 2),
            "unit": "ms",
            "target": "<= 50 ms",
            "baseline": round(base_ms, 2),
            "ratio": round(kk_ms / base_ms, 3),
        },
        {
            "name": "render_ktp",
            "value": round(_median_ms(lambda: render(envelopes["ktp"]), repeats), 2),
            "unit": "ms",
            "target": "<= 5 ms",
        },
        {
            "name": "render_kk_10_members_cpu",
            "value": round(cpu(envelopes["kk10"]), 2),
            "unit": "ms",
            "target": None,
        },
        {
            "name": "render_ktp_cpu",
            "value": round(cpu(envelopes["ktp"]), 2),
            "unit": "ms",
            "target": None,
        },
        {
            "name": "render_akta_kelahiran",
            "value": round(_median_ms(lambda: render(envelopes["akta"]), repeats), 2),
            "unit": "ms",
            "target": None,
        },
        {
            "name": "qr_vector_page",
            "value": round(qr_ms, 2),
            "unit": "ms",
            "target": None,
            "baseline": round(widget_ms, 2),
            "ratio": round(qr_ms / widget_ms, 3),
        },
        {
            "name": "kk_pdf_size",
            "value": round(len(kk_pdf) / 1024, 1),
            "unit": "KiB",
            "target": None,
            "baseline": round(len(baseline_kk(envelopes["kk10"])) / 1024, 1),
        },
    ]


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        extra = ""
        if figure.get("baseline") is not None:
            extra = f"  (baseline {figure['baseline']}"
            extra += f", ratio {figure['ratio']})" if figure.get("ratio") else ")"
        target = f"  target {figure['target']}" if figure.get("target") else ""
        print(f"{figure['name']:<26} {figure['value']:>9} {figure['unit']:<4}{target}{extra}")
