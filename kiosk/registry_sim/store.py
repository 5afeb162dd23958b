"""The simulator's SQLite store (WAL, synchronous=FULL): vouchers, reservations, history.

One connection guarded by a lock; every operation is one ``BEGIN IMMEDIATE`` transaction, so
two kiosks racing for the same voucher are serialised and exactly one wins. An
:class:`ApiError` raised inside a transaction is a decided answer, not a failure: the
transaction still commits (a wrong PIN must be counted even though the call answers 403).
Leases expire lazily: every transaction first marks overdue active reservations expired.

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

from kiosk.registry_sim.api_errors import (
    ApiError,
    already_printed,
    expired,
    invalid_request,
    not_found,
    reserved_elsewhere,
)
from kiosk.registry_sim.proofs import ProofMaker
from kiosk.registry_sim.tables import (
    SCHEMA,
    active_lease,
    expire_leases,
    iso,
    record_event,
    voucher_row,
)

MAX_PIN_ATTEMPTS = 3
DEFAULT_LOCK_SECONDS = 900.0


def _locked(until: float) -> ApiError:
    return ApiError(423, "locked", "too many wrong PINs", locked_until=iso(until))


class SimStore:
    """Vouchers and their leases; each public method is one serialised transaction."""

    def __init__(self, path: Path, *, lock_seconds: float = DEFAULT_LOCK_SECONDS) -> None:
        self.path = path
        self.lock_seconds = lock_seconds
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(vouchers)")}
        if "subject_masked" not in columns:  # a simulator database from before the column
            self._db.execute("ALTER TABLE vouchers ADD COLUMN subject_masked TEXT")
        for column, kind in (("relation", "TEXT"), ("birth_year", "INTEGER")):
            if column not in columns:  # from before the family fields
                self._db.execute(f"ALTER TABLE vouchers ADD COLUMN {column} {kind}")
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
        """Count a wrong PIN (raising 403, or 423 on the last one); a right one resets."""
        vid, failed, until = v["vid"], v["failed_pins"], v["locked_until"]
        if until is not None and until > now:
            raise _locked(until)
        if until is not None:
            failed = 0  # the lock has run out: a fresh set of attempts
        if hmac.compare_digest(pin.encode(), str(v["pin"]).encode()):
            db.execute(
                "UPDATE vouchers SET failed_pins = 0, locked_until = NULL WHERE vid = ?", (vid,)
            )
            return
        failed += 1
        if failed >= MAX_PIN_ATTEMPTS:
            until = now + self.lock_seconds
            db.execute(
                "UPDATE vouchers SET failed_pins = ?, locked_until = ? WHERE vid = ?",
                (failed, until, vid),
            )
            record_event(db, vid, now, kiosk, "locked", f"until {iso(until)}")
            raise _locked(until)
        db.execute(
            "UPDATE vouchers SET failed_pins = ?, locked_until = NULL WHERE vid = ?",
            (failed, vid),
        )
        record_event(db, vid, now, kiosk, "wrong_pin", f"attempt {failed}")
        left = MAX_PIN_ATTEMPTS - failed
        raise ApiError(403, "wrong_pin", "the PIN is wrong", attempts_left=left)

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
        for v in rows:
            lock = v["locked_until"]
            if v["vid"] == but or not hmac.compare_digest(pin.encode(), v["pin"].encode()):
                continue
            if v["status"] != "ready" or v["expires_at"] <= now or (lock and lock > now):
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
            guard = db.execute("SELECT * FROM identify_guard WHERE nik = ?", (nik,)).fetchone()
            failed, until = (guard["failed"], guard["locked_until"]) if guard else (0, None)
            if until is not None and until > now:
                raise _locked(until)
            if until is not None:
                failed = 0
            rows = db.execute("SELECT * FROM vouchers WHERE holder_nik = ?", (nik,)).fetchall()
            matching = [v for v in rows if hmac.compare_digest(pin.encode(), v["pin"].encode())]
            if not matching:
                failed += 1
                until = now + self.lock_seconds if failed >= MAX_PIN_ATTEMPTS else None
                db.execute(
                    "INSERT OR REPLACE INTO identify_guard VALUES (?, ?, ?)", (nik, failed, until)
                )
                if until is not None:
                    raise _locked(until)
                left = MAX_PIN_ATTEMPTS - failed
                raise ApiError(403, "wrong_pin", "the PIN is wrong", attempts_left=left)
            db.execute("DELETE FROM identify_guard WHERE nik = ?", (nik,))
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
            if v["locked_until"] is not None and v["locked_until"] > now:
                raise _locked(v["locked_until"])
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
