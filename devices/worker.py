"""One worker thread per device: blocking I/O never runs on the caller's (or the GUI's) thread."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import TypeVar

from devices.model import DeviceError, DeviceFault

T = TypeVar("T")


class DeviceWorker:
    """A single thread that runs a device's blocking calls in order, each with a timeout."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix=f"device-{name}"
        )

    def submit(self, fn: Callable[[], T]) -> concurrent.futures.Future[T]:
        return self._pool.submit(fn)

    def call(self, fn: Callable[[], T], timeout_s: float) -> T:
        """Run ``fn`` on the worker; DeviceError(DEVICE_TIMEOUT) if it takes longer.

        A call that times out keeps running on the worker (a thread cannot be killed); the
        driver's own I/O timeouts bound it, and later calls queue behind it.
        """
        future = self._pool.submit(fn)
        try:
            return future.result(timeout=timeout_s)
        except concurrent.futures.TimeoutError:
            raise DeviceError(
                DeviceFault(
                    "DEVICE_TIMEOUT",
                    f"{self.name}: no answer within {timeout_s:.1f} s",
                    "the operation is treated as failed",
                )
            ) from None

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)
