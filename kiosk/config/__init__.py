"""Configuration: a pydantic model tree loaded from TOML."""

from kiosk.config.loader import ConfigError, default_config_path, load_config, repo_root
from kiosk.config.models import KioskConfig

__all__ = ["ConfigError", "KioskConfig", "default_config_path", "load_config", "repo_root"]
