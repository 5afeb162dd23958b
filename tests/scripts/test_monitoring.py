"""scripts/monitoring: the alert rules pass `promtool check rules` and their own unit tests
(`promtool test rules`), the example Prometheus config parses, and the Grafana dashboard is
valid JSON whose every query is valid PromQL naming only metrics a real kiosk (or the
registry's fleet view) exports. promtool comes from Debian's `prometheus` package
(scripts/system-packages.txt); without it these tests fail, they do not skip."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fakes.kiosks import fast_sim_config, started_kiosk
from prometheus_client.parser import text_string_to_metric_families
from scripts.promql_names import metric_names

MONITORING = Path(__file__).resolve().parents[2] / "scripts" / "monitoring"
RULES = MONITORING / "adm-kiosk-alerts.yml"
RULE_TESTS = MONITORING / "adm-kiosk-alerts.test.yml"
DASHBOARD = MONITORING / "grafana-fleet.json"
PROMETHEUS = MONITORING / "prometheus.example.yml"
# Series Prometheus makes itself for every scrape target.
SYNTHETIC = frozenset({"up", "scrape_duration_seconds", "scrape_samples_scraped"})
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("_count", "_sum", "_created"),
    "gauge": ("",),
    "info": ("_info",),
    "unknown": ("",),
}
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}


def promtool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("promtool")
    if binary is None:
        pytest.fail("promtool is missing: install Debian's `prometheus` package")
    return subprocess.run(
        [binary, *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )


def exported(text: str) -> set[str]:
    names: set[str] = set()
    for family in text_string_to_metric_families(text):
        names |= {family.name + suffix for suffix in SUFFIXES.get(family.type, ("",))}
        names |= {sample.name for sample in family.samples}
    return names


@pytest.fixture(scope="module")
def exported_names(tmp_path_factory: pytest.TempPathFactory) -> Iterator[set[str]]:
    """Every name a real simulated kiosk exports, and its registry simulator's fleet view."""
    state = tmp_path_factory.mktemp("kiosk")
    with started_kiosk(state, config=fast_sim_config(families=2)) as kiosk:
        assert kiosk.heartbeat.beat()
        fleet = httpx.get(
            f"{kiosk.simulator.url}/v1/fleet/metrics",
            auth=httpx.BasicAuth("sim-operator", "sim-operator-key"),
            timeout=10,
        )
        assert fleet.status_code == 200
        yield exported(kiosk.metrics.render().decode()) | exported(fleet.text)


def rule_expressions() -> list[tuple[str, str]]:
    data = yaml.safe_load(RULES.read_text())
    return [
        (rule.get("alert") or rule["record"], rule["expr"])
        for group in data["groups"]
        for rule in group["rules"]
    ]


def dashboard_queries() -> list[tuple[str, str]]:
    dashboard = json.loads(DASHBOARD.read_text())
    queries = [
        (f"panel {panel['id']} {panel['title']}", target["expr"])
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    ]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":  # label_values(metric, label): the metric only
            inner = variable["definition"].removeprefix("label_values(").rstrip(")")
            queries.append((f"variable {variable['name']}", inner.split(",")[0]))
    return queries


def test_promtool_checks_the_rules_and_runs_their_unit_tests() -> None:
    checked = promtool("check", "rules", RULES)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = promtool("test", "rules", RULE_TESTS)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "SUCCESS" in tested.stdout


def test_every_alert_has_a_unit_test() -> None:
    tests = yaml.safe_load(RULE_TESTS.read_text())["tests"]
    tested = {case["alertname"] for test in tests for case in test["alert_rule_test"]
              if case.get("exp_alerts")}  # fmt: skip
    alerts = {name for name, _ in rule_expressions()}
    assert alerts - tested == set()


def test_the_example_prometheus_config_parses() -> None:
    checked = promtool("check", "config", "--syntax-only", PROMETHEUS)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_name_reader_reads_promql() -> None:
    expr = (
        'sum by (office) (increase(kiosk_print_transactions_total{outcome="printed"}[1h])'
        ' * on (instance) group_left (office) kiosk_info{office=~"$office"})'
        " / 1e-9 > bool 4h or vector(0) and abs(adm_fleet_clock_skew_seconds offset 5m)"
    )
    assert metric_names(expr) == {
        "kiosk_print_transactions_total",
        "kiosk_info",
        "adm_fleet_clock_skew_seconds",
    }


@pytest.mark.parametrize("source", ["rules", "dashboard"])
def test_queries_name_only_exported_metrics(source: str, exported_names: set[str]) -> None:
    queries = rule_expressions() if source == "rules" else dashboard_queries()
    assert queries
    unknown = {
        where: sorted(metric_names(expr) - exported_names - SYNTHETIC)
        for where, expr in queries
        if metric_names(expr) - exported_names - SYNTHETIC
    }
    assert unknown == {}
    used = set().union(*(metric_names(expr) for _, expr in queries))
    assert used >= {
        "kiosk_blanko_cards",
        "kiosk_marker_level_percent",
        "kiosk_journal_transactions",
    }


def test_the_dashboard_is_valid_grafana_json_with_valid_promql(tmp_path: Path) -> None:
    dashboard: dict[str, Any] = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] and dashboard["title"] and dashboard["schemaVersion"] >= 36
    panels = dashboard["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    for panel in panels:
        grid = panel["gridPos"]
        assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 24 and grid["h"] > 0, panel["title"]
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
            assert panel["targets"], panel["title"]
    # Each query as a recording rule: promtool parses it as Prometheus would.
    rules = []
    for n, (_, expr) in enumerate(dashboard_queries()):
        for variable, value in GRAFANA_VARIABLES.items():
            expr = expr.replace(variable, value)
        rules.append({"record": f"dashboard:query_{n}", "expr": expr.replace("$office", ".*")})
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    checked = promtool("check", "rules", path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
