"""A loopback TCP server that answers every HTTP request with raw bytes chosen by the test.

Not an HTTP implementation on purpose: the bytes may be a broken status line, lying headers or
a body cut short, which is what a hostile or broken registry (or a man in the middle on plain
HTTP) can send. It reads the request head and the declared body, writes the answer, and closes.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator


class RawHttpServer:
    def __init__(self) -> None:
        self.answer = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
        self.requests = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="raw-http", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._sock.getsockname()
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(2.0)
        data = b""
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip() or b"0")
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                body += chunk
            self.requests += 1
            conn.sendall(self.answer)
            conn.shutdown(socket.SHUT_WR)
            # Let the client read everything before the close (no RST for unread bytes).
            conn.recv(65536)


@contextlib.contextmanager
def raw_http_server() -> Iterator[RawHttpServer]:
    server = RawHttpServer()
    try:
        yield server
    finally:
        server.stop()


def http_response(
    status: int, body: bytes, headers: dict[str, str] | None = None, *, length: bool = True
) -> bytes:
    """A well-formed answer (the seed that mutations start from)."""
    lines = [f"HTTP/1.1 {status} X"]
    merged = {"Content-Type": "application/json", "Connection": "close", **(headers or {})}
    if length:
        merged["Content-Length"] = str(len(body))
    lines += [f"{k}: {v}" for k, v in merged.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
