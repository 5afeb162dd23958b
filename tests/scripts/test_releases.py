"""Releases: a wheel install that finds its config, a production install without the simulator,
and versioned installs that upgrade and roll back without touching the kiosk's data.

Nothing is downloaded: the kiosk's wheel is built here (``pip wheel --no-deps``), and the
packages it needs come from this venv (hard-linked into test venvs, or repacked as wheels for
``scripts/adm-kiosk-release``, which installs them with ``pip --require-hashes --no-index``).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from builders.wheels import build_kiosk_wheel, lock_line, repack, reversion
from packaging.requirements import Requirement

from kiosk.audit import AuditLog
from kiosk.config import repo_root
from kiosk.engine.journal import Journal, TxState
from kiosk.queue import SqliteTicketStore
from ui.demo.runtime_venv import distribution_closure, readable_python, runtime_venv

pytestmark = pytest.mark.slow

RELEASE = repo_root() / "scripts" / "adm-kiosk-release"
SIM_MODULES = ("fastapi", "uvicorn", "starlette", "psycopg")  # the sim and office extras
PIP = f"{sys.executable} -m pip"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("releases")


@pytest.fixture(scope="module")
def kiosk_wheel(work: Path) -> Path:
    return build_kiosk_wheel(work / "build")


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without PYTHONPATH: installed code must not see the checkout's."""
    return {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, **extra}


def install_wheel(venv: Path, wheel: Path) -> Path:
    subprocess.run(
        [*PIP.split(), "--quiet", "--python", str(venv / "bin" / "python"), "install",
         "--no-index", "--no-deps", str(wheel)],
        check=True,
        timeout=300,
        env=clean_env(),
    )  # fmt: skip
    return venv / "bin" / "kiosk"


def run(
    kiosk: Path, *args: str, env: dict[str, str] | None = None, cwd: Path = Path("/")
) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(kiosk), *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=cwd,
        env={**base, **(env or {})},
        check=False,
    )


# -- a wheel install finds its config ---------------------------------------------------------


@pytest.fixture(scope="module")
def wheel_install(work: Path, kiosk_wheel: Path) -> Path:
    """The wheel in a venv with every runtime and simulator package: no checkout anywhere."""
    venv = work / "wheel-venv"
    runtime_venv(venv, python=readable_python(None), extras=("sim",))
    return install_wheel(venv, kiosk_wheel)


def test_wheel_install_runs_the_simulator_from_its_bundled_config(
    wheel_install: Path, tmp_path: Path
) -> None:
    done = run(wheel_install, "diagnose", "--simulate", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "HEALTHY" in done.stdout
    # The bundled simulator config keeps its state in the user's state folder, never in
    # site-packages; with no /etc/adm-kiosk/kiosk.toml it is the default config.
    state = tmp_path / "xdg"
    listing = run(wheel_install, "journal", "list", env={"XDG_STATE_HOME": str(state)})
    assert listing.returncode == 1
    assert listing.stderr.strip() == f"no journal at {state}/adm-kiosk/simulator/journal.sqlite"


def test_wheel_install_reads_kiosk_config(wheel_install: Path, tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("x = [[[\n")
    done = run(wheel_install, "config", "check", env={"KIOSK_CONFIG": str(config)})
    assert done.returncode == 2
    assert f"config error in {config}" in done.stderr


# -- production never imports the simulator's packages ----------------------------------------


@pytest.fixture(scope="module")
def production(work: Path, kiosk_wheel: Path) -> tuple[Path, Path]:
    """The wheel in a venv with the runtime packages only, and a production config whose
    devices and registry are absent (nothing listens; no camera, printer or cupsd)."""
    venv = work / "production-venv"
    runtime_venv(venv, python=readable_python(None))
    kiosk = install_wheel(venv, kiosk_wheel)
    return kiosk, production_config(work / "production-etc", work / "production-state")


def production_config(etc: Path, state: Path) -> Path:
    """The production template with its key files in ``etc``; its registry and devices are
    absent (nothing listens on 127.0.0.1:9; no camera, printer or cupsd)."""
    etc.mkdir()
    (etc / "kiosk.key").write_text("production-kiosk-key\n")
    (etc / "audit.key").write_bytes(os.urandom(32))
    (etc / "audit.key").chmod(0o600)  # the chain key: nobody else may read it
    text = (repo_root() / "config" / "kiosk.toml").read_text(encoding="utf-8")
    for old, new in (
        ("https://registry.dukcapil.example/", "https://127.0.0.1:9/"),
        ("/var/lib/adm-kiosk", str(state)),
        ("device = 0 ", f'device = "{etc}/no-camera" '),
        ("metrics_port = 9108", "metrics_port = 0"),
        ("/etc/adm-kiosk/", f"{etc}/"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    text = "\n".join(  # no TLS client files: the registry is not there anyway
        line for line in text.splitlines() if not line.startswith(("ca_file", "client_"))
    )
    config = etc / "kiosk.toml"
    config.write_text(text + "\n")
    return config


def test_production_venv_has_no_simulator_packages(production: tuple[Path, Path]) -> None:
    kiosk, _ = production
    python = kiosk.with_name("python")
    for module in SIM_MODULES:
        done = subprocess.run([str(python), "-c", f"import {module}"], capture_output=True)
        assert done.returncode != 0, f"{module} is installed in the production venv"


def test_production_kiosk_runs_without_the_simulator(production: tuple[Path, Path]) -> None:
    kiosk, config = production
    done = run(kiosk, "run", "--config", str(config), env={"KIOSK_EXIT_ON_ATTRACT": "ready"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "KIOSK_READY" in done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("config", "check"), 0),
        (("diagnose",), 1),  # nothing is attached: not healthy, but it says so
        (("voucher", "verify", "ADM1.not.valid"), 1),
        (("audit", "verify"), 0),
    ],
)
def test_production_commands_without_the_simulator(
    production: tuple[Path, Path], args: tuple[str, ...], code: int
) -> None:
    kiosk, config = production
    done = run(kiosk, *args, env={"KIOSK_CONFIG": str(config)})
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "extra" not in done.stderr


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (("run", "--simulate"), "sim"),
        (("diagnose", "--simulate"), "sim"),
        (("queue-server", "--port", "0"), "office"),  # an office's server, not a kiosk's
    ],
)
def test_without_an_extra_a_command_says_what_to_install(
    production: tuple[Path, Path], args: tuple[str, ...], extra: str
) -> None:
    kiosk, _ = production
    done = run(kiosk, *args)
    assert done.returncode == 2
    assert f"needs the {extra!r} extra" in done.stderr and f"adm-kiosk[{extra}]" in done.stderr
    assert "Traceback" not in done.stderr


# -- versioned installs, upgrade, rollback ----------------------------------------------------

LOCKED = ("pydantic", "cryptography", "httpx", "reportlab")  # config check, journal list


@pytest.fixture(scope="module")
def releases(work: Path, kiosk_wheel: Path) -> dict[str, Path]:
    """Three versions of the kiosk's wheel, a wheel folder and a lock file with their hashes."""
    names = sorted(distribution_closure(Requirement(name) for name in LOCKED))
    wheels = [repack(name, work / "wheelhouse") for name in names]
    (work / "kiosk.lock").write_text("".join(lock_line(w) + "\n" for w in wheels))
    return {
        version: reversion(kiosk_wheel, version, names, work / "kiosk-wheels")
        for version in ("1.0.0", "1.0.1", "1.0.2")
    }


def kiosk_data(state: Path) -> None:
    """A journal with a printed and a SUSPECT transaction, queue tickets, an audit log."""
    journal = Journal(state / "journal.sqlite")
    printed = journal.begin("VCH-PRINTED01", "kk", None)
    journal.advance(printed.txid, TxState.COMMITTED)
    journal.begin("VCH-SUSPECT01", "akta-kelahiran", None)
    journal.close()
    store = SqliteTicketStore(state / "queue.sqlite")
    at = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    for service in ("A", "A", "B"):
        store.issue(service, date(2026, 3, 2), priority=False, quota=100, at=at)
    store.close()
    AuditLog(state / "audit").append("session", outcome="printed", seconds=12.5)


def digests(state: Path) -> dict[str, str]:
    return {
        str(path.relative_to(state)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(state.rglob("*"))
        if path.is_file()
    }


def test_install_upgrade_rollback_keep_the_data(work: Path, releases: dict[str, Path]) -> None:
    prefix, state, etc = work / "opt" / "adm-kiosk", work / "var-lib", work / "etc"
    state.mkdir()
    config = production_config(etc, state)
    kiosk_data(state)
    before = digests(state)
    env = clean_env(
        PREFIX=str(prefix), PYTHON=readable_python(None), PIP=PIP, KIOSK_CONFIG=str(config)
    )
    lock = ["--lock", str(work / "kiosk.lock"), "--wheels", str(work / "wheelhouse")]

    def release(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["sh", str(RELEASE), *args], env=env, capture_output=True, text=True, timeout=300
        )

    def check(current: str, previous: str | None, *, read: bool = True) -> None:
        assert os.readlink(prefix / "current") == f"releases/{current}"
        if previous is None:
            assert not (prefix / "previous").is_symlink()
        else:
            assert os.readlink(prefix / "previous") == f"releases/{previous}"
        assert digests(state) == before  # not a byte of the data changed ...
        if read:  # ... and the release now current reads it
            kiosk = prefix / "current" / "venv" / "bin" / "kiosk"
            listed = run(kiosk, "journal", "list", "--json", "--state-dir", str(state))
            assert listed.returncode == 0, listed.stderr
            vids = {r["vid"] for r in json.loads(listed.stdout)}
            assert vids == {"VCH-PRINTED01", "VCH-SUSPECT01"}

    done = release("install", str(releases["1.0.0"]), *lock)
    assert done.returncode == 0, done.stderr
    check("1.0.0", None)
    done = release("install", str(releases["1.0.1"]), *lock)
    assert done.returncode == 0, done.stderr
    assert "current release: 1.0.1 (previous: 1.0.0)" in done.stdout
    check("1.0.1", "1.0.0")
    done = release("rollback")
    assert done.returncode == 0, done.stderr
    check("1.0.0", "1.0.1")
    assert release("list").stdout == "1.0.0 (current)\n1.0.1 (previous)\n"

    # A wheel that does not match the lock's hashes is not installed; the kiosk stays put.
    tampered = work / "tampered.lock"
    text = (work / "kiosk.lock").read_text()
    first = text.splitlines()[0]
    pinned = first.partition(" --hash=")[0]
    tampered.write_text(text.replace(first, f"{pinned} --hash=sha256:{'0' * 64}"))
    bad = release("install", str(releases["1.0.2"]), "--lock", str(tampered), *lock[2:])
    assert bad.returncode != 0 and "HASH" in bad.stderr.upper()
    assert not (prefix / "releases" / "1.0.2").exists()
    check("1.0.0", "1.0.1", read=False)

    # An upgrade that cannot read this kiosk's config is not switched to.
    (etc / "kiosk.key").unlink()
    refused = release("install", str(releases["1.0.2"]), *lock)
    assert refused.returncode == 2, refused.stderr
    assert "registry.key_file" in refused.stderr and "fails 'kiosk config check" in refused.stderr
    assert not (prefix / "releases" / "1.0.2").exists()
    check("1.0.0", "1.0.1", read=False)
    kiosk = prefix / "current" / "venv" / "bin" / "kiosk"
    verified = run(kiosk, "audit", "verify", "--state-dir", str(state))
    assert verified.returncode == 0 and "intact: 1 entries" in verified.stdout

    assert release("remove", "1.0.0").returncode == 2  # the current release stays
    assert release("install", str(releases["1.0.0"]), *lock).returncode == 2  # current already
