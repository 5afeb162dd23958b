"""python-escpos unpickles its capabilities cache on import: the cache directory must be one
that only this user can write. One loader (thirdparty/escpos_loader.py) serves devices and
printing alike."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from thirdparty import escpos_loader
from thirdparty.escpos_loader import PICKLE_DIR_ENV, capabilities_cache_dir


@pytest.fixture
def no_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No usable cache home (XDG_CACHE_HOME is a file): the shared temp dir is the fallback."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    temp = tmp_path / "tmp"
    temp.mkdir()
    temp.chmod(0o1777)  # like /tmp: anyone may create entries
    monkeypatch.delenv(PICKLE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def test_devices_and_printing_share_the_one_loader() -> None:
    from devices.printers import escpos_link
    from printing.tickets import escpos_recorder

    assert escpos_link.escpos_printer_module is escpos_loader.escpos_printer_module
    assert escpos_recorder.escpos_printer_module is escpos_loader.escpos_printer_module


def test_the_temp_fallback_is_made_private(no_home: Path) -> None:
    path = capabilities_cache_dir()
    assert path == no_home / f"adm-kiosk-escpos-{os.getuid()}"
    assert path.stat().st_mode & 0o777 == 0o700


def test_a_planted_temp_dir_is_refused(no_home: Path) -> None:
    planted = no_home / f"adm-kiosk-escpos-{os.getuid()}"
    planted.mkdir()
    planted.chmod(0o777)  # someone made it first, open to all: a pickle there is anyone's code
    with pytest.raises(PermissionError):
        capabilities_cache_dir()
    planted.chmod(0o700)
    os.chown(planted, 65534, 65534)  # another user's (nobody) directory
    with pytest.raises(PermissionError):
        capabilities_cache_dir()
    os.rmdir(planted)
    target = no_home / "elsewhere"
    target.mkdir(mode=0o700)
    planted.symlink_to(target)  # a link to a directory we do not control
    with pytest.raises(PermissionError):
        capabilities_cache_dir()


def test_a_configured_directory_gets_the_same_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o775)
    monkeypatch.setenv(PICKLE_DIR_ENV, str(shared))
    with pytest.raises(PermissionError):
        capabilities_cache_dir()
    shared.chmod(0o755)
    assert capabilities_cache_dir() == shared
