"""The kiosk's end of the fleet channel: what the heartbeat adds, what its answer triggers.

Built in :mod:`kiosk.bootstrap`; the heartbeat calls :meth:`FleetLink.payload` for the fields
it adds, :meth:`FleetLink.on_answer` with the registry's answer and :meth:`FleetLink.on_result`
with whether the registry took the beat.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from importlib import metadata
from typing import Any

from kiosk.fleet.commands import CommandRunner
from kiosk.fleet.config_push import ConfigPush
from kiosk.registry.models import HeartbeatAnswer

log = logging.getLogger(__name__)


@functools.cache
def kiosk_version() -> str:
    """The installed package's version (``0+unknown`` when run from a bare checkout)."""
    try:
        return metadata.version("adm-kiosk")
    except metadata.PackageNotFoundError:
        return "0+unknown"


class FleetLink:
    def __init__(
        self,
        push: ConfigPush,
        commands: CommandRunner,
        consumables: Callable[[], dict[str, Any]],
        extra: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.push = push
        self.commands = commands
        self.consumables = consumables
        self.extra = extra
        self.version = kiosk_version()

    def payload(self) -> dict[str, Any]:
        """Fields the heartbeat carries for the fleet view (no personal data)."""
        fields: dict[str, Any] = {
            "version": self.version,
            "config_revision": self.push.applied_revision,
            "config": self.push.status(),
            "consumables": self.consumables(),
            "command_results": self.commands.results(),
        }
        if self.extra is not None:
            fields.update(self.extra())
        return fields

    def on_answer(self, answer: HeartbeatAnswer) -> None:
        if answer.config is not None:
            self.push.offer(answer.config)
        if answer.commands:
            self.commands.offer(answer.commands)

    def on_result(self, ok: bool) -> None:
        if ok:
            self.commands.delivered()
