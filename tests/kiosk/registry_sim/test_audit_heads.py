"""The registry keeps each kiosk's audit head from its heartbeats; hostile numbers are refused."""

from __future__ import annotations

import httpx

from kiosk.registry_sim.server import RunningSimulator

HEAD_A, HEAD_B = "a" * 64, "b" * 64


def _beat(sim: RunningSimulator, auth: dict[str, str], body: dict[str, object]) -> httpx.Response:
    return httpx.post(f"{sim.url}/v1/kiosks/KIOSK-S1/heartbeat", headers=auth, json=body)


def _kept(sim: RunningSimulator, auth: dict[str, str]) -> httpx.Response:
    return httpx.get(f"{sim.url}/v1/kiosks/KIOSK-S1/audit-head", headers=auth)


def test_the_longest_head_is_kept_and_a_shrinking_one_is_a_conflict(
    sim: RunningSimulator, auth: dict[str, str]
) -> None:
    missing = _kept(sim, auth)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert _beat(sim, auth, {"audit_head": {"entries": 7, "head": HEAD_A}}).status_code == 204
    kept = _kept(sim, auth).json()
    assert (kept["entries"], kept["head"], kept["conflict"]) == (7, HEAD_A, None)
    assert kept["recorded_at"].endswith(("Z", "+00:00"))
    # fewer entries (the log was cut or replaced): the longer head stays, with the evidence
    assert _beat(sim, auth, {"audit_head": {"entries": 2, "head": HEAD_B}}).status_code == 204
    kept = _kept(sim, auth).json()
    assert (kept["entries"], kept["head"]) == (7, HEAD_A)
    assert "sent 2 entries ending in bbbbbbbbbbbb" in kept["conflict"]
    # the same count with another hash (rewritten) is a conflict too; growing replaces the head
    _beat(sim, auth, {"audit_head": {"entries": 7, "head": HEAD_B}})
    assert "sent 7 entries" in _kept(sim, auth).json()["conflict"]
    _beat(sim, auth, {"audit_head": {"entries": 9, "head": HEAD_B}})
    kept = _kept(sim, auth).json()
    assert (kept["entries"], kept["head"]) == (9, HEAD_B)
    assert kept["conflict"] is not None  # the evidence is not washed away by growing again


def test_a_kiosk_reads_only_its_own_head(sim: RunningSimulator, auth: dict[str, str]) -> None:
    _beat(sim, auth, {"audit_head": {"entries": 1, "head": HEAD_A}})
    other = httpx.get(f"{sim.url}/v1/kiosks/KIOSK-S2/audit-head", headers=auth)
    assert other.status_code == 401
    assert httpx.get(f"{sim.url}/v1/kiosks/KIOSK-S1/audit-head").status_code == 401


def test_malformed_heads_and_non_finite_numbers_are_refused(
    sim: RunningSimulator, auth: dict[str, str]
) -> None:
    for head in (
        {"entries": True, "head": HEAD_A},
        {"entries": 1.0, "head": HEAD_A},
        {"entries": -1, "head": HEAD_A},
        {"entries": 1, "head": "abc"},
        {"entries": 1, "head": HEAD_A, "extra": 1},
        "7:" + HEAD_A,
    ):
        answer = _beat(sim, auth, {"audit_head": head})
        assert answer.status_code == 422, head
        assert answer.json()["error"]["code"] == "invalid_request"
    for raw in (b'{"cpu": NaN}', b'{"x": {"y": [1, Infinity]}}', b'{"temp": 1e999999}',
                b'{"t": -Infinity}'):  # fmt: skip
        answer = httpx.post(
            f"{sim.url}/v1/kiosks/KIOSK-S1/heartbeat",
            headers={**auth, "Content-Type": "application/json"},
            content=raw,
        )
        assert answer.status_code == 422, raw
        assert "not finite" in answer.json()["error"]["message"]
    assert _kept(sim, auth).status_code == 404  # nothing was stored
    with sim.store.transaction() as db:
        assert db.execute("SELECT COUNT(*) FROM heartbeats").fetchone()[0] == 0
