"""The simulator's /sim admin endpoints: strict bodies, bounds, documented contract errors."""

from __future__ import annotations

import httpx
import pytest

from kiosk.registry_sim.server import RunningSimulator


def _refused(answer: httpx.Response, status: int = 422, code: str = "invalid_request") -> None:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)


@pytest.mark.parametrize(
    "patch",
    [
        {"outage": 0},  # a number is not a bool
        {"latency_ms": False},  # ... nor a bool a number
        {"error_rate": "0.5"},
        {"rate_limit_burst": True},
        {"rate_limit_burst": 2.0},
        {"rate_limit_burst": 10**9},
        {"rate_limit_per_s": 1e9},
        {"lease_seconds": 5e-324},
        {"lease_seconds": 0.05},
        {"lease_seconds": 86_401},
        {"surprise": 1},
    ],
)
def test_settings_are_strict_and_bounded(sim: RunningSimulator, patch: dict[str, object]) -> None:
    before = httpx.get(f"{sim.url}/sim/settings").json()
    _refused(httpx.put(f"{sim.url}/sim/settings", json=patch))
    assert httpx.get(f"{sim.url}/sim/settings").json() == before


def test_clock_and_paths_are_checked(sim: RunningSimulator) -> None:
    advance = f"{sim.url}/sim/clock/advance"
    _refused(httpx.post(advance, json={"seconds": False}))
    nan = httpx.post(
        advance, content=b'{"seconds": NaN}', headers={"Content-Type": "application/json"}
    )
    _refused(nan)
    assert httpx.post(advance, json={"seconds": 1}).json()["clock_offset_s"] == 1
    _refused(httpx.get(f"{sim.url}/sim/vouchers/NOPE"), 404, "not_found")
    _refused(httpx.get(f"{sim.url}/sim/vouchers/bad%20id"))
    _refused(httpx.post(f"{sim.url}/sim/vouchers/NOPE/reset"), 404, "not_found")
    _refused(httpx.put(f"{sim.url}/sim/settings", content=b"x" * 70_000), 413)
    ok = httpx.put(f"{sim.url}/sim/settings", json={"lease_seconds": 0.2, "rate_limit_burst": 3})
    assert ok.status_code == 200 and ok.json()["lease_seconds"] == 0.2


def test_the_admin_errors_are_in_the_openapi_document(sim: RunningSimulator) -> None:
    paths = httpx.get(f"{sim.url}/openapi.json").json()["paths"]
    reset = paths["/sim/vouchers/{vid}/reset"]["post"]["responses"]
    assert {"404", "409", "413", "422"} <= set(reset)
    assert {"404", "422"} <= set(paths["/sim/vouchers/{vid}"]["get"]["responses"])
    assert "422" in paths["/sim/settings"]["put"]["responses"]
