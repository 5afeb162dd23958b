"""The outbox: commit and release calls the registry still owes us an answer to.

Items are written to the journal (with their idempotency key) before the first attempt and
retried with exponential backoff until the registry acknowledges. A response lost on the wire
is retried under the same key, so the registry sees one call (and a commit repeated after a
lost answer is answered 200 again). A background thread delivers what is due;
:meth:`Outbox.deliver` is also called at once after printing (the fast path).

A refusal for good settles the item: a release refused because the lease is already gone is
RELEASED; a commit refused with 409 ``already_printed`` after this kiosk printed means the
voucher was printed twice: CONFLICT, an alarm (error log, ``double_print`` audit entry, the
technician page and the ``kiosk_journal_transactions{state="conflict"}`` metric), never a
silent COMMITTED; anything else is SUSPECT.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
import time
from collections.abc import Callable

from kiosk.audit import AuditLog
from kiosk.engine.journal import Journal, OutboxItem, OutboxOp, TxState
from kiosk.engine.ports import Registry, StepHook, no_pause
from kiosk.registry.errors import (
    AlreadyPrinted,
    Expired,
    NotFound,
    RegistryError,
    Unauthorized,
    Unavailable,
)
from kiosk.registry.errors import RateLimited as RateLimitedError

log = logging.getLogger(__name__)


class Outbox:
    def __init__(
        self,
        journal: Journal,
        registry: Registry,
        *,
        audit: AuditLog | None = None,
        pause: StepHook = no_pause,
        base_delay_s: float = 1.0,
        max_delay_s: float = 300.0,
        on_change: Callable[[int], None] | None = None,
    ) -> None:
        self.journal = journal
        self.registry = registry
        self.audit = audit
        self.pause = pause
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.on_change = on_change
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._deliver_lock = threading.Lock()

    def depth(self) -> int:
        return self.journal.outbox_depth()

    # one attempt

    def deliver(self, item: OutboxItem) -> bool:
        """Try ``item`` once; True when it is settled (acknowledged or refused for good)."""
        with self._deliver_lock:
            try:
                current = self.journal.outbox_item(item.key)
                if current is None:  # another attempt settled it meanwhile
                    return True
                return self._attempt(current)
            except (OSError, sqlite3.Error) as exc:  # a full disk: the item stays owed
                log.error("outbox: %s of tx %s not settled: %s", item.op.value, item.txid, exc)
                return False

    def _attempt(self, item: OutboxItem) -> bool:
        try:
            if item.op is OutboxOp.COMMIT:
                self.registry.commit(
                    item.rid,
                    pdf_sha256=str(item.payload["pdf_sha256"]),
                    pages=int(item.payload["pages"]),
                    printer=str(item.payload["printer"]),
                    idempotency_key=item.key,
                )
            else:
                self.registry.release(
                    item.rid, reason=str(item.payload.get("reason", "")), idempotency_key=item.key
                )
        except (Unavailable, RateLimitedError, Unauthorized) as exc:
            return self._retry_later(item, exc)
        except RegistryError as exc:
            if _is_transient(exc):
                return self._retry_later(item, exc)
            return self._settle_refused(item, exc)
        except Exception as exc:  # a client bug must not kill the outbox thread
            log.exception("outbox %s %s failed unexpectedly", item.op.value, item.txid)
            return self._retry_later(item, exc)
        self.pause(f"{item.op.value}_acknowledged")
        done = TxState.COMMITTED if item.op is OutboxOp.COMMIT else TxState.RELEASED
        self.journal.outbox_done(item, done)
        log.info("outbox: %s of tx %s acknowledged", item.op.value, item.txid)
        self._changed()
        return True

    def _retry_later(self, item: OutboxItem, exc: Exception) -> bool:
        delay = min(self.max_delay_s, self.base_delay_s * 2 ** min(item.attempts, 20))
        if isinstance(exc, RateLimitedError) and exc.retry_after_s:
            delay = max(delay, float(exc.retry_after_s))
        delay *= random.uniform(0.9, 1.1)  # noqa: S311 (jitter, not security)
        self.journal.outbox_failed(item.key, _describe(exc), time.time() + delay)
        log.warning(
            "outbox: %s of tx %s not acknowledged (%s); retry in %.1f s",
            item.op.value,
            item.txid,
            _describe(exc),
            delay,
        )
        return False

    def _settle_refused(self, item: OutboxItem, exc: RegistryError) -> bool:
        if item.op is OutboxOp.RELEASE and isinstance(exc, NotFound | Expired):
            state, reason = TxState.RELEASED, f"lease already gone ({exc.code})"
        elif item.op is OutboxOp.COMMIT and isinstance(exc, AlreadyPrinted):
            # Our own commit repeated is answered 200: this is someone else's print.
            state, reason = TxState.CONFLICT, "printed here and already printed elsewhere"
        else:
            state, reason = TxState.SUSPECT, f"registry refused {item.op.value}: {exc.code}"
        self.journal.outbox_done(item, state, reason)
        if state is TxState.CONFLICT:
            log.error("outbox: DOUBLE PRINT: tx %s printed a voucher printed elsewhere", item.txid)
        else:
            log.warning("outbox: %s of tx %s settled as %s", item.op.value, item.txid, state.value)
        if self.audit is not None and state is not TxState.RELEASED:
            record = self.journal.get(item.txid)
            event = "double_print" if state is TxState.CONFLICT else "suspect"
            self.audit.append(event, txid=item.txid, vid=record.vid, doc=record.doc, reason=reason)
        self._changed()
        return True

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change(self.depth())

    # many attempts

    def deliver_due(self, now: float | None = None) -> int:
        """Attempt every item due by ``now``; returns how many were settled."""
        settled = 0
        for item in self.journal.outbox_due(time.time() if now is None else now, limit=50):
            if self._stop.is_set():
                break
            settled += self.deliver(item)
        return settled

    def flush(self, timeout_s: float, poll_s: float = 0.05) -> bool:
        """Attempt everything now, ignoring backoff, until empty or ``timeout_s``; True if empty."""
        deadline = time.monotonic() + timeout_s
        while self.depth():
            self.deliver_due(now=float("inf"))
            if not self.depth() or time.monotonic() >= deadline:
                break
            time.sleep(poll_s)
        return self.depth() == 0

    # background thread

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout_s)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.deliver_due()
                next_at = self.journal.outbox_next_at()
            except Exception:
                log.exception("outbox pass failed")
                next_at = None
            wait = 5.0 if next_at is None else max(0.01, min(5.0, next_at - time.time()))
            self._wake.wait(wait)
            self._wake.clear()


def _is_transient(exc: RegistryError) -> bool:
    from kiosk.registry.errors import BadResponse

    return isinstance(exc, BadResponse)


def _describe(exc: Exception) -> str:
    if isinstance(exc, RegistryError):
        return f"{type(exc).__name__}({exc.code})"
    return type(exc).__name__
