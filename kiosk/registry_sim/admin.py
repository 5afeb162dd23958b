"""Simulator-only admin endpoints under ``/sim/``: inspect vouchers, turn the fault knobs.

For tests, the simulator control panel and developers. They hold synthetic PINs and NIKs and
need no key: the simulator listens on loopback and is never a production registry.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from kiosk.registry_sim import inspection
from kiosk.registry_sim.api_errors import invalid_request
from kiosk.registry_sim.knobs import Knobs
from kiosk.registry_sim.store import SimStore


class SettingsPatch(BaseModel):
    """Any subset of the knobs; omitted ones keep their value."""

    model_config = ConfigDict(extra="forbid")

    latency_ms: float | None = Field(default=None, ge=0, le=600_000, description="ms")
    error_rate: float | None = Field(default=None, ge=0, le=1, description="share of calls")
    outage: bool | None = None
    rate_limit_per_s: float | None = Field(default=None, ge=0, description="0 = unlimited")
    rate_limit_burst: int | None = Field(default=None, ge=1, description="requests")
    lease_seconds: float | None = Field(default=None, gt=0, le=86_400, description="seconds")


class ClockAdvance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seconds: float = Field(ge=-86_400 * 366, le=86_400 * 366, description="seconds to add")


def admin_router(store: SimStore, knobs: Knobs) -> APIRouter:
    router = APIRouter(prefix="/sim", tags=["simulator admin"])

    @router.get("/vouchers")
    def list_vouchers() -> list[dict[str, Any]]:
        return inspection.list_vouchers(store, knobs.now())

    @router.get("/vouchers/{vid}")
    def voucher_state(vid: Annotated[str, PathParam(max_length=64)]) -> dict[str, Any]:
        return inspection.voucher_state(store, vid, knobs.now())

    @router.post("/vouchers/{vid}/reset")
    def reset_voucher(vid: Annotated[str, PathParam(max_length=64)]) -> dict[str, Any]:
        inspection.reset_voucher(store, vid, knobs.now())
        return inspection.voucher_state(store, vid, knobs.now())

    @router.get("/settings")
    def get_settings() -> dict[str, Any]:
        return knobs.as_dict()

    @router.put("/settings")
    def put_settings(patch: SettingsPatch) -> dict[str, Any]:
        try:
            knobs.update(**patch.model_dump(exclude_none=True))
        except ValueError as exc:
            raise invalid_request(str(exc)) from None
        return knobs.as_dict()

    @router.post("/clock/advance")
    def advance_clock(body: ClockAdvance) -> dict[str, Any]:
        knobs.update(clock_offset_s=knobs.get().clock_offset_s + body.seconds)
        return knobs.as_dict()

    return router
