"""A generated decode corpus: each code format under each hard condition, plus empty frames."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from devices.camera.scene import Pose, add_noise, noise_bank, place, textured_background
from devices.codes.symbols import render_symbol
from devices.ports import CodeFormat

WIDTH, HEIGHT = 960, 540

CONDITIONS: dict[str, Pose] = {
    "plain": Pose(size=0.6),
    "rotated": Pose(size=0.6, rotation_deg=27),
    "upright": Pose(size=0.6, rotation_deg=88),
    "blurred": Pose(size=0.65, blur_sigma=1.3),
    "small": Pose(size=0.42),
    "perspective": Pose(size=0.6, tilt=0.22, rotation_deg=-8),
    "low_contrast": Pose(size=0.6, contrast=0.4),
    "glare": Pose(size=0.6, glare=0.45, rotation_deg=5),
    "noisy": Pose(size=0.6, noise_sigma=9, blur_sigma=0.6),
}


@dataclass(frozen=True)
class Sample:
    name: str
    image: np.ndarray
    kind: CodeFormat | None
    text: str | None


def sample_text(kind: CodeFormat, rng: np.random.Generator) -> str:
    digits = "".join(str(int(d)) for d in rng.integers(0, 10, size=12))
    if kind is CodeFormat.QR:  # a real-shaped voucher token, ~200 characters
        from datetime import UTC, datetime, timedelta

        from kiosk.domain.documents import DocumentType
        from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key
        from kiosk.domain.voucher import VoucherPayload, mint_token

        now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        payload = VoucherPayload(
            vid=f"V{digits}",
            doc=list(DocumentType)[int(rng.integers(0, len(DocumentType)))],
            iat=now,
            exp=now + timedelta(days=30),
            kid=SIM_KID,
        )
        return mint_token(payload, sim_voucher_private_key())
    if kind is CodeFormat.CODE128:  # a synthetic NIK
        return "3201" + digits
    return f"3201{digits}|ADM|KK|SYNTHETIC"


def make_corpus(seed: int = 11, empty: int = 6) -> list[Sample]:
    rng = np.random.default_rng(seed)
    samples: list[Sample] = []
    for kind in CodeFormat:
        for condition, pose in CONDITIONS.items():
            text = sample_text(kind, rng)
            background = textured_background(WIDTH, HEIGHT, rng)
            scene = place(background, render_symbol(text, kind, module_px=4), pose)
            noise = noise_bank(WIDTH, HEIGHT, pose.noise_sigma, rng, count=1)[0]
            samples.append(Sample(f"{kind.value}-{condition}", add_noise(scene, noise), kind, text))
    for i in range(empty):
        background = textured_background(WIDTH, HEIGHT, rng)
        noise = noise_bank(WIDTH, HEIGHT, 4.0, rng, count=1)[0]
        samples.append(Sample(f"empty-{i}", add_noise(background, noise), None, None))
    return samples


@pytest.fixture(scope="session")
def corpus() -> list[Sample]:
    return make_corpus()
