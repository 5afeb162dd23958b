"""`kiosk run`: the attract screen first, the kiosk behind it; a touch while starting counts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.engine.view import Screen, SetLanguage, Tick, Touch
from ui.run_cmd import ATTRACT_MARKER, READY_MARKER, default_config
from ui.startup import KioskStarter, StartingSession

KIOSK = Path(sys.executable).with_name("kiosk")


def test_starting_session_shows_attract_and_keeps_a_touch() -> None:
    starting = StartingSession("en")
    assert starting.view.screen is Screen.ATTRACT and starting.view.language == "en"
    for intent in (Tick(1.0), Touch(), Touch(), SetLanguage("id"), Tick(2.0)):
        starting.send(intent)
    assert starting.take_pending() == [Touch(), SetLanguage("id")]
    assert starting.take_pending() == []


def test_starter_reports_success_and_failure_on_the_gui_thread(qtbot) -> None:
    good = KioskStarter(lambda: "kiosk")
    with qtbot.waitSignal(good.ready) as ready:
        good.start()
    assert ready.args == ["kiosk"]
    good.join()

    def broken() -> object:
        raise OSError("no registry")

    bad = KioskStarter(broken)
    with qtbot.waitSignal(bad.failed) as failed:
        bad.start()
    assert failed.args == ["OSError"]
    bad.join()


def test_default_configs() -> None:
    assert default_config(True).name == "simulator.toml"
    assert default_config(False).name in ("kiosk.toml", os.environ.get("KIOSK_CONFIG", "x"))


@pytest.mark.slow
def test_kiosk_run_simulate_shows_attract_then_starts(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_EXIT_ON_ATTRACT": "ready"}
    result = subprocess.run(
        [str(KIOSK), "run", "--simulate", "--windowed", "--state-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line}
    attract_s = float(lines[ATTRACT_MARKER][0])
    ready_s = float(lines[READY_MARKER][0])
    assert 0 < attract_s <= ready_s  # the attract screen never waits for the kiosk to start
    assert (tmp_path / "journal.sqlite").exists()  # the real bootstrap ran


def test_kiosk_run_with_a_bad_config_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[kiosk]\nid = ''\n")
    result = subprocess.run(
        [str(KIOSK), "run", "--config", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 2
    assert "config error" in result.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--scenario", "config/scenarios/registry-outage.toml"], "needs --simulate"),
        (["--simulate", "--scenario", "no/such/file.toml"], "scenario error"),
    ],
)
def test_kiosk_run_scenario_errors_exit_2(extra: list[str], message: str) -> None:
    result = subprocess.run(
        [str(KIOSK), "run", *extra],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 2
    assert message in result.stderr
