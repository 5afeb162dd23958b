"""A venv another user can run the kiosk from, made from this one without downloading anything.

cage and Xwayland refuse to run as root, and root is who runs ``make test`` and CI, often from a
checkout under ``/root`` (mode 0700) with an interpreter under ``/root/.pyenv``. So the boot test
and the demo run the session as an unprivileged user from a runtime that user can read:
:func:`portable_runtime` makes a venv from an interpreter of the same Python version the user can
execute (Debian's ``/usr/bin/python3.11`` when this one is out of reach), hard-links the installed
files of the kiosk's dependencies into it (a copy when hard links are not possible) and copies the
kiosk's own packages beside it. The install tests use :func:`runtime_venv` for venvs without the
simulator's packages.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]


class NoRuntime(RuntimeError):
    """No interpreter the user can run."""


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def source_dirs() -> list[str]:
    """The project's packages (pyproject.toml's package list) and the default configs."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    include = project["tool"]["setuptools"]["packages"]["find"]["include"]
    return [pattern.rstrip("*") for pattern in include] + ["config"]


def project_requirements(extras: Iterable[str]) -> list[Requirement]:
    """The project's own requirements (pyproject.toml in a checkout) with ``extras``."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    raw = list(project["dependencies"])
    optional = project.get("optional-dependencies", {})
    wanted, pending = set(), list(extras)
    while pending:  # extras may name the project's own extras: adm-kiosk[sim]
        extra = pending.pop()
        if extra in wanted:
            continue
        wanted.add(extra)
        for text in optional.get(extra, []):
            req = Requirement(text)
            if _normal(req.name) == _normal(project["name"]):
                pending.extend(req.extras)
            else:
                raw.append(text)
    return [Requirement(text) for text in raw]


def distribution_closure(requirements: Iterable[Requirement]) -> dict[str, metadata.Distribution]:
    """The installed distributions that ``requirements`` need, transitively (markers honoured)."""
    found: dict[str, metadata.Distribution] = {}
    # A marker is evaluated once, where the requirement is read, with the extras asked of the
    # distribution that lists it (reportlab[accel] brings rl_accel; `extra == "accel"`).
    pending = [req for req in requirements if _wanted(req, req.extras)]
    while pending:
        req = pending.pop()
        key = _normal(req.name)
        if key in found:
            continue
        dist = metadata.distribution(req.name)
        found[key] = dist
        for text in dist.requires or []:
            sub = Requirement(text)
            if _wanted(sub, req.extras):
                pending.append(sub)
    return found


def _wanted(req: Requirement, extras: Iterable[str]) -> bool:
    """``req``'s marker holds here for one of ``extras`` (or for none)."""
    return req.marker is None or any(
        req.marker.evaluate({"extra": extra}) for extra in ("", *extras)
    )


def _link_or_copy(source: Path, target: Path) -> None:
    if target.exists():
        return  # two distributions list the same file
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def readable_python(user: str | None) -> str:
    """An interpreter of this Python version that ``user`` can run."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [sys.executable, f"/usr/bin/python{version}"]
    for candidate in candidates:
        if Path(candidate).exists() and (user is None or _runs_as(user, [candidate, "-c", "0"])):
            return candidate
    raise NoRuntime(
        f"no Python {version} that {user} can run (install Debian's python3 and python3-venv)"
    )


def _runs_as(user: str, argv: list[str]) -> bool:
    done = subprocess.run(
        ["runuser", "-u", user, "--", *argv], capture_output=True, timeout=30, check=False
    )
    return done.returncode == 0


def runtime_venv(venv: Path, *, python: str, extras: Iterable[str] = ()) -> Path:
    """A venv of ``python`` holding the installed files of the kiosk's dependencies (with
    ``extras``), hard-linked from this venv; the kiosk itself is not in it. Returns its
    site-packages folder."""
    subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = venv / "lib" / version / "site-packages"
    here = Path(sysconfig.get_paths()["purelib"]).resolve()
    for dist in distribution_closure(project_requirements(extras)).values():
        for file in dist.files or []:
            source = Path(str(dist.locate_file(file))).resolve()
            try:
                relative = source.relative_to(here)
            except ValueError:
                continue  # console scripts in bin/: not needed
            if source.is_file():
                _link_or_copy(source, site / relative)
    return site


@contextlib.contextmanager
def _umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def portable_runtime(dest: Path, *, user: str | None, extras: Iterable[str] = ("sim",)) -> Path:
    """A venv under ``dest`` that ``user`` can run the kiosk from; returns its ``kiosk`` command.

    ``dest``'s parent must be readable by ``user`` (mode 0755 up the path). What is made here
    is readable by everyone whatever the process's umask (the kiosk's entry points set 077)."""
    with _umask(0o022):
        return _portable_runtime(dest, user=user, extras=extras)


def _portable_runtime(dest: Path, *, user: str | None, extras: Iterable[str]) -> Path:
    venv = dest / "venv"
    site = runtime_venv(venv, python=readable_python(user), extras=extras)
    src = dest / "src"
    for name in source_dirs():
        shutil.copytree(
            REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    (site / "adm_kiosk_source.pth").write_text(f"{src}\n", encoding="utf-8")
    kiosk = venv / "bin" / "kiosk"
    kiosk.write_text(
        f"#!{venv / 'bin' / 'python'}\nimport sys\nfrom ui.entry import main\nsys.exit(main())\n",
        encoding="utf-8",
    )
    kiosk.chmod(0o755)
    return kiosk
