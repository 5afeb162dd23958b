"""The simulator over raw HTTP: error bodies, request hygiene, admin endpoints, restarts."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from kiosk.registry_sim.server import RunningSimulator, start_in_thread


def _error(answer: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    return dict(body["error"])


def test_every_error_has_the_contract_shape(sim: RunningSimulator, auth: dict[str, str]) -> None:
    url = sim.url
    _error(httpx.get(f"{url}/v1/nothing-here"), 404, "not_found")
    _error(httpx.get(f"{url}/v1/vouchers/verify"), 405, "invalid_request")
    _error(
        httpx.post(f"{url}/v1/vouchers/verify", json={"token": "x", "pin": "1"}),
        401,
        "unauthorized",
    )
    answer = httpx.post(f"{url}/v1/vouchers/verify", headers=auth, content=b"{not json")
    _error(answer, 422, "invalid_request")
    _error(
        httpx.post(f"{url}/v1/vouchers/verify", headers=auth, content=b"x" * 70_000),
        413,
        "invalid_request",
    )
    chunked = (b"x" * 10_000 for _ in range(7))  # no Content-Length: counted as it arrives
    _error(
        httpx.post(f"{url}/v1/vouchers/verify", headers=auth, content=chunked),
        413,
        "invalid_request",
    )
    _error(
        httpx.post(f"{url}/v1/vouchers/V1/reserve", headers=auth, json={"verification": "VP1.x.y"}),
        422,
        "invalid_request",
    )


def test_validation_errors_name_fields_but_never_echo_values(
    sim: RunningSimulator, auth: dict[str, str]
) -> None:
    answer = httpx.post(
        f"{sim.url}/v1/identify", headers=auth, json={"nik": "3201019876543210XX", "pin": "98765Z"}
    )
    error = _error(answer, 422, "invalid_request")
    assert "body.pin" in str(error["message"]) and "body.nik" in str(error["message"])
    assert "98765" not in answer.text and "32010198" not in answer.text


def test_wrong_pin_and_lock_bodies(sim: RunningSimulator, auth: dict[str, str]) -> None:
    voucher = next(v for v in sim.list_vouchers() if v["status"] == "ready")
    wrong = f"{(int(voucher['pin']) + 1) % 10**6:06d}"
    body = {"token": voucher["token"], "pin": wrong}
    first = _error(
        httpx.post(f"{sim.url}/v1/vouchers/verify", headers=auth, json=body), 403, "wrong_pin"
    )
    assert first["attempts_left"] == 2
    httpx.post(f"{sim.url}/v1/vouchers/verify", headers=auth, json=body)
    locked = _error(
        httpx.post(f"{sim.url}/v1/vouchers/verify", headers=auth, json=body), 423, "locked"
    )
    assert str(locked["locked_until"]).endswith("+00:00")


def test_admin_settings_drive_the_faults(sim: RunningSimulator, auth: dict[str, str]) -> None:
    admin = f"{sim.url}/sim/settings"
    assert httpx.get(admin).json()["outage"] is False
    assert httpx.put(admin, json={"outage": True}).json()["outage"] is True
    _error(httpx.get(f"{sim.url}/v1/health"), 503, "unavailable")
    httpx.put(admin, json={"outage": False, "rate_limit_per_s": 0.2, "rate_limit_burst": 1})
    assert httpx.get(f"{sim.url}/v1/health", headers=auth).status_code == 200
    limited = httpx.get(f"{sim.url}/v1/health", headers=auth)
    _error(limited, 429, "rate_limited")
    assert int(limited.headers["Retry-After"]) >= 4
    _error(httpx.put(admin, json={"error_rate": 3}), 422, "invalid_request")
    _error(httpx.put(admin, json={"surprise": 1}), 422, "invalid_request")
    before = httpx.get(admin).json()["clock_offset_s"]
    after = httpx.post(f"{sim.url}/sim/clock/advance", json={"seconds": 60}).json()
    assert after["clock_offset_s"] == before + 60


def test_admin_voucher_views_and_reset(sim: RunningSimulator, auth: dict[str, str]) -> None:
    listed = httpx.get(f"{sim.url}/sim/vouchers").json()
    voucher = next(v for v in listed if v["status"] == "ready")
    assert {"vid", "doc", "token", "pin", "holder_nik_masked", "status"} <= set(voucher)
    wrong = f"{(int(voucher['pin']) + 1) % 10**6:06d}"
    for _ in range(3):
        httpx.post(
            f"{sim.url}/v1/vouchers/verify",
            headers=auth,
            json={"token": voucher["token"], "pin": wrong},
        )
    state = httpx.get(f"{sim.url}/sim/vouchers/{voucher['vid']}").json()
    assert state["status"] == "locked"
    assert [h["event"] for h in state["history"]] == ["issued", "wrong_pin", "wrong_pin", "locked"]
    reset = httpx.post(f"{sim.url}/sim/vouchers/{voucher['vid']}/reset").json()
    assert reset["status"] == "ready"
    _error(httpx.get(f"{sim.url}/sim/vouchers/NOPE"), 404, "not_found")


def test_state_and_proofs_survive_a_restart(tmp_path: Path) -> None:
    kiosks = {"K1": "key-one-1"}
    auth = {"X-Kiosk-Id": "K1", "Authorization": "Bearer key-one-1"}
    db = tmp_path / "registry.sqlite"
    first = start_in_thread(db_path=db, seed=3, families=2, kiosks=kiosks)
    try:
        voucher = next(v for v in first.list_vouchers() if v["status"] == "ready")
        proof = httpx.post(
            f"{first.url}/v1/vouchers/verify",
            headers=auth,
            json={"token": voucher["token"], "pin": voucher["pin"]},
        ).json()["verification"]
    finally:
        first.stop()
    second = start_in_thread(db_path=db, seed=3, families=2, kiosks=kiosks)
    try:
        answer = httpx.post(
            f"{second.url}/v1/vouchers/{voucher['vid']}/reserve",
            headers={**auth, "Idempotency-Key": "restart-key-1"},
            json={"verification": proof},
        )
        assert answer.status_code == 200, answer.text
        assert second.voucher_state(voucher["vid"])["status"] == "reserved"
    finally:
        second.stop()


def test_a_second_simulator_on_the_same_port_fails_cleanly(
    sim: RunningSimulator, tmp_path: Path
) -> None:
    port = int(sim.url.rsplit(":", 1)[1])
    with pytest.raises(OSError):
        start_in_thread(
            db_path=tmp_path / "other.sqlite",
            seed=3,
            families=1,
            kiosks={"K": "key-123456"},
            port=port,
        )


def test_internal_errors_keep_the_error_shape(sim: RunningSimulator, auth: dict[str, str]) -> None:
    voucher = next(v for v in sim.list_vouchers() if v["status"] == "ready")
    sim.store.close()  # the store is gone: every call that needs it fails inside
    answer = httpx.post(
        f"{sim.url}/v1/vouchers/verify",
        headers=auth,
        json={"token": voucher["token"], "pin": voucher["pin"]},
    )
    _error(answer, 500, "unavailable")
