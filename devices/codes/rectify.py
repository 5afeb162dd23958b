"""Cutting a skewed symbol out of a frame and straightening it, for a second decode attempt.

zxing-cpp's PDF417 reader only decodes symbols within about 5 degrees of level, but its detector
finds them (and reports the corners) at three times that. Straightening the detected quad with a
perspective warp and decoding the result recovers those reads at the cost of one small warp,
paid only when a PDF417 was seen and not read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

    Quad = npt.NDArray[np.float32]  # 4 x 2: top-left, top-right, bottom-right, bottom-left
    Gray = npt.NDArray[np.uint8]

MAX_RECTIFIED_PIXELS = 4_000_000


def rectify_quad(gray: Gray, quad: Quad, margin: float = 0.12) -> tuple[Gray, Quad] | None:
    """The quad (grown by ``margin`` for the quiet zone) warped upright, and its corners in the
    frame; None when the quad is degenerate or absurdly large."""
    quad = np.asarray(quad, dtype=np.float32).reshape(4, 2)
    if not np.isfinite(quad).all():
        return None
    centre = quad.mean(axis=0)
    grown = (centre + (quad - centre) * (1.0 + margin)).astype(np.float32)
    width = max(np.linalg.norm(grown[1] - grown[0]), np.linalg.norm(grown[2] - grown[3]))
    height = max(np.linalg.norm(grown[3] - grown[0]), np.linalg.norm(grown[2] - grown[1]))
    w, h = round(float(width)), round(float(height))
    if w < 20 or h < 10 or w * h > MAX_RECTIFIED_PIXELS:
        return None
    target = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(grown, target)
    upright = cv2.warpPerspective(
        gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return np.asarray(upright, dtype=np.uint8), grown


def to_frame_points(
    points: list[tuple[float, float]], grown: Quad, size: tuple[int, int]
) -> list[tuple[float, float]]:
    """Points of the rectified image (``size`` = width, height) mapped back into the frame."""
    w, h = size
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    back = cv2.getPerspectiveTransform(source, grown)
    mapped = cv2.perspectiveTransform(np.array([points], dtype=np.float32), back)[0]
    return [(float(x), float(y)) for x, y in mapped]
