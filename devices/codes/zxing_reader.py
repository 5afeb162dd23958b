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
zxing-cpp reads PDF417 only within about 5 degrees of level. When no PDF417 was read, the quads
of those it detected but could not read (in the row pass, and in a half-size copy where the
detector tolerates more skew, +0.6 ms per 720p frame) are straightened and decoded once more
(:mod:`devices.codes.rectify`): at the simulated camera's default difficulty this took PDF417
reads from 27 to 39 of 40 hand-held poses. ZBar reads no PDF417 at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from devices.codes.preprocess import Prepared
from devices.codes.reader_device import CodeReaderDevice, ReaderSettings
from devices.codes.rectify import rectify_quad, to_frame_points
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
    straighten_pdf417: bool = Field(
        default=True, description="Retry skewed PDF417 symbols after straightening them"
    )


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
        self._pdf417 = CodeFormat.PDF417 in self.formats

    def _read(
        self, image: Any, formats: tuple[Any, ...], binarizer: Any, errors: bool = False
    ) -> list[Any]:
        """Results of known formats; with ``errors``, also detected symbols that failed."""
        zx = self._zx
        found = zx.read_barcodes(
            image,
            formats=formats,
            try_rotate=False,
            try_downscale=self.settings.try_downscale and formats == (zx.BarcodeFormat.QRCode,),
            try_invert=self.settings.try_invert,
            binarizer=binarizer,
            text_mode=zx.TextMode.Plain,
            return_errors=errors,
        )
        return [r for r in found if (r.valid or errors) and r.format in self._to_ours]

    def _decode(self, prepared: Prepared) -> list[DecodedCode]:
        gray = prepared.gray
        out: list[DecodedCode] = []
        if self._qr:
            for r in self._read(gray, (self._zx.BarcodeFormat.QRCode,), self._binarizer):
                out.append(self._convert(r, _same))
        if not self._row_formats:
            return out
        s = self.settings
        k = 2 if s.row_subsample_height and gray.shape[0] >= s.row_subsample_height else 1
        scans: list[tuple[Any, Callable[[float, float], tuple[float, float]]]] = []
        scans.append((gray if k == 1 else np.ascontiguousarray(gray[::k]), lambda x, y: (x, y * k)))
        if s.rotate_rows:  # codes held upright: scan the rows of the frame turned 90 degrees
            columns = gray[:, ::k]
            last = columns.shape[1] - 1
            turned = np.ascontiguousarray(np.rot90(columns))  # turned[i, j] = columns[j, last - i]
            scans.append((turned, lambda x, y: ((last - y) * k, x)))
        retry = self._pdf417 and s.straighten_pdf417
        failed: list[Any] = []  # PDF417 quads found but not read, in frame coordinates
        for image, to_frame in scans:
            for r in self._read(image, self._row_formats, self._row_binarizer, retry):
                if r.valid:
                    out.append(self._convert(r, to_frame))
                elif r.format == self._zx.BarcodeFormat.PDF417:
                    failed.append(np.array([to_frame(x, y) for x, y in _corners(r)]))
        if retry and not any(c.format is CodeFormat.PDF417 for c in out):
            failed += self._pdf417_at_half_size(gray)
            out += self._straightened_pdf417(gray, failed[:3])
        return out

    def _pdf417_at_half_size(self, gray: Any) -> list[Any]:
        """Quads of PDF417 symbols detected (read or not) in a half-size copy of the frame.

        The detector tolerates more skew on the smaller image; about 0.6 ms per 720p frame.
        """
        import cv2

        if min(gray.shape[:2]) < 4:  # halved it would be empty (cv2.resize raises): no PDF417
            return []
        small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        found = self._read(small, (self._zx.BarcodeFormat.PDF417,), self._row_binarizer, True)
        return [np.array([(2 * x, 2 * y) for x, y in _corners(r)]) for r in found]

    def _straightened_pdf417(self, gray: Any, quads: list[Any]) -> list[DecodedCode]:
        """Second attempt on skewed PDF417 symbols: straighten each detected quad, decode."""
        found: list[DecodedCode] = []
        for quad in quads:
            rectified = rectify_quad(gray, quad)
            if rectified is None:
                continue
            upright, grown = rectified
            size = (upright.shape[1], upright.shape[0])
            for r in self._read(upright, (self._zx.BarcodeFormat.PDF417,), self._binarizer):
                points = to_frame_points(
                    [(float(x), float(y)) for x, y in _corners(r)], grown, size
                )
                found.append(
                    DecodedCode(
                        CodeFormat.PDF417, r.text, tuple((round(x), round(y)) for x, y in points)
                    )
                )
        return found

    def _convert(
        self, result: Any, to_frame: Callable[[float, float], tuple[float, float]]
    ) -> DecodedCode:
        points = tuple(to_frame(x, y) for x, y in _corners(result))
        return DecodedCode(
            self._to_ours[result.format],
            result.text,
            tuple((round(x), round(y)) for x, y in points),
        )


def _corners(result: Any) -> list[tuple[float, float]]:
    pos = result.position
    return [(p.x, p.y) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)]


def _same(x: float, y: float) -> tuple[float, float]:
    return (x, y)
