"""Simulator-only admin endpoints under ``/sim/``: inspect vouchers, turn the fault knobs.

For tests, the simulator control panel and developers. They hold synthetic PINs and NIKs and
need no key: the simulator listens on loopback and is never a production registry.

Bodies are strict (``false`` is not a number, ``2.0`` is not a count, NaN is refused) and
bounded (a lease is 0.1 s to 1 day); every error has the contract's ``{"error": {code, message}}``
shape and is listed in ``/openapi.json``: 404 ``not_found`` (no such voucher or endpoint),
409 ``already_printed`` (reset of a printed voucher), 413 (body too large), 422
``invalid_request`` (a body or path that breaks these rules).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from kiosk.registry.models import ID_PATTERN, ErrorResponse
from kiosk.registry_sim import inspection
from kiosk.registry_sim.api_errors import invalid_request
from kiosk.registry_sim.knobs import (
    MAX_LEASE_S,
    MAX_RATE_BURST,
    MAX_RATE_PER_S,
    MIN_LEASE_S,
    Knobs,
)
from kiosk.registry_sim.store import SimStore

_STRICT = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorResponse} for status in (413, 422, *statuses)}


class SettingsPatch(BaseModel):
    """Any subset of the knobs; omitted ones keep their value."""

    model_config = _STRICT

    latency_ms: float | None = Field(default=None, ge=0, le=600_000, description="ms")
    error_rate: float | None = Field(default=None, ge=0, le=1, description="share of calls")
    outage: bool | None = None
    rate_limit_per_s: float | None = Field(
        default=None, ge=0, le=MAX_RATE_PER_S, description="per kiosk; 0 = unlimited"
    )
    rate_limit_burst: int | None = Field(
        default=None, ge=1, le=MAX_RATE_BURST, description="requests"
    )
    lease_seconds: float | None = Field(
        default=None, ge=MIN_LEASE_S, le=MAX_LEASE_S, description="seconds"
    )


class ClockAdvance(BaseModel):
    model_config = _STRICT

    seconds: float = Field(ge=-86_400 * 366, le=86_400 * 366, description="seconds to add")


Vid = Annotated[str, PathParam(pattern=ID_PATTERN)]


def admin_router(store: SimStore, knobs: Knobs) -> APIRouter:
    router = APIRouter(prefix="/sim", tags=["simulator admin"])

    @router.get("/vouchers", responses=_errors())
    def list_vouchers() -> list[dict[str, Any]]:
        return inspection.list_vouchers(store, knobs.now())

    @router.get("/vouchers/{vid}", responses=_errors(404))
    def voucher_state(vid: Vid) -> dict[str, Any]:
        return inspection.voucher_state(store, vid, knobs.now())

    @router.post("/vouchers/{vid}/reset", responses=_errors(404, 409))
    def reset_voucher(vid: Vid) -> dict[str, Any]:
        inspection.reset_voucher(store, vid, knobs.now())
        return inspection.voucher_state(store, vid, knobs.now())

    @router.get("/settings", responses=_errors())
    def get_settings() -> dict[str, Any]:
        return knobs.as_dict()

    @router.put("/settings", responses=_errors())
    def put_settings(patch: SettingsPatch) -> dict[str, Any]:
        try:
            knobs.update(**patch.model_dump(exclude_none=True))
        except ValueError as exc:
            raise invalid_request(str(exc)) from None
        return knobs.as_dict()

    @router.post("/clock/advance", responses=_errors())
    def advance_clock(body: ClockAdvance) -> dict[str, Any]:
        knobs.update(clock_offset_s=knobs.get().clock_offset_s + body.seconds)
        return knobs.as_dict()

    return router
