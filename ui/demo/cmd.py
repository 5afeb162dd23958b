"""``kiosk demo --out DIR``: a scripted, headless walk-through of the kiosk in simulator mode.

It prints a KK and an akta with vouchers from the registry simulator, tries a wrong PIN and
locks a voucher, takes queue tickets, runs a printer out of paper mid-session, takes the
registry down (the queue keeps working), checks a printed document's authenticity, lets a
session time out, shows portrait screens, runs an office queue (a queue server, two kiosks, two
counter pages and the caller display in headless Chromium) and the technician's device health
checks.
Every screen passed is saved as a PNG; the PDFs, card images and tickets the simulated
printers produced are copied; ``DIR/index.html`` shows it all in order with timings.

Exit codes: 0 every scenario went as scripted, 1 one or more did not (the report says which),
2 configuration errors.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.cli.common import load_or_report, start_logging

log = logging.getLogger(__name__)

DEMO_WARN_S = 6  # the inactivity scenario waits this long for the warning ...
DEMO_WIPE_S = 4  # ... and this long for the wipe


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("out/demo"), help="output folder")
    parser.add_argument("--config", type=Path, default=None, help="config (simulator.toml)")
    parser.add_argument("--log-level", default="WARNING", help="log level (default WARNING)")


def _clean(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for path in out.iterdir():
        if path.is_file() and path.suffix in (".png", ".pdf", ".html"):
            path.unlink()


def run(args: argparse.Namespace) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # headless, whatever the desktop
    start_logging(args)
    from kiosk.config.loader import bundled_config

    config = load_or_report(args.config or bundled_config("simulator.toml"))
    if config is None:
        return 2
    ui_settings = config.ui.model_copy(
        update={
            "inactivity_warn_s": DEMO_WARN_S,
            "inactivity_wipe_s": DEMO_WIPE_S,
            "audio_device": "null",  # the prompts really play, through ALSA's null device
        }
    )
    config = config.model_copy(update={"ui": ui_settings})
    out = args.out.resolve()
    _clean(out)
    with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as state:
        ok = _run(config, out, Path(state))
    print(f"demo: {out / 'index.html'}")
    return 0 if ok else 1


def _run(config: object, out: Path, state: Path) -> bool:
    from devices.model import HealthLevel
    from kiosk.bootstrap import build_kiosk
    from kiosk.config.models import KioskConfig
    from kiosk.engine.view import Screen
    from ui.app import build_ui, create_application
    from ui.demo import visit_steps
    from ui.demo.cage import demo_scenario as boot_under_cage
    from ui.demo.driver import DemoDriver, DemoError
    from ui.demo.gallery import render_missing
    from ui.demo.office_queue import office_queue
    from ui.demo.panels import panel_sizes
    from ui.demo.report import write_index
    from ui.demo.script import Walkthrough
    from ui.demo.technician_steps import technician_checks

    assert isinstance(config, KioskConfig)
    started = time.monotonic()
    app = create_application()
    kiosk = build_kiosk(config, simulate=True, state_dir=state, serve_metrics=False)
    kiosk.start()
    ui = None
    try:
        ui = build_ui(kiosk, config, app=app, simulate=False, windowed=True)
        ui.top.resize(1920, 1080)
        ui.top.show()
        driver = DemoDriver(app, ui.window, ui.top, out)
        walk = Walkthrough(driver, kiosk, out)
        steps: list[Callable[[], None]] = [
            lambda: boot_under_cage(driver),
            lambda: walk.print_document("kk", "Print a KK (Kartu Keluarga) with a voucher"),
            lambda: walk.print_document(
                "akta-kelahiran", "Print a birth certificate, in English", english=True
            ),
            lambda: visit_steps.family_visit(walk),
            lambda: visit_steps.help_without_code(walk),
            lambda: visit_steps.service_information(walk),
            walk.identify_by_nik,
            walk.nik_barcode,
            walk.wrong_pin,
            walk.locked_voucher,
            walk.queue_ticket_two_taps,
            walk.queue_ticket,
            walk.paper_out,
            walk.authenticity,
            walk.inactivity,
            walk.portrait,
            walk.help_and_large_text,
            walk.registry_down,  # print stays off until the registry is seen again
            lambda: office_queue(driver, kiosk, out, state),
            lambda: technician_checks(driver),
            lambda: panel_sizes(driver, simulator_panel(kiosk, config), config.kiosk.tz),
        ]
        for step in steps:
            try:
                step()
            except DemoError as exc:
                log.error("demo step failed: %s", exc)
                driver.current.ok = False
                driver.current.note = str(exc)
                driver.shot("Where it stopped")
                _recover(driver, Screen.ATTRACT)
            driver.current.ended_s = round(driver.now(), 2)
        render_missing(driver, {shot.screen for shot in driver.shots})
        driver.current.ended_s = round(driver.now(), 2)
        prompt_audio(driver, kiosk)
        journeys = driver.measure.write(out)
        log.info("demo: measured goals in %s", journeys)
        driver.scenario("Device health (DeviceManager.health, internal level)")
        health = {
            name: result.to_dict()
            for name, result in kiosk.devices.health(HealthLevel.INTERNAL).items()
        }
        driver.current.ended_s = round(driver.now(), 2)
        fleet = _fleet_section(kiosk, out)
        total = time.monotonic() - started
        write_index(
            out,
            driver.scenarios,
            driver.shots,
            health,
            total_s=total,
            title=f"{config.kiosk.name}: demo",
            measured=driver.measure.to_dict(),
            fleet=fleet,
        )
        return (
            all(s.ok for s in driver.scenarios) and driver.measure.ok and FLEET_FAILED not in fleet
        )
    finally:
        if ui is not None:
            ui.shutdown()
            ui.top.close()
        kiosk.stop()


def simulator_panel(kiosk: object, config: object) -> Callable[[], Any] | None:
    """A maker of the simulator panel (for the 1280x720 desktop shots), when it exists."""
    from ui.app import SIMULATOR_PANEL_MODULE, _optional_hook

    build = _optional_hook(SIMULATOR_PANEL_MODULE, "build_panel")
    return None if build is None else (lambda: build(kiosk, config))


def prompt_audio(driver: object, kiosk: object) -> None:
    """Every citizen screen's spoken prompt, made by espeak-ng in id and en: their lengths."""
    from kiosk.engine.view import Screen
    from ui.demo.driver import DemoDriver
    from ui.i18n.catalog import Catalog

    assert isinstance(driver, DemoDriver)
    speech = getattr(kiosk, "speech", None)
    if speech is None:
        log.error("demo: spoken prompts are off; no prompt audio measured")
        return
    synth = speech.synthesizer
    catalog = Catalog()
    for screen in Screen:
        for language in ("id", "en"):
            text = catalog.text(f"prompt_{screen.value}", language)
            driver.measure.prompt_audio(screen.value, language, synth.wav_for(text, language))


FLEET_FAILED = "<h2>Fleet view</h2><p class='fail'>FAILED (see the log)</p>"


def _fleet_section(kiosk: object, out: Path) -> str:
    """The fleet view's HTML (a failure notice if it failed: the report is still written)."""
    from kiosk.bootstrap import Kiosk
    from ui.demo.fleet import fleet_html, fleet_view

    assert isinstance(kiosk, Kiosk)
    try:
        return fleet_html(fleet_view(kiosk, out))
    except Exception:
        log.exception("demo: the fleet view failed")
        return FLEET_FAILED


def _recover(driver: object, attract: object) -> None:
    from ui.demo.driver import DemoDriver, DemoError

    assert isinstance(driver, DemoDriver)
    try:
        if driver.window.current_screen is not attract:
            driver.window.send(__import__("kiosk.engine.view", fromlist=["Cancel"]).Cancel())
        driver.wait_until(lambda: driver.window.current_screen is attract, 15.0, "attract")
    except DemoError:
        log.error("demo: the kiosk did not return to the attract screen")
