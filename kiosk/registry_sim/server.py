"""Assemble the simulator (store, knobs, app) and serve it with uvicorn.

``start_in_thread`` is what the kiosk's simulator mode and the tests use: uvicorn in a daemon
thread on a socket bound before the thread starts (so ``port=0`` gives a known port at once),
stopped cleanly by :meth:`RunningSimulator.stop`.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key
from kiosk.registry_sim import inspection
from kiosk.registry_sim.app import create_app
from kiosk.registry_sim.knobs import Knobs, KnobValues
from kiosk.registry_sim.proofs import ProofMaker
from kiosk.registry_sim.seeding import seed_store
from kiosk.registry_sim.store import SimStore

log = logging.getLogger(__name__)

START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class TlsFiles:
    """Serve HTTPS with this certificate; with ``client_ca``, demand client certificates (mTLS)."""

    certfile: Path
    keyfile: Path
    client_ca: Path | None = None


@dataclass
class Simulator:
    app: FastAPI
    store: SimStore
    knobs: Knobs


def build_simulator(
    *,
    db_path: Path,
    seed: int,
    families: int,
    kiosks: dict[str, str],
    latency_ms: float = 0,
    error_rate: float = 0.0,
    lease_seconds: float = 120,
) -> Simulator:
    """Open (and seed, if new) the store and build the app; nothing listens yet."""
    if not kiosks:
        raise ValueError("at least one kiosk id and key are needed")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    knobs = Knobs(
        KnobValues(latency_ms=latency_ms, error_rate=error_rate, lease_seconds=lease_seconds),
        seed=seed,
    )
    store = SimStore(db_path)
    try:
        seed_store(store, seed=seed, families=families, now=knobs.now())
        proofs = ProofMaker(store.proof_secret())
    except BaseException:
        store.close()
        raise
    keys = {SIM_KID: sim_voucher_private_key().public_key()}
    return Simulator(create_app(store, knobs, kiosks, keys, proofs), store, knobs)


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP (not 0): asyncio only sets TCP_NODELAY on accepted sockets
    # whose proto says TCP, and without it Nagle + delayed ACK add ~40 ms to every answer.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket, *, tls: bool = False) -> str:
    host, port = sock.getsockname()[:2]
    scheme = "https" if tls else "http"
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


def make_server(app: FastAPI, tls: TlsFiles | None = None) -> uvicorn.Server:
    options: dict[str, Any] = {}
    if tls is not None:
        options = {"ssl_certfile": str(tls.certfile), "ssl_keyfile": str(tls.keyfile)}
        if tls.client_ca is not None:
            options |= {"ssl_ca_certs": str(tls.client_ca), "ssl_cert_reqs": ssl.CERT_REQUIRED}
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
        **options,
    )
    config.load()  # now, not in the server thread: bad certificate files fail here
    return uvicorn.Server(config)


class RunningSimulator:
    """A simulator serving on loopback, with Python-side admin helpers."""

    def __init__(
        self,
        simulator: Simulator,
        server: uvicorn.Server,
        sock: socket.socket,
        thread: threading.Thread,
        *,
        tls: bool = False,
    ) -> None:
        self._simulator = simulator
        self._server = server
        self._socket = sock
        self._thread = thread
        self.url = url_of(sock, tls=tls)

    @property
    def store(self) -> SimStore:
        return self._simulator.store

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(STOP_TIMEOUT_S)
        if self._thread.is_alive():
            log.warning("registry simulator thread did not stop in %.0f s", STOP_TIMEOUT_S)
        self._socket.close()
        self._simulator.store.close()

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- admin helpers (the same operations as /sim/) -----------------------------------

    def list_vouchers(self) -> list[dict[str, Any]]:
        return inspection.list_vouchers(self.store, self._simulator.knobs.now())

    def voucher_state(self, vid: str) -> dict[str, Any]:
        return inspection.voucher_state(self.store, vid, self._simulator.knobs.now())

    def reset_voucher(self, vid: str) -> None:
        inspection.reset_voucher(self.store, vid, self._simulator.knobs.now())

    def set_outage(self, outage: bool) -> None:
        self._simulator.knobs.update(outage=outage)

    def set_latency(self, ms: float) -> None:
        self._simulator.knobs.update(latency_ms=ms)

    def set_error_rate(self, rate: float) -> None:
        self._simulator.knobs.update(error_rate=rate)

    def set_rate_limit(self, per_second: float, burst: int = 20) -> None:
        """Requests per second per kiosk (0 = unlimited), with ``burst`` in hand."""
        self._simulator.knobs.update(rate_limit_per_s=per_second, rate_limit_burst=burst)

    def rate_limit_buckets(self) -> int:
        """Rate-limit buckets held (one per authenticated kiosk, one for everyone else)."""
        return self._simulator.knobs.bucket_count()

    def set_lease_seconds(self, seconds: float) -> None:
        self._simulator.knobs.update(lease_seconds=seconds)

    def advance_clock(self, seconds: float) -> None:
        """Move the simulator's clock (leases, locks, expiry, server_time) forward."""
        knobs = self._simulator.knobs
        knobs.update(clock_offset_s=knobs.get().clock_offset_s + seconds)


def start_in_thread(
    *,
    db_path: Path,
    seed: int,
    families: int,
    kiosks: dict[str, str],
    host: str = "127.0.0.1",
    port: int = 0,
    latency_ms: float = 0,
    error_rate: float = 0.0,
    lease_seconds: float = 120,
    tls: TlsFiles | None = None,
) -> RunningSimulator:
    simulator = build_simulator(
        db_path=db_path,
        seed=seed,
        families=families,
        kiosks=kiosks,
        latency_ms=latency_ms,
        error_rate=error_rate,
        lease_seconds=lease_seconds,
    )
    try:
        sock = bind_socket(host, port)
    except OSError:
        simulator.store.close()
        raise
    try:
        server = make_server(simulator.app, tls)
    except BaseException:
        sock.close()
        simulator.store.close()
        raise
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="registry-sim", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(STOP_TIMEOUT_S)
            sock.close()
            simulator.store.close()
            raise RuntimeError("registry simulator did not start")
        time.sleep(0.005)
    running = RunningSimulator(simulator, server, sock, thread, tls=tls is not None)
    log.info("registry simulator listening on %s", running.url)
    return running
