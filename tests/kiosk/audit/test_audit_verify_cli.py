"""`kiosk audit verify` checks the log from outside: the head every heartbeat carries to the
registry simulator (over HTTP) catches a log that was deleted or replaced with its head file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.kiosks import started_kiosk

from kiosk.cli import main as kiosk_main
from kiosk.config import repo_root
from kiosk.registry_sim.server import RunningSimulator, start_in_thread

SIMULATOR = str(repo_root() / "config" / "simulator.toml")


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[RunningSimulator]:
    running = start_in_thread(
        db_path=tmp_path / "registry.sqlite",
        seed=3,
        families=2,
        kiosks={"KIOSK-SIM-01": "sim-kiosk-key"},
    )
    yield running
    running.stop()


def verify(state: Path, *extra: str) -> int:
    return kiosk_main(["audit", "verify", "--config", SIMULATOR, "--state-dir", str(state), *extra])


def test_the_heartbeat_carries_the_head_and_verify_checks_against_it(
    sim: RunningSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "kiosk"
    with started_kiosk(state, registry_url=sim.url) as kiosk:
        kiosk.audit.append("print", vid="V1", doc="kk", outcome="printed")
        assert kiosk.heartbeat.beat()
        head = kiosk.audit.head()
        assert head.entries >= 2  # kiosk_started, print
        kept = kiosk.registry.audit_head()
    assert kept is not None and (kept.entries, kept.head) == (head.entries, head.head)
    online = ("--registry", "--simulate", "--registry-url", sim.url)
    assert verify(state, *online) == 0
    assert f"holds the recorded head ({head.entries})" in capsys.readouterr().out

    # Someone deletes the log and its head file, and the kiosk starts a fresh chain.
    for name in ("audit.log", "audit.head"):
        (state / "audit" / name).unlink()
    with started_kiosk(state, registry_url=sim.url):
        pass
    assert verify(state) == 0  # on its own the fresh chain looks intact ...
    capsys.readouterr()
    assert verify(state, *online) == 1  # ... the registry's head says otherwise
    captured = capsys.readouterr()
    assert f"registry recorded {head.entries} entries" in captured.err
    assert "NOT intact" in captured.out
    assert verify(state, "--expect-head", f"{head.entries}:{head.head}") == 1
    assert verify(state, "--expect-head", "nonsense") == 2


def test_a_missing_log_fails_and_a_wrong_key_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify(tmp_path) == 1
    assert "the log is missing" in capsys.readouterr().err
    loose = tmp_path / "audit.key"
    loose.write_bytes(b"k" * 32)
    loose.chmod(0o644)
    assert verify(tmp_path, "--key-file", str(loose)) == 2
    assert "other users" in capsys.readouterr().err


def test_the_configured_key_file_chains_the_log(tmp_path: Path) -> None:
    from kiosk.bootstrap import audit_log
    from kiosk.config import ConfigError, load_config

    key = tmp_path / "audit.key"
    key.write_bytes(b"\x01" * 32)
    key.chmod(0o600)
    text = Path(SIMULATOR).read_text() + f'\n[audit]\nkey_file = "{key}"\n'
    config_path = tmp_path / "kiosk.toml"
    config_path.write_text(text)
    config = load_config(config_path)
    log = audit_log(config, tmp_path / "state")
    log.append("kiosk_started")
    assert not (tmp_path / "state" / "audit" / "chain.key").exists()  # no generated key
    base = ["audit", "verify", "--state-dir", str(tmp_path / "state")]
    assert kiosk_main([*base, "--config", str(config_path)]) == 0
    assert kiosk_main([*base, "--config", SIMULATOR]) == 1  # without the key: not verified
    key.chmod(0o604)
    with pytest.raises(ConfigError) as refused:
        audit_log(config, tmp_path / "state")
    assert refused.value.errors[0][0] == "audit.key_file"
