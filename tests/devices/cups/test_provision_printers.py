"""scripts/provision-printers against the suite's private cupsd: queues from the kiosk config,
no job files kept, a short history, and an error policy that never reprints by itself."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from devices.ports import JobState
from devices.printers.ipp import IppClient
from kiosk.config.loader import repo_root

pytestmark = pytest.mark.slow

SCRIPT = repo_root() / "scripts" / "provision-printers"
TEMPLATE = repo_root() / "config" / "kiosk.toml"
_numbers = itertools.count(1)


def kiosk_config(tmp_path: Path, server: str, a4: str, card: str) -> Path:
    """The production template, its printers pointed at the private cupsd's test backend."""
    text = TEMPLATE.read_text(encoding="utf-8")
    for queue in (a4, card):
        original = 'queue = "adm-a4"' if queue == a4 else 'queue = "adm-card"'
        assert original in text
        text = text.replace(original, f'queue = "{queue}"\nserver = "{server}"\n'
                            f'device_uri = "kiosktest://{queue}"\nppd_model = "raw"')  # fmt: skip
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def provision(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--config", str(config), *args],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip


def server_settings(cupsd: Any) -> dict[str, str]:
    done = subprocess.run(["cupsctl", "-h", cupsd.server], capture_output=True, text=True,
                          timeout=20, env=cupsd.env(), check=True)  # fmt: skip
    return dict(line.split("=", 1) for line in done.stdout.split() if "=" in line)


RELOADED = "Partial reload complete."


def reloads(cupsd: Any) -> int:
    return cupsd.error_log.read_text(errors="replace").count(RELOADED)


def wait_reloaded(cupsd: Any, before: int) -> None:
    """cupsd reloads itself after cupsctl changed its settings; wait until it has."""
    deadline = time.monotonic() + 15
    while reloads(cupsd) <= before:
        assert time.monotonic() < deadline, "cupsd did not reload"
        time.sleep(0.05)


def test_queues_are_created_private_and_never_retry(
    cupsd: Any, tmp_path: Path, make_printer: Any, make_pdf: Any
) -> None:
    n = next(_numbers)
    a4, card = f"adm-a4-{n}", f"adm-card-{n}"
    cupsd.start()
    # As a stock cupsd is: job files kept, and an old queue of that name that retried jobs.
    cupsd.add_queue(a4, options={"printer-error-policy": "retry-job"})
    before = reloads(cupsd)
    subprocess.run(["cupsctl", "-h", cupsd.server, "PreserveJobFiles=Yes"], check=True,
                   capture_output=True, timeout=20, env=cupsd.env())  # fmt: skip
    wait_reloaded(cupsd, before)
    config = kiosk_config(tmp_path, cupsd.server, a4, card)

    dry = provision(config, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "PreserveJobFiles=No" in dry.stdout and f"-p {a4}" in dry.stdout

    before = reloads(cupsd)
    done = provision(config)
    assert done.returncode == 0, done.stderr + done.stdout
    assert f"queue {a4} (document)" in done.stdout and f"queue {card} (card)" in done.stdout
    wait_reloaded(cupsd, before)
    settings = server_settings(cupsd)
    assert settings["PreserveJobFiles"] == "No"
    assert settings["PreserveJobHistory"] == "86400" and settings["MaxJobs"] == "300"

    client = IppClient(cupsd.server)
    try:
        for queue in (a4, card):
            attrs = client.printer_attributes(
                queue,
                [
                    "device-uri",
                    "printer-error-policy",
                    "printer-is-accepting-jobs",
                    "job-sheets-default",
                    "printer-info",
                ],
            )
            assert attrs["device-uri"] == [f"kiosktest://{queue}"]
            assert attrs["printer-error-policy"] == ["abort-job"]
            assert attrs["printer-is-accepting-jobs"] == [True]
            assert attrs["job-sheets-default"][0] == "none"
            assert attrs["printer-info"][0].startswith("ADM kiosk")
    finally:
        client.close()
    options = subprocess.run(["lpoptions", "-h", cupsd.server, "-p", a4], capture_output=True,
                             text=True, timeout=20, env=cupsd.env(), check=True).stdout  # fmt: skip
    assert f"device-uri=kiosktest://{a4}" in options.split()
    assert "printer-info='ADM kiosk: dokumen A4'" in options

    # A document prints, and nothing of it stays in the spool (only the job's record does).
    printer = make_printer(a4)
    job = printer.submit(make_pdf(2, "NIK 3201014508900001"), title="ADM-KK-provision", pages=2)
    assert printer.wait(job, timeout_s=30).state is JobState.COMPLETED
    spool = cupsd.root / "spool"
    deadline = time.monotonic() + 10
    while [p for p in spool.iterdir() if p.name.startswith("d")] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p.name for p in spool.iterdir() if p.name.startswith("d")]
    assert printer.job_outcome(job).state is JobState.COMPLETED  # the history is still there

    before = reloads(cupsd)
    again = provision(config)  # provisioning twice changes nothing
    assert again.returncode == 0, again.stderr
    wait_reloaded(cupsd, before)  # the next test finds cupsd settled


def test_a_cups_printer_without_an_address_is_a_config_error(tmp_path: Path) -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    config = tmp_path / "kiosk.toml"
    config.write_text(text, encoding="utf-8")
    done = provision(config, "--dry-run")
    assert done.returncode == 2
    assert "devices.document.settings.device_uri" in done.stderr
