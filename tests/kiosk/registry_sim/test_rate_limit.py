"""The simulator's rate limit is keyed on the authenticated kiosk, never on a claimed header."""

from __future__ import annotations

import httpx

from kiosk.registry_sim.knobs import MAX_BUCKETS, Knobs, KnobValues
from kiosk.registry_sim.server import RunningSimulator


def test_rotating_an_unproven_kiosk_id_buys_nothing(
    sim: RunningSimulator, auth: dict[str, str]
) -> None:
    sim.set_rate_limit(0.01, burst=3)
    answers = [
        httpx.get(
            f"{sim.url}/v1/health",
            headers={"X-Kiosk-Id": f"FORGED-{n}", "Authorization": "Bearer guess"},
        ).status_code
        for n in range(8)
    ]
    assert answers == [200] * 3 + [429] * 5  # one shared bucket for every unproven caller
    assert sim.rate_limit_buckets() == 1
    # the real kiosk has its own bucket: the flood did not use it up
    assert httpx.get(f"{sim.url}/v1/health", headers=auth).status_code == 200
    assert sim.rate_limit_buckets() == 2


def test_the_buckets_are_bounded() -> None:
    knobs = Knobs(KnobValues(rate_limit_per_s=1.0, rate_limit_burst=1))
    for n in range(MAX_BUCKETS + 50):
        assert knobs.take_token(f"K{n}") == 0.0
    assert knobs.bucket_count() == MAX_BUCKETS
