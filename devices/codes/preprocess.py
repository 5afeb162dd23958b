"""Getting a frame ready for a decoder: checks, grayscale, and the downscale policy.

Both backends decode 8-bit grayscale (pyzbar given a BGR array would read one channel only).
Frames whose long side exceeds ``max_side`` are scaled down with area averaging first: a 1080p
frame holds no code a 1280-pixel frame cannot resolve at kiosk distance, and decode time grows with
pixel count. Corner points are mapped back to the caller's coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

    Gray = npt.NDArray[np.uint8]

MAX_INPUT_PIXELS = 50_000_000  # anything larger is refused before any work is done
DEFAULT_MAX_SIDE = 1280


class ImageInputError(ValueError):
    """The array is not an image a decoder can take."""


@dataclass(frozen=True, slots=True)
class Prepared:
    gray: Gray
    scale: float  # prepared pixels per input pixel (<= 1)

    def to_input(self, points: list[tuple[float, float]]) -> tuple[tuple[int, int], ...]:
        """Points in the prepared image mapped back to the input image's pixels."""
        inv = 1.0 / self.scale
        return tuple((round(x * inv), round(y * inv)) for x, y in points)


def to_gray(image: Any) -> Gray:
    """8-bit grayscale from a grey, BGR or BGRA uint8 array (checked, never trusted)."""
    if not isinstance(image, np.ndarray):
        raise ImageInputError("image must be a numpy array")
    if image.dtype != np.uint8:
        raise ImageInputError(f"image must be uint8, not {image.dtype}")
    if image.ndim not in (2, 3) or image.size == 0:
        raise ImageInputError(f"unsupported image shape {image.shape}")
    if image.shape[0] * image.shape[1] > MAX_INPUT_PIXELS:
        raise ImageInputError(f"image larger than {MAX_INPUT_PIXELS} pixels")
    if image.ndim == 2:
        return np.ascontiguousarray(image)
    channels = image.shape[2]
    if channels == 1:
        return np.ascontiguousarray(image[:, :, 0])
    if channels == 3:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    if channels == 4:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY), dtype=np.uint8)
    raise ImageInputError(f"unsupported channel count {channels}")


def prepare(image: Any, max_side: int = DEFAULT_MAX_SIDE) -> Prepared:
    """Grayscale, then scaled so the long side is at most ``max_side`` (0 = never scale)."""
    gray = to_gray(image)
    long_side = max(gray.shape[:2])
    if max_side <= 0 or long_side <= max_side:
        return Prepared(gray, 1.0)
    scale = max_side / long_side
    h, w = gray.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    resized = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    return Prepared(np.asarray(resized, dtype=np.uint8), scale)
