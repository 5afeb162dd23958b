"""Which parts of the config the registry may push, and how a pushed revision is checked.

A pushed revision carries whole sections' *fields*, never files or keys:

============  ===========================================================  =====================
section       fields that may be pushed                                    why
============  ===========================================================  =====================
``ui``        ``inactivity_warn_s``, ``inactivity_wipe_s``,                 timings an office
              ``session_cap_s``                                            tunes for its public
``queue``     ``services`` (the whole list: hours, days, quotas, names,    opening hours and
              priority)                                                    quotas change often
``registry``  ``heartbeat_interval_s`` (10-3600 s)                         fleet load
============  ===========================================================  =====================

Everything else stays with the file on the kiosk, changed only by a visit or a signed
package: the kiosk identity, the registry URL, keys, certificates and timeouts, voucher and
config keys (a push must never be able to choose who it trusts), devices and drivers, the
technician PIN, the metrics listener, the state directory and the simulator settings.

A revision is *complete*: the effective config is the file's config with the revision's
fields on top. A section the revision leaves out is the file's again (so an operator pushes
"the fleet settings of this kiosk", not a patch of a patch, and a revision means the same
thing whatever the kiosk applied before).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from kiosk.config.loader import ConfigError, parse_config
from kiosk.config.models import KioskConfig, QueueSettings, UISettings

PUSHABLE: dict[str, frozenset[str]] = {
    "ui": frozenset({"inactivity_warn_s", "inactivity_wipe_s", "session_cap_s"}),
    "queue": frozenset({"services"}),
    "registry": frozenset({"heartbeat_interval_s"}),
}
HEARTBEAT_RANGE_S = (10, 3600)
log = logging.getLogger(__name__)


class PushRefused(ValueError):
    """A pushed revision that cannot be used, with a stable ``reason`` code."""

    def __init__(self, reason: str, detail: str, revision: int | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.revision = revision  # known once the signature held


def check_sections(sections: Mapping[str, Any]) -> None:
    """Only the fields in :data:`PUSHABLE`, each section an object; raises :class:`PushRefused`."""
    for section, fields in sections.items():
        allowed = PUSHABLE.get(section)
        if allowed is None:
            raise PushRefused("not_pushable", f"section {section!r} may not be pushed")
        if not isinstance(fields, dict):
            raise PushRefused("invalid", f"{section}: must be an object")
        extra = sorted(str(name) for name in fields if name not in allowed)
        if extra:
            names = ", ".join(extra)[:200]
            raise PushRefused("not_pushable", f"{section}: {names} may not be pushed")
    interval = sections.get("registry", {}).get("heartbeat_interval_s")
    low, high = HEARTBEAT_RANGE_S
    if interval is not None and (type(interval) is not int or not low <= interval <= high):
        raise PushRefused("invalid", f"registry.heartbeat_interval_s: must be {low}-{high} s")
    services = sections.get("queue", {}).get("services")
    if services is not None and (not isinstance(services, list) or not services):
        raise PushRefused("invalid", "queue.services: at least one service")


def validate_alone(sections: Mapping[str, Any]) -> None:
    """The registry's check before it signs: the fields against the kiosk's own models."""
    check_sections(sections)
    try:
        if "ui" in sections:
            UISettings.model_validate(sections["ui"])
        if "queue" in sections:
            QueueSettings.model_validate(sections["queue"])
    except ValidationError as exc:
        raise PushRefused("invalid", _paths(exc)) from None


def merged(base: KioskConfig, sections: Mapping[str, Any]) -> KioskConfig:
    """``base`` with the pushed fields on top, validated by the same models as a config file."""
    check_sections(sections)
    if "queue" in sections and not base.queue.services:
        raise PushRefused("invalid", "queue: this kiosk issues no queue tickets")
    data = base.model_dump()
    for section, fields in sections.items():
        data[section] = {**data[section], **fields}
    if "queue" in sections:
        data["handover"] = _handover_within(data["handover"], data["queue"]["services"])
    try:
        config = parse_config(data, "pushed config")
    except ConfigError as exc:  # paths and messages only: never the pushed values
        detail = "; ".join(f"{path}: {message}" for path, message in exc.errors)
        raise PushRefused("invalid", detail[:300]) from None
    return config.model_copy(update={"source": base.source})


def _handover_within(handover: dict[str, Any], services: list[Any]) -> dict[str, Any]:
    """The file's ``[handover]`` without the services a pushed list no longer has: those
    errors then offer no ticket (logged), rather than the whole revision being refused."""
    codes = {s.get("code") for s in services if isinstance(s, dict)}
    kept = {key: code for key, code in handover["services"].items() if code in codes}
    default = handover["default"] if handover["default"] in codes else None
    dropped = sorted(set(handover["services"]) - set(kept))
    if dropped or default != handover["default"]:
        log.warning(
            "pushed queue services leave out handover targets (%s%s): no ticket offered there",
            ", ".join(dropped),
            "" if default == handover["default"] else "; default",
        )
    return {**handover, "default": default, "services": kept}


def _paths(exc: ValidationError) -> str:
    return "; ".join(
        ".".join(str(p) for p in err["loc"]) + ": " + str(err["msg"]) for err in exc.errors()
    )[:300]
