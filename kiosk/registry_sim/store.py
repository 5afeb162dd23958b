"""The simulator's SQLite store (WAL, synchronous=FULL): vouchers, reservations, history.

One connection guarded by a lock; every operation is one ``BEGIN IMMEDIATE`` transaction, so
two kiosks racing for the same voucher are serialised and exactly one wins. An
:class:`ApiError` raised inside a transaction is a decided answer, not a failure: the
transaction still commits (a wrong PIN must be counted even though the call answers 403).
Leases expire lazily: every transaction first marks overdue active reservations expired.
PINs are counted per citizen, across vouchers and identify (:mod:`.pin_guard`).

Times are UNIX seconds (float) from the caller's clock, so tests can move time forward.
"""

from __future__ import annotations

import hmac
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.registry_sim import audit_heads, pin_guard
from kiosk.registry_sim.api_errors import (
    ApiError,
    already_printed,
    expired,
    invalid_request,
    not_found,
    reserved_elsewhere,
)
from kiosk.registry_sim.pin_guard import LOCK_STEPS_S
from kiosk.registry_sim.proofs import ProofMaker
from kiosk.registry_sim.tables import (
    SCHEMA,
    active_lease,
    expire_leases,
    iso,
    record_event,
    voucher_row,
)


class SimStore:
    """Vouchers and their leases; each public method is one serialised transaction."""

    def __init__(self, path: Path, *, lock_steps_s: tuple[float, ...] = LOCK_STEPS_S) -> None:
        self.path = path
        self.lock_steps_s = lock_steps_s
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)
        self._db.executescript(pin_guard.SCHEMA + audit_heads.SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(vouchers)")}
        if "subject_masked" not in columns:  # a simulator database from before the column
            self._db.execute("ALTER TABLE vouchers ADD COLUMN subject_masked TEXT")
        for column, kind in (("relation", "TEXT"), ("birth_year", "INTEGER")):
            if column not in columns:  # from before the family fields
                self._db.execute(f"ALTER TABLE vouchers ADD COLUMN {column} {kind}")
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(reservations)")}
        if "printing_at" not in columns:  # from before the printing hold
            self._db.execute("ALTER TABLE reservations ADD COLUMN printing_at REAL")
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except ApiError:
                self._db.execute("COMMIT")
                raise
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # --- meta -------------------------------------------------------------------------

    def proof_secret(self) -> bytes:
        """A random secret made once per database, so proofs survive a simulator restart."""
        with self.transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'proof_secret'").fetchone()
            if row is None:
                secret = secrets.token_hex(32)
                db.execute("INSERT INTO meta VALUES ('proof_secret', ?)", (secret,))
                return bytes.fromhex(secret)
        return bytes.fromhex(str(row["value"]))

    def _check_pin(
        self, db: sqlite3.Connection, v: sqlite3.Row, pin: str, kiosk: str, now: float
    ) -> None:
        """Count the PIN against the holder's NIK (pin_guard): 403, 423, or a reset."""
        nik, vid = v["holder_nik"], v["vid"]
        was_locked = pin_guard.read_guard(db, nik).locked_at(now)
        try:
            pin_guard.check_pin(db, nik, pin, [v["pin"]], now, self.lock_steps_s)
        except ApiError as exc:
            if was_locked:
                record_event(db, vid, now, kiosk, "refused_locked")
            elif exc.status == 423:
                record_event(db, vid, now, kiosk, "locked", f"until {exc.extra['locked_until']}")
            else:
                record_event(db, vid, now, kiosk, "wrong_pin", f"{exc.extra['attempts_left']} left")
            raise

    @staticmethod
    def _verified(v: sqlite3.Row, proof: str) -> dict[str, Any]:
        return {
            "vid": v["vid"],
            "doc": v["doc"],
            "holder_masked": v["holder_masked"],
            "subject_masked": v["subject_masked"],
            "relation": v["relation"],
            "birth_year": v["birth_year"],
            "expires": iso(v["expires_at"]),
            "verification": proof,
        }

    # --- the contract -------------------------------------------------------------------

    def verify(
        self, kiosk: str, vid: str, doc: str, pin: str, now: float, proofs: ProofMaker
    ) -> dict[str, Any]:
        with self.transaction() as db:
            v = voucher_row(db, vid)
            if v["doc"] != doc:
                raise ApiError(400, "invalid_token", "token does not match the voucher")
            if v["expires_at"] <= now:
                raise expired()
            self._check_pin(db, v, pin, kiosk, now)
            if v["status"] == "printed":
                raise already_printed()
            record_event(db, vid, now, kiosk, "verified")
            answer = self._verified(v, proofs.mint(kiosk, vid, now))
            # The PIN is the citizen's: their other ready documents come along, each with its
            # own proof, so a family prints them in one visit.
            answer["others"] = self._ready_of(db, kiosk, v["holder_nik"], pin, now, proofs, vid)
            return answer

    def _ready_of(
        self,
        db: sqlite3.Connection,
        kiosk: str,
        nik: str,
        pin: str,
        now: float,
        proofs: ProofMaker,
        but: str | None = None,
    ) -> list[dict[str, Any]]:
        """Ready vouchers of ``nik`` under ``pin`` (except ``but``), each with a fresh proof."""
        rows = db.execute(
            "SELECT * FROM vouchers WHERE holder_nik = ? ORDER BY rowid", (nik,)
        ).fetchall()
        ready = []
        for v in rows:  # the NIK's PIN guard was checked by the caller (pin_guard)
            if v["vid"] == but or not hmac.compare_digest(pin.encode(), v["pin"].encode()):
                continue
            if v["status"] != "ready" or v["expires_at"] <= now:
                continue
            record_event(db, v["vid"], now, kiosk, "identified")
            ready.append(self._verified(v, proofs.mint(kiosk, v["vid"], now)))
        return ready

    def holder_of(self, vid: str) -> str:
        """The NIK holding voucher ``vid`` (identify by a voucher token); 404 if none."""
        with self.transaction() as db:
            return str(voucher_row(db, vid)["holder_nik"])

    def identify(
        self, kiosk: str, nik: str, pin: str, now: float, proofs: ProofMaker
    ) -> list[dict[str, Any]]:
        """Ready vouchers of ``nik`` whose PIN is ``pin``; a miss counts against the NIK."""
        with self.transaction() as db:
            rows = db.execute("SELECT * FROM vouchers WHERE holder_nik = ?", (nik,)).fetchall()
            pins = [str(v["pin"]) for v in rows]
            pin_guard.check_pin(db, nik, pin, pins, now, self.lock_steps_s)
            return self._ready_of(db, kiosk, nik, pin, now, proofs)

    def reserve(
        self, kiosk: str, vid: str, idempotency_key: str, now: float, lease_seconds: float
    ) -> dict[str, Any]:
        with self.transaction() as db:
            expire_leases(db, now)
            earlier = db.execute(
                "SELECT * FROM reservations WHERE kiosk_id = ? AND idempotency_key = ?",
                (kiosk, idempotency_key),
            ).fetchone()
            if earlier is not None:
                if earlier["vid"] != vid:
                    raise invalid_request("Idempotency-Key was used for another voucher")
                if earlier["status"] == "committed":
                    raise already_printed()
                if earlier["status"] != "active":
                    raise expired("the reservation has expired or was released")
                return self._reservation(db, earlier)
            v = voucher_row(db, vid)
            if v["status"] == "printed":
                raise already_printed()
            if v["expires_at"] <= now:
                raise expired()
            pin_guard.refuse_if_locked(db, v["holder_nik"], now)
            if active_lease(db, vid) is not None:
                raise reserved_elsewhere()
            rid = "R" + secrets.token_hex(10).upper()
            db.execute(
                "INSERT INTO reservations (rid, vid, kiosk_id, idempotency_key, created_at, "
                "lease_expires, status) VALUES (?, ?, ?, ?, ?, ?, 'active')",
                (rid, vid, kiosk, idempotency_key, now, now + lease_seconds),
            )
            record_event(db, vid, now, kiosk, "reserved", rid)
            row = db.execute("SELECT * FROM reservations WHERE rid = ?", (rid,)).fetchone()
            return self._reservation(db, row)

    def _reservation(self, db: sqlite3.Connection, r: sqlite3.Row) -> dict[str, Any]:
        v = voucher_row(db, r["vid"])
        return {
            "rid": r["rid"],
            "vid": r["vid"],
            "doc": v["doc"],
            "lease_expires": iso(r["lease_expires"]),
            "document": json.loads(v["envelope"]),
        }

    def _own_reservation(self, db: sqlite3.Connection, kiosk: str, rid: str) -> sqlite3.Row:
        row = db.execute(
            "SELECT * FROM reservations WHERE rid = ? AND kiosk_id = ?", (rid, kiosk)
        ).fetchone()
        if row is None:
            raise not_found("no such reservation")
        return row

    def start_printing(
        self, kiosk: str, rid: str, *, pdf_sha256: str, pages: int, printer: str, now: float
    ) -> dict[str, Any]:
        """The printing hold: from now on only a commit or a release ends the reservation.

        Idempotent: a held reservation answers the same again. A lease that already ran out (or
        was released) answers 410 and a committed one 409: then the kiosk must not print.
        """
        with self.transaction() as db:
            expire_leases(db, now)
            r = self._own_reservation(db, kiosk, rid)
            if r["status"] == "committed":
                raise already_printed()
            if r["status"] != "active":
                raise expired("the reservation has expired or was released")
            since = r["printing_at"]
            if since is None:
                since = now
                db.execute(
                    "UPDATE reservations SET printing_at = ?, pdf_sha256 = ?, pages = ?, "
                    "printer = ? WHERE rid = ?",
                    (now, pdf_sha256, pages, printer, rid),
                )
                record_event(db, r["vid"], now, kiosk, "printing", f"{rid} pages={pages}")
            return {"rid": rid, "vid": r["vid"], "status": "printing", "since": iso(since)}

    def commit(
        self, kiosk: str, rid: str, *, pdf_sha256: str, pages: int, printer: str, now: float
    ) -> dict[str, Any]:
        with self.transaction() as db:
            expire_leases(db, now)
            r = self._own_reservation(db, kiosk, rid)
            if r["status"] == "committed":
                if r["pdf_sha256"] != pdf_sha256:
                    raise already_printed()
                return self._committed(r["rid"], r["vid"], r["committed_at"])
            if r["status"] == "released":
                raise expired("the reservation was released")
            v = voucher_row(db, r["vid"])
            if v["status"] == "printed":
                raise already_printed()
            if r["status"] == "expired":
                # The lease ran out but the document was printed: record it unless someone
                # else has leased the voucher since.
                if active_lease(db, r["vid"]) is not None:
                    raise reserved_elsewhere()
                record_event(db, r["vid"], now, kiosk, "late_commit", rid)
            db.execute(
                "UPDATE reservations SET status = 'committed', committed_at = ?, pdf_sha256 = ?, "
                "pages = ?, printer = ? WHERE rid = ?",
                (now, pdf_sha256, pages, printer, rid),
            )
            db.execute("UPDATE vouchers SET status = 'printed' WHERE vid = ?", (r["vid"],))
            record_event(db, r["vid"], now, kiosk, "committed", f"{rid} pages={pages}")
            return self._committed(rid, r["vid"], now)

    @staticmethod
    def _committed(rid: str, vid: str, at: float) -> dict[str, Any]:
        return {"rid": rid, "vid": vid, "status": "committed", "committed_at": iso(at)}

    def release(self, kiosk: str, rid: str, *, reason: str, now: float) -> dict[str, Any]:
        with self.transaction() as db:
            expire_leases(db, now)
            r = self._own_reservation(db, kiosk, rid)
            if r["status"] == "committed":
                raise already_printed()
            if r["status"] == "active":
                db.execute(
                    "UPDATE reservations SET status = 'released', reason = ? WHERE rid = ?",
                    (reason, rid),
                )
                record_event(db, r["vid"], now, kiosk, "released", f"{rid}: {reason}")
            return {"rid": rid, "vid": r["vid"], "status": "released"}

    def heartbeat(self, kiosk: str, payload: dict[str, Any], now: float) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO heartbeats VALUES (?, ?, ?)",
                (kiosk, now, json.dumps(payload, sort_keys=True)),
            )
