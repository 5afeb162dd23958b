import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.config import ConfigError, load_config, repo_root
from kiosk.config.loader import parse_config

CONFIG_DIR = repo_root() / "config"


def kiosk_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("name", ["simulator.toml", "kiosk.toml"])
def test_shipped_configs_load(name: str) -> None:
    config = load_config(CONFIG_DIR / name)
    assert config.vouchers.keys
    assert config.registry.key_file.is_absolute()
    assert config.kiosk.tz.key in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


def write(tmp_path: Path, text: str) -> Path:
    source = (CONFIG_DIR / "simulator.toml").read_text()
    path = tmp_path / "k.toml"
    path.write_text(source + "\n" + text if text.startswith("#") else text)
    return path


def test_errors_name_their_path(tmp_path: Path) -> None:
    source = (CONFIG_DIR / "simulator.toml").read_text()
    bad = source.replace("timeout_ms = 8000", "timeout_ms = 0").replace(
        'timezone = "Asia/Jakarta"', 'timezone = "Mars/Olympus"'
    )
    path = tmp_path / "bad.toml"
    path.write_text(bad)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    paths = dict(err.value.errors)
    assert paths["registry.timeout_ms"] == "must be > 0"
    assert "unknown time zone" in paths["kiosk.timezone"]


def test_unknown_field_and_syntax_error(tmp_path: Path) -> None:
    source = (CONFIG_DIR / "simulator.toml").read_text()
    path = tmp_path / "extra.toml"
    path.write_text(source.replace("[ui]", "[ui]\nfont_colour = 'red'"))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.errors[0][0] == "ui.font_colour"
    path.write_text("[kiosk\nid=")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.errors[0][0] == "(syntax)"


def test_config_check_cli(tmp_path: Path) -> None:
    ok = kiosk_cli("config", "check", "--simulate", str(CONFIG_DIR / "simulator.toml"))
    assert ok.returncode == 0, ok.stderr
    source = (CONFIG_DIR / "simulator.toml").read_text()
    path = tmp_path / "bad.toml"
    path.write_text(source.replace("timeout_ms = 8000", "timeout_ms = -5"))
    bad = kiosk_cli("config", "check", str(path))
    assert bad.returncode == 2
    assert "registry.timeout_ms: must be > 0" in bad.stderr


def test_voucher_cli_round_trip() -> None:
    minted = kiosk_cli("voucher", "mint", "--doc", "akta-kelahiran", "--vid", "VTEST01")
    assert minted.returncode == 0
    token = minted.stdout.strip()
    config = str(CONFIG_DIR / "simulator.toml")
    good = kiosk_cli("voucher", "verify", "--config", config, token)
    assert good.returncode == 0, good.stderr
    assert '"vid": "VTEST01"' in good.stdout
    assert '"doc": "akta-kelahiran"' in good.stdout
    head, body, sig = token.split(".")
    forged_sig = sig[:10] + ("B" if sig[10] != "B" else "C") + sig[11:]
    bad = kiosk_cli("voucher", "verify", "--config", config, f"{head}.{body}.{forged_sig}")
    assert bad.returncode == 1
    assert bad.stdout.strip() == "bad_signature"
    usage = kiosk_cli("voucher", "verify")
    assert usage.returncode == 2


def test_technician_hash_pin_cli() -> None:
    from kiosk.domain.pin_hash import verify_pin

    out = kiosk_cli("technician", "hash-pin", stdin="135790\n")
    assert out.returncode == 0
    assert verify_pin("135790", out.stdout.strip())
    assert not verify_pin("135791", out.stdout.strip())
    assert kiosk_cli("technician", "hash-pin", stdin="12\n").returncode == 2


@pytest.mark.parametrize(
    "pin", ["000000", "99999999", "123456", "654321", "01234567", "345678", "9876543"]
)
def test_hash_pin_refuses_trivial_pins(pin: str, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from kiosk.cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(pin + "\n"))
        assert main(["technician", "hash-pin"]) == 2
    assert "too easy to guess" in capsys.readouterr().err


@pytest.mark.parametrize("pin", ["135790", "246810", "123457", "112233", "09876544"])
def test_hash_pin_accepts_others(pin: str) -> None:
    from kiosk.domain.pin_hash import trivial_pin

    assert trivial_pin(pin) is None


@settings(max_examples=50, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=10), children, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_random_trees_give_config_error(tree: object) -> None:
    data = tree if isinstance(tree, dict) else {"kiosk": tree}
    with pytest.raises(ConfigError):
        parse_config(data)
