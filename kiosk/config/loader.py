"""Load a TOML file into :class:`KioskConfig`, with errors that name their path."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kiosk.config.models import KioskConfig

MAX_TOML_BYTES = 64 * 1024  # a full kiosk config is ~3 KiB
_PATH_FIELDS = (
    ("registry", "key_file"),
    ("registry", "ca_file"),
    ("registry", "client_cert"),
    ("registry", "client_key"),
    ("telemetry", "metrics_tls_cert"),
    ("telemetry", "metrics_tls_key"),
    ("telemetry", "metrics_client_ca"),
    ("audit", "key_file"),
    ("queue", "key_file"),
    ("state_dir",),
)


class ConfigError(Exception):
    """A config that cannot be used; ``errors`` holds ``(path, message)`` pairs."""

    def __init__(self, source: str, errors: list[tuple[str, str]]) -> None:
        self.source = source
        self.errors = errors
        lines = "\n".join(f"{path}: {message}" for path, message in errors)
        super().__init__(f"{source}:\n{lines}")


SYSTEM_CONFIG = Path("/etc/adm-kiosk/kiosk.toml")
DEFAULTS = Path(__file__).resolve().parent / "defaults"  # package data: the bundled configs


def repo_root() -> Path:
    """The checkout the kiosk runs from (or, in a wheel install, the site-packages folder)."""
    return Path(__file__).resolve().parents[2]


def bundled_config(name: str) -> Path:
    """A config shipped with the code (``simulator.toml``, ``kiosk.toml``, ``scenarios``): the
    checkout's ``config/NAME``, else the copy a wheel installs as package data."""
    checkout = repo_root() / "config" / name
    return checkout if checkout.exists() else DEFAULTS / name


def default_config_path() -> Path:
    """``$KIOSK_CONFIG``, else ``/etc/adm-kiosk/kiosk.toml`` when it exists (a kiosk PC), else the
    bundled simulator config (a developer's machine)."""
    env = os.environ.get("KIOSK_CONFIG")
    if env:
        return Path(env)
    return SYSTEM_CONFIG if SYSTEM_CONFIG.exists() else bundled_config("simulator.toml")


def user_state_dir() -> Path:
    """Where a bundled config read from an installed package keeps its state (never inside
    site-packages): ``$XDG_STATE_HOME/adm-kiosk``, by default ``~/.local/state/adm-kiosk``."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "adm-kiosk"


def _resolve_paths(data: dict[str, Any], base: Path) -> None:
    for path in _PATH_FIELDS:
        node: Any = data
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(path[-1]), str):
            value = Path(node[path[-1]]).expanduser()
            node[path[-1]] = value if value.is_absolute() else Path(os.path.normpath(base / value))


def _message(error: Any) -> str:
    msg = str(error.get("msg", "invalid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if msg.startswith("Input should be greater than"):
        msg = msg.replace("Input should be greater than", "must be >")
    return msg


def parse_config(
    data: dict[str, Any], source: str = "<config>", base: Path | None = None
) -> KioskConfig:
    data = dict(data)
    if base is not None:
        _resolve_paths(data, base)
    try:
        return KioskConfig.model_validate(data)
    except ValidationError as exc:
        errors = [
            (".".join(str(p) for p in err["loc"]) or "(top)", _message(err)) for err in exc.errors()
        ]
        raise ConfigError(source, errors) from None


def read_toml_bytes(path: Path, limit: int = MAX_TOML_BYTES) -> bytes:
    """The file's bytes, at most ``limit`` (an OSError or ValueError says why not).

    Bounded on purpose: ``/dev/zero`` must not fill memory, and tomllib's run time grows
    with the square of a dotted key's depth, so a small cap is also a bound on parse time.
    """
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise ValueError(f"larger than {limit // 1024} KiB")
    return raw


def load_config(path: str | Path | None = None) -> KioskConfig:
    path = Path(path) if path is not None else default_config_path()
    try:
        raw = read_toml_bytes(path)
    except OSError as exc:
        raise ConfigError(str(path), [("(file)", exc.strerror or str(exc))]) from None
    except ValueError as exc:
        raise ConfigError(str(path), [("(file)", str(exc))]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(str(path), [("(syntax)", str(exc))]) from None
    except RecursionError:  # tomllib recurses per nesting level: `x = [[[[...` overflows
        raise ConfigError(str(path), [("(syntax)", "values nested too deeply")]) from None
    config = parse_config(data, str(path), path.resolve().parent)
    update: dict[str, Any] = {"source": path.resolve()}
    if path.resolve().is_relative_to(DEFAULTS) and config.state_dir.is_relative_to(repo_root()):
        # a bundled config of an installed package: its state never goes into site-packages
        update["state_dir"] = user_state_dir() / path.stem
    return config.model_copy(update=update)
