"""Faults: each gives its typed error within the call's deadline (real sockets throughout)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kiosk.registry import (
    BadResponse,
    RateLimited,
    RegistryClient,
    Timeout,
    Unavailable,
    WrongPin,
)
from kiosk.registry_sim.server import RunningSimulator

MakeClient = Callable[..., RegistryClient]
Pick = Callable[..., list[dict[str, Any]]]
HEALTH = json.dumps({"status": "ok", "server_time": "2026-11-23T10:00:00+07:00", "version": "1"})
SLACK_S = 0.35  # scheduling slack on a busy 2-core machine


def _timed(call: Callable[[], object]) -> tuple[BaseException | None, float]:
    started = time.monotonic()
    try:
        call()
    except Exception as exc:
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


def test_latency_past_the_deadline(sim: RunningSimulator, make_client: MakeClient) -> None:
    sim.set_latency(1200)
    client = make_client(sim.url, timeout_ms=600)
    error, took = _timed(client.health)
    assert isinstance(error, Timeout)
    assert took < 0.6 + SLACK_S


def test_dripping_body_is_cut_at_the_deadline(
    scripted: Any, reply: Any, make_client: MakeClient
) -> None:
    server = scripted([reply(200, HEALTH.encode(), drip_interval_s=0.2)])
    client = make_client(server.url, timeout_ms=1000, retries=0)
    error, took = _timed(client.health)
    assert isinstance(error, Timeout)
    assert 0.9 < took < 1.0 + SLACK_S


def test_drip_then_stall_is_cut_at_the_deadline(
    scripted: Any, reply: Any, make_client: MakeClient
) -> None:
    # Bytes keep coming until just before the deadline, then nothing: a per-read timeout
    # alone would wait one more full read timeout; the watchdog must cut at the deadline.
    server = scripted([reply(200, HEALTH.encode(), drip_interval_s=0.2, stall_after_bytes=4)])
    client = make_client(server.url, timeout_ms=1000, retries=0)
    error, took = _timed(client.health)
    assert isinstance(error, Timeout)
    assert took < 1.0 + SLACK_S


def test_5xx_then_success_is_retried_for_get(
    scripted: Any, reply: Any, make_client: MakeClient
) -> None:
    server = scripted(
        [reply(503, b"{}"), reply(502, b"<html>bad gateway</html>"), reply(200, HEALTH.encode())]
    )
    health = make_client(server.url, retries=2).health()
    assert health.server_time.year == 2026
    assert len(server.requests) == 3


def test_5xx_is_not_retried_for_verify(scripted: Any, reply: Any, make_client: MakeClient) -> None:
    server = scripted([reply(503, b"{}"), reply(200, b"{}")])
    with pytest.raises(Unavailable):
        make_client(server.url).verify_voucher("ADM1.a.b", "123456")
    assert len(server.requests) == 1  # a PIN attempt is never sent twice


def test_5xx_then_success_is_retried_for_idempotent_reserve(
    scripted: Any, reply: Any, make_client: MakeClient
) -> None:
    body = {
        "rid": "R1",
        "vid": "V1",
        "doc": "kk",
        "lease_expires": "2026-11-23T10:02:00Z",
        "document": {"type": "kk"},
    }
    server = scripted([reply(500, b"oops"), reply(200, json.dumps(body).encode())])
    reservation = make_client(server.url).reserve("V1", "VP1.x.y", "key-00000001")
    assert reservation.rid == "R1"
    assert [r.count(b"Idempotency-Key: key-00000001") for r in server.requests] == [1, 1]


def test_simulated_outage_then_recovery(sim: RunningSimulator, make_client: MakeClient) -> None:
    client = make_client(sim.url, timeout_ms=1500)
    sim.set_outage(True)
    error, took = _timed(client.health)
    assert isinstance(error, Unavailable)
    assert not isinstance(error, Timeout)
    assert took < 1.5 + SLACK_S
    sim.set_outage(False)
    assert client.health()


class CountingTransport(httpx.BaseTransport):
    """The real transport, recording the status of every answer the client received."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.statuses: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.statuses.append(response.status_code)
        return response

    def close(self) -> None:
        self.inner.close()


def test_injected_errors_are_retried_for_get(
    sim: RunningSimulator, make_client: MakeClient
) -> None:
    sim.set_error_rate(0.5)
    wire = CountingTransport()
    client = make_client(sim.url, retries=10, timeout_ms=5000, transport=wire)
    for _ in range(6):
        client.health()
    injected = wire.statuses.count(503)
    assert injected >= 1, "the simulator injected no error at a rate of 0.5"
    # each call ended in one success, and every injected error was followed by a retry
    assert wire.statuses.count(200) == 6
    assert len(wire.statuses) == 6 + injected


def test_429_with_short_retry_after_is_waited_out(
    sim: RunningSimulator, make_client: MakeClient
) -> None:
    sim.set_rate_limit(2.0, burst=1)
    client = make_client(sim.url, timeout_ms=4000)
    client.health()
    error, took = _timed(client.health)  # Retry-After: 1
    assert error is None
    assert 0.9 < took < 2.5


def test_429_past_the_deadline_is_rate_limited(
    sim: RunningSimulator, make_client: MakeClient
) -> None:
    sim.set_rate_limit(0.1, burst=1)
    client = make_client(sim.url, timeout_ms=1000)
    client.health()
    error, took = _timed(client.health)
    assert isinstance(error, RateLimited)
    assert error.retry_after_s >= 5
    assert took < 0.9  # it did not sit out the 10 s Retry-After


def test_429_is_safe_to_retry_even_for_verify(
    scripted: Any, reply: Any, make_client: MakeClient
) -> None:
    wrong_pin = {"error": {"code": "wrong_pin", "message": "no", "attempts_left": 2}}
    server = scripted(
        [
            reply(429, b"{}", headers={"Retry-After": "0"}),
            reply(403, json.dumps(wrong_pin).encode()),
        ]
    )
    with pytest.raises(WrongPin) as info:
        make_client(server.url).verify_voucher("ADM1.a.b", "123456")
    assert info.value.attempts_left == 2


@pytest.mark.parametrize(
    ("body", "extra"),
    [
        (b"{not json", {}),
        (b'{"status": "ok"}', {}),  # wrong shape: no server_time
        (b'{"status": "ok", "server_time": "2026-11-23T10:00:00", "version": "1"}', {}),  # naive
        (b"[1, 2, 3]", {}),
        (b"\xff\xfe\x00junk", {}),
        (b"x" * 5000, {}),  # over the size cap (declared)
        (b"x" * 5000, {"content_length": -1}),  # over the cap, no Content-Length
    ],
    ids=["malformed", "missing-field", "naive-time", "array", "binary", "big", "big-chunkless"],
)
def test_bad_bodies_are_bad_response(
    scripted: Any, reply: Any, make_client: MakeClient, body: bytes, extra: dict[str, Any]
) -> None:
    server = scripted([reply(200, body, **extra)])
    client = make_client(server.url, retries=0, max_response_bytes=4096)
    error, took = _timed(client.health)
    assert isinstance(error, BadResponse)
    assert took < 1.0


def test_redirects_are_not_followed(scripted: Any, reply: Any, make_client: MakeClient) -> None:
    server = scripted([reply(302, b"", headers={"Location": "http://example.invalid/"})])
    with pytest.raises(BadResponse):
        make_client(server.url, retries=0).health()


def test_unknown_error_code_on_odd_status_is_bad_response(
    scripted: Any, reply: Any, make_client: MakeClient
) -> None:
    body = json.dumps({"error": {"code": "teapot", "message": "short and stout"}}).encode()
    server = scripted([reply(418, body)])
    with pytest.raises(BadResponse):
        make_client(server.url, retries=0).health()


def test_connection_refused_is_unavailable_quickly(make_client: MakeClient) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    client = make_client(f"http://127.0.0.1:{port}", timeout_ms=2000, retries=2)
    error, took = _timed(client.health)
    assert isinstance(error, Unavailable)
    assert took < 2.0 + SLACK_S


def test_environment_cannot_redirect_the_client(
    sim: RunningSimulator, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # discard port: a proxy would fail
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent.pem")
    assert make_client(sim.url).health()
