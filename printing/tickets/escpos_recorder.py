"""python-escpos, imported lazily, recording the bytes of one job (its Dummy printer).

Importing ``escpos`` has side effects this module contains, the same way the devices layer does
(``devices.printers.escpos_link``; ``printing`` may not import ``devices``, so the few lines are
mirrored here, with the same cache directory):
- ``escpos.capabilities`` pickles its printer database into ``$ESCPOS_CAPABILITIES_PICKLE_DIR``
  and calls ``tempfile.mkdtemp()`` even when that is set (a new empty /tmp directory per
  process); we set the variable to a fixed per-user cache and, during the import, have
  ``mkdtemp`` return that directory;
- it calls ``logging.basicConfig()``, which would give the root logger a handler without the
  kiosk's redaction filter; a placeholder handler during the import makes that a no-op.
An existing ``ESCPOS_CAPABILITIES_PICKLE_DIR`` wins.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from escpos.printer import Dummy

PICKLE_DIR_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"
_import_lock = threading.Lock()


def capabilities_cache_dir() -> Path:
    """The directory for python-escpos's capabilities pickle (created if needed)."""
    configured = os.environ.get(PICKLE_DIR_ENV)
    if configured:
        return Path(configured)
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        path = base / "adm-kiosk" / "python-escpos"
        path.mkdir(parents=True, exist_ok=True)
        return path
    except (OSError, RuntimeError):  # no home, or a read-only one
        pass
    # A pickle is code: in the shared temporary directory only a private, owned directory will do.
    path = Path(tempfile.gettempdir()) / f"adm-kiosk-escpos-{os.getuid()}"
    path.mkdir(exist_ok=True, mode=0o700)
    info = path.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(f"{path} must be private to this user")
    return path


def _dummy_class() -> type[Dummy]:
    with _import_lock:
        if "escpos.printer" not in sys.modules:
            cache = capabilities_cache_dir()
            os.environ[PICKLE_DIR_ENV] = str(cache)
            root = logging.getLogger()
            placeholder = logging.NullHandler()
            root.addHandler(placeholder)
            real_mkdtemp = tempfile.mkdtemp
            tempfile.mkdtemp = lambda *args, **kwargs: str(cache)  # type: ignore[assignment]
            try:
                import escpos.printer  # noqa: F401
            finally:
                tempfile.mkdtemp = real_mkdtemp
                root.removeHandler(placeholder)
        from escpos.printer import Dummy

        return Dummy


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
