"""The closed loop: print a QR on the receipt printer, read it back through the camera.

On a real kiosk the technician holds the printed ticket to the camera. In simulator mode the
simulated receipt printer's rendering of the ticket is presented to the simulated camera, so
the real decoder reads what the virtual printer drew from the bytes it received.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import numpy as np

from devices.manager import DeviceManager
from printing.tickets.diagnostic import diagnostic_ticket


def qr_pattern(text: str, scale: int = 6, border: int = 4) -> np.ndarray:
    """A BGR image of a QR code holding ``text`` (black on white)."""
    import segno  # technician mode only: not loaded by a kiosk that nobody services

    matrix = np.array(
        [[0 if dark else 255 for dark in row] for row in segno.make_qr(text).matrix],
        dtype=np.uint8,
    )
    matrix = np.pad(matrix, border, constant_values=255)
    grey = np.kron(matrix, np.ones((scale, scale), dtype=np.uint8))
    return np.repeat(grey[:, :, None], 3, axis=2)


def _present_printed_ticket(devices: DeviceManager) -> None:
    receipt, camera = devices.get("receipt"), devices.get("camera")
    last_image = getattr(receipt, "last_image", None)
    present_image = getattr(camera, "present_image", None)
    if last_image is None or present_image is None:
        return  # real devices: the technician holds the ticket to the camera
    image = last_image()
    if image is None:
        return
    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    present_image(np.ascontiguousarray(rgb[:, :, ::-1]))


def camera_reads_ticket(
    devices: DeviceManager, timeout_s: float
) -> tuple[bool, str, dict[str, Any]]:
    reader = devices.code_reader
    if reader is None:
        return False, "no code reader configured", {}
    nonce = f"ADM-DIAG-{secrets.token_hex(6)}"
    job = diagnostic_ticket("ADM TEST", "Hold this ticket to the camera", nonce)
    outcome = devices.call("receipt", lambda d: d.print_raw(job, 10.0), timeout_s=15.0)
    if not outcome.state.final or outcome.state.value != "completed":
        return False, f"test ticket not printed ({outcome.state.value})", {}
    _present_printed_ticket(devices)
    deadline = time.monotonic() + timeout_s
    frames = 0
    try:
        while time.monotonic() < deadline:
            frame = devices.call("camera", lambda d: d.read(1.0), timeout_s=3.0)
            if frame is None:
                continue
            frames += 1
            if any(code.text == nonce for code in reader.decode(frame.image)):
                return True, f"printed QR read back by the camera after {frames} frames", {}
    finally:
        remove = getattr(devices.get("camera"), "remove", None)
        if remove is not None:
            remove()
    return False, f"printed QR not seen by the camera in {timeout_s:.0f} s ({frames} frames)", {}
