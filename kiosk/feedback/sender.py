"""Answers from the kiosk's store to the office, in the background, oldest first.

One daemon thread: it sends what is pending through the :class:`FeedbackDelivery`, marks each
acknowledged answer delivered, sets aside one the office refuses outright (it would block the
others forever), and sleeps until a new answer arrives or ``retry_s`` passes after a failure.
The office deduplicates by ticket or txid, so an answer sent twice (the acknowledgement lost,
the kiosk restarted) is stored once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from kiosk.feedback.ports import FeedbackDelivery, FeedbackRefused
from kiosk.feedback.store import FeedbackStore

log = logging.getLogger(__name__)


class FeedbackSender:
    def __init__(
        self,
        store: FeedbackStore,
        delivery: FeedbackDelivery,
        *,
        retry_s: float = 60.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.delivery = delivery
        self.retry_s = retry_s
        self.clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        store.notify(self._wake)

    def start(self) -> None:
        if self._thread is None:
            self._wake.set()  # answers left from before a restart
            self._thread = threading.Thread(target=self._run, name="feedback-sender", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def send_pending(self) -> bool:
        """One pass over what is pending; False if the office did not take everything."""
        for answer_id, answer in self.store.pending():
            if self._stop.is_set():
                return False
            try:
                delivered = self.delivery.deliver(answer)
            except FeedbackRefused as exc:  # never taken: set aside, the rest goes on
                log.error("feedback: the office refused answer %d (%s)", answer_id, exc.code)
                self.store.mark_refused(answer_id, exc.code)
                continue
            except Exception:  # a delivery bug: keep the answer, try again later
                log.exception("feedback: delivery of answer %d failed", answer_id)
                delivered = False
            if not delivered:
                return False
            self.store.mark_delivered(answer_id, self.clock())
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            if self._stop.is_set():
                return
            if not self.send_pending():
                self._stop.wait(self.retry_s)
                self._wake.set()
