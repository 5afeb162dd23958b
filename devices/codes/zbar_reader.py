"""The second decoder: ZBar through pyzbar (needs the system's libzbar0).

pyzbar given a BGR array would read a single channel, so frames arrive as grayscale (see
:mod:`devices.codes.preprocess`). Only QR, Code128 and PDF417 are enabled; note that ZBar's PDF417
support is incomplete and it rarely reads one. Each call creates its own ZBar scanner, so one
reader is safe to share between threads.
"""

from __future__ import annotations

from typing import Any, ClassVar

from devices.codes.preprocess import Prepared
from devices.codes.reader_device import CodeReaderDevice
from devices.ports import CodeFormat, DecodedCode


class ZbarReader(CodeReaderDevice):
    backend: ClassVar[str] = "zbar"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from pyzbar import pyzbar

        self._pyzbar = pyzbar
        symbols = {
            CodeFormat.QR: pyzbar.ZBarSymbol.QRCODE,
            CodeFormat.CODE128: pyzbar.ZBarSymbol.CODE128,
            CodeFormat.PDF417: pyzbar.ZBarSymbol.PDF417,
        }
        self._symbols = [symbols[f] for f in self.settings.formats]
        self._to_ours = {
            "QRCODE": CodeFormat.QR,
            "CODE128": CodeFormat.CODE128,
            "PDF417": CodeFormat.PDF417,
        }

    def _decode(self, prepared: Prepared) -> list[DecodedCode]:
        out: list[DecodedCode] = []
        for result in self._pyzbar.decode(prepared.gray, symbols=self._symbols):
            kind = self._to_ours.get(result.type)
            if kind is None:
                continue
            try:
                text = result.data.decode("utf-8")
            except UnicodeDecodeError:
                text = result.data.decode("latin-1")
            points = tuple((int(p.x), int(p.y)) for p in result.polygon)
            out.append(DecodedCode(kind, text, points))
        return out
