"""A real, throw-away ``cupsd`` for the CUPS driver tests.

Everything lives in one temporary directory: configuration, spool, logs, a ``ServerBin`` of
links to the system's filters and backends plus a small test backend (``kiosktest``). The
backend captures each job to ``capture/<queue>/job-<id>.pdf`` and simulates faults the way
real printer backends report them (``STATE:`` lines on stderr, exit codes), as told by the
control file ``control/<queue>`` (words such as ``delay=0.5 media-empty fail``).

cupsd refuses to run jobs as root, so the backend runs as ``lp``: the directory tree is made
traversable and the capture directory writable for that user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

CUPSD = shutil.which("cupsd") or "/usr/sbin/cupsd"
SYSTEM_SERVER_BIN = Path("/usr/lib/cups")

# The test backend. Exit codes are CUPS's (cups/backend.h): 0 OK, 1 FAILED (error policy
# applies), 4 STOP (printer stopped, job kept), 5 CANCEL.
BACKEND_SOURCE = r'''#!/usr/bin/python3
"""kiosktest: a CUPS backend that captures jobs and simulates printer faults."""
import os
import re
import sys
import time

ROOT = {root!r}

if len(sys.argv) == 1:
    print('direct kiosktest "Unknown" "Kiosk test backend"')
    sys.exit(0)

uri = os.environ.get("DEVICE_URI", "")
queue = re.sub(r"[^A-Za-z0-9_-]", "", uri.split("://", 1)[-1]) or "unknown"
job_id = sys.argv[1]
try:
    with open(os.path.join(ROOT, "control", queue)) as fh:
        words = fh.read().split()
except OSError:
    words = []
opts = dict(w.split("=", 1) if "=" in w else (w, "") for w in words)

if len(sys.argv) > 6:
    with open(sys.argv[6], "rb") as fh:
        data = fh.read()
else:
    data = sys.stdin.buffer.read()

def say(line):
    sys.stderr.write(line + "\n")
    sys.stderr.flush()

pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) or 1
delay = float(opts.get("delay", "0"))
say("STATE: -media-empty-error,media-jam-error,door-open-error,offline-report")

if "media-empty" in opts:
    say("STATE: +media-empty-error")
    say("ERROR: Out of paper")
    time.sleep(delay)
    sys.exit(1)
if "door-open" in opts:
    say("STATE: +door-open-error")
    time.sleep(delay)
    sys.exit(1)
if "fail" in opts:
    time.sleep(delay)
    say("ERROR: printer not responding")
    sys.exit(1)
if "stop" in opts:
    time.sleep(delay)
    sys.exit(4)

out_dir = os.path.join(ROOT, "capture", queue)
os.makedirs(out_dir, exist_ok=True)
limit = int(opts.get("pages-then-fail", "0")) or pages
for page in range(1, min(pages, limit) + 1):
    time.sleep(delay)
    say("PAGE: %d 1" % page)
tmp = os.path.join(out_dir, ".job-%s.tmp" % job_id)
with open(tmp, "wb") as fh:
    fh.write(data)
os.replace(tmp, os.path.join(out_dir, "job-%s.pdf" % job_id))
if limit < pages:
    say("STATE: +media-jam-error")
    sys.exit(1)
sys.exit(0)
'''


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
        backend.write_text(BACKEND_SOURCE.format(root=str(root)))
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
        return {
            int(p.stem.removeprefix("job-")): p.read_bytes() for p in folder.glob("job-*.pdf")
        }

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
