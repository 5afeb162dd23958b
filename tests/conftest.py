import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def local_postgres() -> Iterator[object]:
    """A private PostgreSQL 15 for the whole run (kiosk.office.local_postgres); never skipped:
    missing binaries fail the tests that need it."""
    from kiosk.office.local_postgres import LocalPostgres, LocalPostgresError

    try:
        server = LocalPostgres()
    except LocalPostgresError as exc:
        pytest.fail(f"PostgreSQL tests cannot run: {exc}")
    yield server
    server.stop()
