from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devices.faults import Fault, FaultError, FaultInjectable
from devices.sim.virtual_escpos.server import PrintedJob, VirtualEscposPrinter

JOB = b"\x1b@\x1ba\x01Nomor antrian\n\x1d!\x11A-001\n\x1bd\x03\x1dV\x00"


def _status(sock: socket.socket, n: int) -> bytes:
    sock.sendall(bytes([0x10, 0x04, n]))
    return sock.recv(1)


# Expected bytes, straight from the ESC/POS spec (not from the code under test).
@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        ((), {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}),
        ((Fault.PAPER_NEAR_END,), {1: 0x12, 2: 0x12, 4: 0x1E}),
        ((Fault.PAPER_OUT,), {1: 0x1A, 2: 0x32, 4: 0x7E}),
        ((Fault.COVER_OPEN,), {1: 0x1A, 2: 0x16, 4: 0x12}),
        ((Fault.COVER_OPEN, Fault.PAPER_NEAR_END), {1: 0x1A, 2: 0x16, 4: 0x1E}),
    ],
)
def test_dle_eot_answers_follow_the_state(
    virtual_printer: VirtualEscposPrinter,
    raw_client: socket.socket,
    faults: tuple[Fault, ...],
    expected: dict[int, int],
) -> None:
    for fault in faults:
        virtual_printer.inject(fault)
    for n, value in expected.items():
        assert _status(raw_client, n) == bytes([value]), f"DLE EOT {n}"


def test_offline_printer_is_silent_and_catches_up_when_back(
    virtual_printer: VirtualEscposPrinter, raw_client: socket.socket
) -> None:
    virtual_printer.inject(Fault.OFFLINE)
    raw_client.sendall(b"\x10\x04\x01" + JOB)
    raw_client.settimeout(0.3)
    with pytest.raises(TimeoutError):
        raw_client.recv(1)
    assert virtual_printer.jobs() == []
    virtual_printer.clear(Fault.OFFLINE)
    raw_client.settimeout(2)
    assert raw_client.recv(1) == b"\x12"
    assert virtual_printer.wait_for_jobs(1, 2)


def test_jobs_are_saved_with_sequential_names(
    tmp_path: Path, virtual_printer: VirtualEscposPrinter, raw_client: socket.socket
) -> None:
    seen: list[PrintedJob] = []
    virtual_printer.on_job = seen.append
    raw_client.sendall(JOB * 3)
    assert virtual_printer.wait_for_jobs(3, 5)
    names = sorted(p.name for p in (tmp_path / "paper").iterdir())
    assert names == ["ticket-00001.png", "ticket-00002.png", "ticket-00003.png"]
    assert [j.seq for j in seen] == [1, 2, 3]
    assert all(j.complete and j.source == "tcp" for j in virtual_printer.jobs())
    assert virtual_printer.last_image() is seen[-1].image


def test_numbering_continues_after_a_restart(tmp_path: Path) -> None:
    out = tmp_path / "paper"
    for expected in ("ticket-00001.png", "ticket-00002.png"):
        with VirtualEscposPrinter(out) as printer, socket.create_connection(printer.address) as s:
            s.sendall(JOB)
            assert printer.wait_for_jobs(1, 5)
            assert printer.jobs()[0].path == out / expected


def test_paper_out_discards_the_job(
    virtual_printer: VirtualEscposPrinter, raw_client: socket.socket
) -> None:
    virtual_printer.inject(Fault.PAPER_OUT)
    raw_client.sendall(JOB)
    assert _status(raw_client, 4) == b"\x7e"  # answered after the job was read
    assert virtual_printer.jobs() == []


def test_disconnect_mid_job_drops_the_link_and_keeps_a_partial_job(
    virtual_printer: VirtualEscposPrinter, raw_client: socket.socket
) -> None:
    virtual_printer.inject(Fault.DISCONNECT_MID_JOB)
    raw_client.sendall(JOB)
    raw_client.settimeout(2)

    def read_until_closed() -> None:
        while raw_client.recv(16):
            pass

    with pytest.raises(ConnectionResetError):
        read_until_closed()
    assert virtual_printer.wait_for_jobs(1, 2)
    [job] = virtual_printer.jobs()
    assert not job.complete


def test_slow_printer_reads_at_its_rate(tmp_path: Path) -> None:
    with VirtualEscposPrinter(None, slow_bytes_per_s=2000) as printer:
        printer.inject(Fault.SLOW)
        with socket.create_connection(printer.address, timeout=5) as sock:
            started = time.monotonic()
            sock.sendall(b"x" * 600 + b"\x10\x04\x01")
            assert sock.recv(1) == b"\x12"
            assert time.monotonic() - started >= 0.25


def test_pty_answers_and_prints(virtual_printer: VirtualEscposPrinter) -> None:
    assert virtual_printer.pty_path is not None
    fd = os.open(virtual_printer.pty_path, os.O_RDWR | os.O_NOCTTY)
    try:
        os.write(fd, JOB + b"\x10\x04\x04")
        assert os.read(fd, 1) == b"\x12"
        assert virtual_printer.wait_for_jobs(1, 2)
        assert virtual_printer.jobs()[0].source == "pty"
    finally:
        os.close(fd)


def test_fault_api(virtual_printer: VirtualEscposPrinter) -> None:
    assert isinstance(virtual_printer, FaultInjectable)
    virtual_printer.inject(Fault.COVER_OPEN)
    assert virtual_printer.active_faults() == {Fault.COVER_OPEN}
    virtual_printer.clear(Fault.COVER_OPEN)
    assert virtual_printer.active_faults() == frozenset()
    with pytest.raises(FaultError):
        virtual_printer.inject(Fault.BLANKO_OUT)


def test_garbage_does_not_stop_the_printer(
    virtual_printer: VirtualEscposPrinter, raw_client: socket.socket
) -> None:
    raw_client.sendall(bytes(range(256)) * 4 + b"\x1d8L\xff\xff\xff\x7f")
    raw_client.sendall(b"\x00" * 64 + b"\x10\x04\x01")
    # The huge GS 8 L header is skipped; the status request behind it still gets its answer.
    assert raw_client.recv(1) == b"\x12"


def test_cli_names_its_address_first_and_stops_on_sigterm(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "virtual-printer", "--tcp", "127.0.0.1:0", "--pty",
         "--out", str(tmp_path / "out"), "--width", "58"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdin is not None
        first = proc.stdout.readline()
        match = re.fullmatch(
            r"virtual ESC/POS printer listening on tcp://127\.0\.0\.1:(\d+)\n", first
        )
        assert match, first
        assert proc.stdout.readline().startswith("virtual ESC/POS printer pty: /dev/pts/")
        proc.stdout.readline()
        proc.stdin.write("inject paper_near_end\n")
        proc.stdin.flush()
        assert proc.stdout.readline() == "inject paper_near_end: ok\n"
        with socket.create_connection(("127.0.0.1", int(match.group(1))), timeout=5) as sock:
            assert _status(sock, 4) == b"\x1e"
            sock.sendall(JOB)
            line = proc.stdout.readline()
        assert "ticket-00001.png" in line
        assert (tmp_path / "out" / "ticket-00001.png").exists()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_out_dir_keeps_only_the_newest_tickets(tmp_path: Path) -> None:
    out = tmp_path / "paper"
    out.mkdir()
    (out / "notes.txt").write_text("not a ticket: never touched")
    with VirtualEscposPrinter(out, keep_files=3) as printer:
        with socket.create_connection(printer.address) as s:
            s.sendall(JOB * 7)
            assert printer.wait_for_jobs(7, 10)
        assert sorted(p.name for p in out.glob("ticket-*.png")) == [
            "ticket-00005.png", "ticket-00006.png", "ticket-00007.png"
        ]  # fmt: skip
    size = (out / "ticket-00007.png").stat().st_size
    # Restarted with a byte budget of two tickets: the older files on disk count too.
    with VirtualEscposPrinter(out, keep_files=100, keep_bytes=2 * size + size // 2) as printer:
        assert sorted(p.name for p in out.glob("ticket-*.png")) == [
            "ticket-00006.png", "ticket-00007.png"
        ]  # fmt: skip
        with socket.create_connection(printer.address) as s:
            s.sendall(JOB)
            assert printer.wait_for_jobs(1, 5)
        assert sorted(p.name for p in out.glob("ticket-*.png")) == [
            "ticket-00007.png", "ticket-00008.png"
        ]  # fmt: skip
    assert (out / "notes.txt").exists()
    with pytest.raises(ValueError):
        VirtualEscposPrinter(out, keep_files=0)
