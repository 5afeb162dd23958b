"""The registry's host name is looked up inside the call's deadline, never past it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from kiosk.registry import RegistryClient, Timeout, Unavailable
from kiosk.registry.resolver import LookupTimeout, Resolver
from kiosk.registry_sim.server import RunningSimulator

MakeClient = Callable[..., RegistryClient]
real_getaddrinfo = socket.getaddrinfo


class FakeDns:
    """``socket.getaddrinfo`` that hangs, fails or answers for one name; counts its calls."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.mode = "answer"
        self.calls = 0
        self.release = threading.Event()

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != self.name:
            return real_getaddrinfo(host, port, *args, **kwargs)
        self.calls += 1
        if self.mode == "hang":
            self.release.wait(10)  # a resolver that does not answer
        if self.mode == "fail":
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real_getaddrinfo("127.0.0.1", port, *args, **kwargs)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> Any:
    fake = FakeDns("registry.kecamatan.test")
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    yield fake
    fake.release.set()


def _named_url(sim: RunningSimulator, name: str) -> str:
    return sim.url.replace("127.0.0.1", name)


def test_a_hanging_resolver_ends_the_call_at_its_deadline(
    sim: RunningSimulator, make_client: MakeClient, dns: FakeDns
) -> None:
    dns.mode = "hang"
    client = make_client(_named_url(sim, dns.name), timeout_ms=400, retries=2)
    started = time.monotonic()
    with pytest.raises(Timeout):
        client.health()
    assert time.monotonic() - started < 0.4 + 0.3
    # A second call waits for the same hanging lookup; it starts no second thread.
    with pytest.raises(Timeout):
        client.health()
    assert dns.calls == 1
    # The resolver answers again: the next call goes through.
    dns.mode = "answer"
    dns.release.set()
    deadline = time.monotonic() + 5
    while True:
        try:
            assert client.health()
            break
        except Timeout:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_an_unknown_name_is_unavailable_not_a_crash(
    sim: RunningSimulator, make_client: MakeClient, dns: FakeDns
) -> None:
    dns.mode = "fail"
    client = make_client(_named_url(sim, dns.name), timeout_ms=1500, retries=1)
    with pytest.raises(Unavailable) as caught:
        client.health()
    assert not isinstance(caught.value, Timeout)
    assert dns.calls == 2  # the request never left: retried once


def test_a_name_that_resolved_is_not_looked_up_again_while_fresh(
    sim: RunningSimulator, make_client: MakeClient, dns: FakeDns
) -> None:
    client = make_client(_named_url(sim, dns.name))
    for _ in range(3):
        assert client.health()
    assert dns.calls == 2  # the client's check, then httpx's own connect; later calls: none


def test_ip_addresses_need_no_lookup(dns: FakeDns) -> None:
    for host in ("127.0.0.1", "[::1]", "::1"):
        Resolver(host, 80).check(time.monotonic())  # a deadline already past: no wait needed
    slow = Resolver(dns.name, 80)
    dns.mode = "hang"
    with pytest.raises(LookupTimeout):
        slow.check(time.monotonic() + 0.05)
