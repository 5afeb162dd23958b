"""The operations files: systemd unit, cage session script, udev rules, PAM file, installer."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from fakes.udev_rules import check_rules

from ui.technician.entry import EXIT_TECHNICIAN

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
UNIT = SCRIPTS / "systemd" / "adm-kiosk@.service"
SESSION = SCRIPTS / "adm-kiosk-session"
RULES = SCRIPTS / "udev" / "70-adm-kiosk.rules"
INSTALL = SCRIPTS / "install-operations.sh"


def unit_entries(text: str) -> dict[str, list[str]]:
    """``Section.Key`` -> values, in order (systemd allows repeated keys)."""
    entries: dict[str, list[str]] = {}
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            assert line.endswith("]"), raw
            section = line[1:-1]
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not KEY=value: {raw!r}"
        entries.setdefault(f"{section}.{key}", []).append(value)
    return entries


def test_unit_is_notify_with_watchdog_and_restart() -> None:
    unit = unit_entries(UNIT.read_text(encoding="utf-8"))
    assert unit["Service.Type"] == ["notify"]
    assert unit["Service.NotifyAccess"] == ["all"]  # the app is cage's child
    assert unit["Service.Restart"] == ["always"]
    assert int(unit["Service.WatchdogSec"][0]) > 0
    assert unit["Service.RestartPreventExitStatus"] == [str(EXIT_TECHNICIAN)]
    assert unit["Service.ExecStart"] == ["/opt/adm-kiosk/scripts/adm-kiosk-session"]
    assert unit["Unit.StartLimitIntervalSec"] == ["0"]
    assert unit["Service.PAMName"] == ["adm-kiosk"]


def test_unit_passes_systemd_analyze(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    text = UNIT.read_text(encoding="utf-8").replace(
        "/opt/adm-kiosk/scripts/adm-kiosk-session", shutil.which("true") or "/bin/true"
    )
    unit = tmp_path / "adm-kiosk@tty1.service"
    unit.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [analyze, "verify", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
        check=False,
    )
    problems = [line for line in done.stderr.splitlines() if "adm-kiosk" in line]
    assert problems == [], done.stderr


def fake_cage(bin_dir: Path) -> Path:
    """A stand-in for cage: records its arguments and environment, runs the client after
    ``--`` and exits 0 whatever the client did (not every cage passes its client's code on)."""
    record = bin_dir / "cage.out"
    cage = bin_dir / "cage"
    script = [
        "#!/bin/sh",
        f'{{ printf "%s\\n" "$@"; echo "--env--"; env; }} > "{record}"',
        'while [ "$1" != "--" ]; do shift; done; shift',
        '"$@"',
        "exit 0",
    ]
    cage.write_text("\n".join(script) + "\n", encoding="utf-8")
    cage.chmod(0o755)
    return record


def test_session_runs_kiosk_under_cage(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = fake_cage(bin_dir)
    kiosk = bin_dir / "kiosk"
    kiosk.write_text('#!/bin/sh\necho "$@" > "$(dirname "$0")/kiosk.args"\nexit 4\n')
    kiosk.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "KIOSK_BIN": str(kiosk),
        "KIOSK_CONFIG": "/etc/adm-kiosk/kiosk.toml",
        "WATCHDOG_PID": "1",
        "WATCHDOG_USEC": "30000000",
        "NOTIFY_SOCKET": "/run/systemd/notify",
        "RUNTIME_DIRECTORY": str(tmp_path),
    }
    done = subprocess.run(["sh", str(SESSION)], env=env, timeout=30, check=False)
    assert done.returncode == 4  # the app's exit code reaches systemd through cage
    assert (bin_dir / "kiosk.args").read_text() == "run --config /etc/adm-kiosk/kiosk.toml\n"
    args, _, environment = record.read_text(encoding="utf-8").partition("--env--\n")
    assert args.split("\n")[:2] == ["-d", "--"]
    variables = dict(line.split("=", 1) for line in environment.splitlines() if "=" in line)
    assert "WATCHDOG_PID" not in variables
    assert variables["WATCHDOG_USEC"] == "30000000"
    assert variables["NOTIFY_SOCKET"] == "/run/systemd/notify"
    assert variables["QT_QPA_PLATFORM"] == "wayland"
    assert list(tmp_path.glob("adm-kiosk-exit.*")) == []  # the status file is cleaned up


def test_session_exit_code_when_the_app_is_killed(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_cage(bin_dir)
    kiosk = bin_dir / "kiosk"
    kiosk.write_text("#!/bin/sh\nkill -9 $$\n", encoding="utf-8")
    kiosk.chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "KIOSK_BIN": str(kiosk), "TMPDIR": str(tmp_path)}
    done = subprocess.run(["sh", str(SESSION)], env=env, timeout=30, check=False)
    assert done.returncode == 137  # the shell's status of a SIGKILLed app: systemd restarts


def test_session_without_cage_says_so(tmp_path: Path) -> None:
    done = subprocess.run(
        ["/bin/sh", str(SESSION)],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2 and "cage is not installed" in done.stderr


def test_udev_rules_are_well_formed() -> None:
    symlinks = check_rules(RULES.read_text(encoding="utf-8"))
    assert symlinks == {"adm-receipt", "adm-card-printer", "adm-camera"}


def test_installer_copies_files_under_destdir(tmp_path: Path) -> None:
    done = subprocess.run(
        ["sh", str(INSTALL)],
        env={"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "DESTDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for path, mode in (
        ("etc/systemd/system/adm-kiosk@.service", 0o644),
        ("etc/udev/rules.d/70-adm-kiosk.rules", 0o644),
        ("etc/pam.d/adm-kiosk", 0o644),
        ("opt/adm-kiosk/scripts/adm-kiosk-session", 0o755),
        ("etc/adm-kiosk/kiosk.toml", 0o640),
    ):
        installed = tmp_path / path
        assert installed.is_file(), path
        assert stat.S_IMODE(installed.stat().st_mode) == mode, path
    assert (tmp_path / "etc/systemd/system/adm-kiosk@.service").read_bytes() == UNIT.read_bytes()
