"""ScanWorker end to end: simulated camera -> zxing -> debouncer -> on_code, on its own thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from devices.camera.sim import SimulatedCamera, SimulatedCameraSettings
from devices.codes.worker import ScanWorker
from devices.codes.zxing_reader import ZxingReader
from devices.faults import Fault
from devices.ports import CodeFormat, DecodedCode, Frame
from kiosk.domain.documents import DocumentType
from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key
from kiosk.domain.voucher import VoucherPayload, mint_token


def wait_for(predicate: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "condition not met within timeout"
        time.sleep(0.01)


def voucher_token() -> str:
    now = datetime.now(UTC)
    payload = VoucherPayload(
        vid="VWORKER0001",
        doc=next(iter(DocumentType)),
        iat=now,
        exp=now + timedelta(days=1),
        kid=SIM_KID,
    )
    return mint_token(payload, sim_voucher_private_key())


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.codes: list[DecodedCode] = []
        self.frames: list[tuple[int, int]] = []  # (seq, number of codes)
        self.threads: set[str] = set()

    def on_code(self, code: DecodedCode) -> None:
        with self.lock:
            self.codes.append(code)
            self.threads.add(threading.current_thread().name)

    def on_frame(self, frame: Frame, codes: list[DecodedCode]) -> None:
        with self.lock:
            self.frames.append((frame.seq, len(codes)))


@pytest.fixture
def camera() -> Iterator[SimulatedCamera]:
    cam = SimulatedCamera(
        "camera", SimulatedCameraSettings(width=640, height=480, fps=30, seed=5, difficulty=0.3)
    )
    cam.open()
    yield cam
    cam.close()


def test_a_presented_voucher_comes_out_once(camera: SimulatedCamera) -> None:
    token = voucher_token()
    reader = ZxingReader("code_reader")
    rec = Recorder()
    worker = ScanWorker(camera, reader, on_code=rec.on_code, on_frame=rec.on_frame)
    worker.start()
    try:
        wait_for(lambda: len(rec.frames) >= 3)
        assert rec.codes == []
        camera.present(token, CodeFormat.QR)
        wait_for(lambda: len(rec.codes) == 1)
        seen_at = len(rec.frames)
        wait_for(lambda: len(rec.frames) >= seen_at + 10)  # held in view: not again
        assert [(c.format, c.text) for c in rec.codes] == [(CodeFormat.QR, token)]
        assert rec.threads == {"scan-worker"}
        assert any(n > 0 for _, n in rec.frames)  # previews carry the decoded codes
        # Taken away and shown again: a second acceptance.
        camera.remove()
        removed_at = len(rec.frames)
        wait_for(lambda: len(rec.frames) >= removed_at + 8)
        camera.present(token, CodeFormat.QR)
        wait_for(lambda: len(rec.codes) == 2)
    finally:
        worker.stop()
    assert not worker.running
    stats = reader.statistics()
    assert stats["decode_attempts"] >= len(rec.frames)
    assert 0 < stats["decode_successes"] < stats["decode_attempts"]
    assert stats["codes_accepted"] == 2


def test_survives_camera_loss_and_resumes(camera: SimulatedCamera) -> None:
    rec = Recorder()
    worker = ScanWorker(camera, ZxingReader(), on_code=rec.on_code, on_frame=rec.on_frame)
    worker.start()
    try:
        camera.inject(Fault.CAMERA_LOST)
        camera.present("3201014506900001", CodeFormat.CODE128)
        time.sleep(0.3)  # a window for a wrong acceptance: lost means no frames, no codes
        assert rec.codes == []
        camera.clear(Fault.CAMERA_LOST)
        wait_for(lambda: [c.text for c in rec.codes] == ["3201014506900001"])
    finally:
        worker.stop()


def test_failing_callbacks_do_not_stop_the_worker(camera: SimulatedCamera) -> None:
    calls: list[int] = []

    def bad_frame(frame: Frame, codes: list[DecodedCode]) -> None:
        calls.append(frame.seq)
        raise RuntimeError("preview widget gone")

    accepted: list[str] = []

    def bad_code(code: DecodedCode) -> None:
        accepted.append(code.text)
        raise RuntimeError("engine busy")

    worker = ScanWorker(camera, ZxingReader(), on_code=bad_code, on_frame=bad_frame)
    camera.present("ADM1.callback-test", CodeFormat.QR)
    worker.start()
    try:
        wait_for(lambda: accepted == ["ADM1.callback-test"] and len(calls) > 5)
        assert worker.running
    finally:
        worker.stop()


def test_reset_debounce_accepts_the_same_code_again(camera: SimulatedCamera) -> None:
    rec = Recorder()
    worker = ScanWorker(camera, ZxingReader(), on_code=rec.on_code, stable_frames=2)
    camera.present("ADM1.reset-test", CodeFormat.QR)
    worker.start()
    try:
        wait_for(lambda: len(rec.codes) == 1)
        worker.reset_debounce()
        wait_for(lambda: len(rec.codes) == 2)
    finally:
        worker.stop()


def test_stop_is_idempotent_and_joins(camera: SimulatedCamera) -> None:
    worker = ScanWorker(camera, ZxingReader(), on_code=lambda code: None)
    worker.start()
    worker.start()
    worker.stop()
    worker.stop()
    assert not any(t.name == "scan-worker" and t.is_alive() for t in threading.enumerate())
