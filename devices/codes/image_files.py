"""Reading image files that come from outside (scan-image, a simulated camera's folder).

Hostile until checked: the file size is capped, the header is read first (PIL opens lazily) and
the pixel count is checked before any pixel is decoded, so a small file claiming 100000 x 100000
pixels costs nothing. Truncated or corrupt files raise :class:`ImageFileError`, never anything else.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from devices.ports import Image

MAX_FILE_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
# PIL keeps one row pointer (and allocation) per image row: a 60-byte PNG claiming 1 x 40 000 000
# pixels passed the pixel limit and cost 730 MiB to load. No photo or scan has a side this long.
MAX_SIDE_PX = 20_000
ALLOWED_FORMATS = ("PNG", "JPEG", "BMP", "WEBP", "TIFF", "GIF", "PPM")


class ImageFileError(Exception):
    """The file is not an image we will decode (missing, too big, corrupt, unknown format)."""


def load_image(
    path: Path, *, max_pixels: int = DEFAULT_MAX_PIXELS, mode: Literal["bgr", "gray"] = "bgr"
) -> Image:
    """The image at ``path`` as a BGR (or grey) uint8 array."""
    from PIL import Image as PilImage

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImageFileError(f"cannot read file: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise ImageFileError(f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    if not path.is_file():
        raise ImageFileError("not a regular file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PilImage.DecompressionBombWarning)
            with PilImage.open(path, formats=ALLOWED_FORMATS) as img:
                width, height = img.size
                if width <= 0 or height <= 0 or width * height > max_pixels:
                    raise ImageFileError(
                        f"{width}x{height} pixels exceeds the limit of {max_pixels}"
                    )
                if max(width, height) > MAX_SIDE_PX:
                    raise ImageFileError(f"{width}x{height}: a side is over {MAX_SIDE_PX} pixels")
                img.draft("L" if mode == "gray" else "RGB", (width, height))
                converted = img.convert("L" if mode == "gray" else "RGB")
    except ImageFileError:
        raise
    except (PilImage.DecompressionBombError, PilImage.DecompressionBombWarning):
        raise ImageFileError(f"image size exceeds the limit of {max_pixels} pixels") from None
    except PilImage.UnidentifiedImageError:
        raise ImageFileError("not a recognised image file") from None
    except Exception as exc:  # PIL raises many types for corrupt data (OSError, SyntaxError, ...)
        raise ImageFileError(f"corrupt image: {type(exc).__name__}: {exc}") from None
    array = np.asarray(converted, dtype=np.uint8)
    if mode == "gray":
        return np.ascontiguousarray(array)
    return np.ascontiguousarray(array[:, :, ::-1])  # RGB -> BGR
