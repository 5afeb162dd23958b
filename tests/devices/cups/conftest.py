"""A real, throw-away ``cupsd`` for the CUPS driver tests, one per session; a queue per test.

Everything lives in one temporary directory: configuration, spool, logs, a ``ServerBin`` of
links to the system's filters and backends plus the test backend ``kiosktest``
(kiosktest_backend.py). The backend captures each job to ``capture/<queue>/job-<id>.pdf`` and
simulates faults the way real printer backends report them (``STATE:`` lines on stderr, exit
codes), as told by the control file ``control/<queue>`` (words such as ``delay=0.5 media-empty``).

cupsd refuses to run jobs as root, so the backend runs as ``lp``: the directory tree is made
traversable and the capture directory writable for that user.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen import canvas

from devices.drivers import DriverContext, build_driver
from devices.model import DeviceKind

CUPSD = shutil.which("cupsd") or "/usr/sbin/cupsd"
SYSTEM_SERVER_BIN = Path("/usr/lib/cups")

BACKEND_SCRIPT = Path(__file__).with_name("kiosktest_backend.py")


def _die_with_parent() -> None:
    """cupsd gets SIGTERM if the test process dies without stopping it (Linux prctl)."""
    with contextlib.suppress(OSError):  # not Linux: the fixture's teardown still stops it
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def system_python() -> str:
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.access(candidate, os.X_OK):
            return candidate
    return os.path.realpath(sys.executable)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class CupsServer:
    """One cupsd on 127.0.0.1:<port> and a local socket; :meth:`stop` / :meth:`start` at will."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="kiosk-cupsd-"))
        self.port = free_port()
        self.socket_path = self.root / "run" / "cups.sock"
        self.process: subprocess.Popen[bytes] | None = None
        self._lp_user = os.geteuid() == 0
        self._layout()

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def capture_dir(self) -> Path:
        return self.root / "capture"

    @property
    def error_log(self) -> Path:
        return self.root / "log" / "error_log"

    def _layout(self) -> None:
        root = self.root
        for sub in ("etc/ppd", "etc/ssl", "bin/backend", "spool/tmp", "cache", "state", "log"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        for sub in ("run", "capture", "control"):
            (root / sub).mkdir(exist_ok=True)
        for sub in ("filter", "daemon", "driver", "notifier", "monitor"):
            system = SYSTEM_SERVER_BIN / sub
            if system.exists():
                (root / "bin" / sub).symlink_to(system)
        for backend in (SYSTEM_SERVER_BIN / "backend").iterdir():
            (root / "bin" / "backend" / backend.name).symlink_to(backend)
        backend = root / "bin" / "backend" / "kiosktest"
        # The backend needs only the standard library, and must be runnable by lp: the
        # system's python3 (a venv or pyenv under /root is not).
        source = BACKEND_SCRIPT.read_text().split("\n", 1)[1]
        backend.write_text(f"#!{system_python()}\n{source}")
        backend.chmod(0o755)
        user = "User lp\nGroup lp\n" if self._lp_user else ""
        (root / "etc" / "cups-files.conf").write_text(
            f"{user}SystemGroup root\n"
            f"ServerBin {root / 'bin'}\nServerRoot {root / 'etc'}\nDataDir /usr/share/cups\n"
            f"RequestRoot {root / 'spool'}\nTempDir {root / 'spool' / 'tmp'}\n"
            f"CacheDir {root / 'cache'}\nStateDir {root / 'state'}\n"
            f"AccessLog {root / 'log' / 'access_log'}\nErrorLog {self.error_log}\n"
            f"PageLog {root / 'log' / 'page_log'}\nFileDevice No\n"
        )
        (root / "etc" / "cupsd.conf").write_text(
            f"LogLevel debug\nListen 127.0.0.1:{self.port}\nListen {self.socket_path}\n"
            "Browsing No\nWebInterface No\nDefaultAuthType None\nMaxJobTime 60\n"
            "PreserveJobHistory Yes\nPreserveJobFiles No\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  JobPrivateAccess all\n  JobPrivateValues none\n"
            "  SubscriptionPrivateAccess all\n  SubscriptionPrivateValues none\n"
            "  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
        )
        # The backend runs as lp: it must reach its script and write its captures.
        for path in (root, root / "bin", root / "bin" / "backend", root / "control"):
            path.chmod(0o755)
        (root / "capture").chmod(0o777)

    def start(self, timeout_s: float = 15.0) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        etc = self.root / "etc"
        self.process = subprocess.Popen(
            [CUPSD, "-f", "-c", str(etc / "cupsd.conf"), "-s", str(etc / "cups-files.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"cupsd exited early; see {self.error_log}:\n{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"cupsd did not listen within {timeout_s} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.error_log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no error log)"

    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": self.server}

    def add_queue(self, name: str, *, options: dict[str, str] | None = None) -> None:
        """A raw queue on the test backend; ``abort-job`` so a failed job ends ABORTED."""
        argv = ["lpadmin", "-h", self.server, "-p", name, "-E", "-v", f"kiosktest://{name}"]
        argv += ["-m", "raw", "-o", "printer-error-policy=abort-job"]
        for key, value in (options or {}).items():
            argv += ["-o", f"{key}={value}"]
        subprocess.run(argv, check=True, capture_output=True, timeout=20, env=self.env())
        self.control(name, "")

    def enable(self, name: str) -> None:
        for cmd in (["cupsenable", name], ["cupsaccept", name]):
            subprocess.run(
                [cmd[0], "-h", self.server, *cmd[1:]],
                check=True,
                capture_output=True,
                timeout=20,
                env=self.env(),
            )

    def control(self, queue: str, words: str) -> None:
        """Tell the backend how to behave for ``queue`` from the next job on."""
        path = self.root / "control" / queue
        path.write_text(words)
        path.chmod(0o644)

    def captured(self, queue: str) -> dict[int, bytes]:
        folder = self.capture_dir / queue
        if not folder.exists():
            return {}
        return {int(p.stem.removeprefix("job-")): p.read_bytes() for p in folder.glob("job-*.pdf")}

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


_queue_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def cupsd() -> Iterator[CupsServer]:
    if not Path(CUPSD).exists() and shutil.which("cupsd") is None:
        # Never a silent skip: these interop tests are the only ones against a real cupsd, and
        # CI installs it (scripts/system-packages.txt).
        pytest.fail(
            f"cupsd is not installed ({CUPSD}): install the Debian package cups-daemon "
            "(scripts/system-packages.txt); the real-cupsd tests must run, not skip",
            pytrace=False,
        )
    server = CupsServer()
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def queue(cupsd: CupsServer) -> str:
    cupsd.start()  # a test that stopped cupsd may have failed before restarting it
    name = f"kiosk{next(_queue_numbers)}"
    cupsd.add_queue(name)
    return name


def _pdf(pages: int, text: str = "Halaman") -> bytes:
    buffer = io.BytesIO()
    doc = canvas.Canvas(buffer, invariant=True)
    for number in range(1, pages + 1):
        doc.drawString(72, 720, f"{text} {number}")
        doc.showPage()
    doc.save()
    return buffer.getvalue()


@pytest.fixture
def make_pdf() -> Callable[..., bytes]:
    return _pdf


@pytest.fixture
def two_page_pdf() -> bytes:
    return _pdf(2)


@pytest.fixture
def context(tmp_path: Path) -> DriverContext:
    return DriverContext(state_dir=tmp_path / "state")


PrinterFactory = Callable[..., Any]


@pytest.fixture
def make_printer(cupsd: CupsServer, context: DriverContext) -> Iterator[PrinterFactory]:
    """Build (through the driver registry) and open a CUPS driver; closed at teardown."""
    opened: list[Any] = []

    def factory(queue: str, kind: DeviceKind = DeviceKind.DOCUMENT, **settings: Any) -> Any:
        driver = "cups" if kind is DeviceKind.DOCUMENT else "cups-card"
        values = {
            "queue": queue,
            "server": cupsd.server,
            "poll_interval_ms": 50,
            "status_interval_s": 0,
            "request_timeout_s": 3,
            **settings,
        }
        name = "document" if kind is DeviceKind.DOCUMENT else "card"
        printer = build_driver(kind, name, driver, values, context)
        printer.open()
        opened.append(printer)
        return printer

    yield factory
    for printer in opened:
        printer.close()
