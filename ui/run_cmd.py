"""``kiosk run [--simulate] [--config FILE] [--state-dir DIR] [--windowed]``: start the kiosk.

With ``--simulate`` everything is simulated (config/simulator.toml by default: registry
simulator on loopback, virtual printers, simulated camera) and a simulator panel sits beside
the kiosk window. Without it, the config's real drivers are used (config/kiosk.toml).

Exit codes: 0 closed normally, 1 the kiosk failed, 2 usage or configuration errors,
70 an unhandled exception (the supervisor restarts the kiosk).

``KIOSK_EXIT_ON_ATTRACT=1`` (for the cold-start benchmark) prints ``KIOSK_ATTRACT_SHOWN`` with
the seconds since process start, the peak RSS (KiB) and the CPU seconds used, and exits, once
the attract screen is shown; ``=ready`` then also waits until the kiosk behind it has started
and prints ``KIOSK_READY`` with the seconds and the resident memory at that point.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from kiosk.cli.common import load_or_report, start_logging
from kiosk.config.loader import SYSTEM_CONFIG, bundled_config
from thirdparty import glibc_malloc

log = logging.getLogger(__name__)

EXIT_ON_ATTRACT_ENV = "KIOSK_EXIT_ON_ATTRACT"
ATTRACT_MARKER = "KIOSK_ATTRACT_SHOWN"
READY_MARKER = "KIOSK_READY"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--simulate", action="store_true", help="simulate every device")
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="config file (default: the bundled simulator.toml with --simulate, else "
        f"$KIOSK_CONFIG or {SYSTEM_CONFIG})",
    )
    parser.add_argument("--state-dir", type=Path, default=None, help="journal, queue, paper")
    parser.add_argument("--windowed", action="store_true", help="a normal window, not full screen")
    parser.add_argument(
        "--scenario",
        type=Path,
        default=None,
        help="simulator only: a TOML file of timed faults (see config/scenarios/)",
    )
    parser.add_argument("--log-level", default="INFO", help="log level (default INFO)")


def default_config(simulate: bool) -> Path:
    if simulate:
        return bundled_config("simulator.toml")
    env = os.environ.get("KIOSK_CONFIG")
    return Path(env) if env else SYSTEM_CONFIG


def _process_seconds() -> float:
    """Seconds since this process started (from /proc when available)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.process_time()


def _rss_kb() -> int:
    """Resident memory now, in KiB (peak when /proc is not there)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run(args: argparse.Namespace) -> int:
    # Before any thread: all of them allocate from the main arena, which the camera's trim at
    # rest shrinks whole (thirdparty/glibc_malloc.py). Measured: a thread's arena otherwise kept
    # 5-11 MB of frames after every scan.
    glibc_malloc.one_arena()
    start_logging(args)
    if args.scenario is not None and not args.simulate:
        print("--scenario needs --simulate: faults go to simulators only", file=sys.stderr)
        return 2
    if args.simulate:
        from kiosk.cli import missing_extra

        missing = missing_extra("sim")
        if missing is not None:
            print(f"kiosk run --simulate: {missing}", file=sys.stderr)
            return 2
    path = args.config or default_config(args.simulate)
    config = load_or_report(path, simulate=args.simulate, files=not args.simulate)
    if config is None:
        return 2
    scenario = None
    if args.scenario is not None:
        from kiosk.scenario import Scenario, ScenarioError

        try:
            scenario = Scenario.load(args.scenario)
        except ScenarioError as exc:
            print(f"scenario error: {exc}", file=sys.stderr)
            return 2
    args.loaded_scenario = scenario
    from ui.lockdown import install_crash_handlers

    crash = install_crash_handlers()
    try:
        return _run(config, args)
    finally:
        crash.uninstall()


def _run(config: object, args: argparse.Namespace) -> int:
    from kiosk.config.models import KioskConfig
    from ui.app import build_ui, create_application
    from ui.startup import KioskStarter

    assert isinstance(config, KioskConfig)
    app = create_application(sys.argv[:1])
    # The attract loop first: the kiosk starts behind it (devices, recovery, registry).
    ui = build_ui(None, config, app=app, simulate=args.simulate, windowed=args.windowed)
    if os.environ.get(EXIT_ON_ATTRACT_ENV):
        _exit_when_attract_shown(ui, app)
    from ui.systemd_watchdog import SystemdWatchdog

    watchdog = SystemdWatchdog(ui.window)  # READY=1 on the attract screen, then WATCHDOG=1
    ui.top.show()

    def build() -> object:
        from kiosk.bootstrap import build_kiosk

        kiosk = build_kiosk(config, simulate=args.simulate, state_dir=args.state_dir)
        try:
            kiosk.start()
        except BaseException:
            kiosk.stop()
            raise
        if args.loaded_scenario is not None and kiosk.faults is not None:  # --simulate only
            from kiosk.scenario import ScenarioRunner

            runner = ScenarioRunner(args.loaded_scenario, kiosk.faults, kiosk.simulator)
            runners.append(runner)
            runner.start()
        return kiosk

    runners: list[Any] = []
    starter = KioskStarter(build)
    failed: list[str] = []
    starter.ready.connect(ui.attach)

    def start_failed(reason: str) -> None:
        failed.append(reason)
        app.exit(1)

    starter.failed.connect(start_failed)
    starter.start()
    try:
        code = app.exec()
        log.info("kiosk window closed (exit %d)", code)
        return 1 if failed else int(code)
    finally:
        for runner in runners:
            runner.stop()
        watchdog.stop()
        ui.shutdown()
        starter.join()
        if starter.result is not None:
            starter.result.stop()


def _exit_when_attract_shown(ui: object, app: object) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app import KioskUI

    assert isinstance(ui, KioskUI) and isinstance(app, QApplication)
    window = ui.window

    def check() -> None:
        if window.current_screen is not None and window.isVisible():
            window.grab()  # paint it once, as the panel would
            usage = resource.getrusage(resource.RUSAGE_SELF)
            cpu = usage.ru_utime + usage.ru_stime
            line = f"{ATTRACT_MARKER} {_process_seconds():.3f} {usage.ru_maxrss} {cpu:.3f}"
            print(line, flush=True)
            if os.environ.get(EXIT_ON_ATTRACT_ENV) != "ready":
                app.exit(0)
                return
            ready_check()
        else:
            QTimer.singleShot(5, check)

    def ready_check() -> None:
        # KIOSK_EXIT_ON_ATTRACT=ready: also wait for the kiosk to be usable (the engine's view
        # replaced the start-up one) and report its resident memory then.
        if ui.kiosk is not None:
            print(f"{READY_MARKER} {_process_seconds():.3f} {_rss_kb()}", flush=True)
            app.exit(0)
        else:
            QTimer.singleShot(20, ready_check)

    QTimer.singleShot(0, check)
