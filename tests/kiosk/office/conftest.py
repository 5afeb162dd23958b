"""A queue server on 127.0.0.1:0 over a real store (SQLite; ``any_server``: SQLite and the
private PostgreSQL), with an injected clock: Monday 23 November 2026, 10:00 WIB."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.office import CLIENTS, Clock, Server, ServerFactory, office_config

from kiosk.config.office import OfficeConfig
from kiosk.office.server import build_office, start_in_thread
from kiosk.queue.sqlite_store import SqliteTicketStore
from kiosk.queue.store import QueueStore


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[ServerFactory]:
    started: list[Server] = []

    def start(store: QueueStore | None = None, config: OfficeConfig | None = None) -> Server:
        store = store or SqliteTicketStore(tmp_path / f"queue-{len(started)}.sqlite")
        clock = Clock()
        office = build_office(config or office_config(), store, CLIENTS, clock=clock)
        started.append(Server(start_in_thread(office), store, clock))
        return started[-1]

    yield start
    for server in started:
        server.running.stop()
        server.store.close()


@pytest.fixture
def server(start_server: ServerFactory) -> Server:
    return start_server()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_server(request: pytest.FixtureRequest, start_server: ServerFactory) -> Server:
    """The same API test on both stores."""
    if request.param == "sqlite":
        return start_server()
    from kiosk.queue.postgres_store import PostgresQueueStore

    pg = request.getfixturevalue("local_postgres")
    return start_server(PostgresQueueStore(pg.new_database()))
