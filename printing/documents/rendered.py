"""The result of rendering a document (kept free of reportlab so importing it is cheap)."""

from __future__ import annotations

from dataclasses import dataclass

from printing.documents.types import DocumentType


@dataclass(frozen=True, slots=True)
class RenderedDocument:
    """PDF bytes in memory, their page count and SHA-256 (hex), and the document type."""

    pdf: bytes
    pages: int
    sha256: str
    doc: DocumentType
