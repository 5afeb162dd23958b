"""The queue server's composition root: store from ``--db``, the office from its config, the app,
and uvicorn on a socket bound before serving (``port=0`` gives a known port at once).

``start_in_thread`` is for tests and demos: uvicorn in a daemon thread, stopped by
:meth:`RunningQueueServer.stop`. ``kiosk queue-server`` (:mod:`kiosk.office.cli`) serves in the
foreground.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI

from kiosk.config.office import OfficeConfig, Role
from kiosk.domain.signed import b64url_decode_strict, b64url_encode
from kiosk.office.app import create_app
from kiosk.office.auth import Authenticator, CounterSessions
from kiosk.office.events import EventHub
from kiosk.office.office import Office
from kiosk.office.speech import CallVoice
from kiosk.queue.book import QueueBook
from kiosk.queue.booking import BookingDesk
from kiosk.queue.calls import CounterDesk
from kiosk.queue.store import QueueStore

log = logging.getLogger(__name__)

START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0
Clients = Mapping[str, tuple[Role, str]]


def open_store(db: str) -> QueueStore:
    """``sqlite:///PATH`` (embedded) or ``postgresql://...`` (an office's database server)."""
    if db.startswith("sqlite:///"):
        from kiosk.queue.sqlite_store import SqliteTicketStore

        return SqliteTicketStore(Path(db.removeprefix("sqlite://")))
    if db.startswith(("postgresql://", "postgres://")):
        from kiosk.queue.postgres_store import PostgresQueueStore

        return PostgresQueueStore(db)
    raise ValueError("--db is sqlite:///PATH or postgresql://...")


def booking_key(config: OfficeConfig, store: QueueStore) -> Ed25519PrivateKey:
    """From ``booking_key_file`` (created, mode 0600, when missing), else a key kept in the
    queue database, so QRs stay valid across restarts either way."""
    path = config.office.booking_key_file
    if path is None:
        raw = store.secret("booking-key", os.urandom(32))
        return Ed25519PrivateKey.from_private_bytes(raw)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = b64url_encode(os.urandom(32)) + "\n"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            log.warning("created the booking signing key %s", path)
    return Ed25519PrivateKey.from_private_bytes(b64url_decode_strict(path.read_text().strip()))


def public_key_text(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return b64url_encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def config_clients(config: OfficeConfig) -> dict[str, tuple[Role, str]]:
    return {c.id: (c.role, c.key_file.read_text().strip()) for c in config.office.clients}


def build_office(
    config: OfficeConfig,
    store: QueueStore,
    clients: Clients,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    speech_dir: Path | None = None,
) -> Office:
    """The office; ``speech_dir`` caches the display's spoken calls (none: no spoken calls,
    the displays play only the chime)."""
    queue = config.queue
    book = QueueBook(
        queue.services, store, config.office.tz, priority_every_n=queue.priority_every_n
    )
    sessions = CounterSessions(queue, store, clock)
    office = Office(
        config=config,
        store=store,
        book=book,
        desk=CounterDesk(book, queue.counters),
        bookings=BookingDesk(book, queue, booking_key(config, store), config.office.booking_kid),
        sessions=sessions,
        auth=Authenticator(clients, sessions),
        hub=EventHub(lambda: office.counts()),
        clock=clock,
        voice=None if speech_dir is None else CallVoice(speech_dir),
    )
    return office


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets whose proto says TCP
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def make_server(app: FastAPI) -> uvicorn.Server:
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
    )
    config.load()
    return uvicorn.Server(config)


class RunningQueueServer:
    def __init__(
        self, office: Office, server: uvicorn.Server, sock: socket.socket, thread: threading.Thread
    ) -> None:
        self.office = office
        self._server = server
        self._socket = sock
        self._thread = thread
        self.url = url_of(sock)

    def stop(self) -> None:
        self.office.hub.close()
        self._server.should_exit = True
        self._thread.join(STOP_TIMEOUT_S)
        if self._thread.is_alive():
            log.warning("queue server thread did not stop in %.0f s", STOP_TIMEOUT_S)
        self._socket.close()

    def __enter__(self) -> RunningQueueServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_in_thread(
    office: Office, *, host: str = "127.0.0.1", port: int = 0
) -> RunningQueueServer:
    """Serve ``office`` on loopback in a thread; the caller closes the store after stop()."""
    sock = bind_socket(host, port)
    try:
        server = make_server(create_app(office))
    except BaseException:
        sock.close()
        raise
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="queue-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(STOP_TIMEOUT_S)
            sock.close()
            raise RuntimeError("queue server did not start")
        time.sleep(0.005)
    running = RunningQueueServer(office, server, sock, thread)
    log.info("queue server listening on %s", running.url)
    return running
