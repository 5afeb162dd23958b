"""The simulator's fleet view: what each kiosk last reported, config revisions, commands.

Three tables in the simulator's database, each operation one serialised transaction:

- ``fleet_kiosks``: per kiosk, the last heartbeat's time, version, applied/pending/refused
  config revision, device states, consumables, outbox depth, SUSPECT count and clock skew
  (registry time at receipt minus the kiosk's ``sent_at``);
- ``fleet_configs``: signed config revisions, one sequence for the fleet, each for one kiosk
  or ``*``; a kiosk is offered the newest one meant for it;
- ``fleet_commands``: ``diagnostics`` / ``logs_summary`` per kiosk, sent once, answered in a
  later heartbeat.

What a kiosk sends is input from outside: every field is checked for type and size before it
is kept, and anything else is dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.domain.signed_config import ALL_KIOSKS, mint_config
from kiosk.registry_sim.tables import iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS fleet_kiosks (
    kiosk_id TEXT PRIMARY KEY, last_seen REAL NOT NULL, beats INTEGER NOT NULL,
    version TEXT, config_revision INTEGER NOT NULL, config_pending INTEGER,
    refused_revision INTEGER, refused_reason TEXT, refused_digest TEXT,
    devices TEXT NOT NULL, consumables TEXT NOT NULL,
    outbox_depth INTEGER, suspect INTEGER, clock_skew_s REAL);
CREATE TABLE IF NOT EXISTS fleet_configs (
    revision INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL, token TEXT NOT NULL,
    digest TEXT NOT NULL, created_at REAL NOT NULL, created_by TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS fleet_configs_by_target ON fleet_configs (target, revision);
CREATE TABLE IF NOT EXISTS fleet_commands (
    id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, created_at REAL NOT NULL,
    sent_at REAL, done_at REAL, ok INTEGER, result TEXT);
CREATE INDEX IF NOT EXISTS fleet_commands_due ON fleet_commands (kiosk_id, sent_at);
"""
STALE_AFTER_S = 180.0  # three missed beats at the default 60 s
MAX_DEVICES = 16
MAX_RESULT_BYTES = 16 * 1024
COMMAND_KINDS = ("diagnostics", "logs_summary")
_NAME = re.compile(r"[A-Za-z0-9_\-.:]{1,40}")
_MARKER = re.compile(r"[A-Za-z0-9 _\-.:/()+]{1,64}")  # as printers name them: "Black Toner"
_WORD = re.compile(r"[a-z_]{1,24}")
_DIGEST = re.compile(r"[0-9a-f]{16}")
_COMMAND_ID = re.compile(r"C[0-9A-F]{16}")


def digest(token: str) -> str:
    """Same as kiosk.fleet.config_push.token_digest (the kiosk reports refusals by it)."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()[:16]


def _int(value: Any, low: int = 0, high: int = 2**53) -> int | None:
    return value if type(value) is int and low <= value <= high else None


def _text(value: Any, pattern: re.Pattern[str]) -> str | None:
    return value if isinstance(value, str) and pattern.fullmatch(value) else None


def _version(value: Any) -> str | None:
    ok = isinstance(value, str) and 0 < len(value) <= 32 and value.isprintable()
    return value if ok else None


def _devices(value: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for name, status in list(value.items())[:MAX_DEVICES]:
            state = _text(status.get("state") if isinstance(status, dict) else None, _WORD)
            if _text(name, _NAME) and state is not None:
                out[name] = state
    return out


def _consumables(value: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if not isinstance(value, dict):
        return out
    for name, entry in list(value.items())[:MAX_DEVICES]:
        if not _text(name, _NAME) or not isinstance(entry, dict):
            continue
        kept: dict[str, Any] = {}
        for key in ("paper", "cards"):
            if _text(entry.get(key), _WORD):
                kept[key] = entry[key]
        for key in ("blanko_left", "blanko_low"):
            if _int(entry.get(key), 0, 1_000_000) is not None:
                kept[key] = entry[key]
        markers = entry.get("markers")
        if isinstance(markers, dict):
            kept["markers"] = {
                m: float(v)
                for m, v in list(markers.items())[:16]
                if _text(m, _MARKER) and isinstance(v, int | float) and 0 <= v <= 100
            }
        out[name] = kept
    return out


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _sent_at(value: Any) -> float | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.timestamp() if when.tzinfo is not None else None


class FleetBook:
    """The fleet tables, on their own connection to the simulator's database.

    ``synchronous=NORMAL`` (WAL): the fleet view is telemetry, rebuilt by the next heartbeats,
    so a power cut may lose its last moments; one fsync per heartbeat (the store's) is enough.
    Vouchers and leases stay on the store's ``synchronous=FULL`` connection.
    """

    def __init__(
        self,
        path: Path,
        signing_key: Ed25519PrivateKey,
        kid: str,
        known_kiosks: Callable[[], list[str]],
    ) -> None:
        self.signing_key = signing_key
        self.kid = kid
        self.known_kiosks = known_kiosks
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._lock = threading.Lock()
        with self.transaction() as db:  # executescript would commit on its own
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # --- the heartbeat ------------------------------------------------------------------

    def heartbeat(self, kiosk: str, payload: Mapping[str, Any], now: float) -> dict[str, Any]:
        """Keep what the kiosk reported; return what to answer (empty: nothing to say)."""
        config = _object(payload.get("config"))
        refused = _object(config.get("refused"))
        sent_at = _sent_at(payload.get("sent_at"))
        row = (
            kiosk,
            now,
            _version(payload.get("version")),
            _int(payload.get("config_revision")) or 0,
            _int(config.get("pending")),
            _int(refused.get("revision")),
            _text(refused.get("reason"), _WORD),
            _text(refused.get("digest"), _DIGEST),
            json.dumps(_devices(payload.get("devices")), sort_keys=True),
            json.dumps(_consumables(payload.get("consumables")), sort_keys=True),
            _int(payload.get("outbox_depth")),
            _int(payload.get("suspect")),
            None if sent_at is None else round(now - sent_at, 3),
        )
        with self.transaction() as db:
            db.execute(
                "INSERT INTO fleet_kiosks (kiosk_id, last_seen, beats, version, config_revision, "
                "config_pending, refused_revision, refused_reason, refused_digest, devices, "
                "consumables, outbox_depth, suspect, clock_skew_s) "
                "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (kiosk_id) DO UPDATE SET last_seen = excluded.last_seen, "
                "beats = beats + 1, version = excluded.version, "
                "config_revision = excluded.config_revision, "
                "config_pending = excluded.config_pending, "
                "refused_revision = excluded.refused_revision, "
                "refused_reason = excluded.refused_reason, "
                "refused_digest = excluded.refused_digest, devices = excluded.devices, "
                "consumables = excluded.consumables, outbox_depth = excluded.outbox_depth, "
                "suspect = excluded.suspect, clock_skew_s = excluded.clock_skew_s",
                row,
            )
            self._results(db, kiosk, payload.get("command_results"), now)
            answer: dict[str, Any] = {}
            latest = self._latest(db, kiosk)
            if latest is not None:
                revision, token, token_digest = latest
                fresh = revision > row[3] and revision != row[4] and token_digest != row[7]
                if fresh:
                    answer["config"] = token
            commands = db.execute(
                "SELECT id, kind FROM fleet_commands WHERE kiosk_id = ? AND sent_at IS NULL "
                "ORDER BY created_at LIMIT 10",
                (kiosk,),
            ).fetchall()
            if commands:
                db.executemany(
                    "UPDATE fleet_commands SET sent_at = ? WHERE id = ?",
                    [(now, c["id"]) for c in commands],
                )
                answer["commands"] = [{"id": c["id"], "kind": c["kind"]} for c in commands]
        return answer

    @staticmethod
    def _latest(db: sqlite3.Connection, kiosk: str) -> tuple[int, str, str] | None:
        row = db.execute(
            "SELECT revision, token, digest FROM fleet_configs WHERE target IN (?, ?) "
            "ORDER BY revision DESC LIMIT 1",
            (kiosk, ALL_KIOSKS),
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]), str(row[2]))

    @staticmethod
    def _results(db: sqlite3.Connection, kiosk: str, results: Any, now: float) -> None:
        if not isinstance(results, list):
            return
        for item in results[:10]:
            if not isinstance(item, dict) or not _text(item.get("id"), _COMMAND_ID):
                continue
            text = json.dumps(
                {k: item.get(k) for k in ("ok", "error", "result", "at")}, sort_keys=True
            )
            if len(text) > MAX_RESULT_BYTES:
                text = json.dumps({"ok": item.get("ok") is True, "error": "result_too_large"})
            db.execute(
                "UPDATE fleet_commands SET done_at = ?, ok = ?, result = ? "
                "WHERE id = ? AND kiosk_id = ? AND done_at IS NULL",
                (now, 1 if item.get("ok") is True else 0, text, item["id"], kiosk),
            )

    # --- the operator's side ------------------------------------------------------------

    def publish(self, target: str, sections: Mapping[str, Any], now: float, by: str) -> int:
        """Sign and keep a new revision for ``target`` (a kiosk id or ``*``); its number."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO fleet_configs (target, token, digest, created_at, created_by) "
                "VALUES (?, '', '', ?, ?)",
                (target, now, by),
            )
            revision = int(cursor.lastrowid or 0)
            token = mint_config(
                revision=revision,
                kiosk=target,
                sections=sections,
                issued_at=datetime.fromtimestamp(now, UTC),
                kid=self.kid,
                private_key=self.signing_key,
            )
            db.execute(
                "UPDATE fleet_configs SET token = ?, digest = ? WHERE revision = ?",
                (token, digest(token), revision),
            )
        return revision

    def publish_token(self, target: str, token: str, now: float, by: str) -> int:
        """Keep a token as it is (simulator fault injection: forged, stale or invalid ones)."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO fleet_configs (target, token, digest, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?)",
                (target, token, digest(token), now, by),
            )
            return int(cursor.lastrowid or 0)

    def command(self, target: str, kind: str, now: float) -> list[dict[str, str]]:
        """Queue ``kind`` for one kiosk or every known one; the commands made."""
        kiosks = self.known_kiosks() if target == ALL_KIOSKS else [target]
        made = [{"id": "C" + secrets.token_hex(8).upper(), "kiosk_id": k} for k in kiosks]
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO fleet_commands (id, kiosk_id, kind, created_at) VALUES (?, ?, ?, ?)",
                [(c["id"], c["kiosk_id"], kind, now) for c in made],
            )
        return made

    def command_state(self, command_id: str) -> dict[str, Any] | None:
        with self.transaction() as db:
            row = db.execute("SELECT * FROM fleet_commands WHERE id = ?", (command_id,)).fetchone()
        if row is None:
            return None
        return {
            "id": row["id"],
            "kiosk_id": row["kiosk_id"],
            "kind": row["kind"],
            "created_at": iso(row["created_at"]),
            "sent_at": None if row["sent_at"] is None else iso(row["sent_at"]),
            "done_at": None if row["done_at"] is None else iso(row["done_at"]),
            "ok": None if row["ok"] is None else bool(row["ok"]),
            "result": None if row["result"] is None else json.loads(row["result"]),
        }

    def kiosks(self, now: float) -> list[dict[str, Any]]:
        """Every kiosk that ever sent a heartbeat, with the revision published for it."""
        with self.transaction() as db:
            rows = db.execute("SELECT * FROM fleet_kiosks ORDER BY kiosk_id").fetchall()
            everyone = db.execute(
                "SELECT MAX(revision) FROM fleet_configs WHERE target = ?", (ALL_KIOSKS,)
            ).fetchone()[0]
            own = dict(
                db.execute(
                    "SELECT target, MAX(revision) FROM fleet_configs WHERE target != ? "
                    "GROUP BY target",
                    (ALL_KIOSKS,),
                ).fetchall()
            )
            pending_commands = dict(
                db.execute(
                    "SELECT kiosk_id, COUNT(*) FROM fleet_commands WHERE done_at IS NULL "
                    "GROUP BY kiosk_id"
                ).fetchall()
            )
        return [
            _kiosk_view(
                row,
                max(everyone or 0, own.get(row["kiosk_id"]) or 0),
                now,
                pending_commands.get(row["kiosk_id"], 0),
            )
            for row in rows
        ]


def _kiosk_view(row: sqlite3.Row, published: int, now: float, commands: int) -> dict[str, Any]:
    refused = None
    if row["refused_reason"] is not None:
        refused = {"revision": row["refused_revision"], "reason": row["refused_reason"]}
    return {
        "kiosk_id": row["kiosk_id"],
        "last_heartbeat": iso(row["last_seen"]),
        "age_s": round(now - row["last_seen"], 1),
        "stale": now - row["last_seen"] > STALE_AFTER_S,
        "heartbeats": row["beats"],
        "version": row["version"],
        "config_revision": row["config_revision"],
        "config_pending": row["config_pending"],
        "config_published": published,
        "config_refused": refused,
        "devices": json.loads(row["devices"]),
        "consumables": json.loads(row["consumables"]),
        "outbox_depth": row["outbox_depth"],
        "suspect": row["suspect"],
        "clock_skew_s": row["clock_skew_s"],
        "commands_open": commands,
    }


def summary(kiosks: list[dict[str, Any]]) -> dict[str, Any]:
    """The fleet in a few numbers (the top of ``GET /v1/fleet`` and the demo)."""
    versions: dict[str, int] = {}
    revisions: dict[str, int] = {}
    for k in kiosks:
        versions[str(k["version"])] = versions.get(str(k["version"]), 0) + 1
        revisions[str(k["config_revision"])] = revisions.get(str(k["config_revision"]), 0) + 1
    return {
        "kiosks": len(kiosks),
        "stale": sum(k["stale"] for k in kiosks),
        "by_version": versions,
        "by_config_revision": revisions,
        "config_behind": sum(k["config_revision"] < k["config_published"] for k in kiosks),
        "config_refused": sum(k["config_refused"] is not None for k in kiosks),
        "devices_in_error": sum(
            any(state in ("error", "offline") for state in k["devices"].values()) for k in kiosks
        ),
        "suspect": sum(k["suspect"] or 0 for k in kiosks),
        "outbox_waiting": sum(bool(k["outbox_depth"]) for k in kiosks),
    }


MAX_FLEET = 5000


def fleet_kiosk_keys(count: int) -> dict[str, str]:
    """Ids and keys of ``count`` simulated kiosks (``kiosk fleet-sim``); not secrets."""
    if not 0 < count <= MAX_FLEET:
        raise ValueError(f"a simulated fleet has 1-{MAX_FLEET} kiosks")
    return {f"FLEET-{n:04d}": f"fleet-sim-key-{n:04d}" for n in range(1, count + 1)}
