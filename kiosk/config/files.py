"""The files a config names (keys, certificates, CA bundles): each must be there and readable.

:func:`named_files` walks the whole model tree, so a file field added to any section is checked
without a change here. Each problem names the field's config path, as validation errors do:
``registry.key_file: /etc/adm-kiosk/kiosk.key: missing``. The check runs as the user who asks:
run ``kiosk config check`` as the kiosk user (``runuser -u adm-kiosk -- kiosk config check``)
to see what the kiosk itself can read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from kiosk.config.models import KioskConfig

NOT_FILES = frozenset({"state_dir", "source"})  # folders the kiosk creates, where it came from


def named_files(config: BaseModel, prefix: str = "") -> Iterator[tuple[str, Path]]:
    """Every ``(config path, file)`` the config names, in model order."""
    for name in type(config).model_fields:
        if not prefix and name in NOT_FILES:
            continue
        value = getattr(config, name)
        where = f"{prefix}{name}"
        if isinstance(value, Path):
            yield where, value
        elif isinstance(value, BaseModel):
            yield from named_files(value, f"{where}.")


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, or None when it can."""
    try:
        with path.open("rb") as handle:
            first = handle.read(1)
    except FileNotFoundError:
        return "missing"
    except PermissionError:
        return "unreadable (permission denied)"
    except IsADirectoryError:
        return "a directory, not a file"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return None if first else "empty"


def file_problems(config: KioskConfig) -> list[tuple[str, str]]:
    """``(config path, message)`` for each named file that is missing, unreadable or empty."""
    problems = []
    for where, path in named_files(config):
        problem = file_problem(path)
        if problem is not None:
            problems.append((where, f"{path}: {problem}"))
    return problems
