"""Production never trusts simulator keys or drivers (kiosk/config/trust.py).

The production template trusts no simulator key; each thing a production kiosk must refuse is
one edit of that template, refused by `kiosk config check`, `kiosk run` and `build_kiosk` with
the config path and the field's path. The simulator config runs in simulator mode only.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kiosk.bootstrap import build_kiosk, trusted_keys
from kiosk.cli import main as kiosk_main
from kiosk.config import ConfigError, load_config, repo_root
from kiosk.config.trust import production_problems
from kiosk.domain.document_claim import DocumentClaim, mint_document_claim
from kiosk.domain.documents import DocumentType
from kiosk.domain.sim_keys import SIM_KID, is_simulator_key, sim_voucher_private_key
from kiosk.domain.voucher import public_key_from_text
from kiosk.engine.session_flows import check_claim

CONFIG_DIR = repo_root() / "config"
TEMPLATE = CONFIG_DIR / "kiosk.toml"
SIMULATOR = CONFIG_DIR / "simulator.toml"
SIM_PUBLIC = "SFIEpK1DbOjDPWIFvTtmmh13fpYxZik_RwOwFkZrA3k"


def test_the_production_template_trusts_no_simulator_key() -> None:
    config = load_config(TEMPLATE)
    keys = {**config.vouchers.keys, **config.vouchers.claim_keys}
    assert keys
    assert not any(is_simulator_key(public_key_from_text(text)) for text in keys.values())
    assert SIM_KID not in keys
    assert production_problems(config) == []


def test_the_simulator_key_is_recognised_whatever_its_kid() -> None:
    assert is_simulator_key(public_key_from_text(SIM_PUBLIC))
    assert is_simulator_key(sim_voucher_private_key().public_key())
    assert not is_simulator_key(
        public_key_from_text(load_config(TEMPLATE).vouchers.keys["example-1"])
    )


EDITS = {
    "simulator voucher key": (
        ("[vouchers.keys]\n", f'[vouchers.keys]\nregistry-2 = "{SIM_PUBLIC}"\n'),
        "vouchers.keys.registry-2",
    ),
    "simulator claim key": (
        ("[vouchers.claim_keys]\n", f'[vouchers.claim_keys]\ndoc-2 = "{SIM_PUBLIC}"\n'),
        "vouchers.claim_keys.doc-2",
    ),
    "simulator driver": (('driver = "cups-card"', 'driver = "sim"'), "devices.card.driver"),
    "simulated camera": (('driver = "opencv"', 'driver = "sim"'), "devices.camera.driver"),
    "simulated wedge scanner": (
        (
            "[devices.receipt]\n",
            '[devices.scanners.wedge]\ndriver = "sim-wedge"\n\n[devices.receipt]\n',
        ),
        "devices.scanners.wedge.driver",
    ),
    "http registry": (
        ('url = "https://registry.dukcapil.example/"', 'url = "http://registry.dukcapil.example/"'),
        "registry.url",
    ),
    "no claim keys": (
        ('example-doc-1 = "IsQCflixDe1tWLJlUshTinCWG-DOWDQnz5ih8GpH6BM"\n', ""),
        "vouchers.claim_keys",
    ),
    "no audit key": (('key_file = "/etc/adm-kiosk/audit.key"', ""), "audit.key_file"),
}


def edited_template(tmp_path: Path, old: str, new: str) -> Path:
    text = TEMPLATE.read_text()
    assert old in text
    path = tmp_path / "kiosk.toml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize("name", list(EDITS))
def test_config_check_refuses_each_in_production_mode(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (old, new), field = EDITS[name]
    path = edited_template(tmp_path, old, new)
    assert kiosk_main(["config", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"config error in {path.resolve()}" in err
    [line] = [line for line in err.splitlines() if "production mode" in line]  # only this one
    assert line.strip().startswith(f"{field}: ")
    assert [path for path, _ in production_problems(load_config(path))] == [field]


def test_the_simulator_config_is_for_simulator_mode_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert kiosk_main(["config", "check", "--simulate", str(SIMULATOR)]) == 0
    assert kiosk_main(["config", "check", str(SIMULATOR)]) == 2
    err = capsys.readouterr().err
    for field in ("vouchers.keys.sim-1", "vouchers.claim_keys.sim-1", "registry.url",
                  "devices.document.driver", "audit.key_file"):  # fmt: skip
        assert f"  {field}: " in err


def test_kiosk_run_without_simulate_refuses_before_any_window(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kiosk.cli import make_main
    from ui.entry import COMMANDS

    assert make_main(COMMANDS)(["run", "--config", str(SIMULATOR), "--log-level", "ERROR"]) == 2
    err = capsys.readouterr().err
    assert "vouchers.keys.sim-1" in err and "production mode" in err


def test_headless_commands_refuse_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--config", str(SIMULATOR), "--state-dir", str(tmp_path)]
    assert kiosk_main(["recover", *args]) == 2
    assert "vouchers.keys.sim-1" in capsys.readouterr().err
    assert not (tmp_path / "journal.sqlite").exists()


def test_build_kiosk_refuses_a_simulator_config_in_production_mode(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        build_kiosk(load_config(SIMULATOR), simulate=False, state_dir=tmp_path)
    assert "vouchers.keys.sim-1" in dict(refused.value.errors)
    assert list(tmp_path.iterdir()) == []  # refused before anything was created


def test_a_simulator_minted_voucher_fails_against_the_template() -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "kiosk", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)

    token = cli("voucher", "mint", "--vid", "VTRUST1").stdout.strip()
    assert cli("voucher", "verify", "--config", str(SIMULATOR), token).returncode == 0
    refused = cli("voucher", "verify", "--config", str(TEMPLATE), token)
    assert refused.returncode == 1
    assert refused.stdout.strip() == "unknown_key"


def _forged_claim() -> str:
    claim = DocumentClaim("D1", DocumentType.KTP, date(2026, 1, 5), "B*** S******", SIM_KID)
    return mint_document_claim(claim, sim_voucher_private_key())


def test_claim_keys_from_bootstrap_refuse_a_simulator_signed_document_qr() -> None:
    _, claim_keys = trusted_keys(load_config(TEMPLATE), simulate=False)
    assert set(claim_keys) == {"example-doc-1"}
    refused = check_claim(_forged_claim(), claim_keys)
    assert not refused.valid
    assert refused.reason == "claim_unknown_key"
    _, sim_claim_keys = trusted_keys(load_config(SIMULATOR), simulate=True)
    assert check_claim(_forged_claim(), sim_claim_keys).valid


def test_only_simulator_mode_falls_back_to_the_voucher_keys(tmp_path: Path) -> None:
    path = edited_template(tmp_path, 'example-doc-1 = "', '# example-doc-1 = "')
    config = load_config(path)
    assert config.vouchers.claim_keys == {}
    assert trusted_keys(config, simulate=False)[1] == {}
    assert set(trusted_keys(config, simulate=True)[1]) == {"example-1"}
