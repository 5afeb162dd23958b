"""Every ``kiosk`` subcommand meets broken input with a message and an exit code, never a
Python traceback: missing and garbage files, a config whose key files are missing, a journal
and an audit log that are not what they should be, unknown options.

Run in-process (the dispatcher ``ui.entry`` uses), so one test covers all commands quickly.
The dispatcher's last resort ("unexpected error") is not good enough either: each command
must recognise its own broken inputs.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kiosk.config import repo_root
from ui.entry import COMMANDS, _main

CASES = [
    "config check {B}/missing.toml",
    "config check {B}/garbage.toml",
    "config check {B}/nokey.toml",
    "voucher verify --config {B}/missing.toml ADM1.x.y",
    "voucher verify ADM1.garbage.token",
    "voucher mint --doc nosuchdoc",
    "registry-sim --db /dev/null/x.sqlite --port 0",
    "registry-sim --port 99999",
    "scan-image {B}/missing.png",
    "scan-image {B}/garbage.bin",
    "virtual-printer --tcp nonsense --out {B}/vp",
    "diagnose --config {B}/missing.toml",
    "diagnose --config {B}/garbage.toml",
    "diagnose --config {B}/nokey.toml",
    "diagnose --simulate --fault camera:nosuchfault",
    "render kk --data {B}/missing.json --out {B}/x.pdf",
    "render kk --data {B}/garbage.json --out {B}/x.pdf",
    "render kk --sample --out /dev/null/x.pdf",
    "ticket --service Z --out {B}/t.bin",
    "ticket --service A --out /dev/null/t.bin",
    "session --state-dir {B}/state --token garbage --pin 1 --config {B}/missing.toml",
    "session --state-dir {B}/state --token garbage --pin 1 --config {B}/nokey.toml",
    "journal list --state-dir {B}/missing",
    "journal list --state-dir {B}/damaged",
    "journal resolve --state-dir {B}/damaged abc --printed --config {B}/nokey.toml",
    "recover --state-dir {B}/state --config {B}/nokey.toml",
    "recover --state-dir {B}/damaged --simulate",
    "audit verify --state-dir {B}/damaged",
    "audit verify --config {B}/garbage.toml",
    "technician hash-pin",
    "run --config {B}/missing.toml",
    "run --config {B}/nokey.toml",
    "run --scenario {B}/missing.toml",
    "demo --config {B}/garbage.toml --out {B}/demo",
    "queue-server --config {B}/garbage.toml",
    "queue-server --config {B}/missing.toml",
    "queue-server --db sqlite:////dev/null/queue.sqlite",
    "fleet-sim --kiosks 0",
    "fleet-sim --url http://example.com:1/",
    "fleet-sim --url http://127.0.0.1:1/ --kiosks 1 --rounds 1 --no-push --max-seconds 5",
]


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("broken")
    (folder / "garbage.toml").write_text("x = [[[\n")
    template = (repo_root() / "config" / "kiosk.toml").read_text(encoding="utf-8")
    nokey = template.replace("/var/lib/adm-kiosk", str(folder / "state"))
    (folder / "nokey.toml").write_text(nokey.replace("/etc/adm-kiosk/", f"{folder}/"))
    (folder / "garbage.bin").write_bytes(bytes(range(256)) * 2)
    (folder / "garbage.json").write_text('{"a": [1, 2')
    damaged = folder / "damaged"
    (damaged / "audit").mkdir(parents=True)
    (damaged / "journal.sqlite").write_bytes(b"not a database " * 20)
    (damaged / "audit" / "audit.log").write_bytes(b'{"seq": 1, "ha\n\x00\xff garbage\n')
    return folder


@pytest.mark.parametrize("line", CASES + [f"{name} --no-such-option" for name in COMMANDS])
def test_broken_input_gets_a_message_not_a_traceback(
    line: str,
    broken: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("not a pin\n"))
    code = _main(line.format(B=broken).split())
    out, err = capsys.readouterr()
    assert code in (1, 2), (code, out, err)
    assert (out + err).strip(), "a failure says why"
    for text in (out, err, caplog.text):
        assert "Traceback" not in text
        assert "unexpected error" not in text


def test_every_command_has_a_broken_input_case() -> None:
    """A new command needs its own broken inputs here (unknown options alone prove little)."""
    assert {line.split()[0] for line in CASES} == set(COMMANDS)
