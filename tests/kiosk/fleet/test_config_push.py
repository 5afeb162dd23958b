"""The kiosk's side of a config push: every refusal, the idle-time apply, save and fall back."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fakes.kiosks import fast_sim_config

from kiosk.config.models import KioskConfig
from kiosk.domain.signed_config import mint_config
from kiosk.domain.sim_keys import SIM_CONFIG_KID, sim_config_private_key
from kiosk.fleet.config_push import AppliedStore, ConfigPush, load_applied
from kiosk.fleet.wiring import config_keys

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BACKWARDS_HOURS = {"code": "A", "name_id": "x", "name_en": "x", "opens": "15:00", "closes": "08:00"}
UI = {"ui": {"inactivity_warn_s": 45, "inactivity_wipe_s": 15, "session_cap_s": 480}}


def token(
    revision: int,
    sections: dict[str, Any] | None = None,
    *,
    kiosk: str = "*",
    key: Ed25519PrivateKey | None = None,
    kid: str = SIM_CONFIG_KID,
) -> str:
    return mint_config(
        revision=revision,
        kiosk=kiosk,
        sections=UI if sections is None else sections,
        issued_at=NOW,
        kid=kid,
        private_key=key or sim_config_private_key(),
    )


class Idle:
    """A recording stand-in for the session's ``when_idle``: actions wait until ``run()``."""

    def __init__(self) -> None:
        self.waiting: list[Callable[[], None]] = []

    def __call__(self, action: Callable[[], None]) -> None:
        self.waiting.append(action)

    def run(self) -> None:
        actions, self.waiting = self.waiting, []
        for action in actions:
            action()


@pytest.fixture
def base() -> KioskConfig:
    return fast_sim_config()


def make(
    base: KioskConfig, folder: Path, applied: list[KioskConfig], idle: Idle, **kw: Any
) -> ConfigPush:
    return ConfigPush(
        base,
        keys=config_keys(base),
        store=AppliedStore(folder),
        apply=applied.append,
        when_idle=idle,
        clock=lambda: NOW.timestamp(),
        **kw,
    )


def test_a_good_revision_waits_for_idle_then_applies_and_is_saved(
    base: KioskConfig, tmp_path: Path
) -> None:
    applied: list[KioskConfig] = []
    idle = Idle()
    push = make(base, tmp_path, applied, idle)
    push.offer(token(3))
    assert applied == [] and push.status()["pending"] == 3 and push.applied_revision == 0
    push.offer(token(3))  # the registry says it again before the idle moment: one apply only
    idle.run()
    assert len(applied) == 1
    assert applied[0].ui.inactivity_warn_s == 45
    assert applied[0].registry.url == base.registry.url  # the rest is the file's
    assert push.applied_revision == 3 and push.status()["pending"] is None
    assert push.effective.ui.session_cap_s == 480
    assert AppliedStore(tmp_path).read() == (token(3), None)
    push.offer(token(4, {"registry": {"heartbeat_interval_s": 30}}))
    idle.run()
    assert push.applied_revision == 4
    assert applied[-1].ui == base.ui  # a revision is complete: ui is the file's again
    fourth = token(4, {"registry": {"heartbeat_interval_s": 30}})
    assert AppliedStore(tmp_path).read() == (fourth, token(3))


@pytest.mark.parametrize(
    ("make_token", "reason"),
    [
        (lambda: token(5, key=Ed25519PrivateKey.generate()), "bad_signature"),
        (lambda: token(5, key=Ed25519PrivateKey.generate(), kid="other-1"), "unknown_key"),
        (lambda: token(5, kiosk="KIOSK-ELSEWHERE"), "wrong_kiosk"),
        (lambda: token(5, {"registry": {"url": "https://evil.example"}}), "not_pushable"),
        (lambda: token(5, {"vouchers": {"keys": {}}}), "not_pushable"),
        (lambda: token(5, {"ui": {"inactivity_warn_s": -1}}), "invalid"),
        (lambda: token(5, {"ui": {"fullscreen": False}}), "not_pushable"),
        (lambda: token(5, {"queue": {"services": [BACKWARDS_HOURS]}}), "invalid"),
        (lambda: token(5, {"registry": {"heartbeat_interval_s": 1}}), "invalid"),
        (lambda: "ADMCFG1.bm90IGEgdG9rZW4.AAAA", "malformed"),
    ],
)
def test_refused_revisions_change_nothing_and_are_reported(
    base: KioskConfig, tmp_path: Path, make_token: Callable[[], str], reason: str
) -> None:
    applied: list[KioskConfig] = []
    idle = Idle()
    push = make(base, tmp_path, applied, idle)
    text = make_token()
    push.offer(text)
    idle.run()
    status = push.status()
    assert applied == [] and idle.waiting == []
    assert push.applied_revision == 0 and push.effective is base
    assert status["refused"]["reason"] == reason
    # named by digest, so the registry can stop offering it
    assert status["refused"]["digest"] == hashlib.sha256(text.encode()).hexdigest()[:16]
    assert AppliedStore(tmp_path).read() == (None, None)


def test_an_older_revision_is_refused_and_the_applied_one_stays(
    base: KioskConfig, tmp_path: Path
) -> None:
    applied: list[KioskConfig] = []
    idle = Idle()
    push = make(base, tmp_path, applied, idle)
    push.offer(token(7))
    idle.run()
    push.offer(token(6, {"ui": {"inactivity_warn_s": 20}}))
    idle.run()
    assert push.applied_revision == 7 and len(applied) == 1
    refused = push.status()["refused"]
    assert refused["reason"] == "old_revision" and refused["revision"] == 6
    push.offer(token(8, {"ui": {"inactivity_warn_s": 20}}))  # a newer one clears the refusal
    idle.run()
    assert push.applied_revision == 8 and push.status()["refused"] is None


def test_no_config_keys_means_no_push(base: KioskConfig, tmp_path: Path) -> None:
    bare = base.model_copy(update={"fleet": base.fleet.model_copy(update={"config_keys": {}})})
    push = make(bare, tmp_path, [], Idle())
    push.offer(token(1))
    assert push.status()["refused"]["reason"] == "no_keys"


def test_a_failed_apply_goes_back_to_the_previous_config(base: KioskConfig, tmp_path: Path) -> None:
    seen: list[KioskConfig] = []

    def apply(config: KioskConfig) -> None:
        seen.append(config)
        if config.ui.inactivity_warn_s == 45:
            raise RuntimeError("the queue book refused it")

    idle = Idle()
    push = ConfigPush(
        base, keys=config_keys(base), store=AppliedStore(tmp_path), apply=apply, when_idle=idle
    )
    push.offer(token(2))
    idle.run()
    assert [c.ui.inactivity_warn_s for c in seen] == [45, base.ui.inactivity_warn_s]
    assert push.applied_revision == 0 and push.effective is base
    assert push.status()["refused"]["reason"] == "apply_failed"
    assert AppliedStore(tmp_path).read() == (None, None)


def test_at_start_the_saved_revision_is_checked_again_and_falls_back(
    base: KioskConfig, tmp_path: Path
) -> None:
    store = AppliedStore(tmp_path)
    store.save(token(3))
    store.save(token(4, {"ui": {"inactivity_warn_s": 30}}))
    keys, kiosk = config_keys(base), base.kiosk.id
    start, note = load_applied(base, store, keys, kiosk)
    assert start is not None and start.revision == 4 and note is None
    assert start.config.ui.inactivity_warn_s == 30
    # the current file is damaged: the previous revision is used, and that is said
    (tmp_path / "current.token").write_text("ADMCFG1.garbage.garbage\n")
    start, note = load_applied(base, store, keys, kiosk)
    assert start is not None and start.revision == 3 and note is not None
    # the key is no longer trusted: nothing it signed is used
    start, note = load_applied(base, store, {}, kiosk)
    assert start is None and note is not None


def test_a_pushed_service_list_takes_the_handover_targets_it_drops_with_it(
    base: KioskConfig, caplog: pytest.LogCaptureFixture
) -> None:
    """The file hands errors over to E (and a data error to B); a push that keeps only A and B
    leaves the B entry, drops the E ones (no ticket offered for those errors), and is applied."""
    from kiosk.fleet.pushable import merged

    assert base.handover.default == "E" and base.handover.services["DOCUMENT_DATA_INVALID"] == "B"
    kept = [s.model_dump(mode="json") for s in base.queue.services if s.code in "AB"]
    config = merged(base, {"queue": {"services": kept}})
    assert [s.code for s in config.queue.services] == ["A", "B"]
    assert config.handover.default is None
    assert config.handover.services == {"DOCUMENT_DATA_INVALID": "B"}
    assert "no_code" in caplog.text and "default" in caplog.text
    assert merged(base, UI).handover == base.handover  # no queue pushed: the file's
