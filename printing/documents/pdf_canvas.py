"""A deterministic in-memory PDF canvas that finishes as a :class:`RenderedDocument`.

``invariant=1`` fixes reportlab's creation date and document id, the fonts are the embedded
DejaVu faces (the canvas starts in DejaVu so no standard font is referenced), and the metadata
holds only the document type: no names, no numbers, no wall-clock time.
"""

from __future__ import annotations

import hashlib
import io

from reportlab.pdfgen.canvas import Canvas

from printing.documents.rendered import RenderedDocument
from printing.documents.types import DocumentType, Media
from printing.drawing.fonts import REGULAR, register_fonts

MM = 72 / 25.4
A4_PORTRAIT = (210 * MM, 297 * MM)
A4_LANDSCAPE = (297 * MM, 210 * MM)
ID1_CARD = (85.60 * MM, 53.98 * MM)


class DocumentCanvas:
    """A reportlab canvas writing to memory; :meth:`finish` returns the rendered document."""

    def __init__(self, doc: DocumentType, pagesize: tuple[float, float]) -> None:
        register_fonts()
        self.doc = doc
        self.width, self.height = pagesize
        self._buffer = io.BytesIO()
        self.canvas = Canvas(
            self._buffer,
            pagesize=pagesize,
            invariant=1,
            # Cards go to a local card printer: ~30 KB more, ~1 ms less (no zlib on streams).
            pageCompression=int(doc.media is Media.A4),
            initialFontName=REGULAR,
            initialFontSize=10,
        )
        self.canvas.setTitle(doc.name_id)
        self.canvas.setAuthor("Dukcapil")
        self.canvas.setCreator("ADM kiosk")
        self.canvas.setSubject(doc.name_en)
        self._pages = 0

    def end_page(self) -> None:
        self.canvas.showPage()
        self._pages += 1

    def finish(self) -> RenderedDocument:
        self.canvas.save()
        pdf = self._buffer.getvalue()
        return RenderedDocument(
            pdf=pdf, pages=self._pages, sha256=hashlib.sha256(pdf).hexdigest(), doc=self.doc
        )
