"""What both decoder backends share: the Device face of a code reader.

A reader is a device like any other for the device manager (state, status events, health checks,
statistics), but decoding itself is stateless and thread-safe: :meth:`decode` checks and prepares
the frame (grayscale, downscale policy), lets the backend decode it, drops codes of formats that
were not asked for, and maps corner points back to the frame.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from devices.codes.preprocess import DEFAULT_MAX_SIDE, Prepared, prepare
from devices.model import (
    Capabilities,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    HealthLevel,
    HealthResult,
    StatusListener,
    StatusNotifier,
)
from devices.ports import CodeFormat, DecodedCode
from devices.stats import DeviceStatistics

if TYPE_CHECKING:
    from devices.drivers import DriverContext

log = logging.getLogger(__name__)

ALL_FORMATS: tuple[CodeFormat, ...] = (CodeFormat.QR, CodeFormat.CODE128, CodeFormat.PDF417)
_HEALTH_TEXT = "ADM-HEALTH-CHECK"


class ReaderSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    formats: tuple[CodeFormat, ...] = Field(
        default=ALL_FORMATS, min_length=1, description="Formats decoded (qr, code128, pdf417)"
    )
    max_side: int = Field(
        default=DEFAULT_MAX_SIDE,
        ge=0,
        le=8192,
        description="Frames with a longer side than this (pixels) are scaled down first; 0 = never",
    )


class CodeReaderDevice(ABC):
    """Base of :class:`ZxingReader` and :class:`ZbarReader`; subclasses supply ``_decode``."""

    kind = DeviceKind.CODE_READER
    backend: ClassVar[str]
    driver: str
    Settings: ClassVar[type[ReaderSettings]] = ReaderSettings

    def __init__(
        self,
        name: str = "code_reader",
        settings: ReaderSettings | None = None,
        context: DriverContext | None = None,
    ) -> None:
        self.name = name
        self.driver = self.backend
        self.settings = settings if settings is not None else self.Settings()
        self.formats = frozenset(self.settings.formats)
        self.counters = context.statistics(name) if context is not None else DeviceStatistics(name)
        self._notifier = StatusNotifier(name)

    # -- decoding -----------------------------------------------------------------------------

    @abstractmethod
    def _decode(self, prepared: Prepared) -> list[DecodedCode]:
        """Decode the prepared grayscale image; points in prepared-image pixels."""

    def decode(self, image: Any) -> list[DecodedCode]:
        """Codes in ``image`` (grey, BGR or BGRA uint8); raises ImageInputError on bad input."""
        prepared = prepare(image, self.settings.max_side)
        found = self._decode(prepared)
        out: list[DecodedCode] = []
        seen: set[tuple[CodeFormat, str]] = set()
        for code in found:
            key = (code.format, code.text)
            if code.format not in self.formats or key in seen:
                continue
            seen.add(key)
            points = prepared.to_input([(float(x), float(y)) for x, y in code.points])
            out.append(DecodedCode(code.format, code.text, points))
        return out

    # -- the Device face ----------------------------------------------------------------------

    def open(self) -> None:
        self.counters.powered_on()
        self._notifier.update(state=DeviceState.IDLE)

    def close(self) -> None:
        self.counters.powered_off()
        self._notifier.update(state=DeviceState.CLOSED)

    @property
    def status(self) -> DeviceStatus:
        return self._notifier.status

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        return self._notifier.subscribe(listener)

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities()

    def statistics(self) -> dict[str, float]:
        return self.counters.snapshot()

    def check_health(self, level: HealthLevel) -> HealthResult:
        started = time.perf_counter()
        formats = ", ".join(f.value for f in sorted(self.formats))
        if level is HealthLevel.INTERNAL:
            return HealthResult(
                True, level, f"{self.backend} decoder loaded ({formats})", _ms(started)
            )
        text = self._decode_test_image()
        ok = text == _HEALTH_TEXT
        what = f"a test {self.settings.formats[0].value}"
        message = (
            f"{self.backend} decoded {what}" if ok else f"{self.backend} could not decode {what}"
        )

        return HealthResult(ok, level, message, _ms(started), {"decoded": text})

    def _decode_test_image(self) -> str | None:
        from devices.codes.symbols import render_symbol

        symbol = render_symbol(_HEALTH_TEXT, self.settings.formats[0], module_px=4)
        h, w = symbol.shape
        canvas = np.full((max(480, h + 40), max(640, w + 40)), 180, dtype=np.uint8)
        top, left = (canvas.shape[0] - h) // 2, (canvas.shape[1] - w) // 2
        canvas[top : top + h, left : left + w] = symbol
        try:
            codes = self.decode(canvas)
        except Exception:
            log.exception("%s: health-check decode failed", self.name)
            return None
        return codes[0].text if codes else None


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
