"""Runs technician actions on one worker thread; results come back on the GUI thread.

Device I/O, registry calls and scrypt never run on the GUI thread. One worker is enough (a
technician does one thing at a time) and keeps actions in the order they were asked for.
:meth:`TaskRunner.shutdown` waits for the worker, so no thread outlives the screens.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class TaskRunner(QObject):
    # (token, result, error): emitted from the worker thread, delivered queued on the GUI thread
    _finished = Signal(int, object, object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool: ThreadPoolExecutor | None = None
        self._callbacks: dict[int, tuple[Done, Failed]] = {}
        self._tokens = itertools.count(1)
        self._finished.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def run(self, fn: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="technician")
        token = next(self._tokens)
        self._callbacks[token] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        future = self._pool.submit(fn)
        future.add_done_callback(partial(self._complete, token))

    def _complete(self, token: int, future: Future[Any]) -> None:  # worker thread
        error = future.exception()
        try:
            self._finished.emit(token, None if error else future.result(), error)
        except RuntimeError:  # the runner was deleted while the task ran
            log.debug("technician task finished after its screens closed")

    def _deliver(self, token: int, result: Any, error: BaseException | None) -> None:
        callbacks = self._callbacks.pop(token, None)
        if not self._callbacks:
            self.busy_changed.emit(False)
        if callbacks is None:
            return
        on_done, on_error = callbacks
        if error is not None:
            on_error(error)
        else:
            on_done(result)

    def shutdown(self) -> None:
        """Wait for the running task (pending ones are dropped) and stop the worker."""
        pool, self._pool = self._pool, None
        self._callbacks.clear()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
