"""The kiosk's office-queue desk against the REAL queue server on 127.0.0.1:0 (SQLite store, the
clock at Monday 23 November 2026, 10:00 WIB), with a recording receipt printer (port level)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.office import CLIENTS, JAKARTA, Server, office_config
from fakes.office import Clock as ServerClock
from fakes.queue_kiosk import DeskFactory, KioskDesk, RecordingReceiptPrinter

from kiosk.engine.office_queue import OfficeQueueDesk
from kiosk.office.server import build_office, start_in_thread
from kiosk.queue.sqlite_store import SqliteTicketStore
from kiosk.queue_client.client import QueueServer, QueueServerClient
from printing.tickets import compose_ticket


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    store = SqliteTicketStore(tmp_path / "office.sqlite")
    clock = ServerClock()
    office = build_office(office_config(), store, CLIENTS, clock=clock)
    running = start_in_thread(office)
    yield Server(running, store, clock)
    running.stop()
    store.close()


@pytest.fixture
def make_desk(request: pytest.FixtureRequest) -> Iterator[DeskFactory]:
    """Desks of the ``server`` fixture (started when first needed), or of ``url``."""
    made: list[KioskDesk] = []

    def make(
        client_id: str = "kiosk-1", *, url: str | None = None, timeout_s: float = 4.0, **extra: Any
    ) -> KioskDesk:
        key = CLIENTS[client_id][1]
        server: Server | None = None if url else request.getfixturevalue("server")
        clock = server.clock if server is not None else ServerClock()
        client = QueueServerClient(QueueServer(url or server.url, client_id, key, timeout_s))  # type: ignore[union-attr]
        printer = RecordingReceiptPrinter()
        desk = OfficeQueueDesk(
            client,
            printer,  # type: ignore[arg-type]
            compose_ticket,
            JAKARTA,
            office="MPP Uji",
            printer_available=lambda: True,
            clock=clock,
            width_mm=80,
            **extra,
        )
        made.append(KioskDesk(desk, client, printer))
        return made[-1]

    yield make
    for kiosk in made:
        kiosk.client.close()
