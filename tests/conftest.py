import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# KIOSK_TEST_CLOCK_SHIFT_DAYS=N: the whole run (this process and every Python subprocess, which
# inherit PYTHONPATH) sees the wall clock N days ahead; see clock_shift/sitecustomize.py.
CLOCK_SHIFT_DIR = Path(__file__).resolve().with_name("clock_shift")
if os.environ.get("KIOSK_TEST_CLOCK_SHIFT_DAYS", "").strip():
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(CLOCK_SHIFT_DIR) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(CLOCK_SHIFT_DIR), *paths])
    loaded = sys.modules.get("sitecustomize")
    if loaded is None or Path(loaded.__file__ or "").resolve().parent != CLOCK_SHIFT_DIR:
        spec = importlib.util.spec_from_file_location(
            "sitecustomize", CLOCK_SHIFT_DIR / "sitecustomize.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["sitecustomize"] = module
        spec.loader.exec_module(module)


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
