"""The default decoder: zxing-cpp, tuned for a kiosk camera.

Each enabled format and each retry mode costs time (measured per pass on camera-like 720p
frames, see benchmarks/decode.py), so a frame is read in two passes with different options:

* QR pass: ``try_rotate=False`` (the QR detector finds finder patterns in any orientation; the
  flag only re-scans rows), ``try_downscale=False`` (no extra hits on the corpus nor on large,
  blurred codes held close, for +35 % time) and the LocalAverage binarizer (GlobalHistogram is
  twice as fast but lost QR codes under glare at 640x480). About 1.2 ms per 720p frame.
* row pass (PDF417, Code128): both are found by scanning rows, so ``try_rotate=True`` (a NIK
  barcode or a PDF417 held upright is still read), the GlobalHistogram binarizer (row by row it
  reads as well as LocalAverage at less than half the cost for PDF417) and no downscale (bars two
  pixels wide do not survive it). About 5 ms per 720p frame.

One pass with every format and every retry (the library default) costs about 11 ms and finds
the same codes. ``try_invert`` (light-on-dark codes) is off: vouchers and tickets are printed dark
on light. Only QR, Code128 and PDF417 are enabled; nothing else can be a false positive. Text is
returned as encoded (``TextMode.Plain``), not zxing's human-readable rendering, so both backends
agree on content and control characters reach the caller as themselves.
Neither pass reads a PDF417 tilted more than about 20 degrees; ZBar reads none at all.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from devices.codes.preprocess import Prepared
from devices.codes.reader_device import CodeReaderDevice, ReaderSettings
from devices.ports import CodeFormat, DecodedCode

Binarizer = Literal["local_average", "global_histogram", "fixed_threshold"]


class ZxingSettings(ReaderSettings):
    binarizer: Binarizer = Field(default="local_average", description="Binarizer of the QR pass")
    row_binarizer: Binarizer = Field(
        default="global_histogram", description="Binarizer of the PDF417 / Code128 pass"
    )
    try_downscale: bool = Field(default=False, description="QR pass also scans downscaled copies")
    rotate_rows: bool = Field(default=True, description="Also read PDF417 / Code128 held upright")
    try_invert: bool = Field(default=False, description="Also read light-on-dark codes")


class ZxingReader(CodeReaderDevice):
    backend: ClassVar[str] = "zxing"
    Settings: ClassVar[type[ZxingSettings]] = ZxingSettings
    settings: ZxingSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import zxingcpp

        self._zx = zxingcpp
        fmt = zxingcpp.BarcodeFormat
        self._to_ours = {
            fmt.QRCode: CodeFormat.QR,
            fmt.Code128: CodeFormat.CODE128,
            fmt.PDF417: CodeFormat.PDF417,
        }
        binarizers = {
            "local_average": zxingcpp.Binarizer.LocalAverage,
            "global_histogram": zxingcpp.Binarizer.GlobalHistogram,
            "fixed_threshold": zxingcpp.Binarizer.FixedThreshold,
        }
        self._binarizer = binarizers[self.settings.binarizer]
        self._row_binarizer = binarizers[self.settings.row_binarizer]
        self._qr = CodeFormat.QR in self.formats
        rows = [(CodeFormat.PDF417, fmt.PDF417), (CodeFormat.CODE128, fmt.Code128)]
        self._row_formats = tuple(z for ours, z in rows if ours in self.formats)

    def _decode(self, prepared: Prepared) -> list[DecodedCode]:
        zx = self._zx
        s = self.settings
        results: list[Any] = []
        if self._qr:
            results += zx.read_barcodes(
                prepared.gray,
                formats=(zx.BarcodeFormat.QRCode,),
                try_rotate=False,
                try_downscale=s.try_downscale,
                try_invert=s.try_invert,
                binarizer=self._binarizer,
                text_mode=zx.TextMode.Plain,
            )
        if self._row_formats:
            results += zx.read_barcodes(
                prepared.gray,
                formats=self._row_formats,
                try_rotate=s.rotate_rows,
                try_downscale=False,
                try_invert=s.try_invert,
                binarizer=self._row_binarizer,
                text_mode=zx.TextMode.Plain,
            )
        return [self._convert(r) for r in results if r.valid and r.format in self._to_ours]

    def _convert(self, result: Any) -> DecodedCode:
        pos = result.position
        corners = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
        return DecodedCode(
            self._to_ours[result.format], result.text, tuple((p.x, p.y) for p in corners)
        )
