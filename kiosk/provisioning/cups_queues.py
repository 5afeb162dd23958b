"""CUPS queues for the document and card printers, created from the kiosk config.

What ``scripts/provision-printers`` runs, as plain argument lists (``--dry-run`` prints them):

1. ``cupsctl``: cupsd keeps no job files (``PreserveJobFiles No``: a KK or akta PDF holds names
   and NIKs and must not stay in the spool) and a short job history (``PreserveJobHistory``,
   ``MaxJobs``): long enough for the kiosk to ask about a job after a restart (crash recovery),
   short enough that titles and times do not pile up. cupsd reloads itself.
2. ``lpadmin`` per queue: the printer's address and model from ``devices.<slot>.settings``
   (``device_uri``, ``ppd_model``), enabled and accepting, no banner pages, and the error
   policy ``abort-job``: a job that fails ends ABORTED and the kiosk decides (release, or
   SUSPECT). Never ``retry-job`` or ``retry-current-job``: CUPS would print the document again
   by itself, pages that already came out included.
3. A check over IPP that each queue has what was asked.

Simulated printers (driver "sim") have no queue and are skipped.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devices.drivers import DriverError, driver_class
from devices.model import DeviceKind
from devices.printers.ipp import IppClient, IppError, IppUnavailable
from kiosk.config.loader import ConfigError, load_config
from kiosk.config.models import KioskConfig

ERROR_POLICY = "abort-job"
NEVER_POLICIES = frozenset({"retry-job", "retry-current-job"})
HISTORY_S = 86_400  # a day of job history: recovery asks about jobs from before a restart
MAX_JOBS = 300
CUPS_SLOTS = (("document", DeviceKind.DOCUMENT, "dokumen A4"), ("card", DeviceKind.CARD, "kartu"))
_CHECKED = ["device-uri", "printer-error-policy", "printer-is-accepting-jobs", "printer-state",
            "job-sheets-default"]  # fmt: skip


class ProvisionError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True, slots=True)
class QueuePlan:
    slot: str
    queue: str
    server: str
    device_uri: str
    model: str
    description: str
    location: str


def queue_plans(config: KioskConfig) -> list[QueuePlan]:
    """The CUPS queues the config's document and card printers need."""
    plans = []
    for slot, kind, what in CUPS_SLOTS:
        cfg = getattr(config.devices, slot)
        if cfg is None or not cfg.enabled or cfg.driver == "sim":
            continue
        try:
            settings: Any = driver_class(kind, cfg.driver, f"devices.{slot}").Settings
            parsed = settings.model_validate(cfg.settings)
        except DriverError as exc:
            raise ProvisionError(exc.path, exc.message) from None
        except ValueError as exc:
            raise ProvisionError(f"devices.{slot}.settings", str(exc)) from None
        if not hasattr(parsed, "queue"):
            continue  # not a CUPS driver
        if parsed.device_uri is None:
            raise ProvisionError(
                f"devices.{slot}.settings.device_uri",
                "needed to create the queue (`lpinfo -v` lists the printers' addresses)",
            )
        plans.append(
            QueuePlan(
                slot=slot,
                queue=parsed.queue,
                server=parsed.server,
                device_uri=parsed.device_uri,
                model=parsed.ppd_model,
                description=f"ADM kiosk: {what}",
                location=f"{config.kiosk.id} {config.kiosk.office}",
            )
        )
    return plans


def server_argv(server: str, history_s: int = HISTORY_S, max_jobs: int = MAX_JOBS) -> list[str]:
    return ["cupsctl", "-h", server, "PreserveJobFiles=No",
            f"PreserveJobHistory={history_s}", f"MaxJobs={max_jobs}"]  # fmt: skip


def lpadmin_argv(plan: QueuePlan) -> list[str]:
    return [
        "lpadmin", "-h", plan.server, "-p", plan.queue, "-E",
        "-v", plan.device_uri, "-m", plan.model,
        "-D", plan.description, "-L", plan.location,
        "-o", f"printer-error-policy={ERROR_POLICY}",
        "-o", "printer-op-policy=default",
        "-o", "job-sheets-default=none,none",
    ]  # fmt: skip


def check_queue(plan: QueuePlan, timeout_s: float = 30.0) -> list[str]:
    """What is not as provisioned on ``plan``'s queue (empty: all is well). cupsd may be
    reloading its settings: an unreachable server is asked again until ``timeout_s``."""
    client = IppClient(plan.server, 5.0)
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                attrs = client.printer_attributes(plan.queue, _CHECKED)
                break
            except IppUnavailable as exc:
                if time.monotonic() > deadline:
                    return [f"queue {plan.queue}: cannot be read over IPP: {exc}"]
                time.sleep(0.2)
            except IppError as exc:
                return [f"queue {plan.queue}: cannot be read over IPP: {exc}"]
    finally:
        client.close()

    def first(name: str) -> Any:
        return (attrs.get(name) or [None])[0]

    problems = []
    if first("device-uri") != plan.device_uri:
        problems.append(f"device-uri is {first('device-uri')!r}, not {plan.device_uri!r}")
    policy = first("printer-error-policy")
    if policy != ERROR_POLICY:
        problems.append(f"printer-error-policy is {policy!r}, not {ERROR_POLICY!r}")
    if first("printer-is-accepting-jobs") is not True:
        problems.append("the queue does not accept jobs")
    if first("printer-state") == 5:
        problems.append("the queue is stopped")
    if (attrs.get("job-sheets-default") or ["none"])[0] != "none":
        problems.append(f"banner pages: {attrs.get('job-sheets-default')}")
    return [f"queue {plan.queue}: {p}" for p in problems]


def _run(argv: list[str], reconnect_s: float = 30.0) -> None:
    """Run one CUPS command. cupsd restarts after ``cupsctl`` changes its settings: a command
    that cannot connect is tried again for up to ``reconnect_s``."""
    deadline = time.monotonic() + reconnect_s
    while True:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode == 0:
            return
        detail = (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"
        if "Unable to connect" not in detail or time.monotonic() > deadline:
            raise RuntimeError(f"{argv[0]} failed: {detail}")
        time.sleep(0.2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="provision-printers", description=__doc__.split("\n", 1)[0]
    )
    parser.add_argument("--config", type=Path, default=Path("/etc/adm-kiosk/kiosk.toml"))
    parser.add_argument("--dry-run", action="store_true", help="print the commands only")
    parser.add_argument("--history-s", type=int, default=HISTORY_S, help="job history, seconds")
    parser.add_argument("--max-jobs", type=int, default=MAX_JOBS, help="jobs cupsd remembers")
    args = parser.parse_args(argv)
    try:
        plans = queue_plans(load_config(args.config))
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    except ProvisionError as exc:
        print(f"{args.config}: {exc}", file=sys.stderr)
        return 2
    if not plans:
        print("no CUPS printers in the config: nothing to provision")
        return 0
    commands = [
        server_argv(s, args.history_s, args.max_jobs) for s in sorted({p.server for p in plans})
    ]
    commands += [lpadmin_argv(plan) for plan in plans]
    if args.dry_run:
        for command in commands:
            print(subprocess.list2cmdline(command))
        return 0
    try:
        for command in commands:
            _run(command)
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"provisioning failed: {exc}", file=sys.stderr)
        return 1
    problems = [problem for plan in plans for problem in check_queue(plan)]
    for problem in problems:
        print(problem, file=sys.stderr)
    for plan in plans:
        print(f"queue {plan.queue} ({plan.slot}): {plan.device_uri}, {ERROR_POLICY}")
    return 1 if problems else 0
