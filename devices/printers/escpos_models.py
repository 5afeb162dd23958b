"""The table of known USB ESC/POS printers (``escpos_models.toml``) and python-escpos's profiles.

Read once, on first use; both are small. The table gives a printer's bulk endpoints and profile
by ``vendor:product``, so a config that names only the USB ids still talks to the right
endpoints (the 0416:5011 family answers on in 0x81 / out 0x03, not python-escpos's defaults).
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

TABLE = Path(__file__).with_name("escpos_models.toml")
DEFAULT_IN_EP, DEFAULT_OUT_EP = 0x82, 0x01  # python-escpos's own defaults


@dataclass(frozen=True, slots=True)
class EscposModel:
    usb_id: str  # "0416:5011"
    name: str
    in_ep: int
    out_ep: int
    profile: str


def usb_id(vendor_id: int, product_id: int) -> str:
    return f"{vendor_id:04x}:{product_id:04x}"


@functools.cache
def known_models() -> dict[str, EscposModel]:
    data = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    return {
        key: EscposModel(key, str(e["name"]), int(e["in_ep"]), int(e["out_ep"]), str(e["profile"]))
        for key, e in data.items()
    }


@functools.cache
def profile_names() -> frozenset[str]:
    """Profiles python-escpos knows, read from its capabilities.json without importing its
    capabilities module (which pickles and writes a cache on import)."""
    text = importlib.resources.files("escpos").joinpath("capabilities.json").read_text("utf-8")
    return frozenset(json.loads(text)["profiles"])
