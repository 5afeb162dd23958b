"""JSON as it arrives from (or leaves for) the wire, typed without ``Any``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

JsonValue = None | bool | int | float | str | Sequence["JsonValue"] | Mapping[str, "JsonValue"]
"""Any value JSON can carry."""

JsonObject = Mapping[str, JsonValue]
"""A JSON object: what the registry's document envelope and a heartbeat are."""
