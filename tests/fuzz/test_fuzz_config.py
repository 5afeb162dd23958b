"""Config and scenario files: mutated, random and pathological TOML.

``load_config`` returns a :class:`KioskConfig` or raises :class:`ConfigError` (which ``kiosk
config check`` prints with its path, exit 2); ``Scenario.load`` returns a scenario or raises
:class:`ScenarioError`. Never a traceback of another type, never a hang.
"""

from __future__ import annotations

import copy
import tomllib
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from fuzz.byte_mutations import mutations, outcome
from fuzz.tree_paths import tree_paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.cli import main as kiosk_main
from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.config.loader import parse_config, repo_root
from kiosk.scenario import Scenario, ScenarioError

SIMULATOR_TOML = (repo_root() / "config" / "simulator.toml").read_bytes()
SCENARIO_TOML = b"""
[[step]]
at_s = 0.5
target = "receipt"
fault = "paper_out"

[[step]]
at_s = 2
target = "registry"
fault = "latency"
value = 1500
action = "inject"
"""
CONFIG_SEED = tomllib.loads(SIMULATOR_TOML.decode())
# Deep nesting within the size cap (tomllib recurses per level, and its time grows with the
# square of a dotted key's depth), then files over the cap, then odd encodings.
PATHOLOGICAL = [
    b"x = " + b"[" * 30_000 + b"]" * 30_000,
    b"x = " + b"{a = " * 12_000 + b"1" + b"}" * 12_000,
    b"[" + b"a." * 16_000 + b"b]\n",
    b"x = " + b"[" * 100_000 + b"]" * 100_000,
    b"[" + b"a." * 200_000 + b"b]\n",
    b"x = [" + b"1," * 500_000 + b"]",
    b'x = "' + b"\\u0041" * 300_000 + b'"',
    b"\xef\xbb\xbf" + SIMULATOR_TOML,  # a byte-order mark
    b"\x00" * 1000,
    SIMULATOR_TOML.replace(b"\n", b"\r"),
]


def _load(path: Path) -> KioskConfig | Exception:
    result = outcome(5.0, lambda: load_config(path), ConfigError)
    if isinstance(result, ConfigError):
        assert result.errors and all(where and message for where, message in result.errors)
    return result


def _scenario(path: Path) -> Scenario | Exception:
    return outcome(5.0, lambda: Scenario.load(path), ScenarioError)


def test_the_seeds_load(tmp_path: Path) -> None:
    config_file, scenario_file = tmp_path / "kiosk.toml", tmp_path / "scenario.toml"
    config_file.write_bytes(SIMULATOR_TOML)
    scenario_file.write_bytes(SCENARIO_TOML)
    assert isinstance(_load(config_file), KioskConfig)
    assert isinstance(_scenario(scenario_file), Scenario)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=mutations(SIMULATOR_TOML, max_ops=4))
def test_mutated_config_files(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_bytes(raw)
    _load(path)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=mutations(SCENARIO_TOML, max_ops=4))
def test_mutated_scenario_files(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "scenario.toml"
    path.write_bytes(raw)
    _scenario(path)


@pytest.mark.parametrize("raw", PATHOLOGICAL, ids=range(len(PATHOLOGICAL)))
def test_pathological_toml(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "evil.toml"
    path.write_bytes(raw)
    _load(path)
    _scenario(path)


def test_endless_files_are_not_read_to_the_end() -> None:
    assert isinstance(_load(Path("/dev/zero")), ConfigError)
    assert isinstance(_scenario(Path("/dev/zero")), ScenarioError)


@pytest.mark.parametrize("raw", PATHOLOGICAL[:5], ids=range(5))
def test_config_check_reports_instead_of_crashing(
    tmp_path: Path, raw: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil.toml"
    path.write_bytes(raw)
    assert kiosk_main(["config", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "config error" in err and "Traceback" not in err


toml_scalars = (
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=True)
    | st.text(max_size=60)
    | st.times()
    | st.dates()
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)


SEED_PATHS = tree_paths(CONFIG_SEED)


@settings(max_examples=250, deadline=None)
@given(
    choice=st.integers(0, len(SEED_PATHS) - 1),
    value=toml_values,
    drop=st.booleans(),
    extra=st.none() | st.tuples(st.text(min_size=1, max_size=10), toml_values),
)
def test_config_trees_with_one_value_changed(
    choice: int, value: Any, drop: bool, extra: tuple[str, Any] | None
) -> None:
    """What TOML can express, put anywhere in a valid config: a config or a ConfigError."""
    data = copy.deepcopy(CONFIG_SEED)
    path = SEED_PATHS[choice]
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    if drop and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value
    if extra is not None and isinstance(node, dict):
        node[extra[0]] = extra[1]
    config = outcome(2.0, lambda: parse_config(data, "fuzz", Path("/nonexistent")), ConfigError)
    if isinstance(config, ConfigError):
        assert config.errors
        return
    # Accepted: the values that later code relies on still hold.
    assert config.registry.url.startswith(("http://", "https://"))
    assert config.registry.timeout_ms > 0 and config.ui.inactivity_warn_s > 0
    for service in config.queue.services:
        assert isinstance(service.opens, time) and service.opens < service.closes


@pytest.mark.parametrize("opens", [0, 3600, "08:00:00+07:00", "08:00Z"])
def test_service_hours_with_an_offset_are_refused(opens: Any) -> None:
    """Found by the fuzz above: a number (read as a UTC time) made ``closes <= opens`` raise
    TypeError (aware against naive) instead of a config error."""
    data = copy.deepcopy(CONFIG_SEED)
    data["queue"]["services"][0]["opens"] = opens
    error = outcome(2.0, lambda: parse_config(data, "fuzz"), ConfigError)
    assert isinstance(error, ConfigError)
    assert any("queue.services.0" in where for where, _ in error.errors), error.errors
