"""Camera-like scenes: a code (or a printed ticket) held in front of a textured background.

The simulated camera and the decode corpus use these so the *real* decoder has work to do:
perspective, slight rotation, scale, blur, sensor noise, glare and low contrast. Everything is
drawn from a seeded :class:`numpy.random.Generator`, so a corpus is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

    Gray = npt.NDArray[np.uint8]
    Bgr = npt.NDArray[np.uint8]
    FloatImage = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Pose:
    """How a card with a code sits in the frame.

    ``size`` is the fraction of the frame the card fills in its limiting dimension; ``tilt`` the
    perspective strength (0 = flat, 0.25 = strongly tilted); ``contrast`` 1.0 is black on white,
    0.3 a faded grey print.
    """

    size: float = 0.6
    center: tuple[float, float] = (0.5, 0.5)  # fraction of width, height
    rotation_deg: float = 0.0
    tilt: float = 0.0
    blur_sigma: float = 0.0  # pixels
    noise_sigma: float = 3.0  # grey levels
    glare: float = 0.0  # 0..1, peak brightness added by a specular spot
    contrast: float = 1.0


def random_pose(rng: np.random.Generator, difficulty: float = 0.5) -> Pose:
    """A plausible hand-held pose; ``difficulty`` 0..1 widens the ranges."""
    d = float(np.clip(difficulty, 0.0, 1.0))
    return Pose(
        size=float(rng.uniform(0.55 - 0.15 * d, 0.8)),
        center=(float(rng.uniform(0.42, 0.58)), float(rng.uniform(0.42, 0.58))),
        rotation_deg=float(rng.uniform(-12, 12) * (0.3 + d)),
        tilt=float(rng.uniform(0.0, 0.05 + 0.12 * d)),
        blur_sigma=float(rng.uniform(0.0, 0.4 + 1.0 * d)),
        noise_sigma=float(rng.uniform(1.0, 3.0 + 5.0 * d)),
        glare=float(rng.uniform(0.0, 0.15 + 0.35 * d)),
        contrast=float(rng.uniform(1.0 - 0.5 * d, 1.0)),
    )


def textured_background(width: int, height: int, rng: np.random.Generator) -> Bgr:
    """A desk-like background: smooth shading, a few shapes and lines, a colour cast."""
    grey = rng.uniform(60, 190, size=(6, 8, 1))
    coarse = (grey + rng.uniform(-25, 25, size=(6, 8, 3))).astype(np.float32)
    base = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    grain = rng.normal(0, 12, size=(height // 4 + 1, width // 4 + 1, 3)).astype(np.float32)
    base = base + np.asarray(cv2.resize(grain, (width, height)), dtype=np.float32)
    image = np.clip(base, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(3, 8))):
        colour = tuple(int(c) for c in rng.integers(30, 220, size=3))
        p1 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        p2 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        if rng.random() < 0.5:
            cv2.line(image, p1, p2, colour, int(rng.integers(1, 6)), cv2.LINE_AA)
        else:
            cv2.rectangle(image, p1, p2, colour, -1)
    return np.asarray(cv2.GaussianBlur(image, (0, 0), 1.5), dtype=np.uint8)


def _card(symbol: Gray, contrast: float) -> Gray:
    """The symbol on a white card with a margin, ink faded to ``contrast``."""
    margin = max(8, min(symbol.shape) // 10)
    card = np.pad(symbol, margin, constant_values=255)
    c = float(np.clip(contrast, 0.1, 1.0))
    lo, hi = 128 - 127 * c, 128 + 112 * c + 15 * (1 - c)  # paper stays light
    return (lo + card.astype(np.float32) * ((hi - lo) / 255.0)).astype(np.uint8)


def _target_quad(
    card_w: int, card_h: int, frame_w: int, frame_h: int, pose: Pose
) -> npt.NDArray[np.float32]:
    # The card fills ``size`` of the frame in its limiting dimension (a wide barcode is held to
    # fill the width, a square QR the height), never more than 95 % of either.
    size = min(pose.size, 0.95)
    scale = min(size * frame_w / card_w, size * frame_h / card_h)
    w, h = card_w * scale, card_h * scale
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    # Perspective: one edge shorter than the opposite, as if the card leans back.
    t = pose.tilt
    corners[0, 0] *= 1 - t
    corners[1, 0] *= 1 - t
    corners[1, 1] *= 1 - t / 2
    corners[2, 1] *= 1 + t / 2
    angle = np.deg2rad(pose.rotation_deg)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    corners = corners @ rot.T
    corners += (pose.center[0] * frame_w, pose.center[1] * frame_h)
    return corners.astype(np.float32)


def place(background: Bgr, content: Gray | Bgr, pose: Pose) -> Bgr:
    """``content`` (a symbol or a ticket image) held in front of ``background`` at ``pose``.

    Blur, glare and contrast are applied here; sensor noise is left to :func:`add_noise` so a
    camera can reuse one placed scene for many frames.
    """
    frame_h, frame_w = background.shape[:2]
    if content.ndim == 2:
        card = cv2.cvtColor(_card(content, pose.contrast), cv2.COLOR_GRAY2BGR)
    else:
        card = content
    card_h, card_w = card.shape[:2]
    src = np.array([[0, 0], [card_w, 0], [card_w, card_h], [0, card_h]], dtype=np.float32)
    dst = _target_quad(card_w, card_h, frame_w, frame_h, pose)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(card, matrix, (frame_w, frame_h), flags=cv2.INTER_AREA)
    mask = np.zeros((frame_h, frame_w), dtype=np.uint8)
    cv2.fillConvexPoly(mask, dst.astype(np.int32), 255, cv2.LINE_AA)
    alpha = (mask.astype(np.float32) / 255.0)[..., None]
    out = warped.astype(np.float32) * alpha + background.astype(np.float32) * (1 - alpha)
    if pose.glare > 0:
        out += _glare(frame_w, frame_h, dst, pose.glare)
    out_u8 = np.clip(out, 0, 255).astype(np.uint8)
    if pose.blur_sigma > 0.05:
        out_u8 = cv2.GaussianBlur(out_u8, (0, 0), pose.blur_sigma)
    return out_u8


def _glare(
    frame_w: int, frame_h: int, quad: npt.NDArray[np.float32], strength: float
) -> FloatImage:
    """A soft specular spot near one corner of the card."""
    cx, cy = quad.mean(axis=0)
    corner = quad[0]
    gx, gy = (cx + corner[0]) / 2, (cy + corner[1]) / 2
    radius = max(8.0, 0.25 * float(np.linalg.norm(quad[2] - quad[0])))
    ys, xs = np.ogrid[:frame_h, :frame_w]
    dist2 = (xs - gx) ** 2 + (ys - gy) ** 2
    spot = (255.0 * strength * np.exp(-dist2 / (2 * radius**2))).astype(np.float32)
    return spot[..., None]


def noise_bank(
    width: int, height: int, sigma: float, rng: np.random.Generator, count: int = 4
) -> list[npt.NDArray[np.int16]]:
    """Precomputed sensor-noise fields (int16), so a camera adds noise at frame rate cheaply."""
    return [
        np.clip(rng.normal(0, sigma, size=(height, width, 3)), -127, 127).astype(np.int16)
        for _ in range(count)
    ]


def add_noise(image: Bgr, noise: npt.NDArray[np.int16]) -> Bgr:
    summed = image.astype(np.int16) + noise
    return np.clip(summed, 0, 255).astype(np.uint8)


def fit_into(image: Bgr, width: int, height: int) -> Bgr:
    """``image`` scaled to fit ``width`` x ``height``, letterboxed in dark grey."""
    h, w = image.shape[:2]
    scale = min(width / w, height / h)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    resized = cv2.resize(image, (new_w, new_h), interpolation=interp)
    canvas = np.full((height, width, 3), 32, dtype=np.uint8)
    top, left = (height - new_h) // 2, (width - new_w) // 2
    canvas[top : top + new_h, left : left + new_w] = resized
    return canvas


def as_bgr(image: npt.NDArray[np.uint8]) -> Bgr:
    """Grey, BGR or BGRA uint8 input as contiguous BGR."""
    if image.ndim == 2:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), dtype=np.uint8)
    if image.ndim == 3 and image.shape[2] == 4:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGRA2BGR), dtype=np.uint8)
    if image.ndim == 3 and image.shape[2] == 3:
        return np.ascontiguousarray(image)
    raise ValueError(f"unsupported image shape {image.shape}")
