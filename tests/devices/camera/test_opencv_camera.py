"""The OpenCV driver against real video files (cv2.VideoCapture opens a path like a device).

"Unplugging" is removing the file: at its end the capture fails, the camera goes OFFLINE with
CAMERA_LOST, and reopening fails until the file is back, when RECONNECTED is emitted.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera.opencv import OpenCVCamera, OpenCVCameraSettings
from devices.codes.backends import make_reader
from devices.codes.symbols import render_symbol
from devices.drivers import DriverContext, build_driver
from devices.model import DeviceKind, DeviceState, HealthLevel, Tristate
from devices.ports import Camera, CodeFormat

SIZE = (320, 240)


def write_video(
    path: Path, frames: int = 12, brightness: int = 200, code: str | None = None
) -> bytes:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 25, SIZE)
    assert writer.isOpened()
    for i in range(frames):
        image = np.full((SIZE[1], SIZE[0], 3), brightness, dtype=np.uint8)
        cv2.putText(image, str(i), (10, 40), cv2.FONT_HERSHEY_SIMPLEX, 1, (0, 0, 0), 2)
        if code:
            qr = cv2.cvtColor(render_symbol(code, CodeFormat.QR, 4), cv2.COLOR_GRAY2BGR)
            image[60 : 60 + qr.shape[0], 100 : 100 + qr.shape[1]] = qr
        writer.write(image)
    writer.release()
    return path.read_bytes()


def settings(path: Path, **extra: object) -> OpenCVCameraSettings:
    base: dict[str, object] = {
        "device": str(path),
        "fps": 60,
        "reconnect_initial_ms": 20,
        "reconnect_max_ms": 100,
    }
    return OpenCVCameraSettings.model_validate(base | extra)


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "camera.avi"
    write_video(path, code="ADM1.opencv-camera-test")
    return path


@pytest.fixture
def camera(video: Path) -> Iterator[OpenCVCamera]:
    cam = OpenCVCamera("camera", settings(video, loop_file=True))
    cam.open()
    yield cam
    cam.close()


def test_streams_a_file_and_the_decoder_reads_it(camera: OpenCVCamera) -> None:
    assert isinstance(camera, Camera)
    assert camera.status.state is DeviceState.IDLE
    assert camera.status.camera_lost is Tristate.NO
    frame = camera.read(2.0)
    assert frame is not None and frame.image.shape == (SIZE[1], SIZE[0], 3)
    assert camera.capabilities.max_resolution == SIZE
    texts = {c.text for c in make_reader("zxing").decode(frame.image)}
    assert texts == {"ADM1.opencv-camera-test"}


def test_loop_file_keeps_streaming_past_the_end(camera: OpenCVCamera) -> None:
    seqs = []
    for _ in range(30):  # more than the 12 frames in the file
        frame = camera.read(2.0)
        assert frame is not None
        seqs.append(frame.seq)
    assert seqs == sorted(seqs) and len(set(seqs)) == 30
    assert camera.status.state is DeviceState.IDLE


def test_health_checks(camera: OpenCVCamera, wait_for) -> None:
    wait_for(lambda: camera.check_health(HealthLevel.INTERNAL).ok, 3.0)
    external = camera.check_health(HealthLevel.EXTERNAL)
    assert external.ok and "320x240" in external.text


def test_black_frames_fail_the_external_check(tmp_path: Path, wait_for) -> None:
    path = tmp_path / "dark.avi"
    write_video(path, brightness=0)
    cam = OpenCVCamera("camera", settings(path, loop_file=True))
    cam.open()
    try:
        wait_for(lambda: cam.check_health(HealthLevel.INTERNAL).ok, 3.0)
        result = cam.check_health(HealthLevel.EXTERNAL)
        assert not result.ok and "covered" in result.text
    finally:
        cam.close()


def test_unplug_goes_offline_and_replug_reconnects(tmp_path: Path, event_log, wait_for) -> None:
    path = tmp_path / "unplug.avi"
    data = write_video(path)
    cam = OpenCVCamera("camera", settings(path))
    cam.subscribe(event_log)
    cam.open()
    try:
        assert cam.status.state is DeviceState.IDLE
        path.unlink()  # unplugged: the stream ends and the device cannot be reopened
        wait_for(lambda: cam.status.state is DeviceState.OFFLINE, 5.0)
        assert "camera_lost" in event_log.kinds()
        assert cam.status.last_error is not None
        assert cam.status.last_error.code == "CAMERA_LOST"
        while cam.read(0.05) is not None:  # drain
            pass
        started = time.monotonic()
        assert cam.read(0.2) is None
        assert time.monotonic() - started < 1.0
        assert not cam.check_health(HealthLevel.INTERNAL).ok
        path.write_bytes(data)  # plugged back in
        wait_for(lambda: "reconnected" in event_log.kinds(), 5.0)
        assert cam.read(2.0) is not None
        stats = cam.statistics()
        assert stats["camera_lost"] >= 1 and stats["reconnects"] >= 1
    finally:
        cam.close()
    assert cam.status.state is DeviceState.CLOSED


def test_missing_at_start_then_plugged_in(tmp_path: Path, event_log, wait_for) -> None:
    path = tmp_path / "later.avi"
    cam = OpenCVCamera("camera", settings(path, loop_file=True))
    cam.subscribe(event_log)
    cam.open()  # returns after the first (failed) attempt: no exception
    try:
        assert cam.status.state is DeviceState.OFFLINE
        assert event_log.kinds() == ["offline"]
        assert cam.read(0.1) is None
        write_video(path)
        wait_for(lambda: cam.status.state is DeviceState.IDLE, 5.0)
        assert event_log.kinds()[-1] == "reconnected"
        assert cam.read(2.0) is not None
    finally:
        cam.close()


def test_a_file_that_is_not_video_stays_offline(tmp_path: Path) -> None:
    path = tmp_path / "garbage.avi"
    path.write_bytes(b"\x00not a video\xff" * 100)
    cam = OpenCVCamera("camera", settings(path))
    cam.open()
    try:
        assert cam.status.state is DeviceState.OFFLINE
        assert cam.read(0.1) is None
    finally:
        cam.close()


def test_built_through_the_registry(tmp_path: Path, video: Path) -> None:
    context = DriverContext(state_dir=tmp_path)
    cam = build_driver(DeviceKind.CAMERA, "camera", "opencv", {"device": str(video)}, context)
    assert isinstance(cam, OpenCVCamera) and cam.driver == "opencv"
    index = build_driver(DeviceKind.CAMERA, "camera", "opencv", {"device": "0"}, context)
    assert index.status.state is DeviceState.CLOSED  # not opened: no device is touched


def test_a_stalled_stream_is_detected_and_reads_stay_bounded(
    tmp_path: Path, event_log, wait_for
) -> None:
    """A device that stops delivering mid-stream (here a FIFO whose writer goes quiet, which
    blocks the capture inside FFmpeg) goes OFFLINE with CAMERA_LOST after stall_timeout_ms."""
    import os
    import threading

    source = tmp_path / "source.avi"
    data = write_video(source, frames=120)
    fifo = tmp_path / "camera.fifo"
    os.mkfifo(fifo)
    release = threading.Event()

    def writer() -> None:
        with fifo.open("wb") as pipe:
            pipe.write(data[: len(data) // 2])
            pipe.flush()
            release.wait(20)  # stay connected, send nothing: the reader blocks

    feeder = threading.Thread(target=writer, daemon=True)
    feeder.start()
    cam = OpenCVCamera(
        "camera",
        settings(fifo, stall_timeout_ms=800, read_timeout_ms=300, reconnect_initial_ms=100),
    )
    cam.subscribe(event_log)
    try:
        cam.open()
        assert cam.read(5.0) is not None
        assert cam.status.state is DeviceState.IDLE

        def offline() -> bool:
            cam.read(0.1)  # consumers' reads drive the stall check
            return cam.status.state is DeviceState.OFFLINE

        wait_for(offline, 10.0)
        assert "camera_lost" in event_log.kinds()
        started = time.monotonic()
        cam.read(0.2)
        assert time.monotonic() - started < 1.0
    finally:
        release.set()  # the writer hangs up: blocked reads return and abandoned threads end
        feeder.join(5)
        closer = threading.Thread(target=cam.close)
        closer.start()
        # A reader reopening a FIFO blocks in open() until some writer appears: be that writer
        # (briefly) until every capture thread has let go.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
            t.name == "camera-camera" for t in threading.enumerate()
        ):
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            time.sleep(0.05)
        closer.join(10)


# -- resting: capture only while someone reads -------------------------------------------


def frames(camera: OpenCVCamera) -> float:
    return camera.statistics().get("frames", 0)


def test_opencv_camera_rests_without_readers_and_wakes_on_a_read(tmp_path: Path, wait_for) -> None:
    video = tmp_path / "camera.avi"
    write_video(video, frames=6)
    camera = OpenCVCamera("camera", settings(video, loop_file=True, rest_after_s=0.3))
    camera.open()
    try:
        wait_for(lambda: frames(camera) > 0, 5.0)  # the first open captures: the status is known
        wait_for(lambda: camera.resting, 5.0)
        still = frames(camera)
        assert camera.status.state is DeviceState.IDLE
        health = camera.check_health(HealthLevel.INTERNAL)
        assert health.ok and "resting" in health.text
        assert frames(camera) == still  # no capture while resting
        rested_at = time.monotonic()
        frame = camera.read(3.0)  # a reader wakes it ...
        assert frame is not None and not camera.resting and frames(camera) > still
        assert frame.at > rested_at  # ... with a fresh frame, never one from before the rest
        assert camera.check_health(HealthLevel.EXTERNAL).ok
    finally:
        camera.close()


def test_a_resting_camera_notices_its_device_is_gone(tmp_path: Path, wait_for) -> None:
    video = tmp_path / "camera.avi"
    write_video(video, frames=6)
    camera = OpenCVCamera("camera", settings(video, loop_file=True, rest_after_s=0.2))
    camera.open()
    try:
        wait_for(lambda: camera.resting, 5.0)
        video.unlink()  # unplugged while nobody scans
        wait_for(lambda: camera.status.state is DeviceState.OFFLINE, 5.0)
        write_video(video, frames=6)  # plugged back: opened once, then resting again
        wait_for(lambda: camera.status.state is DeviceState.IDLE, 10.0)
    finally:
        camera.close()


def test_rest_after_zero_captures_always(tmp_path: Path, wait_for) -> None:
    video = tmp_path / "camera.avi"
    write_video(video, frames=6)
    camera = OpenCVCamera("camera", settings(video, loop_file=True, rest_after_s=0))
    camera.open()
    try:
        start = frames(camera)
        wait_for(lambda: frames(camera) > start + 5, 5.0)
        assert not camera.resting
    finally:
        camera.close()


def test_a_resting_camera_hands_its_memory_back(
    tmp_path: Path, wait_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each time it starts resting the camera releases the capture and asks glibc to return
    the freed frames (the kiosk's memory at rest depends on it, after every scan)."""
    from devices.camera import opencv

    trims: list[float] = []
    monkeypatch.setattr(opencv.glibc_malloc, "trim", lambda: trims.append(time.monotonic()))
    video = tmp_path / "camera.avi"
    write_video(video, frames=6)
    camera = OpenCVCamera("camera", settings(video, loop_file=True, rest_after_s=0.3))
    camera.open()
    try:
        wait_for(lambda: camera.resting and len(trims) == 1, 5.0)
        assert camera.read(3.0) is not None  # a scan wakes it ...
        wait_for(lambda: camera.resting and len(trims) == 2, 5.0)  # ... and its rest trims again
    finally:
        camera.close()
