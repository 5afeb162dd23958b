"""``[queue] server``: the office queue server a kiosk issues through, with its key file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kiosk.bootstrap import build_kiosk
from kiosk.config import ConfigError, load_config, repo_root
from kiosk.engine.office_queue import OfficeQueueDesk
from kiosk.engine.queue_view import DeskForSession


def with_queue(tmp_path: Path, queue_toml: str) -> Path:
    text = (repo_root() / "config" / "simulator.toml").read_text()
    text = text.replace("[queue]\n", f"[queue]\n{queue_toml}\n", 1)
    tomllib.loads(text)
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    return path


def test_server_url_and_key_file_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "queue.key").write_text("kiosk-one-key\n")
    path = with_queue(tmp_path, 'server = "http://192.0.2.7:8780/"\nkey_file = "queue.key"')
    queue = load_config(path).queue
    assert queue.server == "http://192.0.2.7:8780" and queue.key_file == tmp_path / "queue.key"
    assert queue.client_id is None and queue.timeout_ms == 4000


@pytest.mark.parametrize(
    ("toml", "where"),
    [
        ('server = "http://queue-host:8780"', "queue"),  # no key file
        ('server = "ftp://queue-host"\nkey_file = "k"', "queue.server"),
        ('server = "http://host/v1/path"\nkey_file = "k"', "queue.server"),
        ('client_id = "kiosk 1"', "queue.client_id"),
        ('booking_keys = { k1 = "not-a-key" }', "queue.booking_keys"),
    ],
)
def test_bad_queue_server_settings_name_their_path(tmp_path: Path, toml: str, where: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_config(with_queue(tmp_path, toml))
    assert [path for path, _ in refused.value.errors] == [where]


def test_bootstrap_builds_the_office_desk_only_with_a_server(tmp_path: Path) -> None:
    (tmp_path / "queue.key").write_text("kiosk-one-key\n")
    served = load_config(
        with_queue(tmp_path, 'server = "http://127.0.0.1:9"\nkey_file = "queue.key"')
    )
    kiosk = build_kiosk(
        served, simulate=True, state_dir=tmp_path / "a", registry_url="http://127.0.0.1:9"
    )
    try:
        assert isinstance(kiosk.desk, OfficeQueueDesk)
    finally:
        kiosk.stop()
    alone = build_kiosk(load_config(repo_root() / "config" / "simulator.toml"), simulate=True,
                        state_dir=tmp_path / "b", registry_url="http://127.0.0.1:9")  # fmt: skip
    try:
        assert isinstance(alone.desk, DeskForSession)
    finally:
        alone.stop()


def test_an_unreadable_key_file_is_a_config_error(tmp_path: Path) -> None:
    path = with_queue(tmp_path, 'server = "http://127.0.0.1:9"\nkey_file = "missing.key"')
    with pytest.raises(ConfigError) as refused:
        build_kiosk(
            load_config(path),
            simulate=True,
            state_dir=tmp_path / "s",
            registry_url="http://127.0.0.1:9",
        )
    assert refused.value.errors[0][0] == "queue.key_file"
