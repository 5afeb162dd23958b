"""Client <-> simulator over real HTTP: every call, and every error code, as typed results."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.domain.document_claim import verify_document_claim
from kiosk.domain.documents import DocumentType
from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key
from kiosk.domain.voucher import VoucherPayload, mint_token
from kiosk.registry import (
    AlreadyPrinted,
    Expired,
    InvalidRequest,
    InvalidToken,
    Locked,
    NotFound,
    ProofRejected,
    RegistryClient,
    ReservedElsewhere,
    Unauthorized,
    Verified,
    WrongPin,
)
from kiosk.registry_sim.seeding import document_id_for
from kiosk.registry_sim.server import RunningSimulator

Pick = Callable[..., list[dict[str, Any]]]
SHA = "ab" * 32


def _token(
    vid: str,
    doc: str = "kk",
    *,
    key: Ed25519PrivateKey | None = None,
    kid: str = SIM_KID,
    exp_days: float = 3.0,
    iat_days: float = -1.0,
) -> str:
    now = datetime.now(UTC).replace(microsecond=0)
    payload = VoucherPayload(
        vid=vid,
        doc=DocumentType(doc),
        iat=now + timedelta(days=iat_days),
        exp=now + timedelta(days=exp_days),
        kid=kid,
    )
    return mint_token(payload, key or sim_voucher_private_key())


def _wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 1_000_000:06d}"


def test_health_measures_server_time_and_skew(
    client: RegistryClient, sim: RunningSimulator
) -> None:
    health = client.health()
    assert health.server_time.tzinfo is not None
    assert abs(health.clock_skew_s) < 2
    assert health.latency_ms > 0
    sim.advance_clock(30)
    assert 28 < client.health().clock_skew_s < 32


def test_verify_returns_summary_and_proof(client: RegistryClient, pick: Pick) -> None:
    voucher = pick("ready")[0]
    verified = client.verify_voucher(voucher["token"], voucher["pin"])
    assert isinstance(verified, Verified)
    assert (verified.vid, verified.doc.value) == (voucher["vid"], voucher["doc"])
    assert "*" in verified.holder_masked
    assert verified.expires > datetime.now(UTC)
    assert verified.verification.startswith("VP1.")


@pytest.mark.parametrize(
    "make_token",
    [
        lambda vid: _token(vid, key=Ed25519PrivateKey.generate()),  # forged: wrong key
        lambda vid: _token(vid, key=Ed25519PrivateKey.generate(), kid="other-1"),  # unknown key
        lambda vid: _token(vid) + "A" * 600,  # oversized
        lambda vid: "ADM1.not-a-token.at-all",  # malformed
        lambda vid: _token(vid, iat_days=2),  # not yet valid
    ],
    ids=["forged", "unknown-key", "oversized", "malformed", "not-yet-valid"],
)
def test_bad_tokens_are_invalid_token(
    client: RegistryClient, pick: Pick, make_token: Callable[[str], str]
) -> None:
    voucher = pick("ready")[0]
    with pytest.raises(InvalidToken) as info:
        client.verify_voucher(make_token(voucher["vid"]), voucher["pin"])
    assert info.value.code == "invalid_token"


def test_token_for_another_document_type_is_invalid(client: RegistryClient, pick: Pick) -> None:
    voucher = pick("ready")[0]
    other = next(d.value for d in DocumentType if d.value != voucher["doc"])
    with pytest.raises(InvalidToken):
        client.verify_voucher(_token(voucher["vid"], other), voucher["pin"])


def test_unknown_voucher_is_not_found(client: RegistryClient) -> None:
    with pytest.raises(NotFound):
        client.verify_voucher(_token("V000000000000"), "123456")


def test_expired_voucher(client: RegistryClient, pick: Pick) -> None:
    voucher = pick("ready")[0]
    expired = _token(voucher["vid"], voucher["doc"], iat_days=-30, exp_days=-1)
    with pytest.raises(Expired):
        client.verify_voucher(expired, voucher["pin"])


def test_pin_form_is_refused_before_sending(client: RegistryClient, pick: Pick) -> None:
    voucher = pick("ready")[0]
    with pytest.raises(InvalidRequest):
        client.verify_voucher(voucher["token"], "12a456")
    assert client.verify_voucher(voucher["token"], voucher["pin"])  # nothing was counted


def test_wrong_pin_counts_down_to_lock(
    client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    voucher = pick("ready")[0]
    for left in (2, 1):
        with pytest.raises(WrongPin) as info:
            client.verify_voucher(voucher["token"], _wrong(voucher["pin"]))
        assert info.value.attempts_left == left
    with pytest.raises(Locked) as locked:
        client.verify_voucher(voucher["token"], _wrong(voucher["pin"]))
    assert locked.value.until > datetime.now(UTC) + timedelta(minutes=10)
    with pytest.raises(Locked):  # even the right PIN, while locked
        client.verify_voucher(voucher["token"], voucher["pin"])
    assert sim.voucher_state(voucher["vid"])["status"] == "locked"
    sim.advance_clock(16 * 60)
    assert client.verify_voucher(voucher["token"], voucher["pin"]).vid == voucher["vid"]


def test_right_pin_resets_the_count(client: RegistryClient, pick: Pick) -> None:
    voucher = pick("ready")[0]
    for _ in range(2):
        with pytest.raises(WrongPin):
            client.verify_voucher(voucher["token"], _wrong(voucher["pin"]))
    client.verify_voucher(voucher["token"], voucher["pin"])
    with pytest.raises(WrongPin) as info:
        client.verify_voucher(voucher["token"], _wrong(voucher["pin"]))
    assert info.value.attempts_left == 2


def test_identify_lists_ready_vouchers_with_proofs(client: RegistryClient, pick: Pick) -> None:
    voucher = pick("ready")[0]
    found = client.identify(voucher["holder_nik"], voucher["pin"])
    assert voucher["vid"] in {v.vid for v in found}
    chosen = next(v for v in found if v.vid == voucher["vid"])
    assert client.reserve(chosen.vid, chosen.verification, "identify-key-1").vid == chosen.vid


def test_identify_lists_every_ready_document_of_the_citizen(
    client: RegistryClient, pick: Pick
) -> None:
    # One PIN per citizen: a parent's KK and the children's KIA and akta come back together,
    # each naming whom it is about when that is not the parent.
    by_holder: dict[str, list[dict[str, Any]]] = {}
    for voucher in pick("ready"):
        by_holder.setdefault(voucher["holder_nik"], []).append(voucher)
    holder, vouchers = max(by_holder.items(), key=lambda item: len(item[1]))
    assert len(vouchers) > 1
    assert len({v["pin"] for v in vouchers}) == 1
    found = client.identify(holder, vouchers[0]["pin"])
    assert {v.vid for v in found} == {v["vid"] for v in vouchers}
    about_others = [v for v in found if v.subject_masked is not None]
    assert about_others, "a family's holder holds documents about the others"
    for verified in about_others:
        assert verified.subject_masked != verified.holder_masked
        assert "*" in verified.subject_masked


def test_identify_wrong_pin_and_lock(client: RegistryClient, pick: Pick) -> None:
    voucher = pick("ready")[0]
    wrong = _wrong(voucher["pin"])
    holder_pins = {v["pin"] for v in pick("ready") if v["holder_nik"] == voucher["holder_nik"]}
    while wrong in holder_pins:
        wrong = _wrong(wrong)
    for left in (2, 1):
        with pytest.raises(WrongPin) as info:
            client.identify(voucher["holder_nik"], wrong)
        assert info.value.attempts_left == left
    with pytest.raises(Locked):
        client.identify(voucher["holder_nik"], wrong)
    with pytest.raises(Locked):
        client.identify(voucher["holder_nik"], voucher["pin"])


def test_identify_unknown_nik_looks_like_a_wrong_pin(client: RegistryClient) -> None:
    with pytest.raises(WrongPin):
        client.identify("3201010101900001", "123456")
    with pytest.raises(InvalidRequest):
        client.identify("32010101019", "123456")  # not 16 digits: refused before sending


def test_reserve_commit_flow(client: RegistryClient, pick: Pick, sim: RunningSimulator) -> None:
    voucher = pick("ready")[0]
    verified = client.verify_voucher(voucher["token"], voucher["pin"])
    reservation = client.reserve(verified.vid, verified.verification, "reserve-key-1")
    assert reservation.vid == voucher["vid"]
    assert reservation.lease_expires > datetime.now(UTC) + timedelta(seconds=100)
    document = reservation.document
    assert document["document_id"] == document_id_for(voucher["vid"])
    assert document["type"] == voucher["doc"]
    claim = verify_document_claim(
        document["verification_qr"], {SIM_KID: sim_voucher_private_key().public_key()}
    )
    assert claim.document_id == document["document_id"]
    assert sim.voucher_state(voucher["vid"])["status"] == "reserved"
    client.commit(
        reservation.rid, pdf_sha256=SHA, pages=2, printer="sim-a4", idempotency_key="commit-key-1"
    )
    client.commit(
        reservation.rid, pdf_sha256=SHA, pages=2, printer="sim-a4", idempotency_key="commit-key-1"
    )  # idempotent
    state = sim.voucher_state(voucher["vid"])
    assert state["status"] == "printed"
    assert [h["event"] for h in state["history"]][-3:] == ["verified", "reserved", "committed"]
    with pytest.raises(AlreadyPrinted):  # a voucher commits at most once, ever
        client.commit(
            reservation.rid,
            pdf_sha256="cd" * 32,
            pages=2,
            printer="sim-a4",
            idempotency_key="commit-key-2",
        )
    with pytest.raises(AlreadyPrinted):
        client.verify_voucher(voucher["token"], voucher["pin"])
    with pytest.raises(AlreadyPrinted):
        client.reserve(verified.vid, verified.verification, "reserve-key-2")
    with pytest.raises(AlreadyPrinted):
        client.release(reservation.rid, reason="too late", idempotency_key="release-key-1")


def test_reserve_is_idempotent_per_key(
    client: RegistryClient, other_client: RegistryClient, pick: Pick
) -> None:
    first, second = pick("ready")[:2]
    verified = client.verify_voucher(first["token"], first["pin"])
    one = client.reserve(verified.vid, verified.verification, "same-key-123")
    again = client.reserve(verified.vid, verified.verification, "same-key-123")
    assert (again.rid, again.lease_expires) == (one.rid, one.lease_expires)
    with pytest.raises(ReservedElsewhere):  # the same kiosk, another session
        client.reserve(verified.vid, verified.verification, "other-key-456")
    theirs = other_client.verify_voucher(first["token"], first["pin"])
    with pytest.raises(ReservedElsewhere):
        other_client.reserve(theirs.vid, theirs.verification, "their-key-789")
    proof2 = client.verify_voucher(second["token"], second["pin"]).verification
    with pytest.raises(InvalidRequest):  # the key was used for another voucher
        client.reserve(second["vid"], proof2, "same-key-123")


def test_release_makes_the_voucher_ready_again(
    client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    voucher = pick("ready")[0]
    verified = client.verify_voucher(voucher["token"], voucher["pin"])
    reservation = client.reserve(verified.vid, verified.verification, "reserve-key-1")
    client.release(reservation.rid, reason="printer jam", idempotency_key="release-key-1")
    client.release(reservation.rid, reason="printer jam", idempotency_key="release-key-1")
    assert sim.voucher_state(voucher["vid"])["status"] == "ready"
    with pytest.raises(Expired):
        client.commit(
            reservation.rid, pdf_sha256=SHA, pages=1, printer="p", idempotency_key="commit-key-1"
        )
    again = client.reserve(verified.vid, verified.verification, "reserve-key-2")
    assert again.rid != reservation.rid


def test_proofs_are_bound_to_kiosk_voucher_and_time(
    client: RegistryClient, other_client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    first, second = pick("ready")[:2]
    proof = client.verify_voucher(first["token"], first["pin"]).verification
    for vid, verification, who in [
        (first["vid"], "VP1.forged.proof", client),
        (first["vid"], proof[:-2] + ("AA" if proof[-2:] != "AA" else "BB"), client),
        (second["vid"], proof, client),  # proof of another voucher
        (first["vid"], proof, other_client),  # another kiosk's proof
    ]:
        with pytest.raises(ProofRejected):
            who.reserve(vid, verification, "reserve-key-x")
    sim.advance_clock(301)
    with pytest.raises(ProofRejected):  # stale
        client.reserve(first["vid"], proof, "reserve-key-y")


def test_lease_expires_by_itself(
    client: RegistryClient, other_client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    voucher = pick("ready")[0]
    mine = client.verify_voucher(voucher["token"], voucher["pin"])
    lease = client.reserve(mine.vid, mine.verification, "reserve-key-1")
    sim.advance_clock(121)
    state = sim.voucher_state(voucher["vid"])
    assert state["status"] == "ready"
    assert state["history"][-1]["event"] == "lease_expired"
    theirs = other_client.verify_voucher(voucher["token"], voucher["pin"])
    other_client.reserve(theirs.vid, theirs.verification, "their-key-1")
    with pytest.raises(ReservedElsewhere):  # the late commit lost the voucher
        client.commit(lease.rid, pdf_sha256=SHA, pages=1, printer="p", idempotency_key="c-key-01")


def test_late_commit_after_expiry_is_recorded_if_untouched(
    client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    voucher = pick("ready")[0]
    mine = client.verify_voucher(voucher["token"], voucher["pin"])
    lease = client.reserve(mine.vid, mine.verification, "reserve-key-1")
    sim.advance_clock(121)
    client.commit(lease.rid, pdf_sha256=SHA, pages=1, printer="p", idempotency_key="c-key-01")
    events = [h["event"] for h in sim.voucher_state(voucher["vid"])["history"]]
    assert events[-3:] == ["lease_expired", "late_commit", "committed"]


def test_lease_expiry_in_real_time(
    client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    sim.set_lease_seconds(0.2)
    voucher = pick("ready")[0]
    verified = client.verify_voucher(voucher["token"], voucher["pin"])
    client.reserve(verified.vid, verified.verification, "reserve-key-1")
    deadline = datetime.now(UTC) + timedelta(seconds=5)
    while sim.voucher_state(voucher["vid"])["status"] != "ready":
        assert datetime.now(UTC) < deadline, "the lease never expired"
    assert client.reserve(verified.vid, verified.verification, "reserve-key-2")


def test_commit_and_release_of_unknown_or_foreign_reservations(
    client: RegistryClient, other_client: RegistryClient, pick: Pick
) -> None:
    with pytest.raises(NotFound):
        client.commit(
            "RNOSUCHRESERVATION",
            pdf_sha256=SHA,
            pages=1,
            printer="p",
            idempotency_key="commit-key-1",
        )
    voucher = pick("ready")[0]
    verified = client.verify_voucher(voucher["token"], voucher["pin"])
    lease = client.reserve(verified.vid, verified.verification, "reserve-key-1")
    with pytest.raises(NotFound):
        other_client.release(lease.rid, reason="not mine", idempotency_key="release-key-1")


def test_unauthorized(
    sim: RunningSimulator, make_client: Callable[..., RegistryClient], pick: Pick
) -> None:
    voucher = pick("ready")[0]
    for kiosk_id, key in [("KIOSK-T1", "wrong-key"), ("KIOSK-NOBODY", "test-kiosk-key-1")]:
        with pytest.raises(Unauthorized):
            make_client(sim.url, kiosk_id, key).verify_voucher(voucher["token"], voucher["pin"])


def test_heartbeat(client: RegistryClient, sim: RunningSimulator) -> None:
    client.heartbeat({"devices": {"receipt": "idle"}, "counters": {"printed": 3}})
    answer = httpx.post(
        f"{sim.url}/v1/kiosks/KIOSK-T2/heartbeat",
        json={},
        headers={"Authorization": "Bearer test-kiosk-key-1", "X-Kiosk-Id": "KIOSK-T1"},
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthorized"


def test_openapi_describes_the_contract(sim: RunningSimulator) -> None:
    spec = httpx.get(f"{sim.url}/openapi.json").json()
    assert {
        "/v1/health",
        "/v1/vouchers/verify",
        "/v1/identify",
        "/v1/vouchers/{vid}/reserve",
        "/v1/reservations/{rid}/commit",
        "/v1/reservations/{rid}/release",
        "/v1/kiosks/{kiosk_id}/heartbeat",
    } <= set(spec["paths"])
    assert "ErrorResponse" in spec["components"]["schemas"]
