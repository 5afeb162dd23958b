"""``queue_store``: every store test runs on SQLite and on PostgreSQL (a fresh database each)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.office.local_postgres import LocalPostgres
from kiosk.queue.postgres_store import PostgresQueueStore
from kiosk.queue.sqlite_store import SqliteTicketStore
from kiosk.queue.store import QueueStore

StoreFactory = Callable[[], QueueStore]


@pytest.fixture(params=["sqlite", "postgresql"])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Opens stores on one database (several opens: several processes' view of it)."""
    opened: list[QueueStore] = []
    if request.param == "sqlite":
        path = tmp_path / "queue.sqlite"

        def make() -> QueueStore:
            opened.append(SqliteTicketStore(path))
            return opened[-1]
    else:
        server: LocalPostgres = request.getfixturevalue("local_postgres")
        url = server.new_database()

        def make() -> QueueStore:
            opened.append(PostgresQueueStore(url))
            return opened[-1]

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def queue_store(store_factory: StoreFactory) -> QueueStore:
    return store_factory()
