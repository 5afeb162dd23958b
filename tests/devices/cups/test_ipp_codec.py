"""The IPP message codec: round trips, and hostile bytes raise IppDecodeError only."""

from __future__ import annotations

import contextlib
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.printers.ipp import (
    JOB_GROUP,
    OPERATION_GROUP,
    PRINT_JOB,
    TAG_BEGIN_COLLECTION,
    TAG_BOOLEAN,
    TAG_END_COLLECTION,
    TAG_ENUM,
    TAG_INTEGER,
    TAG_KEYWORD,
    TAG_MEMBER_NAME,
    TAG_NAME,
    IppAttribute,
    IppDecodeError,
    decode_message,
    encode_request,
)


def test_a_request_round_trips() -> None:
    data = encode_request(
        PRINT_JOB,
        [
            (
                OPERATION_GROUP,
                [
                    IppAttribute(TAG_NAME, "job-name", ("ADM-KK-1",)),
                    IppAttribute(TAG_KEYWORD, "requested-attributes", ("job-state", "job-id")),
                ],
            ),
            (
                JOB_GROUP,
                [
                    IppAttribute(TAG_INTEGER, "job-id", (42,)),
                    IppAttribute(TAG_ENUM, "job-state", (9,)),
                    IppAttribute(TAG_BOOLEAN, "flag", (True,)),
                ],
            ),
        ],
        data=b"%PDF-1.4 body",
        request_id=7,
    )
    message = decode_message(data)
    assert (message.version, message.code, message.request_id) == ((2, 0), PRINT_JOB, 7)
    assert message.group(OPERATION_GROUP)["requested-attributes"] == ["job-state", "job-id"]
    assert message.first(JOB_GROUP, "job-id") == 42
    assert message.first(JOB_GROUP, "job-state") == 9
    assert message.first(JOB_GROUP, "flag") is True
    assert message.data == b"%PDF-1.4 body"


def _attr(tag: int, name: bytes, value: bytes) -> bytes:
    return struct.pack(">BH", tag, len(name)) + name + struct.pack(">H", len(value)) + value


def test_collections_are_decoded_as_member_dicts() -> None:
    body = struct.pack(">BBHI", 2, 0, 0, 1) + bytes([JOB_GROUP])
    body += _attr(TAG_BEGIN_COLLECTION, b"media-col", b"")
    body += _attr(TAG_MEMBER_NAME, b"", b"media-size-name")
    body += _attr(TAG_KEYWORD, b"", b"iso_a4_210x297mm")
    body += _attr(TAG_END_COLLECTION, b"", b"")
    body += bytes([0x03])
    message = decode_message(body)
    assert message.first(JOB_GROUP, "media-col") == {"media-size-name": ["iso_a4_210x297mm"]}


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x02\x00\x00",
        struct.pack(">BBHI", 2, 0, 0, 1),  # no end tag
        struct.pack(">BBHI", 2, 0, 0, 1) + b"\x01\x21\x00\x05abc",  # truncated name
        struct.pack(">BBHI", 2, 0, 0, 1) + b"\x01" + _attr(TAG_INTEGER, b"n", b"\x00\x01"),
        struct.pack(">BBHI", 2, 0, 0, 1) + b"\x21\x00\x00\x00\x00\x03",  # value before a group
    ],
)
def test_malformed_messages_raise_the_codec_error(data: bytes) -> None:
    with pytest.raises(IppDecodeError):
        decode_message(data)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise_anything_else(data: bytes) -> None:
    with contextlib.suppress(IppDecodeError):
        decode_message(data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_random_attribute_bodies_never_raise_anything_else(body: bytes) -> None:
    with contextlib.suppress(IppDecodeError):
        decode_message(struct.pack(">BBHI", 2, 0, 0, 1) + b"\x04" + body)
