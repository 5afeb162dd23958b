"""Registry answers through the real client and a real socket: raw, mutated, huge, deep.

Seeds are the simulator's own answers (so mutations start from the real contract); the raw
server sends them byte for byte, status line and headers included. Every call ends, within
its deadline plus scheduling slack, in a validated result or a :class:`RegistryError`.
"""

from __future__ import annotations

import gzip
import json
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fuzz.byte_mutations import mutations, outcome
from fuzz.raw_http_server import RawHttpServer, http_response, raw_http_server
from fuzz.tree_paths import tree_paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config.models import RegistrySettings
from kiosk.registry import BadResponse, RegistryClient, RegistryError
from kiosk.registry.models import Reservation, Verified
from kiosk.registry_sim.server import start_in_thread

KIOSK, KEY = "KIOSK-FUZZ", "fuzz-kiosk-key"
TIMEOUT_MS = 1500
BOUND_S = TIMEOUT_MS / 1000 + 1.5  # the deadline, plus slack for a loaded 2-core machine
CALLS: dict[str, Callable[[RegistryClient], Any]] = {
    "health": lambda c: c.health(),
    "verify": lambda c: c.verify_voucher("ADM1.eyJ2IjoxfQ.c2ln", "123456"),
    "identify": lambda c: c.identify("3201015508900001", "123456"),
    "reserve": lambda c: c.reserve("V0001", "proof.abc", "idem-key-0001"),
    "commit": lambda c: c.commit(
        "R0001", pdf_sha256="0" * 64, pages=1, printer="document", idempotency_key="idem-key-2"
    ),
    "release": lambda c: c.release("R0001", reason="jam", idempotency_key="idem-key-3"),
    "heartbeat": lambda c: c.heartbeat({"kiosk_id": KIOSK, "ok": True}),
    "heartbeat_answer": lambda c: c.heartbeat({"kiosk_id": KIOSK, "ok": True}),
}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Raw answers of the real simulator for each call (bodies as the simulator wrote them)."""
    db = tmp_path_factory.mktemp("sim") / "registry.sqlite"
    sim = start_in_thread(db_path=db, seed=5, families=2, kiosks={KIOSK: KEY})
    headers = {"Authorization": f"Bearer {KEY}", "X-Kiosk-Id": KIOSK}
    try:
        voucher = next(v for v in sim.list_vouchers() if v["status"] == "ready")
        with httpx.Client(base_url=sim.url, headers=headers, trust_env=False) as http:
            answers = {"health": http.get("/v1/health")}
            pin = {"token": voucher["token"], "pin": voucher["pin"]}
            wrong = {"token": voucher["token"], "pin": f"{(int(voucher['pin']) + 1) % 10**6:06d}"}
            answers["wrong_pin"] = http.post("/v1/vouchers/verify", json=wrong)
            answers["verify"] = http.post("/v1/vouchers/verify", json=pin)
            proof = answers["verify"].json()["verification"]
            answers["identify"] = http.post(
                "/v1/identify", json={"nik": voucher["holder_nik"], "pin": voucher["pin"]}
            )
            answers["reserve"] = http.post(
                f"/v1/vouchers/{voucher['vid']}/reserve",
                json={"verification": proof},
                headers={"Idempotency-Key": "seed-key-1"},
            )
            rid = answers["reserve"].json()["rid"]
            answers["release"] = http.post(
                f"/v1/reservations/{rid}/release",
                json={"reason": "x"},
                headers={"Idempotency-Key": "seed-key-3"},
            )
            again = http.post(
                f"/v1/vouchers/{voucher['vid']}/reserve",
                json={"verification": proof},
                headers={"Idempotency-Key": "seed-key-4"},
            )
            answers["commit"] = http.post(
                f"/v1/reservations/{again.json()['rid']}/commit",
                json={"pdf_sha256": "0" * 64, "pages": 1, "printer": "document"},
                headers={"Idempotency-Key": "seed-key-2"},
            )
            answers["heartbeat"] = http.post(f"/v1/kiosks/{KIOSK}/heartbeat", json={"a": 1})
            sim.publish_config("*", {"ui": {"inactivity_warn_s": 45}})  # a 200 with a body
            sim.command(KIOSK, "diagnostics")
            answers["heartbeat_answer"] = http.post(f"/v1/kiosks/{KIOSK}/heartbeat", json={})
    finally:
        sim.stop()
    assert answers["wrong_pin"].status_code == 403 and answers["reserve"].status_code == 200
    assert answers["heartbeat_answer"].status_code == 200
    return {
        name: http_response(
            answer.status_code, answer.content, {"Content-Type": "application/json"}
        )
        for name, answer in answers.items()
    }


@pytest.fixture(scope="module")
def server() -> Iterator[RawHttpServer]:
    with raw_http_server() as running:
        yield running


@pytest.fixture(scope="module")
def client(server: RawHttpServer) -> Iterator[RegistryClient]:
    settings = RegistrySettings(
        url=server.url,
        kiosk_id=KIOSK,
        key_file=Path("/nonexistent"),
        timeout_ms=TIMEOUT_MS,
        connect_timeout_ms=500,
        retries=1,
    )
    with RegistryClient(settings, key=KEY) as running:
        yield running


def _call(client: RegistryClient, name: str) -> Any:
    result = outcome(BOUND_S, lambda: CALLS[name](client), RegistryError)
    if isinstance(result, RegistryError):
        # The message goes to a technician's log line: one bounded printable line.
        assert result.code and len(result.message) <= 300, result
        assert all(c.isprintable() for c in result.message), repr(result.message)
    return result


def test_the_seeds_are_understood(
    seeds: dict[str, bytes], server: RawHttpServer, client: RegistryClient
) -> None:
    for name in CALLS:
        server.answer = seeds[name]
        result = _call(client, name)
        assert not isinstance(result, RegistryError), (name, result)
    server.answer = seeds["reserve"]
    assert isinstance(_call(client, "reserve"), Reservation)
    server.answer = seeds["wrong_pin"]
    assert type(_call(client, "verify")).__name__ == "WrongPin"


SEED_NAMES = ["verify", "identify", "reserve", "commit", "wrong_pin", "health"]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), seed_name=st.sampled_from(SEED_NAMES), call=st.sampled_from(list(CALLS)))
def test_mutated_answers(
    seeds: dict[str, bytes],
    server: RawHttpServer,
    client: RegistryClient,
    data: st.DataObject,
    seed_name: str,
    call: str,
) -> None:
    server.answer = data.draw(mutations(seeds[seed_name], max_ops=4))
    result = _call(client, call)
    if isinstance(result, Verified):
        assert result.holder_masked.isascii() and len(result.verification) <= 512


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats() | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)
raw_heads = st.sampled_from(
    [
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",  # shorter than the body
        "HTTP/1.1 200 OK\r\nContent-Length: 999999\r\n\r\n",  # longer than the body
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Encoding: br, deflate\r\n\r\n",
        "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\n",
        "HTTP/1.0 200\r\n\r\n",
        "HTTP/9.9 200 OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\n" + "X-Pad: " + "a" * 70_000 + "\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n",
        "",
    ]
)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    head=raw_heads,
    body=json_values.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=200),
    call=st.sampled_from(list(CALLS)),
)
def test_broken_framing(
    server: RawHttpServer, client: RegistryClient, head: str, body: bytes, call: str
) -> None:
    server.answer = head.encode("latin-1") + body
    _call(client, call)


def _chunked(body: bytes, size: int = 65536) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def _big_answers() -> dict[str, bytes]:
    ten_mb = b'{"vid": "' + b"A" * 10_000_000 + b'"}'
    deep = b"[" * 999_000 + b"]" * 999_000  # 2 MB: over the cap anyway
    deep_small = b'{"rid": "R1", "document": ' + b"[" * 400_000 + b"]" * 400_000 + b"}"
    zeros = zlib.compress(b"\0" * 50_000_000)
    gzip_zeros = gzip.compress(b"\0" * 50_000_000)
    return {
        "ten_mb_declared": http_response(200, ten_mb),
        "ten_mb_chunked": http_response(
            200, _chunked(ten_mb), {"Transfer-Encoding": "chunked"}, length=False
        ),
        "ten_mb_until_close": http_response(200, ten_mb, length=False),
        "deep_over_cap": http_response(200, deep, length=False),
        "deep_under_cap": http_response(200, deep_small),
        "huge_integer": http_response(200, b'{"pages": ' + b"9" * 900_000 + b"}"),
        "gzip_bomb": http_response(200, gzip_zeros, {"Content-Encoding": "gzip"}),
        "deflate_bomb": http_response(200, zeros, {"Content-Encoding": "deflate"}),
        "error_bomb": http_response(
            403, b'{"error": {"code": "wrong_pin", "message": "' + b"m" * 900_000 + b'"}}'
        ),
    }


@pytest.fixture(scope="module")
def big_answers() -> dict[str, bytes]:
    return _big_answers()


@pytest.mark.parametrize(
    "name",
    [
        "ten_mb_declared",
        "ten_mb_chunked",
        "ten_mb_until_close",
        "deep_over_cap",
        "deep_under_cap",
        "huge_integer",
        "gzip_bomb",
        "deflate_bomb",
        "error_bomb",
    ],
)
def test_huge_and_deep_answers_cost_bounded_memory(
    big_answers: dict[str, bytes], server: RawHttpServer, client: RegistryClient, name: str
) -> None:
    server.answer = big_answers[name]
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = _call(client, "reserve")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(result, RegistryError), result
    if name != "error_bomb":
        assert isinstance(result, BadResponse), result
    # The cap is 1 MB of body. Compressed answers are refused unread: a decompressor would
    # expand each 64 KiB read ~1000x before the size check saw it (140 MiB, measured).
    assert peak < 32 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"
    assert time.monotonic() - started < BOUND_S


def _body_of(raw: bytes) -> Any:
    return json.loads(raw.partition(b"\r\n\r\n")[2])


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    seed_name=st.sampled_from(["verify", "identify", "reserve", "commit", "health"]),
    choice=st.integers(0, 10_000),
    value=json_values | st.sampled_from(["x" * 100_000, "\x00\u202e", -1, 10**30, 1e308]),
    drop=st.booleans(),
)
def test_answers_with_a_field_missing_or_of_the_wrong_type(
    seeds: dict[str, bytes],
    server: RawHttpServer,
    client: RegistryClient,
    seed_name: str,
    choice: int,
    value: Any,
    drop: bool,
) -> None:
    body = _body_of(seeds[seed_name])
    paths = tree_paths(body)
    path = paths[choice % len(paths)]
    node = body
    for part in path[:-1]:
        node = node[part]
    if drop and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value
    server.answer = http_response(200, json.dumps(body).encode())
    result = _call(client, seed_name)  # each seed is the answer to the call of its name
    if isinstance(result, Verified):
        assert len(result.holder_masked) <= 64 and result.holder_masked.isascii()
    if isinstance(result, Reservation):
        assert len(result.rid) <= 64 and result.rid.isascii()
