"""The default decoder: zxing-cpp, tuned for a kiosk camera.

Each enabled format and each retry mode costs time (measured per pass on camera-like 720p
frames, see benchmarks/decode.py), so a frame is read in two passes with different options:

* QR pass: ``try_rotate=False`` (the QR detector finds finder patterns in any orientation; the
  flag only re-scans rows), ``try_downscale=False`` (no extra hits on the corpus nor on large,
  blurred codes held close, for +35 % time) and the LocalAverage binarizer (GlobalHistogram is
  twice as fast but lost QR codes under glare at 640x480). About 1.2 ms per 720p frame.
* row pass (PDF417, Code128): both are read along scan lines. The pass scans the rows of the
  frame and those of the frame turned 90 degrees (codes held upright; a transpose would mirror a
  PDF417), as ``try_rotate=True`` does. On frames at least ``row_subsample_height`` (600) pixels
  high it takes every other row (every other column for the turned frame): a code there is
  dozens of rows tall, the resolution across the bars is untouched, and the pass costs half
  (2.6 instead of 5.4 ms per 720p frame, the same hits). The GlobalHistogram binarizer reads
  rows as well as LocalAverage at less than half the cost; no downscale (bars two pixels wide
  do not survive it).

One pass with every format and every retry (the library default) costs about 11 ms and finds
the same codes. ``try_invert`` (light-on-dark codes) is off: vouchers and tickets are printed dark
on light. Only QR, Code128 and PDF417 are enabled; nothing else can be a false positive. Text is
returned as encoded (``TextMode.Plain``), not zxing's human-readable rendering, so both backends
agree on content and control characters reach the caller as themselves.
Neither pass reads a PDF417 tilted more than about 20 degrees; ZBar reads none at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal

import numpy as np
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
    row_subsample_height: int = Field(
        default=600,
        ge=0,
        description="Frames this high or more (pixels): row pass reads every other row; 0 = never",
    )
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

    def _read(self, image: Any, formats: tuple[Any, ...], binarizer: Any) -> list[Any]:
        zx = self._zx
        found = zx.read_barcodes(
            image,
            formats=formats,
            try_rotate=False,
            try_downscale=self.settings.try_downscale and formats == (zx.BarcodeFormat.QRCode,),
            try_invert=self.settings.try_invert,
            binarizer=binarizer,
            text_mode=zx.TextMode.Plain,
        )
        return [r for r in found if r.valid and r.format in self._to_ours]

    def _decode(self, prepared: Prepared) -> list[DecodedCode]:
        gray = prepared.gray
        out: list[DecodedCode] = []
        if self._qr:
            for r in self._read(gray, (self._zx.BarcodeFormat.QRCode,), self._binarizer):
                out.append(self._convert(r, lambda x, y: (x, y)))
        if not self._row_formats:
            return out
        s = self.settings
        k = 2 if s.row_subsample_height and gray.shape[0] >= s.row_subsample_height else 1
        across = gray if k == 1 else np.ascontiguousarray(gray[::k])
        for r in self._read(across, self._row_formats, self._row_binarizer):
            out.append(self._convert(r, lambda x, y: (x, y * k)))
        if s.rotate_rows:  # codes held upright: scan the rows of the frame turned 90 degrees
            columns = gray[:, ::k]
            last = columns.shape[1] - 1
            turned = np.ascontiguousarray(np.rot90(columns))  # turned[i, j] = columns[j, last - i]
            for r in self._read(turned, self._row_formats, self._row_binarizer):
                out.append(self._convert(r, lambda x, y: ((last - y) * k, x)))
        return out

    def _convert(self, result: Any, to_frame: Callable[[int, int], tuple[int, int]]) -> DecodedCode:
        pos = result.position
        corners = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
        points = tuple(to_frame(p.x, p.y) for p in corners)
        return DecodedCode(self._to_ours[result.format], result.text, points)
