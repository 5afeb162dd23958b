from pathlib import Path

import pytest
from fakes.devices import FlakyPrinter, wait_for

from devices.manager import DeviceManager
from devices.model import PaperLevel
from devices.sim.fault_panel import FaultPanel
from kiosk.scenario import Scenario, ScenarioError, ScenarioRunner


class RecordingRegistry:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def set_outage(self, down: bool) -> None:
        self.calls.append(("outage", down))

    def set_latency(self, ms: int) -> None:
        self.calls.append(("latency", ms))

    def set_error_rate(self, rate: float) -> None:
        self.calls.append(("error_rate", rate))


SCENARIO = """
[[step]]
at_s = 0.05
target = "document"
fault = "paper_out"

[[step]]
at_s = 0.0
target = "registry"
fault = "latency"
value = 1500

[[step]]
at_s = 0.10
target = "registry"
fault = "outage"

[[step]]
at_s = 0.15
target = "document"
fault = "paper_out"
action = "clear"
"""


def test_runs_steps_in_time_order(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO)
    printer = FlakyPrinter()
    printer.plugged.set()
    manager = DeviceManager({"document": printer})
    registry = RecordingRegistry()
    seen: list[PaperLevel] = []
    printer.subscribe(lambda e: seen.append(e.status.paper))
    runner = ScenarioRunner(Scenario.load(path), FaultPanel(manager), registry)
    runner.start()
    assert runner.wait(5)
    assert [s.fault for s in runner.applied] == ["latency", "paper_out", "outage", "paper_out"]
    assert registry.calls == [("latency", 1500), ("outage", True)]
    assert seen == [PaperLevel.OUT, PaperLevel.OK]
    assert runner.errors == []


def test_step_on_a_real_device_without_faults_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[step]]\nat_s = 0\ntarget = "card"\nfault = "blanko_out"\n')
    runner = ScenarioRunner(Scenario.load(path), FaultPanel(DeviceManager({})), None)
    runner.start()
    wait_for(lambda: bool(runner.errors))
    assert "card:blanko_out" in runner.errors[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[step]]\nat_s = 1\ntarget = "receipt"\nfault = "on_fire"\n', "unknown device fault"),
        ('[[step]]\nat_s = 1\ntarget = "registry"\nfault = "jam"\n', "registry faults"),
        ('[[step]]\nat_s = -1\ntarget = "receipt"\nfault = "jam"\n', "step.0.at_s"),
        ("[[step]\n", "Expected"),
    ],
)
def test_bad_files_say_where(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=message):
        Scenario.load(path)
