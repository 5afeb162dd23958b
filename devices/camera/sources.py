"""Recorded sources the simulated camera can play: a folder of images, or a video file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:
    from devices.ports import Image

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"})
MAX_SOURCE_PIXELS = 40_000_000


class ImageFolder:
    """The folder's images in name order, each shown for ``frames_per_image`` frames, looped.

    Files are read lazily, one at a time; unreadable or oversized files are skipped with a log
    line (a folder is outside input like any other).
    """

    def __init__(self, folder: Path, frames_per_image: int) -> None:
        self.folder = folder
        self.frames_per_image = frames_per_image
        self._files = (
            sorted(
                p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
            )
            if folder.is_dir()
            else []
        )
        if not self._files:
            log.warning("no images in %s", folder)
        self._index = 0
        self._shown = 0
        self._current: Image | None = None

    def next_image(self) -> Image | None:
        if not self._files:
            return None
        if self._current is None or self._shown >= self.frames_per_image:
            self._current = self._load_next()
            self._shown = 0
        self._shown += 1
        return self._current

    def _load_next(self) -> Image | None:
        for _ in range(len(self._files)):
            path = self._files[self._index]
            self._index = (self._index + 1) % len(self._files)
            image = _read_capped(path)
            if image is not None:
                return image
        return None

    def close(self) -> None:
        self._current = None


class VideoLoop:
    """Frames of a video file, restarting at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._capture = cv2.VideoCapture(str(path))
        if not self._capture.isOpened():
            log.warning("cannot open video %s", path)

    def next_image(self) -> Image | None:
        if not self._capture.isOpened():
            return None
        ok, image = self._capture.read()
        if not ok:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, image = self._capture.read()
        return np.asarray(image, dtype=np.uint8) if ok else None

    def close(self) -> None:
        self._capture.release()


def _read_capped(path: Path) -> Image | None:
    from devices.codes.image_files import ImageFileError, load_image

    try:
        return load_image(path, max_pixels=MAX_SOURCE_PIXELS)
    except ImageFileError as exc:
        log.warning("skipping %s: %s", path.name, exc)
        return None
