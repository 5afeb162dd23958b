"""``kiosk registry-sim`` as a real process: the first line, serving, listing, refusals."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kiosk.cli import main

KIOSK = ["--kiosk", "KIOSK-C1:cli-test-key-1"]


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:
    """The real ``kiosk`` dispatcher, in-process (a subprocess costs seconds of imports)."""

    def run(*args: str) -> Ran:
        code = main(["registry-sim", *args])
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return run


def test_list_vouchers_prints_masked_json(tmp_path: Path, cli: Callable[..., Ran]) -> None:
    db = str(tmp_path / "r.sqlite")
    done = cli("--db", db, "--seed", "4", "--families", "2", "--list-vouchers")
    assert done.returncode == 0, done.stderr
    vouchers = json.loads(done.stdout)
    assert vouchers
    for voucher in vouchers:
        assert set(voucher) == {
            "vid",
            "doc",
            "token",
            "pin",
            "holder_nik_masked",
            "status",
            "expires",
        }
        assert re.fullmatch(r"[0-9]{4}\*{8}[0-9]{4}", voucher["holder_nik_masked"])
    assert not re.search(r"(?<![0-9])[0-9]{16}(?![0-9])", done.stdout)  # no full NIK
    again = cli("--db", db, "--seed", "4", "--families", "2", "--list-vouchers")
    assert json.loads(again.stdout) == vouchers


@pytest.mark.slow
@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_serves_on_port_zero_and_says_where_first(tmp_path: Path, stop_with: int) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "registry-sim",
            "--port",
            "0",
            "--db",
            str(tmp_path / "r.sqlite"),
            "--seed",
            "4",
            "--families",
            "1",
            *KIOSK,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        match = re.fullmatch(r"registry simulator listening on (http://127\.0\.0\.1:(\d+))", first)
        assert match, first
        assert int(match.group(2)) > 0
        health = httpx.get(f"{match.group(1)}/v1/health", timeout=5)
        assert health.json()["status"] == "ok"
        verify = httpx.post(
            f"{match.group(1)}/v1/vouchers/verify",
            timeout=5,
            json={"token": "ADM1.a.b", "pin": "123456"},
            headers={"X-Kiosk-Id": "KIOSK-C1", "Authorization": "Bearer cli-test-key-1"},
        )
        assert verify.json()["error"]["code"] == "invalid_token"  # authenticated, then refused
    finally:
        process.send_signal(stop_with)
        process.communicate(timeout=15)
    assert process.returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--kiosk", "no-colon"],
        ["--error-rate", "1.5"],
        ["--latency-ms", "-1"],
        ["--lease-seconds", "0"],
        ["--families", "0"],
    ],
)
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str], cli: Callable[..., Ran]) -> None:
    done = cli("--db", str(tmp_path / "r.sqlite"), "--list-vouchers", *args)
    assert done.returncode == 2, done.stdout


def test_another_seed_on_the_same_database_exits_2(tmp_path: Path, cli: Callable[..., Ran]) -> None:
    db = str(tmp_path / "r.sqlite")
    assert cli("--db", db, "--seed", "4", "--families", "1", "--list-vouchers").returncode == 0
    done = cli("--db", db, "--seed", "5", "--families", "1", "--list-vouchers")
    assert done.returncode == 2
    assert "seed 4" in done.stderr


def test_tls_flags_are_checked(tmp_path: Path, cli: Callable[..., Ran]) -> None:
    db = str(tmp_path / "r.sqlite")
    assert cli("--db", db, "--tls-cert", "cert.pem").returncode == 2
    assert cli("--db", db, "--client-ca", "ca.pem").returncode == 2
    missing = cli(
        "--db",
        db,
        "--port",
        "0",
        "--tls-cert",
        str(tmp_path / "no.pem"),
        "--tls-key",
        str(tmp_path / "no.key"),
    )
    assert missing.returncode == 2
    assert "TLS set-up failed" in missing.stderr
