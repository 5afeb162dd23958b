"""``kiosk virtual-printer``: run the virtual ESC/POS printer until SIGINT or SIGTERM.

The first line printed names the TCP address (port 0 picks a free one); with ``--pty`` the second
names the pseudo-terminal for serial connectors. Each job is then reported as its PNG is written.
Faults are set at run time by lines on stdin: ``inject paper_out``, ``clear paper_out``,
``faults`` (list the active ones); ``--fault NAME`` sets one from the start.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from devices.faults import Fault, FaultError
from devices.sim.virtual_escpos.server import PrintedJob, VirtualEscposPrinter
from kiosk.cli.common import start_logging

FAULT_NAMES = sorted(f.value for f in VirtualEscposPrinter.supported_faults)


def _address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT (port 0-65535), not {text!r}")
    return host, int(port)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tcp",
        type=_address,
        default=("127.0.0.1", 9100),
        metavar="HOST:PORT",
        help="listen address (default 127.0.0.1:9100; port 0 picks a free port)",
    )
    parser.add_argument("--pty", action="store_true", help="also open a pseudo-terminal")
    parser.add_argument(
        "--out", type=Path, default=Path("out/virtual-printer"), help="directory for job PNGs"
    )
    parser.add_argument("--width", type=int, choices=(58, 80), default=80, help="paper width, mm")
    parser.add_argument(
        "--fault", action="append", default=[], choices=FAULT_NAMES, help="start with a fault"
    )
    parser.add_argument("--log-level", default="WARNING", help="log level (default WARNING)")


def _say(text: str) -> None:
    print(text, flush=True)


def _control(printer: VirtualEscposPrinter, stop: threading.Event) -> None:
    """Read ``inject NAME`` / ``clear NAME`` / ``faults`` lines from stdin until EOF."""
    for line in sys.stdin:
        if stop.is_set():
            return
        words = line.split()
        if not words:
            continue
        if words[0] == "faults":
            _say("faults: " + (", ".join(sorted(printer.active_faults())) or "none"))
            continue
        if words[0] not in ("inject", "clear") or len(words) != 2:
            _say("commands: inject FAULT | clear FAULT | faults")
            continue
        try:
            fault = Fault(words[1])
            (printer.inject if words[0] == "inject" else printer.clear)(fault)
        except (ValueError, FaultError):
            _say(f"unknown fault {words[1]!r}; known: {', '.join(FAULT_NAMES)}")
            continue
        _say(f"{words[0]} {fault.value}: ok")


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    host, port = args.tcp

    def report(job: PrintedJob) -> None:
        kind = "cut" if job.complete else "partial"
        _say(f"job {job.seq} ({job.source}, {kind}, {job.bytes_received} bytes): {job.path}")

    printer = VirtualEscposPrinter(
        args.out, width_mm=args.width, host=host, port=port, pty=args.pty, on_job=report
    )
    for name in args.fault:
        printer.inject(Fault(name))
    try:
        printer.start()
    except OSError as exc:
        print(f"kiosk virtual-printer: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        _say(f"virtual ESC/POS printer listening on {printer.tcp_url}")
        if printer.pty_path:
            _say(f"virtual ESC/POS printer pty: {printer.pty_path}")
        _say(f"paper {args.width} mm, tickets in {args.out}")
        threading.Thread(target=_control, args=(printer, stop), daemon=True).start()
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        printer.stop()
    _say("virtual ESC/POS printer stopped")
    return 0
