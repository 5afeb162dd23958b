"""The operator's fleet API (``/v1/fleet``), and the simulator's fault injection for it.

Operators authenticate like kiosks, with their own ids and keys: ``Authorization: Bearer
<operator key>`` and ``X-Operator-Id`` (or HTTP Basic with the id and key, for a Prometheus
scrape job). A kiosk key opens nothing here.

- ``GET /v1/fleet``: every kiosk's last report, and a summary (200);
- ``GET /v1/fleet/metrics``: the same as Prometheus text, ``adm_fleet_*`` (200);
- ``POST /v1/fleet/config`` ``{target, sections}``: sign a new config revision for one kiosk
  or ``*`` (201 ``{revision, target}``; 422 when a field may not be pushed or is invalid);
- ``POST /v1/fleet/commands`` ``{target, kind}``: ``diagnostics`` or ``logs_summary``
  (201 ``{commands: [{id, kiosk_id}]}``);
- ``GET /v1/fleet/commands/{id}``: a command's state and result (200; 404).
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi import Path as PathParam
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from pydantic import BaseModel, ConfigDict, Field

from kiosk.fleet.pushable import PushRefused, validate_alone
from kiosk.registry_sim.api_errors import ApiError, invalid_request, not_found
from kiosk.registry_sim.fleet import FleetBook, summary
from kiosk.registry_sim.knobs import Knobs

TARGET = r"^([A-Za-z0-9_\-]{1,64}|\*)$"


async def operator(
    request: Request,
    x_operator_id: Annotated[str, Header()] = "",
    authorization: Annotated[str, Header()] = "",
) -> str:
    """The calling operator's id, if its key matches (compared in constant time).

    ``Bearer <key>`` with ``X-Operator-Id``, or ``Basic base64(id:key)``: a Prometheus scrape
    job can send only the Authorization header (``basic_auth`` in its config)."""
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() == "basic":
        try:
            x_operator_id, _, key = base64.b64decode(key, validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            x_operator_id, key = "", ""
        scheme = "bearer"
    expected = request.app.state.operator_keys.get(x_operator_id)
    if (
        scheme.lower() != "bearer"
        or expected is None
        or not hmac.compare_digest(key.encode(), expected.encode())
    ):
        raise ApiError(
            401,
            "unauthorized",
            "unknown operator or wrong key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return x_operator_id


Operator = Annotated[str, Depends(operator)]


class ConfigPublish(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(pattern=TARGET, description="a kiosk id, or * for every kiosk")
    sections: dict[str, Any] = Field(description="pushable fields (kiosk.fleet.pushable)")


class CommandRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(pattern=TARGET)
    kind: Literal["diagnostics", "logs_summary"]


class RawConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(pattern=TARGET)
    token: str = Field(min_length=1, max_length=40_000)


def fleet_router(fleet: FleetBook, knobs: Knobs) -> APIRouter:
    router = APIRouter(prefix="/v1/fleet", tags=["fleet (operator)"])

    @router.get("")
    async def fleet_view(who: Operator) -> dict[str, Any]:
        now = knobs.now()
        kiosks = fleet.kiosks(now)
        return {
            "server_time": datetime.fromtimestamp(now, UTC).isoformat(),
            "summary": summary(kiosks),
            "kiosks": kiosks,
        }

    @router.get("/metrics")
    async def fleet_metrics(who: Operator) -> Response:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(_FleetCollector(fleet.kiosks(knobs.now())))
        return Response(generate_latest(registry), media_type="text/plain; version=0.0.4")

    @router.post("/config", status_code=201)
    async def publish(body: ConfigPublish, who: Operator) -> dict[str, Any]:
        try:
            validate_alone(body.sections)
        except PushRefused as exc:
            raise ApiError(422, "invalid_request", f"{exc.reason}: {exc.detail}") from None
        revision = fleet.publish(body.target, body.sections, knobs.now(), who)
        return {"revision": revision, "target": body.target}

    @router.post("/commands", status_code=201)
    async def command(body: CommandRequest, who: Operator) -> dict[str, Any]:
        return {"commands": fleet.command(body.target, body.kind, knobs.now())}

    @router.get("/commands/{command_id}")
    async def command_state(
        command_id: Annotated[str, PathParam(max_length=32)], who: Operator
    ) -> dict[str, Any]:
        state = fleet.command_state(command_id)
        if state is None:
            raise not_found("no such command")
        return state

    return router


def sim_fleet_router(fleet: FleetBook, knobs: Knobs) -> APIRouter:
    """``POST /sim/fleet/raw-config``: offer a token as it is (forged, stale, invalid)."""
    router = APIRouter(prefix="/sim/fleet", tags=["simulator admin"])

    @router.post("/raw-config", status_code=201)
    def raw_config(body: RawConfig) -> dict[str, Any]:
        if not body.token.isascii():
            raise invalid_request("token must be ASCII")
        revision = fleet.publish_token(body.target, body.token, knobs.now(), "sim")
        return {"revision": revision, "target": body.target}

    return router


class _FleetCollector(Collector):
    def __init__(self, kiosks: list[dict[str, Any]]) -> None:
        self.kiosks = kiosks

    def collect(self) -> Iterator[Metric]:
        def family(name: str, text: str, labels: tuple[str, ...] = ("kiosk",)) -> GaugeMetricFamily:
            return GaugeMetricFamily(name, text, labels=list(labels))

        count = GaugeMetricFamily("adm_fleet_kiosks", "Kiosks that ever sent a heartbeat")
        count.add_metric([], len(self.kiosks))
        info = family("adm_fleet_kiosk_info", "A kiosk's reported version", ("kiosk", "version"))
        seen = family(
            "adm_fleet_last_heartbeat_timestamp_seconds", "Last heartbeat received, UNIX seconds"
        )
        applied = family("adm_fleet_config_revision", "Config revision the kiosk applied")
        published = family(
            "adm_fleet_config_published_revision", "Newest config revision published for it"
        )
        refused = family("adm_fleet_config_refused", "1 while the kiosk reports a refused push")
        skew = family(
            "adm_fleet_clock_skew_seconds", "Registry clock minus the kiosk's at the last beat"
        )
        for k in self.kiosks:
            kid = k["kiosk_id"]
            info.add_metric([kid, str(k["version"] or "")], 1)
            seen.add_metric([kid], datetime.fromisoformat(k["last_heartbeat"]).timestamp())
            applied.add_metric([kid], k["config_revision"])
            published.add_metric([kid], k["config_published"])
            refused.add_metric([kid], 1 if k["config_refused"] else 0)
            if k["clock_skew_s"] is not None:
                skew.add_metric([kid], k["clock_skew_s"])
        yield from (count, info, seen, applied, published, refused, skew)
