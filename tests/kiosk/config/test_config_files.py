"""``kiosk config check`` checks every file a config names, and says which is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import load_config, repo_root
from kiosk.config.files import file_problem, file_problems, named_files
from kiosk.config.loader import parse_config
from kiosk.config.models import KioskConfig

PRODUCTION = repo_root() / "config" / "kiosk.toml"


def production_in(tmp_path: Path, *, with_files: bool) -> Path:
    """The production template with its files in ``tmp_path`` (present or not)."""
    text = PRODUCTION.read_text(encoding="utf-8").replace("/etc/adm-kiosk/", f"{tmp_path}/")
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    if with_files:
        for name in ("kiosk.key", "registry-ca.pem", "client.pem", "client.key", "audit.key"):
            (tmp_path / name).write_text("x\n", encoding="utf-8")
    return path


def test_named_files_walks_every_section() -> None:
    config = load_config(PRODUCTION)
    assert dict(named_files(config)) == {
        "registry.key_file": Path("/etc/adm-kiosk/kiosk.key"),
        "registry.ca_file": Path("/etc/adm-kiosk/registry-ca.pem"),
        "registry.client_cert": Path("/etc/adm-kiosk/client.pem"),
        "registry.client_key": Path("/etc/adm-kiosk/client.key"),
        "audit.key_file": Path("/etc/adm-kiosk/audit.key"),  # a section added later: walked too
    }


def test_each_problem_names_its_config_path(tmp_path: Path) -> None:
    config = load_config(production_in(tmp_path, with_files=True))
    assert file_problems(config) == []
    (tmp_path / "kiosk.key").unlink()
    (tmp_path / "client.pem").write_bytes(b"")
    (tmp_path / "registry-ca.pem").unlink()
    (tmp_path / "registry-ca.pem").mkdir()
    assert file_problems(config) == [
        ("registry.key_file", f"{tmp_path}/kiosk.key: missing"),
        ("registry.ca_file", f"{tmp_path}/registry-ca.pem: a directory, not a file"),
        ("registry.client_cert", f"{tmp_path}/client.pem: empty"),
    ]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "kiosk.key"
    secret.write_text("x")

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)  # root reads any file: deny it the way a user is
    assert file_problem(secret) == "unreadable (permission denied)"


def test_optional_files_left_out_are_not_checked() -> None:
    data = {
        "kiosk": {"id": "K", "name": "N", "office": "O", "kecamatan": "C"},
        "registry": {"url": "https://r.example", "kiosk_id": "K", "key_file": "/nonexistent"},
        "vouchers": {"keys": {"sim-1": "SFIEpK1DbOjDPWIFvTtmmh13fpYxZik_RwOwFkZrA3k"}},
    }
    config = parse_config(data)
    assert isinstance(config, KioskConfig)
    assert [where for where, _ in file_problems(config)] == ["registry.key_file"]


def test_config_check_reports_every_missing_file_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = production_in(tmp_path, with_files=False)
    assert main(["config", "check", str(path)]) == 2
    err = capsys.readouterr().err
    for where in ("key_file", "ca_file", "client_cert", "client_key"):
        assert f"registry.{where}: {tmp_path}/" in err
    assert f"audit.key_file: {tmp_path}/audit.key: missing" in err
    assert err.count(": missing") == 5
    production_in(tmp_path, with_files=True)
    assert main(["config", "check", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: ok\n"


def test_config_check_without_a_file_checks_kiosk_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = production_in(tmp_path, with_files=True)
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    assert main(["config", "check"]) == 0
    assert capsys.readouterr().out == f"{path}: ok\n"


def test_diagnose_with_a_missing_key_file_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = production_in(tmp_path, with_files=False)
    assert main(["diagnose", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"registry.key_file: {tmp_path}/kiosk.key: missing" in err
    assert "Traceback" not in err
