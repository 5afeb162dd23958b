"""A private PostgreSQL for tests, benchmarks and demos: Debian's ``initdb`` and ``pg_ctl`` into a
temporary directory, on 127.0.0.1 and a free port, as an unprivileged user (PostgreSQL refuses
to run as root), trusted local logins only. Never for an office: there the database is the
office's own server (``--db postgresql://...``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import psycopg

log = logging.getLogger(__name__)

PG_BIN = Path(os.environ.get("KIOSK_PG_BIN", "/usr/lib/postgresql/15/bin"))
SERVICE_USER = "adm-queue-pg"  # created (useradd --system) when running as root without it


class LocalPostgresError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> str | None:
    """The user to run PostgreSQL as, or None to run it as ourselves (not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", SERVICE_USER):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
        check=True,
        capture_output=True,
    )
    return SERVICE_USER


class LocalPostgres:
    """One private cluster; :meth:`new_database` gives each user of it an empty database."""

    def __init__(self, *, durable: bool = False) -> None:
        for tool in ("initdb", "pg_ctl"):
            if not (PG_BIN / tool).is_file():
                raise LocalPostgresError(
                    f"{PG_BIN / tool} is missing: install the Debian package 'postgresql'"
                )
        self.user = _run_as()
        self.dir = Path(tempfile.mkdtemp(prefix="adm-queue-pg-"))
        self.data = self.dir / "data"
        self.port = 0
        self._started = False
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        try:
            self._start(durable)
        except BaseException:
            self.stop()
            raise

    def _cmd(self, argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        full = list(argv) if self.user is None else ["runuser", "-u", self.user, "--", *argv]
        return subprocess.run(full, capture_output=True, text=True, timeout=120, check=False)

    def _start(self, durable: bool) -> None:
        done = self._cmd(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
             "-E", "UTF8", "--locale=C", "--no-sync"]
        )  # fmt: skip
        if done.returncode != 0:
            raise LocalPostgresError(f"initdb failed: {done.stderr.strip()[-500:]}")
        options = [
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.dir}",
            "-c max_connections=200",
            "-c shared_buffers=64MB",
        ]
        if not durable:  # tests: the database process is never killed, only the queue server
            options += ["-c fsync=off", "-c full_page_writes=off"]
        for _attempt in range(5):  # a free port may be taken between the check and the start
            self.port = _free_port()
            done = self._cmd(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"),
                 "-w", "-t", "60", "-o", " ".join([f"-p {self.port}", *options]), "start"]
            )  # fmt: skip
            if done.returncode == 0:
                self._started = True
                log.info("private PostgreSQL on 127.0.0.1:%d (%s)", self.port, self.dir)
                return
            time.sleep(0.2)
        log_text = (self.dir / "log").read_text(errors="replace")[-1000:]
        raise LocalPostgresError(f"pg_ctl start failed: {done.stderr.strip()} {log_text}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "queue") -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,30}", prefix):
            raise ValueError("database prefix: lower-case letters, digits and _")
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # name: prefix + hex, no quoting needed
        return self.url(name)

    def stop(self) -> None:
        if self._started:
            self._cmd([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"])
            self._started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> LocalPostgres:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
