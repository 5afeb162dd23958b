"""The kiosk's bearer key never reaches a log line, an error text or a repr."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.config.models import RegistrySettings
from kiosk.registry import RegistryClient, RegistryError
from kiosk.registry_sim.server import RunningSimulator

KEY = "test-kiosk-key-1"  # the conftest's kiosk key


def test_key_never_logged(
    sim: RunningSimulator,
    make_client: Callable[..., RegistryClient],
    pick: Callable[..., list[dict[str, Any]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(sim.url, timeout_ms=800)
    voucher = pick("ready")[0]
    errors: list[RegistryError] = []
    client.health()
    verified = client.verify_voucher(voucher["token"], voucher["pin"])
    lease = client.reserve(verified.vid, verified.verification, "log-test-key-1")
    client.release(lease.rid, reason="printer jam", idempotency_key="log-test-key-2")
    client.heartbeat({"ok": True})
    for call in (
        lambda: make_client(sim.url, key="wrong-key").health(),  # health needs no key
        lambda: make_client(sim.url, key=KEY + "x").verify_voucher(voucher["token"], "000000"),
        lambda: client.verify_voucher(voucher["token"], f"{(int(voucher['pin']) + 1) % 10**6:06d}"),
    ):
        try:
            call()
        except RegistryError as exc:
            errors.append(exc)
    sim.set_latency(2000)
    try:
        client.health()
    except RegistryError as exc:
        errors.append(exc)
    assert len(errors) == 3
    assert caplog.records, "nothing was logged: the test would prove nothing"
    assert any(r.name.startswith(("httpx", "httpcore")) for r in caplog.records)
    assert KEY not in caplog.text
    for error in errors:
        assert KEY not in str(error) and KEY not in repr(error)
    assert KEY not in repr(client)


def test_key_file_is_read_and_checked(
    tmp_path: Path, sim: RunningSimulator, pick: Callable[..., list[dict[str, Any]]]
) -> None:
    key_file = tmp_path / "kiosk.key"
    key_file.write_text(KEY + "\n")
    settings = RegistrySettings(url=sim.url, kiosk_id="KIOSK-T1", key_file=key_file)
    voucher = pick("ready")[0]
    with RegistryClient(settings) as client:
        assert client.verify_voucher(voucher["token"], voucher["pin"]).vid == voucher["vid"]
    key_file.write_text("two words\n")
    with pytest.raises(ValueError, match="printable") as info:
        RegistryClient(settings)
    assert "two words" not in str(info.value)
    missing = settings.model_copy(update={"key_file": tmp_path / "missing.key"})
    with pytest.raises(ValueError, match="cannot read"):
        RegistryClient(missing)


def test_refused_arguments_never_carry_their_values(client: RegistryClient) -> None:
    """A PIN or NIK refused before sending must not ride along in the error or its cause."""
    calls = [
        lambda: client.verify_voucher("ADM1.x.y", "98765x"),
        lambda: client.identify("3201019876543210999", "123456"),
    ]
    for call in calls:
        with pytest.raises(RegistryError) as info:
            call()
        text = f"{info.value!s} {info.value!r} {info.value.__cause__!r} {info.value.__context__!r}"
        assert "98765" not in text
        assert info.value.__cause__ is None and info.value.__context__ is None
    with pytest.raises(RegistryError):
        client.heartbeat({"not": object()})
