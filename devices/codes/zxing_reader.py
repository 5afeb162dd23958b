"""The default decoder: zxing-cpp, tuned for a kiosk camera.

Measured on camera-like 720p frames (see benchmarks/decode.py), each enabled format and each
retry mode costs time, so a frame is read in two passes with different options:

* 2D pass (QR, PDF417): ``try_rotate=False`` because both detectors already find their symbols
  in any orientation (the flag only re-scans 1D rows), ``try_downscale=True`` (it rescues large,
  slightly blurred codes) and the LocalAverage binarizer (robust to glare and uneven light);
* linear pass (Code128): ``try_rotate=True`` (a NIK barcode held upright is still read), the
  GlobalHistogram binarizer (a 1D reader binarizes row by row anyway) and no downscale (bars of
  two pixels do not survive it).

``try_invert`` (light-on-dark codes) is off: vouchers and tickets are printed dark on light.
Only QR, Code128 and PDF417 are enabled; nothing else can be a false positive.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from devices.codes.preprocess import Prepared
from devices.codes.reader_device import CodeReaderDevice, ReaderSettings
from devices.ports import CodeFormat, DecodedCode

Binarizer = Literal["local_average", "global_histogram", "fixed_threshold"]


class ZxingSettings(ReaderSettings):
    binarizer: Binarizer = Field(
        default="local_average", description="Binarizer of the 2D (QR, PDF417) pass"
    )
    linear_binarizer: Binarizer = Field(
        default="global_histogram", description="Binarizer of the Code128 pass"
    )
    try_downscale: bool = Field(default=True, description="2D pass also scans downscaled copies")
    rotate_linear: bool = Field(default=True, description="Also read Code128 held upright")
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
        self._linear_binarizer = binarizers[self.settings.linear_binarizer]
        two_d = [(CodeFormat.QR, fmt.QRCode), (CodeFormat.PDF417, fmt.PDF417)]
        self._formats_2d = tuple(z for ours, z in two_d if ours in self.formats)
        self._linear = CodeFormat.CODE128 in self.formats

    def _decode(self, prepared: Prepared) -> list[DecodedCode]:
        zx = self._zx
        s = self.settings
        results: list[Any] = []
        if self._formats_2d:
            results += zx.read_barcodes(
                prepared.gray,
                formats=self._formats_2d,
                try_rotate=False,
                try_downscale=s.try_downscale,
                try_invert=s.try_invert,
                binarizer=self._binarizer,
            )
        if self._linear:
            results += zx.read_barcodes(
                prepared.gray,
                formats=(zx.BarcodeFormat.Code128,),
                try_rotate=s.rotate_linear,
                try_downscale=False,
                try_invert=s.try_invert,
                binarizer=self._linear_binarizer,
            )
        return [self._convert(r) for r in results if r.valid and r.format in self._to_ours]

    def _convert(self, result: Any) -> DecodedCode:
        pos = result.position
        corners = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
        return DecodedCode(
            self._to_ours[result.format], result.text, tuple((p.x, p.y) for p in corners)
        )
