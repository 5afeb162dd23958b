"""Document types as the core sees them (defined beside their layouts in `printing`)."""

from printing.documents.types import DocumentType, Media

__all__ = ["DocumentType", "Media"]
