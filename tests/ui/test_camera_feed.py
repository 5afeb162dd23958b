"""The live preview: the kiosk's scan service (simulated camera + zxing) feeding the scan page."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from PySide6.QtGui import QImage

from devices.camera.sim import SimulatedCamera, SimulatedCameraSettings
from devices.codes.backends import make_reader
from devices.ports import CodeFormat
from kiosk.engine.view import CodeScanned, Screen
from kiosk.scan import PreviewFrame, ScanEvent, ScanService
from ui.camera_feed import CameraFeed, bgr_to_qimage
from ui.i18n.catalog import Catalog
from ui.window import KioskWindow


def test_bgr_frames_become_rgb_images() -> None:
    frame = np.zeros((4, 6, 3), dtype=np.uint8)
    frame[:, :, 2] = 255  # red in BGR
    image = bgr_to_qimage(frame)
    assert (image.width(), image.height()) == (6, 4)
    assert image.pixelColor(0, 0).red() == 255 and image.pixelColor(0, 0).blue() == 0
    with pytest.raises(ValueError):
        bgr_to_qimage(np.zeros((4, 6), dtype=np.uint8))


@pytest.fixture
def camera() -> Iterator[SimulatedCamera]:
    cam = SimulatedCamera("camera", SimulatedCameraSettings(width=640, height=480, fps=30))
    cam.open()
    yield cam
    cam.close()


@pytest.fixture
def scan_window(qtbot, qapp, session, metrics, camera) -> Iterator[tuple[KioskWindow, CameraFeed]]:
    feed = CameraFeed(ScanService(camera=camera, decoder=make_reader("zxing")))
    win = KioskWindow(
        session, metrics=metrics, catalog=Catalog(strict=True), title="t", feed=feed, tick=False
    )
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    yield win, feed
    win.shutdown()
    feed.close()


def test_scan_page_shows_live_frames_and_sends_the_decoded_code(
    qtbot, session, camera, scan_window
) -> None:
    window, feed = scan_window
    session.publish_fresh(screen=Screen.SCAN)
    preview = window.pages[Screen.SCAN].preview  # type: ignore[attr-defined]
    qtbot.waitUntil(preview.has_frame, timeout=10_000)
    assert feed.running
    token = "ADM1.eyJ2IjoxfQ.c2lnbmF0dXJl"
    camera.present(token, CodeFormat.QR)
    qtbot.waitUntil(lambda: bool(session.sent(CodeScanned)), timeout=15_000)
    assert session.sent(CodeScanned)[0] == CodeScanned(text=token, format="qr")
    session.publish_fresh(screen=Screen.MENU)  # leaving the page stops the camera worker
    qtbot.waitUntil(lambda: not feed.running)
    qtbot.waitUntil(lambda: not any(t.name == "scan-worker" for t in threading.enumerate()))


def test_check_page_reads_codes_too(qtbot, session, camera, scan_window) -> None:
    session.publish_fresh(screen=Screen.CHECK_SCAN)
    camera.present("3201014508900001", CodeFormat.CODE128)
    qtbot.waitUntil(lambda: bool(session.sent(CodeScanned)), timeout=15_000)
    assert session.sent(CodeScanned)[0] == CodeScanned(text="3201014508900001", format="code128")
    session.publish_fresh(screen=Screen.ATTRACT)


class BurstSource:
    """Delivers ``count`` frames from its own thread as fast as it can (a camera faster
    than the GUI can paint)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.thread: threading.Thread | None = None

    def subscribe(self, listener: Callable[[ScanEvent], None]) -> Callable[[], None]:
        return lambda: None

    def watch_camera(
        self, on_frame: Callable[[PreviewFrame], None] | None = None
    ) -> Callable[[], None]:
        preview = PreviewFrame(np.full((120, 160, 3), 90, dtype=np.uint8), ())

        def burst() -> None:
            for _ in range(self.count):
                assert on_frame is not None
                on_frame(preview)

        self.thread = threading.Thread(target=burst, name="burst")
        self.thread.start()
        return lambda: None  # the burst ends by itself

    def join(self, timeout_s: float = 5.0) -> None:
        if self.thread is not None:
            self.thread.join(timeout_s)


def test_frames_are_dropped_while_the_gui_is_behind(qtbot, qapp) -> None:
    source = BurstSource(500)
    feed = CameraFeed(source)
    shown: list[QImage] = []

    def show(image: QImage) -> None:
        shown.append(image)
        feed.frame_consumed()

    feed.frame_ready.connect(show)
    feed.start()
    source.join()  # every frame offered before the GUI ran once
    qtbot.waitUntil(lambda: len(shown) >= 1)
    qapp.processEvents()
    assert feed.frames_dropped >= 400  # not queued up: at most one frame waits for the GUI
    assert len(shown) + feed.frames_dropped == 500
    feed.close()
