"""Commands from the registry on the heartbeat channel: run between sessions, answered in the
next heartbeats.

Two kinds, both read-only and free of personal data:

- ``diagnostics``: the devices' *internal* health checks (no paper used, nothing shown to a
  citizen), the registry's reachability, outbox depth and SUSPECT count, free disk space;
- ``logs_summary``: how many log records each logger wrote at each level since the kiosk
  started (:class:`LogTally`). Counts only: no message, no argument ever leaves the kiosk.

Unknown kinds are answered ``{"ok": false, "error": "unknown_command"}``. A command id is run
at most once (the last :data:`REMEMBERED` ids are kept); a result stays in the heartbeat until
a heartbeat carrying it was accepted.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

log = logging.getLogger(__name__)

REMEMBERED = 64
MAX_RESULTS = 10
KINDS = ("diagnostics", "logs_summary")

WhenIdle = Callable[[Callable[[], None]], None]


class Command(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...


class LogTally(logging.Handler):
    """Counts log records by (logger, level); keeps nothing else of them."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self._counts: Counter[tuple[str, str]] = Counter()
        self._since = time.time()
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._guard:
            self._counts[(record.name, record.levelname)] += 1

    def summary(self, top: int = 20) -> dict[str, Any]:
        with self._guard:
            counts = dict(self._counts)
        by_level: Counter[str] = Counter()
        for (_, level), n in counts.items():
            by_level[level] += n
        loud = Counter(
            {name: n for (name, level), n in counts.items() if level in ("WARNING", "ERROR")}
        )
        return {
            "since": datetime.fromtimestamp(self._since, UTC).isoformat(),
            "by_level": dict(sorted(by_level.items())),
            "warnings_and_errors_by_logger": dict(loud.most_common(top)),
        }

    def install(self) -> Callable[[], None]:
        """Attach to the root logger; returns the detach call."""
        root = logging.getLogger()
        root.addHandler(self)
        return lambda: root.removeHandler(self)


class CommandRunner:
    def __init__(
        self,
        handlers: Mapping[str, Callable[[], dict[str, Any]]],
        when_idle: WhenIdle,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.handlers = dict(handlers)
        self._when_idle = when_idle
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: deque[str] = deque(maxlen=REMEMBERED)
        self._results: list[dict[str, Any]] = []
        self._in_flight: set[str] = set()

    def offer(self, commands: Iterable[Command]) -> None:
        """Commands from the registry's answer (any thread); each runs once, when idle."""
        for command in commands:
            with self._lock:
                if command.id in self._seen:
                    continue
                self._seen.append(command.id)
            log.info("fleet command %s (%s) queued", command.id, command.kind)
            self._when_idle(functools.partial(self._run, command.id, command.kind))

    def _run(self, command_id: str, kind: str) -> None:
        started = self._clock()
        handler = self.handlers.get(kind)
        result: dict[str, Any] = {"id": command_id, "kind": kind}
        if handler is None:
            result |= {"ok": False, "error": "unknown_command"}
        else:
            try:
                result |= {"ok": True, "result": handler()}
            except Exception as exc:
                log.exception("fleet command %s (%s) failed", command_id, kind)
                result |= {"ok": False, "error": type(exc).__name__}
        result["at"] = datetime.fromtimestamp(started, UTC).isoformat()
        with self._lock:
            self._results = [*self._results, result][-MAX_RESULTS:]

    def results(self) -> list[dict[str, Any]]:
        """Results for the next heartbeat (they stay until :meth:`delivered`)."""
        with self._lock:
            self._in_flight = {r["id"] for r in self._results}
            return list(self._results)

    def delivered(self) -> None:
        """The heartbeat carrying the last :meth:`results` was accepted."""
        with self._lock:
            sent, self._in_flight = self._in_flight, set()
            self._results = [r for r in self._results if r["id"] not in sent]
