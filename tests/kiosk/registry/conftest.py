"""Fixtures: a real registry simulator on 127.0.0.1:0, clients for it, and a scripted server.

The scripted server is a tiny raw-socket HTTP/1.1 server that answers each request with the
next canned reply (optionally dripping the body byte by byte); it is how the client meets
answers no honest registry gives: 5xx, junk, wrong shapes, redirects, slow bodies.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.config.models import RegistrySettings
from kiosk.registry import RegistryClient
from kiosk.registry_sim.server import RunningSimulator, start_in_thread

KIOSK_ID = "KIOSK-T1"
KIOSK_KEY = "test-kiosk-key-1"
OTHER_ID = "KIOSK-T2"
OTHER_KEY = "test-kiosk-key-2"
SEED = 11


def settings_for(url: str, kiosk_id: str = KIOSK_ID, **changes: Any) -> RegistrySettings:
    fields: dict[str, Any] = {
        "url": url,
        "kiosk_id": kiosk_id,
        "key_file": Path("/nonexistent/key"),
        "timeout_ms": 3000,
        "connect_timeout_ms": 1000,
        "retries": 2,
    }
    fields.update(changes)
    return RegistrySettings(**fields)


def _wait_for_threads(before: set[threading.Thread], timeout: float = 5.0) -> set[threading.Thread]:
    deadline = time.monotonic() + timeout
    while True:
        extra = {t for t in threading.enumerate() if t not in before and t.is_alive()}
        if not extra or time.monotonic() > deadline:
            return extra
        time.sleep(0.01)


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[RunningSimulator]:
    before = set(threading.enumerate())
    running = start_in_thread(
        db_path=tmp_path / "registry.sqlite",
        seed=SEED,
        families=3,
        kiosks={KIOSK_ID: KIOSK_KEY, OTHER_ID: OTHER_KEY},
    )
    yield running
    running.stop()
    assert not _wait_for_threads(before), "the simulator leaked threads"


@pytest.fixture
def make_client() -> Iterator[Callable[..., RegistryClient]]:
    made: list[RegistryClient] = []

    def make(
        url: str,
        kiosk_id: str = KIOSK_ID,
        key: str = KIOSK_KEY,
        transport: httpx.BaseTransport | None = None,
        **changes: Any,
    ) -> RegistryClient:
        client = RegistryClient(
            settings_for(url, kiosk_id, **changes), key=key, transport=transport
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(sim: RunningSimulator, make_client: Callable[..., RegistryClient]) -> RegistryClient:
    return make_client(sim.url)


@pytest.fixture
def other_client(
    sim: RunningSimulator, make_client: Callable[..., RegistryClient]
) -> RegistryClient:
    return make_client(sim.url, OTHER_ID, OTHER_KEY)


@pytest.fixture
def pick(sim: RunningSimulator) -> Callable[..., list[dict[str, Any]]]:
    """``pick("ready")``: the simulator's vouchers in that status (admin listing)."""

    def vouchers(status: str = "ready") -> list[dict[str, Any]]:
        found = [v for v in sim.list_vouchers() if v["status"] == status]
        assert found, f"the seed has no {status} voucher"
        return found

    return vouchers


# --- scripted raw HTTP server -----------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    content_length: int | None = None  # None: the body's own length; -1: no header (close ends)
    drip_interval_s: float = 0.0  # > 0: send the body one byte at a time
    stall_after_bytes: int | None = None  # stop sending (keep the socket open) after N bytes

    def head(self) -> bytes:
        lines = [f"HTTP/1.1 {self.status} X"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.content_length != -1:
            lines.append(f"Content-Length: {self.content_length or len(self.body)}")
        lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


class ScriptedServer:
    def __init__(self, replies: list[Reply]) -> None:
        self.replies = list(replies)
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, name="scripted-http")
        self._accepting.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            worker = threading.Thread(target=self._serve, args=(conn,), name="scripted-conn")
            self._threads.append(worker)
            worker.start()

    def _read_request(self, conn: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            rest += chunk
        return head + b"\r\n\r\n" + rest

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                self.requests.append(self._read_request(conn))
                reply = self.replies.pop(0) if self.replies else Reply(500, b"script ran out")
                conn.sendall(reply.head())
                body = reply.body
                if reply.stall_after_bytes is not None:
                    body = body[: reply.stall_after_bytes]
                if reply.drip_interval_s > 0:
                    for byte in body:
                        if self._stop.wait(reply.drip_interval_s):
                            return
                        conn.sendall(bytes([byte]))
                else:
                    conn.sendall(body)
                if reply.stall_after_bytes is not None:
                    self._stop.wait(30)
            except OSError:
                return

    def stop(self) -> None:
        self._stop.set()
        self._accepting.join(5)
        for worker in self._threads:
            worker.join(5)
        self._listener.close()


@pytest.fixture
def reply() -> type[Reply]:
    return Reply


@pytest.fixture
def scripted() -> Iterator[Callable[[list[Reply]], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(replies: list[Reply]) -> ScriptedServer:
        server = ScriptedServer(replies)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
