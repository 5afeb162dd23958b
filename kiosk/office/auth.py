"""Who is calling: API clients by id and bearer key, and counter staff signed in with a PIN.

Clients send ``Authorization: Bearer <key>`` and ``X-Client-Id``. A counter page signs staff in
with ``POST /v1/counters/{id}/session {pin}`` and receives a session token
``cs1.<counter>.<expires unix>.<base64url HMAC-SHA256>``, used as the bearer key with the
counter's id as the client id. The HMAC key is a secret kept in the queue database, so a
session outlives a server restart and every server process on the database accepts it.

Wrong PINs are counted per counter in the database, like the technician's: ``pin_max_attempts``
wrong in a row lock the counter's sign-in for ``pin_lockout_s`` (a lockout never lasts longer
than configured, even if the clock jumped).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.config.models import QueueSettings
from kiosk.config.office import Role
from kiosk.domain.pin_hash import verify_pin
from kiosk.domain.signed import b64url_decode_strict, b64url_encode
from kiosk.queue.store import QueueStore

TOKEN_PREFIX = "cs1"  # noqa: S105 (a format tag, not a secret)
PIN_DIGITS = range(6, 9)  # 6-8 digits, like the technician PIN


@dataclass(frozen=True, slots=True)
class Principal:
    id: str
    role: Role


@dataclass(frozen=True, slots=True)
class SignIn:
    """What a PIN entry did: a token, or the attempts left, or the lockout's seconds left."""

    token: str | None
    expires_at: datetime | None
    attempts_left: int
    locked_for_s: float


class CounterSessions:
    def __init__(
        self,
        settings: QueueSettings,
        store: QueueStore,
        clock: Callable[[], datetime],
        *,
        verify: Callable[[str, str], bool] = verify_pin,
    ) -> None:
        self._pins = {c.id: c.pin_hash for c in settings.counters}
        self._settings = settings
        self._store = store
        self._clock = clock
        self._verify = verify
        self._secret = store.secret("counter-sessions", os.urandom(32))
        self._lock = threading.Lock()  # one PIN check per server at a time: no lost count

    @property
    def counters(self) -> frozenset[str]:
        return frozenset(self._pins)

    def _mac(self, message: str) -> str:
        digest = hmac.new(self._secret, message.encode(), hashlib.sha256).digest()
        return b64url_encode(digest)

    def sign_in(self, counter: str, pin: str) -> SignIn:
        """Raises KeyError for an unknown counter or one without a PIN."""
        stored_hash = self._pins[counter]
        if not stored_hash:
            raise KeyError(counter)
        settings = self._settings
        with self._lock:
            now = self._clock()
            wrong, until = self._store.pin_attempts(counter)
            if until is not None:
                left = min((until - now).total_seconds(), float(settings.pin_lockout_s))
                if left > 0:
                    return SignIn(None, None, 0, left)
                wrong = 0
            well_formed = pin.isascii() and pin.isdigit() and len(pin) in PIN_DIGITS
            if well_formed and self._verify(pin, stored_hash):
                self._store.save_pin_attempts(counter, 0, None)
                expires = now + timedelta(hours=settings.session_hours)
                message = f"{TOKEN_PREFIX}.{counter}.{int(expires.timestamp())}"
                return SignIn(
                    f"{message}.{self._mac(message)}", expires, settings.pin_max_attempts, 0
                )
            wrong += 1
            if wrong >= settings.pin_max_attempts:
                locked_until = now + timedelta(seconds=settings.pin_lockout_s)
                self._store.save_pin_attempts(counter, wrong, locked_until)
                return SignIn(None, None, 0, float(settings.pin_lockout_s))
            self._store.save_pin_attempts(counter, wrong, None)
            return SignIn(None, None, settings.pin_max_attempts - wrong, 0)

    def check(self, counter: str, token: str) -> bool:
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != TOKEN_PREFIX or parts[1] != counter:
            return False
        message = ".".join(parts[:3])
        try:
            b64url_decode_strict(parts[3])
            expires = int(parts[2])
        except ValueError:
            return False
        if not hmac.compare_digest(parts[3], self._mac(message)):
            return False
        return expires > self._clock().timestamp()


class Authenticator:
    """Turns ``X-Client-Id`` and a bearer key into a :class:`Principal`, or None."""

    def __init__(self, clients: Mapping[str, tuple[Role, str]], sessions: CounterSessions) -> None:
        self._clients = dict(clients)
        self._sessions = sessions
        self._counters = sessions.counters

    def principal(self, client_id: str, key: str) -> Principal | None:
        known = self._clients.get(client_id)
        if known is not None and hmac.compare_digest(key.encode(), known[1].encode()):
            return Principal(client_id, known[0])
        if client_id in self._counters and self._sessions.check(client_id, key):
            return Principal(client_id, "counter")
        return None
