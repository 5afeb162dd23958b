"""The scan service: every code reader of the kiosk behind one subscription.

Readers are the camera with its decoder (:class:`devices.codes.worker.ScanWorker`: decodes and
debounces frames) and the whole-code scanners (:class:`devices.scanners.worker.ScannerWorker`
per HID keyboard wedge or serial scanner: reads and debounces their codes). The service checks
every code once more whichever reader it came from (printable ASCII, length; a camera may read
anything printed), remembers each reader's last read, and delivers :class:`ScannedCode` or
:class:`ScanRefused` to its listeners. A screen that scans subscribes while it is shown; a code
read with nobody subscribed is dropped (logged without its text).

Scanners are read for the kiosk's whole life (a wedge is grabbed, so its keystrokes never
reach anything else). The camera is decoded only while someone watches it
(:meth:`ScanService.watch_camera`: the scan screens, the technician's code readers page), so an
idle kiosk spends no CPU on decoding. Built by :func:`kiosk.bootstrap.build_kiosk`; no Qt.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from devices.codes.worker import ScanWorker
from devices.listeners import Listeners
from devices.ports import (
    Camera,
    CodeReader,
    CodeScanner,
    DecodedCode,
    Frame,
    ScannedText,
    ScannerRead,
    ScanProblem,
)
from devices.scanners.text import check_text
from devices.scanners.worker import ScannerWorker
from kiosk.scan.events import (
    LastRead,
    PreviewFrame,
    ScanEvent,
    ScannedCode,
    ScanRefused,
    SeenCode,
    shown_text,
)

log = logging.getLogger(__name__)

CAMERA = "camera"  # the camera's reader name
CAMERA_MAX_LENGTH = 1024  # characters; longer than any code the kiosk reads
UNKNOWN_FORMAT = "unknown"  # scanners do not say which symbology they read

ScanListener = Callable[[ScanEvent], None]
PreviewListener = Callable[[PreviewFrame], None]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ScanService:
    def __init__(
        self,
        *,
        camera: Camera | None = None,
        decoder: CodeReader | None = None,
        scanners: Mapping[str, CodeScanner] | None = None,
        wallclock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.camera = camera if decoder is not None else None
        self.decoder = decoder
        self.scanners = dict(scanners or {})
        self._wallclock = wallclock
        self._lock = threading.Lock()
        self._listeners: Listeners[ScanListener] = Listeners(self._lock)
        self._watchers: dict[int, PreviewListener | None] = {}
        self._watch_ids = itertools.count(1)
        self._camera_worker: ScanWorker | None = None
        self._stoppers: list[threading.Thread] = []
        self._scanner_workers: list[ScannerWorker] = []
        self._last: dict[str, LastRead] = {}
        if self.camera is not None:
            self._last[CAMERA] = LastRead(CAMERA, "camera")
        for name in self.scanners:
            self._last[name] = LastRead(name, "scanner")

    @property
    def has_camera(self) -> bool:
        return self.camera is not None

    @property
    def readers(self) -> list[str]:
        return list(self._last)

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start reading every scanner (the camera starts when watched)."""
        if self._scanner_workers:
            return
        for name, scanner in self.scanners.items():
            worker = ScannerWorker(scanner, functools.partial(self._scanner_read, name))
            worker.start()
            self._scanner_workers.append(worker)

    def stop(self) -> None:
        """Stop every reader's worker and wait for them; listeners hear nothing after this."""
        for worker in self._scanner_workers:
            worker.stop()
        self._scanner_workers.clear()
        with self._lock:
            self._watchers.clear()
            camera_worker, self._camera_worker = self._camera_worker, None
        if camera_worker is not None:
            camera_worker.stop()
        self.join()

    def join(self, timeout_s: float = 5.0) -> None:
        """Wait until camera workers asked to stop have stopped."""
        with self._lock:
            stoppers, self._stoppers = self._stoppers, []
        for stopper in stoppers:
            stopper.join(timeout_s)

    # -- listening ------------------------------------------------------------------------------

    def subscribe(self, listener: ScanListener) -> Callable[[], None]:
        """Codes and refused reads from every reader, on the reader's thread (return quickly)."""
        return self._listeners.subscribe(listener)

    def watch_camera(self, on_frame: PreviewListener | None = None) -> Callable[[], None]:
        """Decode the camera while watched; ``on_frame`` gets each decoded frame (on the
        camera worker's thread). Returns the call that ends this watch, which never waits:
        the last watch's end stops the worker on a helper thread (:meth:`join` waits)."""
        if self.camera is None or self.decoder is None:
            return lambda: None
        token = next(self._watch_ids)
        with self._lock:
            self._watchers[token] = on_frame
            if self._camera_worker is None:
                self._camera_worker = ScanWorker(
                    self.camera, self.decoder, on_code=self._camera_code, on_frame=self._frame
                )
                self._camera_worker.start()

        def unwatch() -> None:
            with self._lock:
                if self._watchers.pop(token, False) is False or self._watchers:
                    return
                worker, self._camera_worker = self._camera_worker, None
                if worker is None:
                    return
                stopper = threading.Thread(target=worker.stop, name="scan-worker-stop")
                stopper.start()
                self._stoppers = [t for t in self._stoppers if t.is_alive()] + [stopper]

        return unwatch

    @property
    def camera_running(self) -> bool:
        worker = self._camera_worker
        return worker is not None and worker.running

    def reset(self) -> None:
        """Forget codes in view, so the same code may be accepted again (a new session)."""
        for worker in self._scanner_workers:
            worker.reset_debounce()
        camera_worker = self._camera_worker
        if camera_worker is not None:
            camera_worker.reset_debounce()

    def last_reads(self) -> list[LastRead]:
        with self._lock:
            return list(self._last.values())

    # -- from the readers' threads -------------------------------------------------------------

    def _frame(self, frame: Frame, codes: list[DecodedCode]) -> None:
        with self._lock:
            listeners = [fn for fn in self._watchers.values() if fn is not None]
        if not listeners:
            return
        seen = tuple(
            SeenCode(code.format.value, shown_text(code.text), tuple(code.points)) for code in codes
        )
        preview = PreviewFrame(frame.image, seen)
        for listener in listeners:
            try:
                listener(preview)
            except Exception:
                log.exception("preview listener failed")

    def _camera_code(self, code: DecodedCode) -> None:
        problem = check_text(code.text, CAMERA_MAX_LENGTH)
        if problem is not None:
            log.warning("camera: code refused (%s): %s", problem.kind.value, problem.detail)
            self._refused(CAMERA, problem)
        else:
            self._accepted(CAMERA, code.format.value, code.text)

    def _scanner_read(self, name: str, read: ScannerRead) -> None:
        if isinstance(read, ScannedText):
            self._accepted(name, UNKNOWN_FORMAT, read.text)
        else:
            self._refused(name, read)  # the driver has logged why

    def _accepted(self, reader: str, fmt: str, text: str) -> None:
        entry = LastRead(reader, self._kind(reader), shown_text(text), fmt, None, self._wallclock())
        self._publish(entry, ScannedCode(text, fmt, reader))

    def _refused(self, reader: str, problem: ScanProblem) -> None:
        reason = problem.kind.value
        entry = LastRead(reader, self._kind(reader), "", "", reason, self._wallclock())
        self._publish(entry, ScanRefused(reader, reason))

    def _kind(self, reader: str) -> str:
        return "camera" if reader == CAMERA else "scanner"

    def _publish(self, entry: LastRead, event: ScanEvent) -> None:
        with self._lock:
            self._last[entry.reader] = entry
            listeners = self._listeners.snapshot()
        if not listeners:
            log.info("%s: read while no scan screen is shown: ignored", entry.reader)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("scan listener failed")
