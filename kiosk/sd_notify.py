"""A tiny sd_notify client: systemd's notification protocol, no dependency.

systemd passes ``NOTIFY_SOCKET`` (a unix datagram socket path, or ``@name`` for the abstract
namespace) to a ``Type=notify`` service; the service sends newline-separated ``KEY=value``
datagrams: ``READY=1`` once it serves, ``WATCHDOG=1`` at least every ``WATCHDOG_USEC`` / 2
when ``WatchdogSec=`` is set (else systemd kills and restarts it), ``STATUS=...`` free text,
``STOPPING=1`` on the way out.

Outside systemd (no ``NOTIFY_SOCKET``) every call is a no-op returning False, so the kiosk runs
the same under a developer's shell. A failed send is logged once and never raised: a kiosk must
not die because its supervisor's socket is gone.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)

NOTIFY_SOCKET = "NOTIFY_SOCKET"
WATCHDOG_USEC = "WATCHDOG_USEC"
WATCHDOG_PID = "WATCHDOG_PID"
MAX_STATUS_CHARS = 200


def _address(raw: str) -> str | None:
    if raw.startswith("@"):
        return "\0" + raw[1:]  # abstract namespace
    if raw.startswith("/"):
        return raw
    return None  # vsock and other forms are not used by a kiosk


class SystemdNotifier:
    def __init__(self, socket_path: str | None, watchdog_usec: int | None = None) -> None:
        self._address = _address(socket_path) if socket_path else None
        if socket_path and self._address is None:
            log.warning("NOTIFY_SOCKET %r is not a unix socket path: not notifying", socket_path)
        self._watchdog_usec = watchdog_usec
        self._warned = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SystemdNotifier:
        env = os.environ if env is None else env
        usec: int | None = None
        raw_usec, raw_pid = env.get(WATCHDOG_USEC, ""), env.get(WATCHDOG_PID, "")
        # WATCHDOG_PID, when set, names the process that must feed the watchdog.
        ours = not raw_pid or (raw_pid.isdigit() and int(raw_pid) == os.getpid())
        if raw_usec.isdigit() and int(raw_usec) > 0 and ours:
            usec = int(raw_usec)
        return cls(env.get(NOTIFY_SOCKET) or None, usec)

    @property
    def enabled(self) -> bool:
        return self._address is not None

    @property
    def watchdog_interval_s(self) -> float | None:
        """How often to send WATCHDOG=1 (half the timeout, as sd_watchdog_enabled advises)."""
        if self._watchdog_usec is None:
            return None
        return self._watchdog_usec / 1e6 / 2

    def notify(self, *assignments: str) -> bool:
        """Send ``KEY=value`` lines in one datagram; True if it was sent."""
        if self._address is None:
            return False
        for line in assignments:
            if "=" not in line or "\n" in line:
                raise ValueError(f"not a KEY=value assignment: {line!r}")
        payload = "\n".join(assignments).encode("utf-8")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.connect(self._address)
                sock.sendall(payload)
        except OSError as exc:
            if not self._warned:
                self._warned = True
                log.warning("sd_notify failed: %s", exc)
            return False
        return True

    def ready(self, status: str | None = None) -> bool:
        lines = ["READY=1"]
        if status:
            lines.append(_status_line(status))
        return self.notify(*lines)

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    def status(self, text: str) -> bool:
        return self.notify(_status_line(text))

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")


def _status_line(text: str) -> str:
    clean = " ".join(text.split())[:MAX_STATUS_CHARS]
    return f"STATUS={clean}"
