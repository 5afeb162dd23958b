"""The virtual ESC/POS printer: a TCP listener and a pseudo-terminal that real connectors talk to.

Each connection (or the pty) has its own parser and paper; every job (up to a cut) becomes a
:class:`PrintedJob`, saved as ``ticket-00001.png``, ``ticket-00002.png``, ... in the out dir (never
personal data in names), kept in :meth:`VirtualEscposPrinter.jobs` and passed to ``on_job``.
The out dir is bounded like a paper tray: only the newest ``keep_files`` tickets
(:data:`KEEP_FILES`) and at most ``keep_bytes`` (:data:`KEEP_BYTES`) stay; older ticket files are
deleted as new ones arrive (a flood of tiny jobs cannot fill the disk).
DLE EOT requests are answered from :class:`.state.VirtualPrinterState`; faults are set at run
time with :meth:`inject` / :meth:`clear`.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import re
import select
import socket
import struct
import threading
import tty
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from devices.faults import Fault
from devices.sim.virtual_escpos.commands import Cut, Ignored, Skipped, StatusRequest
from devices.sim.virtual_escpos.parser import EscposParser
from devices.sim.virtual_escpos.render import PaperRenderer
from devices.sim.virtual_escpos.state import SUPPORTED_FAULTS, VirtualPrinterState

log = logging.getLogger(__name__)

_POLL_S = 0.05
KEEP_FILES = 500  # ticket images kept in the out dir (the newest)
KEEP_BYTES = 64 * 1024 * 1024  # and at most this many bytes of them
_TICKET_NAME = re.compile(r"ticket-(\d+)\.png")


@dataclass(frozen=True)
class PrintedJob:
    seq: int
    image: Image.Image
    source: str  # "tcp" or "pty"
    complete: bool  # False when the job did not end with a cut (connection dropped, ...)
    bytes_received: int
    path: Path | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class _Session:
    """One byte stream (a TCP connection or the pty): parse, answer, draw."""

    def __init__(
        self, printer: VirtualEscposPrinter, source: str, send: Callable[[bytes], None]
    ) -> None:
        self._printer = printer
        self._source = source
        self._send = send
        self._parser = EscposParser()
        self._paper = PaperRenderer(printer.width_mm)
        self._job_bytes = 0

    def feed(self, data: bytes) -> bool:
        """Process ``data``; False when the printer drops the link (disconnect_mid_job)."""
        self._job_bytes += len(data)
        state = self._printer.state
        for command in self._parser.feed(data):
            if isinstance(command, StatusRequest):
                answer = state.status_byte(command.n)
                if answer is not None:
                    self._send(answer)
                continue
            if isinstance(command, Ignored | Skipped):
                continue
            if not state.can_print:
                if isinstance(command, Cut):
                    log.info("virtual printer: paper out or cover open, job discarded")
                    self._paper = PaperRenderer(self._printer.width_mm)
                continue
            image = self._paper.apply(command)
            if image is not None:
                self._printer.record_job(image, self._source, True, self._job_bytes)
                self._job_bytes = 0
            elif self._paper.has_content and Fault.DISCONNECT_MID_JOB in state.faults:
                log.info("virtual printer: dropping the %s link mid-job (fault)", self._source)
                self.close()
                return False
        return True

    def close(self) -> None:
        """End of stream: output that never met a cut is still a (partial) job."""
        for command in self._parser.finish():
            if not isinstance(command, StatusRequest | Ignored | Skipped):
                self._paper.apply(command)
        if self._paper.has_content:
            self._printer.record_job(self._paper.cut(), self._source, False, self._job_bytes)
        self._job_bytes = 0


class VirtualEscposPrinter:
    """A simulated thermal printer on TCP (``port`` 0 picks a free one) and optionally a pty."""

    supported_faults = SUPPORTED_FAULTS

    def __init__(
        self,
        out_dir: Path | None = None,
        *,
        width_mm: int = 80,
        host: str = "127.0.0.1",
        port: int = 0,
        pty: bool = False,
        on_job: Callable[[PrintedJob], None] | None = None,
        slow_bytes_per_s: int = 4800,
        keep_jobs: int = 20,
        keep_files: int = KEEP_FILES,
        keep_bytes: int = KEEP_BYTES,
    ) -> None:
        if width_mm not in (58, 80):
            raise ValueError("width_mm must be 58 or 80")
        self.out_dir = out_dir
        self.width_mm = width_mm
        self.state = VirtualPrinterState()
        self.on_job = on_job
        self._host, self._port, self._want_pty = host, port, pty
        self._slow_bytes_per_s = slow_bytes_per_s
        self._keep_jobs = keep_jobs
        if keep_files < 1 or keep_bytes < 1:
            raise ValueError("keep_files and keep_bytes must be at least 1")
        self._keep_files, self._keep_bytes = keep_files, keep_bytes
        self._saved: collections.deque[tuple[Path, int]] = collections.deque()  # oldest first
        self._saved_bytes = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        self._pty_fds: tuple[int, int] | None = None
        self.pty_path: str | None = None
        self._jobs: list[PrintedJob] = []
        self._jobs_changed = threading.Condition()
        self._seq = 0
        self._printed = 0  # jobs printed since start (the out dir may hold older ones)

    # -- life cycle ---------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._listener is not None

    def start(self) -> VirtualEscposPrinter:
        """Listen (again, on the same port after a stop, like a printer switched back on)."""
        if self._listener is not None:
            return self
        self._stop = threading.Event()
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            existing = sorted(
                (int(m.group(1)), p)
                for p in self.out_dir.iterdir()
                if (m := _TICKET_NAME.fullmatch(p.name))
            )
            self._seq = existing[-1][0] if existing else 0
            with self._jobs_changed:
                self._saved.clear()
                self._saved_bytes = 0
                for _, path in existing:
                    self._remember(path)
                self._prune()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self._host, self._port))
        listener.listen(8)
        listener.settimeout(_POLL_S)
        self._listener = listener
        self._port = listener.getsockname()[1]
        if self._want_pty:
            master, slave = os.openpty()
            tty.setraw(slave)
            self._pty_fds = (master, slave)
            self.pty_path = os.ttyname(slave)
            self._spawn(self._pty_loop, "virtual-escpos-pty")
        self._spawn(self._accept_loop, "virtual-escpos-accept", listener)
        log.info("virtual ESC/POS printer on %s", self.tcp_url)
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._conn_lock:
            connections = list(self._connections)
        for conn in connections:
            _shutdown(conn)
        while self._threads:
            self._threads.pop(0).join(timeout=5)
        if self._pty_fds is not None:
            for fd in self._pty_fds:
                os.close(fd)
            self._pty_fds = None

    def __enter__(self) -> VirtualEscposPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def address(self) -> tuple[str, int]:
        """(host, port) it listens on (or listened on, once stopped)."""
        return self._host, self._port

    @property
    def tcp_url(self) -> str:
        host, port = self.address
        return f"tcp://{host}:{port}"

    # -- faults (devices.faults.FaultInjectable) ------------------------------------------

    def inject(self, fault: Fault) -> None:
        self.state.faults.add(Fault(fault))
        log.info("virtual printer: fault %s injected", fault)

    def clear(self, fault: Fault) -> None:
        self.state.faults.discard(Fault(fault))
        log.info("virtual printer: fault %s cleared", fault)

    def active_faults(self) -> frozenset[Fault]:
        return self.state.faults.snapshot()

    # -- jobs ---------------------------------------------------------------------------

    def jobs(self) -> list[PrintedJob]:
        with self._jobs_changed:
            return list(self._jobs)

    def last_image(self) -> Image.Image | None:
        with self._jobs_changed:
            return self._jobs[-1].image if self._jobs else None

    def wait_for_jobs(self, count: int, timeout_s: float) -> bool:
        """True once at least ``count`` jobs were printed since start, False on timeout."""
        with self._jobs_changed:
            return self._jobs_changed.wait_for(lambda: self._printed >= count, timeout_s)

    def record_job(self, image: Image.Image, source: str, complete: bool, size: int) -> None:
        with self._jobs_changed:
            self._seq += 1
            seq = self._seq
        path = None
        if self.out_dir is not None:
            path = self.out_dir / f"ticket-{seq:05d}.png"
            image.save(path)
            with self._jobs_changed:
                self._remember(path)
                self._prune()
        job = PrintedJob(seq, image, source, complete, size, path)
        with self._jobs_changed:
            self._jobs.append(job)
            del self._jobs[: -self._keep_jobs]
            self._printed += 1
            self._jobs_changed.notify_all()
        log.info("virtual printer: job %d (%s, %s)", seq, source, "cut" if complete else "partial")
        if self.on_job is not None:
            try:
                self.on_job(job)
            except Exception:
                log.exception("on_job callback failed")

    def _remember(self, path: Path) -> None:
        try:
            size = path.stat().st_size
        except OSError:
            return
        self._saved.append((path, size))
        self._saved_bytes += size

    def _prune(self) -> None:
        """Delete the oldest ticket files beyond ``keep_files`` or ``keep_bytes``."""
        while len(self._saved) > self._keep_files or (
            self._saved_bytes > self._keep_bytes and len(self._saved) > 1
        ):
            old, size = self._saved.popleft()
            self._saved_bytes -= size
            with contextlib.suppress(OSError):
                old.unlink()

    # -- I/O loops ----------------------------------------------------------------------

    def _spawn(self, target: Callable[..., None], name: str, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _chunk(self) -> int:
        return 64 if Fault.SLOW in self.state.faults else 65536

    def _throttle(self, size: int) -> None:
        if Fault.SLOW in self.state.faults and size:
            self._stop.wait(size / self._slow_bytes_per_s)

    def _wait_while_offline(self) -> None:
        while not self.state.answers and not self._stop.is_set():
            self._stop.wait(_POLL_S)

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(_POLL_S)
            with self._conn_lock:
                self._connections.add(conn)
            log.info("virtual printer: connection from %s:%d", *peer[:2])
            self._spawn(self._tcp_loop, "virtual-escpos-conn", conn)

    def _tcp_loop(self, conn: socket.socket) -> None:
        def send(answer: bytes) -> None:
            try:
                conn.sendall(answer)
            except OSError:
                log.info("virtual printer: status answer not delivered (peer gone)")

        session = _Session(self, "tcp", send)
        dropped = False
        try:
            while not self._stop.is_set():
                if not self.state.answers:  # OFFLINE: bytes wait in the socket, unread
                    self._stop.wait(_POLL_S)
                    continue
                try:
                    data = conn.recv(self._chunk())
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not data:
                    break
                self._throttle(len(data))
                self._wait_while_offline()  # bytes read just before going offline wait too
                if not session.feed(data):
                    dropped = True
                    break
        finally:
            if not dropped:
                session.close()
            with self._conn_lock:
                self._connections.discard(conn)
            if dropped:  # RST, as when the printer loses power: unread bytes are lost
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def _pty_loop(self) -> None:
        assert self._pty_fds is not None
        master = self._pty_fds[0]

        def send(answer: bytes) -> None:
            os.write(master, answer)

        session = _Session(self, "pty", send)
        while not self._stop.is_set():
            if not self.state.answers:
                self._stop.wait(_POLL_S)
                continue
            ready, _, _ = select.select([master], [], [], _POLL_S)
            if not ready:
                continue
            try:
                data = os.read(master, self._chunk())
            except OSError:
                break
            self._throttle(len(data))
            self._wait_while_offline()
            if not session.feed(data):
                # A serial line cannot be dropped: the printer goes silent until the fault clears.
                while Fault.DISCONNECT_MID_JOB in self.state.faults and not self._stop.is_set():
                    self._stop.wait(_POLL_S)
                session = _Session(self, "pty", send)
        session.close()


def _shutdown(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
