"""Wheels for install tests, made on this machine without downloading anything.

- :func:`build_kiosk_wheel`: the kiosk's own wheel, built by ``pip wheel --no-deps`` from a copy
  of the source (so no ``build/`` lands in the checkout);
- :func:`reversion`: the same wheel as another version, declaring only the dependencies given
  (the install tests lock a small set: the kiosk's real ones are ~500 MB of wheels);
- :func:`repack`: a wheel of a distribution installed in this venv, from the files its RECORD
  lists (stored, not compressed: fast), so ``pip --require-hashes`` can install it offline.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SKIPPED = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


def build_kiosk_wheel(work: Path) -> Path:
    from ui.demo.runtime_venv import source_dirs

    source = work / "source"
    for name in [*source_dirs(), "pyproject.toml", "README.md"]:
        path = REPO / name
        if path.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(path, source / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    out = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", str(out), str(source)],
        check=True,
        timeout=300,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = out.glob("adm_kiosk-*.whl")
    return wheel


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _write_wheel(path: Path, files: Iterable[tuple[str, bytes]], dist_info: str) -> Path:
    record = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files:
            archive.writestr(name, data)
            record.append(f"{name},{_digest(data)},{len(data)}")
        record.append(f"{dist_info}/RECORD,,")
        archive.writestr(f"{dist_info}/RECORD", "\n".join(record) + "\n")
    return path


def reversion(wheel: Path, version: str, requires: Iterable[str], out: Path) -> Path:
    """``wheel`` as ``version``, with ``requires`` as its only Requires-Dist."""
    old_info = f"adm_kiosk-{wheel.name.split('-')[1]}.dist-info"
    new_info = f"adm_kiosk-{version}.dist-info"
    files = []
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.startswith(old_info + "/"):
                if name.endswith("/RECORD"):
                    continue
                if name.endswith("/METADATA"):
                    data = _metadata(data.decode(), version, requires).encode()
                name = new_info + name[len(old_info) :]
            files.append((name, data))
    out.mkdir(parents=True, exist_ok=True)
    return _write_wheel(out / f"adm_kiosk-{version}-py3-none-any.whl", files, new_info)


def _metadata(text: str, version: str, requires: Iterable[str]) -> str:
    head, _, body = text.partition("\n\n")
    lines = [line for line in head.splitlines() if not line.startswith("Requires-Dist:")]
    lines = [f"Version: {version}" if line.startswith("Version:") else line for line in lines]
    lines += [f"Requires-Dist: {name}" for name in requires]
    return "\n".join(lines) + "\n\n" + body


def repack(name: str, out: Path) -> Path:
    """A wheel of the installed distribution ``name``."""
    dist = metadata.distribution(name)
    tag = next(
        line.split(":", 1)[1].strip()
        for line in (dist.read_text("WHEEL") or "Tag: py3-none-any").splitlines()
        if line.startswith("Tag:")
    )
    project = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    files = []
    dist_info = ""
    for file in dist.files or []:
        parts = file.parts
        if parts[0] == ".." or "__pycache__" in parts or parts[-1] in SKIPPED:
            continue
        if parts[0].endswith(".dist-info"):
            dist_info = parts[0]
        files.append((file.as_posix(), Path(str(dist.locate_file(file))).read_bytes()))
    out.mkdir(parents=True, exist_ok=True)
    return _write_wheel(out / f"{project}-{dist.version}-{tag}.whl", files, dist_info)


def lock_line(wheel: Path) -> str:
    """The requirements line pinning ``wheel`` by name, version and sha256."""
    project, version = wheel.name.split("-")[:2]
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    return f"{project}=={version} --hash=sha256:{digest}"
