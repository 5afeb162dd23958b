"""The simulator's fleet view over HTTP: heartbeat answers, operator role, commands, metrics."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from kiosk.domain.signed_config import open_config
from kiosk.domain.sim_keys import SIM_CONFIG_KID, sim_config_private_key
from kiosk.fleet.config_push import token_digest
from kiosk.registry_sim.server import RunningSimulator

OPERATOR = {"X-Operator-Id": "sim-operator", "Authorization": "Bearer sim-operator-key"}
KEYS = {SIM_CONFIG_KID: sim_config_private_key().public_key()}


def beat(sim: RunningSimulator, auth: dict[str, str], **fields: Any) -> httpx.Response:
    payload = {
        "kiosk_id": "KIOSK-S1",
        "version": "1.2.3",
        "config_revision": 0,
        "devices": {"document": {"state": "idle"}, "card": {"state": "error"}},
        "consumables": {"card": {"cards": "near_end", "blanko_left": 7, "blanko_low": 10}},
        "outbox_depth": 1,
        "suspect": 0,
        "sent_at": datetime.now(UTC).isoformat(),
        **fields,
    }
    return httpx.post(f"{sim.url}/v1/kiosks/KIOSK-S1/heartbeat", headers=auth, json=payload)


def test_nothing_to_say_is_204_then_a_published_revision_is_200(
    sim: RunningSimulator, auth: dict[str, str]
) -> None:
    assert beat(sim, auth).status_code == 204
    published = httpx.post(
        f"{sim.url}/v1/fleet/config",
        headers=OPERATOR,
        json={"target": "*", "sections": {"ui": {"inactivity_warn_s": 45}}},
    )
    assert published.status_code == 201, published.text
    revision = published.json()["revision"]
    answer = beat(sim, auth)
    assert answer.status_code == 200
    signed = open_config(answer.json()["config"], KEYS)
    assert signed.revision == revision and signed.kiosk == "*"
    assert signed.sections == {"ui": {"inactivity_warn_s": 45}}
    # pending, then applied: nothing more to say
    assert beat(sim, auth, config={"pending": revision}).status_code == 204
    assert beat(sim, auth, config_revision=revision).status_code == 204
    # a revision for another kiosk is not offered to this one
    httpx.post(
        f"{sim.url}/v1/fleet/config",
        headers=OPERATOR,
        json={"target": "KIOSK-OTHER", "sections": {"ui": {"inactivity_warn_s": 50}}},
    )
    assert beat(sim, auth, config_revision=revision).status_code == 204


def test_a_refused_token_is_not_offered_again(sim: RunningSimulator, auth: dict[str, str]) -> None:
    bad = "ADMCFG1.e30." + "A" * 86
    sim.publish_raw_config("KIOSK-S1", bad)
    assert beat(sim, auth).json()["config"] == bad
    refused = {"reason": "malformed", "revision": None, "digest": token_digest(bad)}
    assert beat(sim, auth, config={"refused": refused}).status_code == 204
    view = sim.fleet()[0]
    assert view["config_refused"] == {"reason": "malformed", "revision": None}


def test_the_operator_role_guards_the_fleet_api(
    sim: RunningSimulator, auth: dict[str, str]
) -> None:
    beat(sim, auth)
    for headers in ({}, auth, {**OPERATOR, "Authorization": "Bearer wrong"}):
        answer = httpx.get(f"{sim.url}/v1/fleet", headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json()["error"]["code"] == "unauthorized"
        assert (
            httpx.post(
                f"{sim.url}/v1/fleet/config", headers=headers, json={"target": "*", "sections": {}}
            ).status_code
            == 401
        )
    fleet = httpx.get(f"{sim.url}/v1/fleet", headers=OPERATOR).json()
    assert fleet["summary"]["kiosks"] == 1 and fleet["summary"]["devices_in_error"] == 1
    (kiosk,) = fleet["kiosks"]
    assert kiosk["kiosk_id"] == "KIOSK-S1" and kiosk["version"] == "1.2.3"
    assert kiosk["devices"] == {"document": "idle", "card": "error"}
    assert kiosk["consumables"]["card"] == {"cards": "near_end", "blanko_left": 7, "blanko_low": 10}
    assert abs(kiosk["clock_skew_s"]) < 5


def test_pushes_that_may_not_be_pushed_are_refused_before_signing(sim: RunningSimulator) -> None:
    for sections in (
        {"registry": {"url": "https://elsewhere.example"}},
        {"fleet": {"config_keys": {}}},
        {"ui": {"inactivity_warn_s": "soon"}},
        {"queue": {"services": [{"code": "AA", "name_id": "x", "name_en": "x"}]}},
    ):
        body = {"target": "*", "sections": sections}
        answer = httpx.post(f"{sim.url}/v1/fleet/config", headers=OPERATOR, json=body)
        assert answer.status_code == 422, sections
    assert sim.fleet() == []


def test_commands_ride_the_answer_and_results_come_back(
    sim: RunningSimulator, auth: dict[str, str]
) -> None:
    made = httpx.post(
        f"{sim.url}/v1/fleet/commands",
        headers=OPERATOR,
        json={"target": "KIOSK-S1", "kind": "logs_summary"},
    ).json()["commands"]
    (command,) = made
    answer = beat(sim, auth).json()
    assert answer["commands"] == [{"id": command["id"], "kind": "logs_summary"}]
    assert beat(sim, auth).status_code == 204  # sent once
    result = {"id": command["id"], "kind": "logs_summary", "ok": True, "result": {"n": 1}}
    beat(sim, auth, command_results=[result, {"id": "not-ours", "ok": True}])
    state = httpx.get(f"{sim.url}/v1/fleet/commands/{command['id']}", headers=OPERATOR).json()
    assert state["ok"] is True and state["result"]["result"] == {"n": 1}
    assert httpx.get(f"{sim.url}/v1/fleet/commands/CNOPE", headers=OPERATOR).status_code == 404


def test_hostile_heartbeat_fields_are_dropped_not_kept(
    sim: RunningSimulator, auth: dict[str, str]
) -> None:
    answer = beat(
        sim,
        auth,
        version="x" * 5000,
        config_revision="7; DROP TABLE",
        devices={"a" * 500: {"state": "idle"}, "printer": {"state": "<script>"}, "x": "y"},
        consumables={
            "card": {"blanko_left": -5, "markers": {"toner": 900, "YMCKO Ribbon": 40, "x\n": 5}}
        },
        outbox_depth=1.5,
        sent_at="yesterday",
        command_results="lots",
    )
    assert answer.status_code == 204
    (kiosk,) = sim.fleet()
    assert kiosk["version"] is None and kiosk["config_revision"] == 0
    assert kiosk["devices"] == {} and kiosk["outbox_depth"] is None
    assert kiosk["consumables"] == {"card": {"markers": {"YMCKO Ribbon": 40.0}}}
    assert kiosk["clock_skew_s"] is None


def test_fleet_metrics_are_prometheus_text(sim: RunningSimulator, auth: dict[str, str]) -> None:
    beat(sim, auth)
    sim.publish_config("*", {"ui": {"session_cap_s": 300}})
    basic = httpx.BasicAuth("sim-operator", "sim-operator-key")  # as a Prometheus job sends it
    text = httpx.get(f"{sim.url}/v1/fleet/metrics", auth=basic).text
    wrong = httpx.BasicAuth("sim-operator", "nope")
    assert httpx.get(f"{sim.url}/v1/fleet/metrics", auth=wrong).status_code == 401
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert families["adm_fleet_kiosks"].samples[0].value == 1
    (published,) = families["adm_fleet_config_published_revision"].samples
    assert published.labels == {"kiosk": "KIOSK-S1"} and published.value == 1
    (applied,) = families["adm_fleet_config_revision"].samples
    assert applied.value == 0
    assert "adm_fleet_last_heartbeat_timestamp_seconds" in families
