"""A plain factory of code readers by backend name, for tools and tests.

The kiosk itself builds its reader through the driver registry (:mod:`devices.drivers`) from
config; this is the same classes with default settings.
"""

from __future__ import annotations

from devices.codes.reader_device import CodeReaderDevice

BACKENDS: tuple[str, ...] = ("zxing", "zbar")
DEFAULT_BACKEND = "zxing"


def make_reader(backend: str = DEFAULT_BACKEND, name: str = "code_reader") -> CodeReaderDevice:
    """A ready reader for ``backend`` ("zxing" or "zbar")."""
    if backend == "zxing":
        from devices.codes.zxing_reader import ZxingReader

        return ZxingReader(name)
    if backend == "zbar":
        from devices.codes.zbar_reader import ZbarReader

        return ZbarReader(name)
    raise ValueError(f"unknown decoder backend {backend!r} (known: {', '.join(BACKENDS)})")
