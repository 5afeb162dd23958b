"""A whole simulated kiosk and its registry simulator: a signed config change travels on the
heartbeat, waits while a citizen is in a session, is applied between sessions and reported;
forged, stale and invalid revisions are refused and reported while the kiosk carries on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fakes.kiosks import fast_sim_config, started_kiosk

from kiosk.bootstrap import Kiosk
from kiosk.domain.signed_config import mint_config
from kiosk.domain.sim_keys import SIM_CONFIG_KID, sim_config_private_key
from kiosk.engine.view import Cancel, Screen, Touch

SERVICES = [
    {"code": "A", "name_id": "Perekaman KTP-el", "name_en": "KTP-el recording",
     "opens": "07:30", "closes": "16:00", "days": [1, 2, 3, 4, 5, 6], "daily_quota": 40},
]  # fmt: skip
PUSH = {
    "ui": {"inactivity_warn_s": 42, "inactivity_wipe_s": 8, "session_cap_s": 420},
    "queue": {"services": SERVICES},
    "registry": {"heartbeat_interval_s": 20},
}


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    with started_kiosk(tmp_path, config=fast_sim_config(families=2)) as running:
        yield running


def fleet_entry(kiosk: Kiosk) -> dict[str, Any]:
    (entry,) = [k for k in kiosk.simulator.fleet() if k["kiosk_id"] == kiosk.config.kiosk.id]
    return entry


def send(kiosk: Kiosk, intent: object) -> None:
    kiosk.session.send(intent)  # type: ignore[arg-type]
    assert kiosk.session.wait_idle(10)


def test_a_signed_change_is_applied_only_between_sessions(kiosk: Kiosk) -> None:
    before = kiosk.config
    send(kiosk, Touch())
    assert kiosk.session.view.screen is Screen.MENU  # a citizen is here
    revision = kiosk.simulator.publish_config(kiosk.config.kiosk.id, PUSH)
    assert kiosk.heartbeat.beat()
    assert kiosk.session.wait_idle(10)
    status = kiosk.fleet.push.status()
    assert status["pending"] == revision and status["applied"] == 0
    assert kiosk.session.deps.ui.inactivity_warn_s == before.ui.inactivity_warn_s
    assert [s.daily_quota for s in kiosk.desk.desk.book.services] != [40]
    assert kiosk.heartbeat.beat()  # the registry sees it pending and does not resend
    assert fleet_entry(kiosk)["config_pending"] == revision

    send(kiosk, Cancel())  # the session ends: now it is applied
    assert kiosk.session.view.screen is Screen.ATTRACT
    assert kiosk.fleet.push.applied_revision == revision
    assert kiosk.session.deps.ui.inactivity_warn_s == 42
    assert [(s.code, s.daily_quota) for s in kiosk.desk.desk.book.services] == [("A", 40)]
    assert kiosk.heartbeat.interval_s == 20
    assert kiosk.config.ui.session_cap_s == 420 and kiosk.config.registry.url == before.registry.url
    assert b"kiosk_config_revision %d.0" % revision in kiosk.metrics.render()

    assert kiosk.heartbeat.beat()  # reported back
    entry = fleet_entry(kiosk)
    assert entry["config_revision"] == revision and entry["config_pending"] is None
    assert entry["config_published"] == revision and entry["config_refused"] is None

    send(kiosk, Touch())  # the next session runs on the new timings
    assert kiosk.session.view.screen is Screen.MENU
    send(kiosk, Cancel())


def _forged(revision: int) -> str:
    return mint_config(
        revision=revision,
        kiosk="*",
        sections={"ui": {"inactivity_warn_s": 5}},
        issued_at=datetime.now(UTC),
        kid=SIM_CONFIG_KID,
        private_key=Ed25519PrivateKey.generate(),
    )


def _signed(revision: int, sections: dict[str, Any]) -> str:
    return mint_config(
        revision=revision,
        kiosk="*",
        sections=sections,
        issued_at=datetime.now(UTC),
        kid=SIM_CONFIG_KID,
        private_key=sim_config_private_key(),
    )


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (lambda applied: _forged(applied + 1), "bad_signature"),
        (lambda applied: _signed(applied - 1, {"ui": {"inactivity_warn_s": 5}}), "old_revision"),
        (lambda applied: _signed(applied + 1, {"ui": {"session_cap_s": 0}}), "invalid"),
    ],
    ids=["bad-signature", "older-revision", "invalid-content"],
)
def test_bad_revisions_are_refused_reported_and_the_kiosk_keeps_its_config(
    kiosk: Kiosk, bad: Any, reason: str
) -> None:
    kiosk.simulator.publish_config("KIOSK-ELSEWHERE", {"ui": {"inactivity_warn_s": 31}})
    applied = kiosk.simulator.publish_config("*", {"ui": {"inactivity_warn_s": 33}})
    assert kiosk.heartbeat.beat() and kiosk.session.wait_idle(10)
    assert kiosk.fleet.push.applied_revision == applied
    kiosk.simulator.publish_raw_config(kiosk.config.kiosk.id, bad(applied))
    assert kiosk.heartbeat.beat() and kiosk.session.wait_idle(10)
    assert kiosk.fleet.push.applied_revision == applied
    assert kiosk.session.deps.ui.inactivity_warn_s == 33
    assert kiosk.heartbeat.beat()  # the refusal travels back ...
    entry = fleet_entry(kiosk)
    assert entry["config_revision"] == applied
    assert entry["config_refused"]["reason"] == reason
    assert kiosk.heartbeat.beat()  # ... and the registry stops offering it
    assert kiosk.fleet.push.status()["refused"]["reason"] == reason
    send(kiosk, Touch())  # the kiosk still serves
    assert kiosk.session.view.screen is Screen.MENU
    send(kiosk, Cancel())


def test_diagnostics_and_logs_summary_come_back_without_personal_data(kiosk: Kiosk) -> None:
    (diag,) = kiosk.simulator.command(kiosk.config.kiosk.id, "diagnostics")
    (logs,) = kiosk.simulator.command(kiosk.config.kiosk.id, "logs_summary")
    assert kiosk.heartbeat.beat() and kiosk.session.wait_idle(10)
    assert kiosk.heartbeat.beat()
    diagnostics = kiosk.simulator.command_state(diag["id"])
    assert diagnostics["ok"] is True
    assert set(diagnostics["result"]["result"]["devices"]) >= {"document", "card", "receipt"}
    summary = kiosk.simulator.command_state(logs["id"])["result"]["result"]
    assert set(summary) == {"since", "by_level", "warnings_and_errors_by_logger"}
    assert kiosk.fleet.commands.results() == []  # delivered, so no longer carried
