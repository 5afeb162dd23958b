"""python-escpos, imported once per process with its side effects contained.

- ``escpos.capabilities`` pickles its printer database into ``$ESCPOS_CAPABILITIES_PICKLE_DIR``
  and unpickles it on the next import. A pickle is code, so the directory must be private:
  the per-user cache (``$XDG_CACHE_HOME`` or ``~/.cache``)``/adm-kiosk/python-escpos``, or, when
  there is no usable home, ``<tmp>/adm-kiosk-escpos-<uid>`` created 0700. Whichever it is, it
  is refused unless it is a real directory owned by this user that nobody else can write to
  (a directory named in the environment variable too).
- it calls ``tempfile.mkdtemp()`` even when that variable is set (a new empty temporary
  directory per process): during the import ``mkdtemp`` returns the cache directory;
- it calls ``logging.basicConfig()``, which would give the root logger a handler without the
  kiosk's redaction filter: a placeholder handler during the import makes that a no-op;
- a pickle half-written by another process makes the import fail: it is dropped and the import
  runs again from the YAML source.
"""

from __future__ import annotations

import logging
import os
import pickle
import stat
import sys
import tempfile
import threading
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)

PICKLE_DIR_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"
_import_lock = threading.Lock()


def _private(path: Path) -> Path:
    """``path`` if it is a real directory (not a link) owned by this user that nobody else may
    write to: only this user can then put a pickle there."""
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise PermissionError(f"{path} must be a directory of this user that others cannot write")
    return path


def capabilities_cache_dir() -> Path:
    """The private directory for python-escpos's capabilities pickle (created if needed)."""
    configured = os.environ.get(PICKLE_DIR_ENV)
    if configured:
        path = Path(configured)
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return _private(path)
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        path = base / "adm-kiosk" / "python-escpos"
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return _private(path)
    except (OSError, RuntimeError):  # no home, a read-only one, or someone else's directory
        pass
    path = Path(tempfile.gettempdir()) / f"adm-kiosk-escpos-{os.getuid()}"
    path.mkdir(exist_ok=True, mode=0o700)
    return _private(path)


def escpos_printer_module() -> ModuleType:
    """``escpos.printer``, imported once with a private capabilities cache (see above)."""
    with _import_lock:
        loaded = sys.modules.get("escpos.printer")
        if loaded is not None:
            return loaded
        cache = capabilities_cache_dir()
        os.environ[PICKLE_DIR_ENV] = str(cache)
        root = logging.getLogger()
        placeholder = logging.NullHandler()
        root.addHandler(placeholder)
        real_mkdtemp = tempfile.mkdtemp
        tempfile.mkdtemp = lambda *a, **k: str(cache)  # type: ignore[assignment]
        try:
            try:
                import escpos.printer
            except (EOFError, OSError, ValueError, ImportError, pickle.UnpicklingError):
                # A cache half-written by another process: drop it and load from the source.
                log.warning("python-escpos capabilities cache unreadable; rebuilding it")
                for stale in cache.glob("*.capabilities.pickle"):
                    stale.unlink(missing_ok=True)
                import escpos.printer
        finally:
            tempfile.mkdtemp = real_mkdtemp
            root.removeHandler(placeholder)
        return escpos.printer
