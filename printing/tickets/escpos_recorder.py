"""python-escpos's Dummy printer, recording the bytes of one job.

python-escpos is imported through :mod:`thirdparty.escpos_loader`, the one place that contains
its import-time side effects (a pickled cache in a private, checked directory, no temporary
directories, no root log handler) for ``printing`` and ``devices`` alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from thirdparty.escpos_loader import escpos_printer_module

if TYPE_CHECKING:
    from escpos.printer import Dummy


def _dummy_class() -> type[Dummy]:
    return escpos_printer_module().Dummy


def new_recorder(paper_dots: int | None = None) -> Dummy:
    """A python-escpos Dummy printer (default profile) that records the bytes it is given.

    ``paper_dots`` is the printable width; python-escpos needs it for images (without it,
    ``image()`` prints a warning to stdout). It is set on this printer's profile only.
    """
    printer = _dummy_class()()
    if paper_dots is not None:
        data = dict(printer.profile.profile_data)
        data["media"] = {"width": {"pixels": paper_dots}}
        printer.profile.profile_data = data  # an instance attribute: the shared class stays
    return printer
