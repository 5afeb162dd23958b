"""The simulator's store and seeding, without HTTP: determinism, durability settings, proofs."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.config.loader import repo_root
from kiosk.domain.document_claim import verify_document_claim
from kiosk.domain.voucher import public_key_from_text, verify_token
from kiosk.registry_sim import inspection
from kiosk.registry_sim.knobs import Knobs, KnobValues
from kiosk.registry_sim.proofs import ProofError, ProofMaker
from kiosk.registry_sim.seeding import SeedMismatch, document_id_for, seed_store
from kiosk.registry_sim.store import SimStore

NOW = 1_795_000_000.0  # a fixed moment (2026-11-18), so the tests do not depend on the day


def _seeded(path: Path, seed: int = 5, families: int = 3) -> SimStore:
    store = SimStore(path)
    seed_store(store, seed=seed, families=families, now=NOW)
    return store


def _vouchers(store: SimStore) -> list[dict[str, object]]:
    return inspection.list_vouchers(store, NOW)


def test_same_seed_same_vouchers(tmp_path: Path) -> None:
    one, two = _seeded(tmp_path / "a.sqlite"), _seeded(tmp_path / "b.sqlite")
    three = _seeded(tmp_path / "c.sqlite", seed=6)
    try:
        assert _vouchers(one) == _vouchers(two)
        assert [v["vid"] for v in _vouchers(one)] != [v["vid"] for v in _vouchers(three)]
    finally:
        for store in (one, two, three):
            store.close()


def test_reopening_keeps_the_data_and_refuses_another_seed(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    store = _seeded(path)
    first = _vouchers(store)
    secret = store.proof_secret()
    store.close()
    again = SimStore(path)
    try:
        assert seed_store(again, seed=5, families=3, now=NOW + 999) == len(first)
        assert _vouchers(again) == first
        assert again.proof_secret() == secret
        with pytest.raises(SeedMismatch):
            seed_store(again, seed=6, families=3, now=NOW)
    finally:
        again.close()


def test_durability_settings(tmp_path: Path) -> None:
    store = _seeded(tmp_path / "r.sqlite")
    try:
        with store.transaction() as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        store.close()


def test_vouchers_are_well_formed_and_carry_no_pii_in_tokens(tmp_path: Path) -> None:
    config = load_config(repo_root() / "config" / "simulator.toml")
    keys = {kid: public_key_from_text(text) for kid, text in config.vouchers.keys.items()}
    store = _seeded(tmp_path / "r.sqlite", families=24)
    try:
        vouchers = _vouchers(store)
        assert len({v["vid"] for v in vouchers}) == len(vouchers)
        statuses = {v["status"] for v in vouchers}
        assert {"ready", "printed", "expired"} <= statuses
        with store.transaction() as db:
            rows = {r["vid"]: r for r in db.execute("SELECT * FROM vouchers").fetchall()}
        for voucher in vouchers:
            assert re.fullmatch(r"[0-9]{6}", str(voucher["pin"]))
            assert re.fullmatch(r"[0-9]{4}\*{8}[0-9]{4}", str(voucher["holder_nik_masked"]))
            token = str(voucher["token"])
            row = rows[str(voucher["vid"])]
            assert row["holder_nik"] not in token and row["subject_nik"] not in token
            if voucher["status"] != "expired":
                # the kiosk's own config accepts it, on the day the vouchers were seeded
                payload = verify_token(token, keys, now=datetime.fromtimestamp(NOW, UTC))
                assert payload.vid == voucher["vid"]
            envelope = json.loads(row["envelope"])
            assert envelope["document_id"] == document_id_for(str(voucher["vid"]))
            claim = verify_document_claim(envelope["verification_qr"], keys)
            # the name the paper bears: the child's on a child's KIA or akta
            assert claim.holder_masked == (row["subject_masked"] or row["holder_masked"])
            assert row["holder_nik"] not in envelope["verification_qr"]
    finally:
        store.close()


def test_a_voucher_commits_at_most_once_even_in_sql(tmp_path: Path) -> None:
    store = _seeded(tmp_path / "r.sqlite")
    vid = str(_vouchers(store)[0]["vid"])
    try:
        insert = (
            "INSERT INTO reservations (rid, vid, kiosk_id, idempotency_key, created_at, "
            "lease_expires, status) VALUES (?, ?, 'K', ?, 0, 0, 'committed')"
        )

        def commit_twice() -> None:
            with store.transaction() as db:
                db.execute(insert, ("R1", vid, "R1"))
                db.execute(insert, ("R2", vid, "R2"))

        with pytest.raises(sqlite3.IntegrityError):
            commit_twice()
        with store.transaction() as db:  # rolled back: nothing half-written
            assert db.execute("SELECT COUNT(*) FROM reservations").fetchone()[0] == 0
    finally:
        store.close()


def test_proofs_are_bound_and_expire() -> None:
    maker = ProofMaker(b"0123456789abcdef", valid_seconds=300)
    proof = maker.mint("K1", "V1", NOW)
    maker.check(proof, kiosk_id="K1", vid="V1", now=NOW + 299)
    for kiosk, vid, now in [("K2", "V1", NOW), ("K1", "V2", NOW), ("K1", "V1", NOW + 301)]:
        with pytest.raises(ProofError):
            maker.check(proof, kiosk_id=kiosk, vid=vid, now=now)
    with pytest.raises(ProofError, match="forged"):
        ProofMaker(b"another-secret-16").check(proof, kiosk_id="K1", vid="V1", now=NOW)
    for junk in ("", "VP1", "VP1.a.b.c", "VP1.!!.??", "XX1.eyJ9.AAAA"):
        with pytest.raises(ProofError):
            maker.check(junk, kiosk_id="K1", vid="V1", now=NOW)
    with pytest.raises(ValueError, match="16 bytes"):
        ProofMaker(b"short")


def test_knobs_validate_and_rate_limit() -> None:
    knobs = Knobs(KnobValues(rate_limit_per_s=1.0, rate_limit_burst=2))
    with pytest.raises(ValueError, match="error_rate"):
        knobs.update(error_rate=1.5)
    with pytest.raises(ValueError, match="lease_seconds"):
        KnobValues(lease_seconds=0)
    assert knobs.take_token("K1") == 0.0
    assert knobs.take_token("K1") == 0.0
    wait = knobs.take_token("K1")
    assert 0.5 < wait <= 1.0
    assert knobs.take_token("K2") == 0.0  # buckets are per kiosk
    before = time.time()
    knobs.update(clock_offset_s=3600)
    assert knobs.now() >= before + 3600
