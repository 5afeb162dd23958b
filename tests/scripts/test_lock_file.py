"""requirements/kiosk.lock pins exactly what a kiosk installs, each file by its hash.

``make lock`` regenerates it from pyproject.toml (pip-compile --generate-hashes, from the index
only); these checks, offline, catch a pyproject.toml changed without it.
"""

from __future__ import annotations

import re

from packaging.utils import canonicalize_name

from kiosk.config import repo_root
from ui.demo.runtime_venv import distribution_closure, project_requirements

LOCK = repo_root() / "requirements" / "kiosk.lock"
EXTRAS_ONLY = {"fastapi", "uvicorn", "starlette", "psycopg", "psycopg-pool"}  # sim, office


def pins() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) from the lock file."""
    text = LOCK.read_text(encoding="utf-8").replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if match:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", line)
            found[canonicalize_name(match.group(1))] = (match.group(2), hashes)
    return found


def test_every_runtime_requirement_is_pinned_within_its_range() -> None:
    locked = pins()
    for requirement in project_requirements(()):
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in {LOCK.name}: run make lock"
        assert requirement.specifier.contains(locked[name][0], prereleases=True), name


def test_the_whole_runtime_closure_is_pinned_and_nothing_of_the_extras() -> None:
    locked = set(pins())
    closure = set(distribution_closure(project_requirements(())))
    assert closure <= locked, f"not in the lock: {sorted(closure - locked)} (run make lock)"
    assert not locked & EXTRAS_ONLY


def test_the_runtime_closure_is_the_whole_lock() -> None:
    # the extras a dependency is asked for count: reportlab[accel] brings rl_accel
    closure = set(distribution_closure(project_requirements(())))
    assert "rl-accel" in closure
    assert set(pins()) - closure <= {"setuptools"}  # pip-compile pins it as "unsafe"


def test_every_pin_carries_hashes() -> None:
    locked = pins()
    assert len(locked) > 20
    assert all(hashes for _, hashes in locked.values())
    assert "--generate-hashes" in LOCK.read_text(encoding="utf-8")
