"""Fill a fresh simulator store from the synthetic population of ``(seed, families)``.

Per ready document: one voucher (id, 6-digit PIN and expiry drawn from the seed), its token
signed with the simulator key, and the document envelope with its verification QR. A few
vouchers start printed or expired so that those answers can be seen without set-up. Token
times are anchored to midnight UTC of the seeding day, so a given seed mints the same tokens
all day long.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import random
from datetime import UTC, datetime, timedelta

from kiosk.domain.document_claim import DocumentClaim, mask_name, mint_document_claim
from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key
from kiosk.domain.voucher import VoucherPayload, mint_token
from kiosk.registry_sim.store import SimStore
from kiosk.synthetic import generate_population

log = logging.getLogger(__name__)

PRINTED_SHARE = 0.05
EXPIRED_SHARE = 0.04
DAY = 86_400


class SeedMismatch(ValueError):
    """The database was seeded from another seed or family count."""


def document_id_for(vid: str) -> str:
    """A document id derived from the voucher id alone (24 characters, fits the claim)."""
    return "DOC-" + hashlib.sha256(f"adm-document:{vid}".encode()).hexdigest()[:20].upper()


def seed_store(store: SimStore, *, seed: int, families: int, now: float) -> int:
    """Seed ``store`` unless it already holds this seed; returns the voucher count."""
    with store.transaction() as db:
        rows = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if "seed" in rows:
            if (rows["seed"], rows.get("families")) != (str(seed), str(families)):
                raise SeedMismatch(
                    f"{store.path} holds seed {rows['seed']} with {rows.get('families')} "
                    f"families, not seed {seed} with {families}"
                )
            return int(db.execute("SELECT COUNT(*) FROM vouchers").fetchone()[0])

    population = generate_population(seed, families)
    rng = random.Random(f"adm-registry-sim/{seed}/{families}")  # noqa: S311 (synthetic data)
    key = sim_voucher_private_key()
    midnight = datetime.fromtimestamp(math.floor(now / DAY) * DAY, UTC)
    seen: set[str] = set()
    pins: dict[str, str] = {}
    vouchers = []
    for ready in population.documents:
        vid = f"V{rng.getrandbits(48):012X}"
        while vid in seen:
            vid = f"V{rng.getrandbits(48):012X}"
        seen.add(vid)
        # One PIN per citizen: a NIK's ready documents share it, so identify can answer with
        # several (drawn for every voucher all the same, so the other draws stay where they were).
        pin = pins.setdefault(ready.holder_nik, f"{rng.randrange(1_000_000):06d}")
        fate = rng.random()
        if fate < PRINTED_SHARE:
            status, iat, exp = "printed", midnight - timedelta(days=10), midnight + timedelta(20)
        elif fate < PRINTED_SHARE + EXPIRED_SHARE:
            status, iat, exp = "ready", midnight - timedelta(days=40), midnight - timedelta(2)
        else:
            iat = midnight - timedelta(days=rng.randint(0, 5))
            status, exp = "ready", midnight + timedelta(days=rng.randint(14, 60))
        token = mint_token(
            VoucherPayload(vid=vid, doc=ready.doc, iat=iat, exp=exp, kid=SIM_KID), key
        )
        holder_masked = mask_name(ready.holder_name)
        subject_masked = (
            mask_name(ready.subject_name)
            if ready.subject_name and ready.subject_nik != ready.holder_nik
            else None
        )
        document_id = document_id_for(vid)
        claim = DocumentClaim(
            document_id=document_id,
            doc=ready.doc,
            issued_on=ready.issued_on,
            # The name the paper bears (a child's KIA: the child's), so the check compares
            # like with like.
            holder_masked=subject_masked or holder_masked,
            kid=SIM_KID,
        )
        envelope = ready.envelope(document_id, mint_document_claim(claim, key))
        vouchers.append(
            (
                vid,
                ready.doc.value,
                token,
                pin,
                ready.holder_nik,
                ready.subject_nik,
                holder_masked,
                document_id,
                json.dumps(envelope, ensure_ascii=False),
                exp.timestamp(),
                status,
                subject_masked,
                ready.subject_relation or None,
                ready.subject_birth_year,
            )
        )
    citizens = [
        (c.nik, c.name, c.sex, c.birth_date.isoformat(), c.kk_number, int(c.alive))
        for c in population.citizens
    ]
    with store.transaction() as db:
        db.executemany("INSERT INTO citizens VALUES (?, ?, ?, ?, ?, ?)", citizens)
        db.executemany(
            "INSERT INTO vouchers (vid, doc, token, pin, holder_nik, subject_nik, holder_masked, "
            "document_id, envelope, expires_at, status, subject_masked, relation, birth_year) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            vouchers,
        )
        db.executemany(
            "INSERT INTO history (vid, at, kiosk_id, event, detail) VALUES (?, ?, NULL, ?, '')",
            [(v[0], now, "issued" if v[10] == "ready" else "printed_before") for v in vouchers],
        )
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)", [("seed", str(seed)), ("families", str(families))]
        )
    log.info("registry simulator seeded: %d citizens, %d vouchers", len(citizens), len(vouchers))
    return len(vouchers)
