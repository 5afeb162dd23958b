"""The heartbeat: every N seconds, device status and counters to the registry.

Each beat also carries ``audit_head`` (``{"entries", "head"}``: the audit chain's length and
last hash), which the registry keeps per kiosk, so ``kiosk audit verify --registry`` can tell a
log that was cut short or replaced on the kiosk's own disk.

``POST /v1/kiosks/{id}/heartbeat`` doubles as the reachability probe that switches the
printing services on and off (degraded mode): while the registry is down the beat comes more
often, so service returns soon after the registry does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kiosk.audit import AuditHead
from kiosk.engine.availability import RegistryStatus
from kiosk.engine.ports import Registry
from kiosk.registry.errors import RegistryError, Unavailable

log = logging.getLogger(__name__)
DOWN_RETRY_S = 10.0


class Heartbeat:
    def __init__(
        self,
        registry: Registry,
        payload: Callable[[], dict[str, Any]],
        *,
        interval_s: float,
        status: RegistryStatus | None = None,
        on_result: Callable[[bool], None] | None = None,
        audit_head: Callable[[], AuditHead] | None = None,
    ) -> None:
        self.registry = registry
        self.payload = payload
        self.interval_s = interval_s
        self.status = status
        self.on_result = on_result
        self.audit_head = audit_head
        self.sent = 0
        self.failed = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self) -> bool:
        """Send one heartbeat now; True when the registry took it."""
        try:
            body = self.payload()
            body.setdefault("sent_at", datetime.now(UTC).isoformat())
            if self.audit_head is not None:  # the registry keeps it: the log checked from outside
                body["audit_head"] = self.audit_head().to_wire()
            self.registry.heartbeat(body)
        except Unavailable as exc:
            return self._result(False, exc, registry_down=True)
        except RegistryError as exc:
            return self._result(False, exc, registry_down=False)
        except Exception as exc:  # never let a payload bug stop the beat
            log.exception("heartbeat payload failed")
            return self._result(False, exc, registry_down=False)
        return self._result(True, None, registry_down=False)

    def _result(self, ok: bool, exc: Exception | None, *, registry_down: bool) -> bool:
        if ok:
            self.sent += 1
        else:
            self.failed += 1
            log.warning("heartbeat not accepted: %s", type(exc).__name__)
        if self.status is not None and (ok or registry_down):
            self.status.mark(ok)
        if self.on_result is not None:
            self.on_result(ok)
        return ok

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            ok = self.beat()
            wait = self.interval_s if ok else min(self.interval_s, DOWN_RETRY_S)
            self._stop.wait(wait)
