"""Junk answers meet the client's parser: only typed registry errors ever come out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from kiosk.registry import BadResponse, Locked, RateLimited, RegistryError, WrongPin
from kiosk.registry.models import (
    CommitResponse,
    HealthResponse,
    IdentifyResponse,
    ReleaseResponse,
    Reservation,
    Verified,
)
from kiosk.registry.responses import error_for, parse_response

MODELS: list[type[BaseModel]] = [
    HealthResponse,
    Verified,
    IdentifyResponse,
    Reservation,
    CommitResponse,
    ReleaseResponse,
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=6),
    max_leaves=30,
)  # fmt: skip
near_miss = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(["ok", "OK", 1, None]),
        "server_time": st.sampled_from(["2026-11-23T10:00:00+07:00", "2026-11-23", "x", 5]),
        "version": st.text(max_size=40),
        "vid": st.text(max_size=70),
        "rid": st.text(max_size=70),
        "doc": st.sampled_from(["kk", "ktp", "nope", 3]),
        "holder_masked": st.text(max_size=70),
        "expires": st.sampled_from(["2026-11-23T10:00:00Z", "2026-11-23T10:00:00", None]),
        "lease_expires": st.sampled_from(["2026-11-23T10:00:00Z", "later"]),
        "verification": st.text(max_size=40),
        "document": json_values,
        "vouchers": st.lists(json_values, max_size=3),
        "error": json_values,
    },
)
bodies = (
    st.binary(max_size=300)
    | json_values.map(lambda v: json.dumps(v).encode())
    | near_miss.map(lambda v: json.dumps(v).encode())
)


@settings(max_examples=200, deadline=None)
@given(body=bodies, model=st.sampled_from(MODELS))
def test_success_status_gives_model_or_bad_response(body: bytes, model: type[BaseModel]) -> None:
    try:
        result = parse_response(200, {}, body, model)
    except BadResponse:
        return
    assert isinstance(result, model)


statuses = st.sampled_from([201, 204, 301, 400, 401, 403, 404, 409, 410, 413, 418, 422, 423,
                            429, 500, 502, 503, 504]) | st.integers(100, 599)  # fmt: skip
error_bodies = bodies | st.builds(
    lambda code, extra: json.dumps({"error": {"code": code, "message": "m", **extra}}).encode(),
    st.sampled_from(["wrong_pin", "locked", "not_found", "expired", "rate_limited", "??", ""]),
    st.dictionaries(
        st.sampled_from(["attempts_left", "locked_until", "retry_after_s"]),
        st.none() | st.integers(-5, 10**6) | st.floats() | st.text(max_size=30),
        max_size=3,
    ),
)
headers = st.dictionaries(st.sampled_from(["retry-after", "content-type"]), st.text(max_size=20),
                          max_size=2)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(status=statuses, body=error_bodies, head=headers)
def test_any_status_gives_a_typed_error(status: int, body: bytes, head: dict[str, str]) -> None:
    with pytest.raises(RegistryError) as info:
        parse_response(status, head, body, HealthResponse, ok=299)
    error: Any = info.value
    if isinstance(error, WrongPin):
        assert 0 <= error.attempts_left <= 100
    if isinstance(error, Locked):
        assert error.until.tzinfo is not None
    if isinstance(error, RateLimited):
        assert 0 <= error.retry_after_s <= 3600


def test_error_fields_are_required_for_wrong_pin_and_locked() -> None:
    bare = json.dumps({"error": {"code": "wrong_pin", "message": "x"}}).encode()
    assert isinstance(error_for(403, {}, bare), BadResponse)
    bare = json.dumps({"error": {"code": "locked", "message": "x"}}).encode()
    assert isinstance(error_for(423, {}, bare), BadResponse)


def test_server_messages_are_made_log_safe() -> None:
    body = json.dumps({"error": {"code": "not_found", "message": "a\nb\x1b[31m" + "z" * 400}})
    error = error_for(404, {}, body.encode())
    assert "\n" not in error.message
    assert "\x1b" not in error.message
    assert len(error.message) <= 200


def test_bad_response_does_not_carry_the_answer() -> None:
    body = json.dumps({"vid": "V1", "document": {"nik": "3201015508900001"}}).encode()
    with pytest.raises(BadResponse) as info:
        parse_response(200, {}, body, Reservation)
    assert info.value.__context__ is None and info.value.__cause__ is None
    assert "3201015508900001" not in repr(info.value)


@pytest.mark.parametrize("status", [400, 405, 413, 422])
def test_invalid_request_statuses(status: int) -> None:
    body = json.dumps({"error": {"code": "invalid_request", "message": "no"}}).encode()
    error = error_for(status, {}, body)
    assert type(error).__name__ == "InvalidRequest"


@pytest.mark.parametrize(
    ("subject", "accepted"),
    [
        (None, True),
        ("A**** S*****", True),
        ("Ani Susanti", False),  # an unmasked name is refused, not shown
        ("A" * 65, False),
        ("", False),
    ],
)
def test_the_subjects_name_must_come_masked(subject: str | None, accepted: bool) -> None:
    body = {
        "vid": "V0000000001",
        "doc": "kia",
        "holder_masked": "B*** S******",
        "subject_masked": subject,
        "expires": "2026-12-31T00:00:00+07:00",
        "verification": "proof.abc",
    }
    raw = json.dumps(body).encode()
    if accepted:
        assert parse_response(200, {}, raw, Verified).subject_masked == subject
    else:
        with pytest.raises(BadResponse):
            parse_response(200, {}, raw, Verified)
