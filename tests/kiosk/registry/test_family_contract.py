"""The family fields of the registry contract, client <-> simulator over real HTTP.

A PIN belongs to a citizen: verifying one voucher also hands out the holder's other ready
vouchers (``others``), each with its own proof, and each answer says whom a document is about
in a minimal way (relation in the family, birth year). ``identify`` names the citizen by a
voucher token as well as by NIK, so a family's later documents can be verified again after
the scanned voucher was printed.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kiosk.registry import InvalidToken, RegistryClient, WrongPin
from kiosk.registry.models import IdentifyRequest, VerifyResponse
from kiosk.registry_sim.server import RunningSimulator
from tests.kiosk.registry.conftest import KIOSK_ID, KIOSK_KEY
from tests.kiosk.registry.test_contract import SHA, Pick, _token, _wrong

RELATIONS = {"KEPALA KELUARGA", "ISTRI", "SUAMI", "ANAK", "ORANG TUA", "FAMILI LAIN"}


def _family(pick: Pick) -> list[dict[str, Any]]:
    by_holder: dict[str, list[dict[str, Any]]] = {}
    for voucher in pick("ready"):
        by_holder.setdefault(voucher["holder_nik"], []).append(voucher)
    return max(by_holder.values(), key=len)


def test_verify_hands_out_the_holders_other_ready_vouchers_with_their_own_proofs(
    client: RegistryClient, pick: Pick
) -> None:
    family = _family(pick)
    assert len(family) >= 3
    first = family[0]
    verified = client.verify_voucher(first["token"], first["pin"])
    assert isinstance(verified, VerifyResponse)
    assert {v.vid for v in verified.others} == {v["vid"] for v in family[1:]}
    assert len({v.verification for v in verified.others} | {verified.verification}) == len(family)
    for answer in (verified, *verified.others):
        assert answer.relation in RELATIONS
        assert answer.birth_year is not None and 1900 < answer.birth_year < 2100
    other = verified.others[-1]
    reservation = client.reserve(other.vid, other.verification, "family-key-1")
    assert reservation.vid == other.vid


def test_identify_by_a_printed_vouchers_token_lists_what_is_still_ready(
    client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    family = _family(pick)
    first = family[0]
    verified = client.verify_voucher(first["token"], first["pin"])
    reservation = client.reserve(verified.vid, verified.verification, "family-key-2")
    client.commit(
        reservation.rid, pdf_sha256=SHA, pages=1, printer="sim-a4", idempotency_key="family-c-2"
    )
    found = client.identify_holder(first["token"], first["pin"])
    assert {v.vid for v in found} == {v["vid"] for v in family[1:]}  # the printed one is gone
    with pytest.raises(WrongPin):
        client.identify_holder(first["token"], _wrong(first["pin"]))


def test_identify_by_token_refuses_forged_tokens_and_needs_exactly_one_name(
    client: RegistryClient, pick: Pick, sim: RunningSimulator
) -> None:
    voucher = pick("ready")[0]
    forged = _token(voucher["vid"], voucher["doc"])[:-4] + "AAAA"
    with pytest.raises(InvalidToken):
        client.identify_holder(forged, voucher["pin"])
    with pytest.raises(ValueError, match="nik or by token"):
        IdentifyRequest(nik=voucher["holder_nik"], token=voucher["token"], pin=voucher["pin"])
    both = {"nik": voucher["holder_nik"], "token": voucher["token"], "pin": voucher["pin"]}
    headers = {"Authorization": f"Bearer {KIOSK_KEY}", "X-Kiosk-Id": KIOSK_ID}
    answer = httpx.post(f"{sim.url}/v1/identify", json=both, headers=headers, timeout=5)
    assert answer.status_code in (400, 422)
    assert answer.json()["error"]["code"] == "invalid_request"
    assert voucher["holder_nik"] not in answer.text


def test_answers_without_the_family_fields_still_parse() -> None:
    old = {
        "vid": "V1",
        "doc": "kk",
        "holder_masked": "B*** S******",
        "expires": "2026-12-01T00:00:00+00:00",
        "verification": "VP1.a.b",
    }
    parsed = VerifyResponse.model_validate(old)
    assert parsed.others == [] and parsed.relation is None and parsed.birth_year is None
    with pytest.raises(ValueError):  # a relation is a word of capitals, nothing else
        VerifyResponse.model_validate({**old, "relation": "anak<script>"})
