"""The simulated camera: real frames with codes drawn in them, read by the real decoder."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera.sim import SimulatedCamera, SimulatedCameraSettings
from devices.codes.backends import make_reader
from devices.codes.symbols import render_symbol
from devices.drivers import DriverContext, DriverError, build_driver
from devices.faults import Fault, FaultError, FaultInjectable
from devices.model import DeviceKind, DeviceState, HealthLevel, Tristate
from devices.ports import Camera, CodeFormat

TOKEN = "ADM1.eyJ2IjoxLCJ2aWQiOiJWMDAwMSJ9.c2lnbmF0dXJlLWJ5dGVzLWZvci10ZXN0"


@pytest.fixture
def camera() -> Iterator[SimulatedCamera]:
    cam = SimulatedCamera("camera", SimulatedCameraSettings(width=640, height=480, fps=30, seed=3))
    cam.open()
    yield cam
    cam.close()


def decode_next(camera: SimulatedCamera, frames: int = 4) -> set[str]:
    """Texts decoded in the next few frames (the first may predate a presentation)."""
    reader = make_reader("zxing")
    texts: set[str] = set()
    for _ in range(frames):
        frame = camera.read(2.0)
        assert frame is not None
        texts |= {c.text for c in reader.decode(frame.image)}
    return texts


def test_implements_the_ports(camera: SimulatedCamera) -> None:
    assert isinstance(camera, Camera)
    assert isinstance(camera, FaultInjectable)
    assert camera.capabilities.max_resolution == (640, 480)


def test_frames_arrive_in_order_at_the_configured_size(camera: SimulatedCamera) -> None:
    first = camera.read(2.0)
    second = camera.read(2.0)
    assert first is not None and second is not None
    assert second.seq > first.seq and second.at >= first.at
    assert first.image.shape == (480, 640, 3) and first.image.dtype == np.uint8


@pytest.mark.parametrize(
    ("text", "kind"),
    [(TOKEN, CodeFormat.QR), ("3201014506900001", CodeFormat.CODE128)],
)
def test_present_and_remove(camera: SimulatedCamera, text: str, kind: CodeFormat) -> None:
    assert decode_next(camera, 2) == set()
    camera.present(text, kind)
    assert text in decode_next(camera)
    camera.remove()
    decode_next(camera, 2)  # frames composed before remove() may still be in flight
    assert decode_next(camera, 3) == set()


def test_presented_frames_are_not_clean_renders(camera: SimulatedCamera) -> None:
    camera.present(TOKEN, CodeFormat.QR)
    camera.read(2.0)
    a, b = camera.read(2.0), camera.read(2.0)
    assert a is not None and b is not None
    # Sensor noise differs frame to frame; the symbol is not axis-aligned black and white.
    assert not np.array_equal(a.image, b.image)
    grey = cv2.cvtColor(a.image, cv2.COLOR_BGR2GRAY)
    assert len(np.unique(grey)) > 100


def test_present_image_like_a_printed_ticket(camera: SimulatedCamera) -> None:
    ticket = np.full((700, 420), 250, dtype=np.uint8)
    cv2.putText(ticket, "A-042", (90, 120), cv2.FONT_HERSHEY_SIMPLEX, 2, 0, 4)
    qr = render_symbol("TICKET:A-042", CodeFormat.QR, 8)
    ticket[250 : 250 + qr.shape[0], 60 : 60 + qr.shape[1]] = qr
    camera.present_image(ticket)
    assert "TICKET:A-042" in decode_next(camera)


def test_camera_lost_and_reconnect(camera: SimulatedCamera, event_log, wait_for) -> None:
    camera.subscribe(event_log)
    camera.inject(Fault.CAMERA_LOST)
    assert camera.status.state is DeviceState.OFFLINE
    assert camera.status.camera_lost is Tristate.YES
    assert camera.status.last_error is not None
    assert camera.status.last_error.code == "CAMERA_LOST"
    assert event_log.kinds() == ["camera_lost"]
    camera.read(0.2)  # drain a frame produced before the fault
    started = time.monotonic()
    assert camera.read(0.3) is None
    assert time.monotonic() - started < 1.0  # bounded by the timeout
    assert not camera.check_health(HealthLevel.INTERNAL).ok
    camera.clear(Fault.CAMERA_LOST)
    assert camera.status.state is DeviceState.IDLE
    assert event_log.kinds() == ["camera_lost", "reconnected"]
    assert camera.read(2.0) is not None
    wait_for(lambda: camera.statistics().get("reconnects", 0) == 1, 2.0)
    assert camera.statistics()["camera_lost"] == 1


def test_slow_fault_lowers_the_frame_rate(camera: SimulatedCamera, wait_for) -> None:
    wait_for(lambda: camera.check_health(HealthLevel.INTERNAL).details["fps"] > 20, 5.0)
    camera.inject(Fault.SLOW)
    assert camera.active_faults() == {Fault.SLOW}
    first = camera.read(2.0)
    second = camera.read(2.0)
    assert first is not None and second is not None
    third = camera.read(2.0)
    assert third is not None
    assert third.at - second.at > 0.3  # 2 fps, not 30
    camera.clear(Fault.SLOW)


def test_unsupported_fault_is_refused(camera: SimulatedCamera) -> None:
    with pytest.raises(FaultError):
        camera.inject(Fault.PAPER_OUT)


def test_health_checks(camera: SimulatedCamera, wait_for) -> None:
    wait_for(lambda: camera.check_health(HealthLevel.INTERNAL).ok, 3.0)
    internal = camera.check_health(HealthLevel.INTERNAL)
    assert "fps" in internal.text
    camera.present("3201014506900001", CodeFormat.CODE128)
    external = camera.check_health(HealthLevel.EXTERNAL)
    assert external.ok, external.text
    assert external.level is HealthLevel.EXTERNAL
    # The presentation in place before the check is restored afterwards.
    assert "3201014506900001" in decode_next(camera)


def test_closed_camera_is_unhealthy_and_silent() -> None:
    cam = SimulatedCamera(settings=SimulatedCameraSettings(width=320, height=240, seed=1))
    assert cam.status.state is DeviceState.CLOSED
    assert not cam.check_health(HealthLevel.INTERNAL).ok
    assert cam.read(0.05) is None


def test_plays_a_folder_of_images(tmp_path: Path) -> None:
    for i, text in enumerate(["FOLDER-ONE", "FOLDER-TWO"]):
        image = np.full((300, 400), 240, dtype=np.uint8)
        qr = render_symbol(text, CodeFormat.QR, 5)
        image[20 : 20 + qr.shape[0], 20 : 20 + qr.shape[1]] = qr
        cv2.imwrite(str(tmp_path / f"{i}.png"), image)
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    settings = SimulatedCameraSettings(
        width=640, height=480, fps=30, source_dir=tmp_path, frames_per_image=2, noise_sigma=0
    )
    cam = SimulatedCamera(settings=settings)
    cam.open()
    try:
        reader = make_reader("zxing")
        seen: set[str] = set()
        for _ in range(12):
            frame = cam.read(2.0)
            assert frame is not None
            seen |= {c.text for c in reader.decode(frame.image)}
        assert seen == {"FOLDER-ONE", "FOLDER-TWO"}
    finally:
        cam.close()


def test_plays_a_video_file(tmp_path: Path) -> None:
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10, (480, 360))
    qr = cv2.cvtColor(render_symbol("VIDEO-CODE", CodeFormat.QR, 6), cv2.COLOR_GRAY2BGR)
    for _ in range(5):
        frame = np.full((360, 480, 3), 230, dtype=np.uint8)
        frame[30 : 30 + qr.shape[0], 30 : 30 + qr.shape[1]] = qr
        writer.write(frame)
    writer.release()
    cam = SimulatedCamera(settings=SimulatedCameraSettings(width=640, height=480, video=path))
    cam.open()
    try:
        reader = make_reader("zxing")
        texts = set()
        for _ in range(8):  # past the end of the 5-frame clip: it loops
            frame = cam.read(2.0)
            assert frame is not None
            texts |= {c.text for c in reader.decode(frame.image)}
        assert texts == {"VIDEO-CODE"}
    finally:
        cam.close()


def test_settings_are_checked_by_the_registry(tmp_path: Path) -> None:
    context = DriverContext(state_dir=tmp_path)
    cam = build_driver(DeviceKind.CAMERA, "camera", "sim", {"width": 320, "height": 240}, context)
    assert isinstance(cam, SimulatedCamera)
    with pytest.raises(DriverError, match="fps"):
        build_driver(DeviceKind.CAMERA, "camera", "sim", {"fps": 0}, context)
    with pytest.raises(DriverError):
        build_driver(
            DeviceKind.CAMERA, "camera", "sim", {"video": "a.avi", "source_dir": "x"}, context
        )


def test_statistics_persist_across_instances(tmp_path: Path, wait_for) -> None:
    context = DriverContext(state_dir=tmp_path)
    settings = {"width": 320, "height": 240, "fps": 30, "seed": 1}
    cam = build_driver(DeviceKind.CAMERA, "camera", "sim", settings, context)
    cam.open()
    wait_for(lambda: cam.statistics().get("frames", 0) >= 3, 3.0)
    cam.close()
    frames = cam.statistics()["frames"]
    again = build_driver(DeviceKind.CAMERA, "camera", "sim", settings, context)
    assert again.statistics()["frames"] == frames


def _code_centres(cam: SimulatedCamera, frames: int) -> set[tuple[int, int]]:
    reader = make_reader("zxing")
    centres = set()
    for _ in range(frames):
        frame = cam.read(2.0)
        assert frame is not None
        for code in reader.decode(frame.image):
            xs = [x for x, _ in code.points]
            ys = [y for _, y in code.points]
            centres.add((round(sum(xs) / len(xs) / 20), round(sum(ys) / len(ys) / 20)))
    return centres


@pytest.mark.parametrize(("repose_s", "moves"), [(0.1, True), (0.0, False)])
def test_a_hand_held_card_moves_unless_told_to_hold_still(repose_s: float, moves: bool) -> None:
    settings = SimulatedCameraSettings(
        width=640, height=480, fps=30, seed=8, repose_s=repose_s, difficulty=0.2
    )
    cam = SimulatedCamera(settings=settings)
    cam.open()
    try:
        cam.present("ADM1.hand-held", CodeFormat.QR)
        cam.read(2.0)
        centres = _code_centres(cam, 20)  # ~0.7 s at 30 fps
        assert centres
        assert (len(centres) > 1) is moves
    finally:
        cam.close()


def test_simulated_camera_rests_like_the_real_one(wait_for) -> None:
    camera = SimulatedCamera("camera", SimulatedCameraSettings(rest_after_s=0.2, fps=30, seed=1))
    camera.open()
    try:
        wait_for(lambda: camera.resting, 5.0)
        still = camera.statistics().get("frames", 0)
        assert camera.check_health(HealthLevel.INTERNAL).ok
        assert camera.statistics().get("frames", 0) == still
        rested_at = time.monotonic()
        frame = camera.read(3.0)
        assert frame is not None and not camera.resting
        assert frame.at > rested_at  # a fresh frame, never the one from before the rest
        assert camera.check_health(HealthLevel.EXTERNAL).ok  # the closed loop wakes it too
    finally:
        camera.close()
