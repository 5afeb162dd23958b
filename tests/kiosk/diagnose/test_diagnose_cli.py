"""`kiosk diagnose` end to end: simulated devices, the registry simulator over HTTP, faults."""

import json
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import repo_root

SIM_CONFIG = str(repo_root() / "config" / "simulator.toml")


def diagnose(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diagnose", "--config", SIM_CONFIG, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_healthy_simulator_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = diagnose(capsys, "--simulate", "--json")
    report = json.loads(out)
    assert code == 0, out
    assert report["ok"] is True
    names = {d["name"] for d in report["devices"]}
    assert names == {"camera", "receipt", "document", "card", "wedge", "serial"}
    for device in report["devices"]:
        assert set(device) == {"name", "kind", "driver", "state", "status", "health"}
        assert set(device["health"]) == {"ok", "level", "text", "ms"}
        assert device["driver"] in ("sim", "sim-wedge", "sim-serial")
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["registry"]["ok"]
    assert "clock skew" in checks["registry"]["text"]
    assert checks["disk"]["ok"]
    assert checks["code_reader"]["ok"]


def test_injected_faults_make_it_unhealthy(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = diagnose(
        capsys,
        "--simulate",
        "--json",
        "--fault",
        "receipt:paper_out",
        "--fault",
        "document:offline",
    )
    assert code == 1
    report = json.loads(out)
    health = {d["name"]: d for d in report["devices"]}
    assert not health["receipt"]["health"]["ok"]
    assert health["receipt"]["status"]["paper"] == "out"
    assert not health["document"]["health"]["ok"]
    assert health["camera"]["health"]["ok"]


def test_external_closed_loop_reads_the_printed_qr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = diagnose(capsys, "--simulate", "--level", "external")
    assert code == 0, out
    assert "closed_loop" in out
    assert "printed QR read back by the camera" in out
    assert out.rstrip().endswith("HEALTHY (external checks)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--simulate", "--fault", "receipt:on_fire"], "unknown fault"),
        (["--fault", "receipt:paper_out"], "needs --simulate"),
        (["--simulate", "--fault", "printer9:jam"], "printer9"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = diagnose(capsys, *args)
    assert code == 2
    assert message in err


def test_config_error_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(Path(SIM_CONFIG).read_text().replace('driver = "zxing"', 'driver = "laser"'))
    code = main(["diagnose", "--config", str(bad), "--simulate"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "devices.code_reader.driver" in err
