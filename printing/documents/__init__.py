"""Civil-registry documents rendered to PDF from the registry's envelope.

``render(envelope)`` validates the envelope (:mod:`printing.documents.schema`), dispatches to
the layout for its type and returns the PDF bytes in memory (nothing is written to disk). A
value too long for its place on the layout raises :class:`DocumentDataError`: nothing is ever
printed cut short.
The same envelope always renders to the same bytes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from printing.documents.rendered import RenderedDocument
from printing.documents.schema import DocumentDataError, Envelope, validate_envelope
from printing.documents.types import DocumentType, Media

__all__ = ["DocumentDataError", "DocumentType", "Media", "RenderedDocument", "render", "warm_up"]

Layout = Callable[[Envelope, Any], RenderedDocument]
# reportlab's TTFont keeps per-document subset state and is not meant for concurrent
# documents; one render at a time per process (a render takes milliseconds).
_render_lock = threading.Lock()


@cache
def _layouts() -> dict[DocumentType, Layout]:
    from printing.documents.akta_kelahiran import render_akta_kelahiran
    from printing.documents.akta_kematian import render_akta_kematian
    from printing.documents.biodata import render_biodata
    from printing.documents.kia import render_kia
    from printing.documents.kk import render_kk
    from printing.documents.ktp import render_ktp

    return {
        DocumentType.KK: render_kk,
        DocumentType.KTP: render_ktp,
        DocumentType.KIA: render_kia,
        DocumentType.AKTA_KELAHIRAN: render_akta_kelahiran,
        DocumentType.AKTA_KEMATIAN: render_akta_kematian,
        DocumentType.BIODATA: render_biodata,
    }


def render(envelope: Mapping[str, Any]) -> RenderedDocument:
    """Validate ``envelope`` and render it; :class:`DocumentDataError` names a bad field."""
    # reportlab: loaded by warm_up() where documents print, else here (the CLI, tests)
    from printing.drawing.text_fit import TextDoesNotFit

    checked, data = validate_envelope(envelope)
    layout = _layouts()[checked.type]
    with _render_lock:
        try:
            return layout(checked, data)
        except TextDoesNotFit as exc:  # never a document with a value cut short
            raise DocumentDataError("", f"{checked.type.value}: {exc}") from None


def warm_up() -> None:
    """Load reportlab, the layouts and the fonts now (a kiosk that prints documents calls this
    while it starts, behind the attract screen). Parsing the TrueType fonts at the first render
    instead stalled the GUI thread for 80-120 ms on that citizen's PRINTING screen."""
    from printing.drawing.fonts import register_fonts

    _layouts()
    register_fonts()
