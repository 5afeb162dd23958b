"""The virtual IPP printer: an IPP-over-HTTP print server on loopback that real drivers talk to.

:class:`VirtualIppPrinter` listens on ``127.0.0.1`` (port 0 picks a free one) with one queue
(``/printers/<queue>``, jobs under ``/jobs``), as cupsd does, and answers with
:class:`~devices.sim.virtual_ipp.operations.IppOperations` in front of a
:class:`~devices.sim.virtual_ipp.engine.PrintEngine`. The kiosk's own CUPS driver
(:class:`devices.printers.cups.CupsDocumentPrinter`) is its client in simulator mode, so the
driver's submit, polling, lost-answer lookup and fault mapping run there too. Faults are set at
run time with :meth:`inject` / :meth:`clear` (``devices.faults.FaultInjectable``).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from devices.faults import Fault
from devices.sim.print_jobs import PrintJobStore
from devices.sim.virtual_ipp.engine import EngineSettings, PrintEngine
from devices.sim.virtual_ipp.operations import MAX_REQUEST_BYTES, IppOperations

log = logging.getLogger(__name__)

_READ_TIMEOUT_S = 10.0  # a client that stops sending mid-request is dropped


class _Server(ThreadingHTTPServer):
    """Tracks its connections and request threads, so a stop leaves none behind (keep-alive
    connections of a client that is still open would otherwise wait for their read timeout)."""

    allow_reuse_address = True
    operations: IppOperations

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self._lock = threading.Lock()
        self._open_connections: set[socket.socket] = set()
        self._request_threads: list[threading.Thread] = []

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, peer = super().get_request()
        with self._lock:
            self._open_connections.add(conn)
        return conn, peer

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            self._open_connections.discard(request)
        super().shutdown_request(request)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="virtual-ipp-request",
            daemon=True,
        )
        with self._lock:
            self._request_threads = [t for t in self._request_threads if t.is_alive()]
            self._request_threads.append(thread)
        thread.start()

    def close_all(self) -> None:
        """After ``shutdown()``: end every open connection, wait for its thread, close."""
        with self._lock:
            connections, threads = list(self._open_connections), list(self._request_threads)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(timeout=5)
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = _READ_TIMEOUT_S
    # TCP_NODELAY, as cupsd's sockets: the headers and the body leave in two writes, and with
    # Nagle the body waited for the client's delayed ACK (about 40 ms on every IPP answer).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("virtual IPP printer: " + format, *args)

    def do_GET(self) -> None:
        self._status(405, "IPP is POST only")

    def do_POST(self) -> None:
        operations = self.server.operations
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/ipp":
            self._status(415, "application/ipp only")
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._status(411, "Content-Length required")
            return
        if not 0 < length <= MAX_REQUEST_BYTES:
            self._status(413, "request too large")
            return
        body = self.rfile.read(length)
        if len(body) != length:
            self.close_connection = True
            return
        answer = operations.handle(body)
        if answer.body is None:  # the answer is lost on the way back
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/ipp")
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def _status(self, code: int, text: str) -> None:
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True


class VirtualIppPrinter:
    """A simulated printer behind an IPP print server on ``host:port`` (port 0: a free one)."""

    def __init__(
        self,
        store: PrintJobStore,
        out_dir: Path | None = None,
        settings: EngineSettings | None = None,
        *,
        queue: str = "sim",
        cards: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.queue = queue
        self.engine = PrintEngine(store, out_dir, settings or EngineSettings(), cards=cards)
        self.supported_faults = self.engine.supported_faults
        self._operations = IppOperations(self.engine, queue)
        self._host, self._port = host, port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None

    def bind(self) -> VirtualIppPrinter:
        """Take the port (``server`` is known from here on) without serving yet: no thread runs
        until :meth:`start`, so a device that is built but never opened leaves none behind."""
        if self._server is None:
            server = _Server((self._host, self._port))
            server.operations = self._operations
            self._port = server.server_address[1]
            self._server = server
        return self

    def start(self) -> VirtualIppPrinter:
        """Serve (again, on the same port after a stop: a printer switched back on)."""
        if self._thread is not None:
            return self
        server = self.bind()._server
        assert server is not None
        self.engine.start()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="virtual-ipp-http"
        )
        self._thread.daemon = True
        self._thread.start()
        log.info("virtual IPP printer on http://%s (queue %s)", self.server, self.queue)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        thread, self._thread = self._thread, None
        if server is not None:
            if thread is not None:  # shutdown() waits for serve_forever: only when it runs
                server.shutdown()
                thread.join(timeout=5)
            server.close_all()
        self.engine.stop()

    def __enter__(self) -> VirtualIppPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def server(self) -> str:
        """``host:port``, as the CUPS driver's ``server`` setting takes it."""
        return f"{self._host}:{self._port}"

    # -- faults (devices.faults.FaultInjectable) ------------------------------------------

    def inject(self, fault: Fault) -> None:
        self.engine.inject(Fault(fault))

    def clear(self, fault: Fault) -> None:
        self.engine.clear(Fault(fault))

    def active_faults(self) -> frozenset[Fault]:
        return self.engine.active_faults()
