"""Production never trusts the simulator's config-signing key, under any kid."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import load_config, repo_root
from kiosk.config.trust import production_problems
from kiosk.domain.sim_keys import sim_config_private_key
from kiosk.domain.voucher import public_key_to_text

TEMPLATE = repo_root() / "config" / "kiosk.toml"


def with_config_key(tmp_path: Path, text: str) -> Path:
    source = TEMPLATE.read_text(encoding="utf-8")
    assert "[fleet.config_keys]\n" in source
    edited = source.replace(
        "[fleet.config_keys]\n", f'[fleet.config_keys]\nregistry-cfg = "{text}"\n'
    )
    path = tmp_path / "kiosk.toml"
    path.write_text(edited, encoding="utf-8")
    return path


def test_the_simulator_config_key_is_refused_in_production(tmp_path: Path) -> None:
    simulator = public_key_to_text(sim_config_private_key().public_key())
    problems = production_problems(load_config(with_config_key(tmp_path, simulator)))
    assert [path for path, _ in problems] == ["fleet.config_keys.registry-cfg"]
    other = public_key_to_text(Ed25519PrivateKey.generate().public_key())
    assert production_problems(load_config(with_config_key(tmp_path, other))) == []
