"""``kiosk queue-server``: prints its URL, serves config/office.toml, stops cleanly; bad
arguments and configs exit 2 with a message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from kiosk.cli import main
from kiosk.config import ConfigError
from kiosk.config.loader import repo_root
from kiosk.config.office import load_office_config

OFFICE = repo_root() / "config" / "office.toml"


def queue_server(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "queue-server", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(repo_root())),
    )


def test_the_example_office_config() -> None:
    config = load_office_config(OFFICE)
    agencies = {s.agency for s in config.queue.services}
    assert agencies == {"Dukcapil", "Samsat", "Imigrasi", "DPMPTSP", "Bank Daerah"}
    assert len(config.queue.counters) == 8 and all(c.pin_hash for c in config.queue.counters)
    assert {s.code: s.fee_rp for s in config.queue.services}["P"] == 350_000
    assert all(s.requirements and s.sla_minutes for s in config.queue.services)


def test_serves_then_stops_on_sigterm(tmp_path: Path) -> None:
    server = queue_server(
        "--port", "0", "--db", f"sqlite:///{tmp_path / 'q.sqlite'}", "--config", str(OFFICE),
        "--client", "kiosk-1:kiosk:kiosk-key-1", "--client", "loket-4:counter:loket-key-4",
    )  # fmt: skip
    try:
        assert server.stdout is not None
        line = server.stdout.readline().strip()
        assert line.startswith("queue server listening on http://127.0.0.1:"), line
        url = line.rsplit(" ", 1)[-1]
        headers = {"X-Client-Id": "kiosk-1", "Authorization": "Bearer kiosk-key-1"}
        with httpx.Client(base_url=url, headers=headers, timeout=10) as client:
            assert client.get("/v1/health").json()["office"].startswith("Mal Pelayanan Publik")
            services = {s["code"]: s for s in client.get("/v1/services").json()}
            assert services["S"]["agency"] == "Samsat"
            assert client.get("/openapi.json").status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    assert "booking QRs signed with kid mpp-contoh-1" in server.stderr.read()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--client", "kiosk-1:boss:key-12345678"], "ROLE is one of"),
        (["--client", "kiosk-1:kiosk:short"], "at least 8"),
        (["--client", "tv-1:counter:key-12345678"], "no counter"),
        (["--db", "mysql://x"], "sqlite:///PATH or postgresql://"),
        (["--port", "70000"], "--port"),
    ],
)
def test_bad_arguments_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["queue-server", "--config", str(OFFICE), *args]) == 2
    assert message in capsys.readouterr().err


def test_a_counter_of_an_unknown_service_is_a_config_error(tmp_path: Path) -> None:
    broken = OFFICE.read_text().replace('services = ["S"]', 'services = ["Q"]', 1)
    (tmp_path / "office.toml").write_text(broken)
    with pytest.raises(ConfigError) as caught:
        load_office_config(tmp_path / "office.toml")
    assert "unknown services ['Q']" in str(caught.value)
