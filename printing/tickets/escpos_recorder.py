"""python-escpos, imported lazily, recording the bytes of one job (its Dummy printer).

python-escpos reads its printer database at import time and caches it as a pickle in
``$ESCPOS_CAPABILITIES_PICKLE_DIR`` (by default a fresh ``mkdtemp()`` per process, which litters
/tmp and re-parses the YAML every start). Before the first import we point it at a private
per-user cache directory (mode 0700: a pickle from a directory others can write is code they can
run). An existing setting in the environment (the devices layer sets the same variable) wins.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from escpos.printer import Dummy

PICKLE_DIR_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def capabilities_cache_dir() -> Path:
    """The per-user directory for python-escpos's capabilities pickle (created, mode 0700)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    try:
        path = Path(base) / "adm-kiosk" / "escpos"
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:  # read-only home (kiosk user): a private temporary directory instead
        path = Path(tempfile.gettempdir()) / f"adm-kiosk-escpos-{os.getuid()}"
        path.mkdir(exist_ok=True, mode=0o700)
    if path.stat().st_uid != os.getuid() or path.stat().st_mode & 0o022:
        raise PermissionError(f"{path} must be owned by this user and not writable by others")
    return path


def new_recorder(paper_dots: int | None = None) -> Dummy:
    """A python-escpos Dummy printer (default profile) that records the bytes it is given.

    ``paper_dots`` is the printable width; python-escpos needs it for images (without it,
    ``image()`` prints a warning to stdout). It is set on this printer's profile only.
    """
    if PICKLE_DIR_ENV not in os.environ:
        os.environ[PICKLE_DIR_ENV] = str(capabilities_cache_dir())
    from escpos.printer import Dummy

    printer = Dummy()
    if paper_dots is not None:
        data = dict(printer.profile.profile_data)
        data["media"] = {"width": {"pixels": paper_dots}}
        printer.profile.profile_data = data  # an instance attribute: the shared class stays
    return printer
