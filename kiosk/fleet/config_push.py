"""Signed config revisions from the registry: checked at once, applied between sessions.

The heartbeat hands every ``config`` token from the registry's answer to :meth:`ConfigPush.offer`:

1. the envelope (:func:`kiosk.domain.signed_config.open_config`: signature by a kid from
   ``fleet.config_keys``, strict form), meant for this kiosk (its id or ``*``);
2. its revision: older than the applied one is refused; the applied or pending one is a repeat;
3. its content: only pushable fields, then the file's config with them on top validated by
   the same pydantic models as a config file (:mod:`kiosk.fleet.pushable`).

A revision that passes waits for the next idle moment (``when_idle``: the session worker runs
it on the attract screen, never during a session), is applied to the running parts, then saved
as ``current`` in ``<state>/fleet/`` with the one it replaced kept as ``previous``. If applying
fails, the previous config is applied again. A refusal (bad signature, older revision,
invalid content, ...) is logged and reported in the next heartbeats (:meth:`status`); the kiosk
keeps running on what it had.

At start :func:`load_applied` re-checks the saved ``current`` revision against the file's
config and keys (a key taken out of the config un-trusts what it signed) and falls back to
``previous``, then to the file alone.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.config.models import KioskConfig
from kiosk.domain.signed_config import ConfigTokenError, SignedConfig, open_config
from kiosk.fleet.pushable import PushRefused, merged

log = logging.getLogger(__name__)

Apply = Callable[[KioskConfig], None]
WhenIdle = Callable[[Callable[[], None]], None]


def token_digest(token: str) -> str:
    """Short SHA-256 of a token: how kiosk and registry name a revision neither can trust."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: str  # bad_signature, unknown_key, malformed, unsupported_version, wrong_kiosk,
    #              old_revision, not_pushable, invalid, no_keys, apply_failed
    detail: str
    revision: int | None  # None when the token could not be trusted enough to read it
    digest: str
    at: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "detail": self.detail,
            "revision": self.revision,
            "digest": self.digest,
            "at": datetime.fromtimestamp(self.at, UTC).isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Checked:
    """A revision that passed every check: the config it makes, and where it came from."""

    config: KioskConfig
    revision: int
    token: str


class RevisionStore(Protocol):
    """Where the applied revision (and the one before it) is kept."""

    def read(self) -> tuple[str | None, str | None]: ...
    def save(self, token: str) -> None: ...


class AppliedStore:
    """``current`` and ``previous`` revision tokens in one folder, replaced atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read(self) -> tuple[str | None, str | None]:
        return self._read("current"), self._read("previous")

    def _read(self, name: str) -> str | None:
        try:
            return (self.folder / f"{name}.token").read_text(encoding="ascii").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    def save(self, token: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        current = self._read("current")
        if current is not None and current != token:
            self._write("previous", current)
        self._write("current", token)

    def _write(self, name: str, text: str) -> None:
        final = self.folder / f"{name}.token"
        temp = final.with_suffix(".tmp")
        with temp.open("w", encoding="ascii") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)


def check(
    token: str,
    base: KioskConfig,
    keys: Mapping[str, Ed25519PublicKey],
    kiosk_id: str,
) -> Checked:
    """Envelope, target and content of a revision; raises :class:`PushRefused`."""
    if not keys:
        raise PushRefused("no_keys", "fleet.config_keys is empty: pushes are not accepted")
    try:
        signed: SignedConfig = open_config(token, keys)
    except ConfigTokenError as exc:
        raise PushRefused(exc.code.value, exc.detail) from None
    if not signed.for_kiosk(kiosk_id):
        raise PushRefused("wrong_kiosk", "the revision is for another kiosk", signed.revision)
    try:
        config = merged(base, signed.sections)
    except PushRefused as exc:
        raise PushRefused(exc.reason, exc.detail, signed.revision) from None
    return Checked(config, signed.revision, token)


def load_applied(
    base: KioskConfig, store: RevisionStore, keys: Mapping[str, Ed25519PublicKey], kiosk_id: str
) -> tuple[Checked | None, str | None]:
    """The saved revision to start with (or None: the file alone), and a note when it fell back."""
    note = None
    for label, token in zip(("current", "previous"), store.read(), strict=True):
        if token is None:
            continue
        try:
            checked = check(token, base, keys, kiosk_id)
        except PushRefused as exc:
            note = f"saved {label} config revision not used: {exc.reason}"
            log.warning("%s (%s)", note, exc.detail)
            continue
        return checked, note
    return None, note


class ConfigPush:
    """The kiosk's side of config pushes (see the module docstring); thread-safe."""

    def __init__(
        self,
        base: KioskConfig,
        *,
        keys: Mapping[str, Ed25519PublicKey],
        store: RevisionStore,
        apply: Apply,
        when_idle: WhenIdle,
        start: Checked | None = None,
        boot_note: str | None = None,
        clock: Callable[[], float] = time.time,
        on_applied: Callable[[int], object] | None = None,
    ) -> None:
        self.base = base
        self._on_applied = on_applied
        self.keys = dict(keys)
        self.store = store
        self._apply = apply
        self._when_idle = when_idle
        self._clock = clock
        self._lock = threading.Lock()
        self._effective = start.config if start is not None else base
        self._applied = start.revision if start is not None else 0
        self._applied_at: float | None = None
        self._pending: Checked | None = None
        self._refused: Refusal | None = None
        self._boot_note = boot_note

    @property
    def effective(self) -> KioskConfig:
        with self._lock:
            return self._effective

    @property
    def applied_revision(self) -> int:
        with self._lock:
            return self._applied

    def status(self) -> dict[str, Any]:
        """For the heartbeat: applied and pending revisions, the last refusal."""
        with self._lock:
            return {
                "applied": self._applied,
                "applied_at": None
                if self._applied_at is None
                else datetime.fromtimestamp(self._applied_at, UTC).isoformat(),
                "pending": None if self._pending is None else self._pending.revision,
                "refused": None if self._refused is None else self._refused.to_dict(),
                "note": self._boot_note,
            }

    def offer(self, token: str) -> None:
        """A revision from the registry's answer (any thread); checked now, applied when idle."""
        digest = token_digest(token)
        with self._lock:
            if self._refused is not None and self._refused.digest == digest:
                return  # the same refused token again: already reported
        try:
            checked = check(token, self.base, self.keys, self.base.kiosk.id)
        except PushRefused as exc:
            self._refuse(exc.reason, exc.detail, exc.revision, digest)
            return
        with self._lock:
            applied = self._applied
            waiting = self._pending.revision if self._pending is not None else None
            fresh = checked.revision > applied and checked.revision != waiting
            if fresh:
                self._pending = checked
        if checked.revision < applied:
            detail = f"revision {checked.revision} is older than the applied {applied}"
            self._refuse("old_revision", detail, checked.revision, digest)
            return
        if not fresh:
            return  # applied already, or waiting for the idle moment
        log.info("config revision %d accepted; applied at the next idle moment", checked.revision)
        self._when_idle(self._apply_pending)

    def _refuse(self, reason: str, detail: str, revision: int | None, digest: str) -> None:
        log.warning("pushed config refused: %s (%s)", reason, detail)
        with self._lock:
            self._refused = Refusal(reason, detail, revision, digest, self._clock())

    def _apply_pending(self) -> None:
        """Runs between sessions (on the session worker)."""
        with self._lock:
            pending, self._pending = self._pending, None
            previous = self._effective
        if pending is None:
            return
        try:
            self._apply(pending.config)
        except Exception as exc:
            log.exception("applying config revision %d failed; back to the previous config",
                          pending.revision)  # fmt: skip
            try:
                self._apply(previous)
            except Exception:
                log.exception("re-applying the previous config failed too")
            self._refuse(
                "apply_failed", type(exc).__name__, pending.revision, token_digest(pending.token)
            )
            return
        try:
            self.store.save(pending.token)
        except OSError as exc:
            log.error("config revision %d applied but not saved: %s", pending.revision, exc)
        with self._lock:
            self._effective = pending.config
            self._applied = pending.revision
            self._applied_at = self._clock()
            self._refused = None  # whatever was refused before, this is what runs now
        log.info("config revision %d applied", pending.revision)
        if self._on_applied is not None:
            self._on_applied(pending.revision)
