"""Drawing decoded codes onto a preview frame (outline and format label, never the text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np

from devices.ports import CodeFormat, DecodedCode

if TYPE_CHECKING:
    from devices.ports import Image

_COLOURS = {  # BGR
    CodeFormat.QR: (80, 200, 60),
    CodeFormat.CODE128: (230, 160, 40),
    CodeFormat.PDF417: (60, 170, 240),
}


def draw_codes(image: Image, codes: list[DecodedCode], thickness: int = 4) -> Image:
    """A copy of ``image`` (BGR) with each code's outline and format drawn.

    The code's text is not drawn: a preview on a kiosk screen is seen by whoever stands behind
    the citizen.
    """
    out = np.array(image, dtype=np.uint8, copy=True)
    for code in codes:
        if len(code.points) < 2:
            continue
        colour = _COLOURS.get(code.format, (255, 255, 255))
        points = np.array(code.points, dtype=np.int32).reshape(-1, 1, 2)
        cv2.polylines(
            out,
            [points],
            isClosed=len(code.points) > 2,
            color=colour,
            thickness=thickness,
            lineType=cv2.LINE_AA,
        )
        x = int(min(p[0] for p in code.points))
        y = int(min(p[1] for p in code.points)) - 8
        cv2.putText(
            out,
            code.format.value.upper(),
            (x, max(y, 16)),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.6,
            colour,
            2,
            cv2.LINE_AA,
        )
    return out
