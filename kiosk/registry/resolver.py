"""The registry's host name looked up within the call's deadline.

``getaddrinfo`` cannot be interrupted, and a resolver that does not answer (a kecamatan office
whose DNS server is down) holds it for the resolver's own timeouts, often tens of seconds, far
past a registry call's deadline. So the name is looked up on a helper thread and the caller
waits only for what is left of its deadline. One lookup at a time: while one hangs, callers
wait for that one, never start another thread. A name that resolved stays trusted for
``fresh_s``; the connection itself (opened by httpx) then finds the answer in the same resolver.
Host names that are IP addresses need no lookup.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time


class LookupTimeout(Exception):
    """The deadline passed while the name was being looked up."""


class _Lookup:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: OSError | None = None


class Resolver:
    def __init__(self, host: str, port: int, *, fresh_s: float = 30.0) -> None:
        self.host = host
        self.port = port
        self.fresh_s = fresh_s
        self._lock = threading.Lock()
        self._resolved_at = float("-inf")
        self._pending: _Lookup | None = None
        try:
            ipaddress.ip_address(host.strip("[]"))
            self._needed = False
        except ValueError:
            self._needed = True

    def check(self, deadline: float) -> None:
        """Return once the name resolves; raises :class:`LookupTimeout` or the lookup's
        ``OSError`` (``socket.gaierror``: no such name, no resolver)."""
        if not self._needed:
            return
        with self._lock:
            if time.monotonic() - self._resolved_at < self.fresh_s:
                return
            lookup = self._pending
            if lookup is None:
                lookup = self._pending = _Lookup()
                threading.Thread(
                    target=self._lookup, args=(lookup,), name="registry-dns", daemon=True
                ).start()
        if not lookup.done.wait(max(deadline - time.monotonic(), 0)):
            raise LookupTimeout(f"no answer for {self.host!r} before the deadline")
        if lookup.error is not None:
            raise lookup.error

    def _lookup(self, lookup: _Lookup) -> None:
        try:
            socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)
        except OSError as exc:
            lookup.error = exc
        with self._lock:
            if lookup.error is None:
                self._resolved_at = time.monotonic()
            self._pending = None
        lookup.done.set()
