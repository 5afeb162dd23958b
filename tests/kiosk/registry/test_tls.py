"""TLS is verified against the configured CA, mTLS presents the client certificate, and the
environment cannot switch either off. Certificates are made here, for 127.0.0.1 only."""

from __future__ import annotations

import datetime as dt
import ipaddress
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from fakes.openssl_clock import openssl_now

from kiosk.config.models import RegistrySettings
from kiosk.registry import RegistryClient, Unavailable
from kiosk.registry_sim.server import RunningSimulator, TlsFiles, start_in_thread

KIOSKS = {"KIOSK-TLS": "tls-kiosk-key-1"}


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write(
    path: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate
) -> tuple[Path, Path]:
    key_path, cert_path = path.with_suffix(".key"), path.with_suffix(".pem")
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def _cert(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: ec.EllipticCurvePrivateKey,
    *,
    ca: bool = False,
    server: bool = False,
) -> x509.Certificate:
    now = openssl_now()  # OpenSSL checks the dates, by its clock
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    elif not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    where = tmp_path_factory.mktemp("pki")
    ca_key, server_key, client_key = _key(), _key(), _key()
    ca = _cert("Test Registry CA", ca_key, None, ca_key, ca=True)
    ca_pem, _ = _write(where / "ca", ca_key, ca)
    server_pem, server_key_path = _write(
        where / "server", server_key, _cert("127.0.0.1", server_key, ca, ca_key, server=True)
    )
    client_pem, client_key_path = _write(
        where / "client", client_key, _cert("KIOSK-TLS", client_key, ca, ca_key)
    )
    return {
        "ca": ca_pem,
        "server": server_pem,
        "server_key": server_key_path,
        "client": client_pem,
        "client_key": client_key_path,
    }


def _start(tmp_path: Path, pki: dict[str, Path], *, mtls: bool) -> RunningSimulator:
    tls = TlsFiles(pki["server"], pki["server_key"], pki["ca"] if mtls else None)
    return start_in_thread(
        db_path=tmp_path / "r.sqlite", seed=3, families=1, kiosks=KIOSKS, tls=tls
    )


@pytest.fixture
def no_leaks() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while {t for t in threading.enumerate() if t not in before and t.is_alive()}:
        assert time.monotonic() < deadline, "leaked threads"
        time.sleep(0.01)


def _client(url: str, **fields: Any) -> RegistryClient:
    settings = RegistrySettings(
        url=url,
        kiosk_id="KIOSK-TLS",
        key_file=Path("/unused"),
        timeout_ms=3000,
        retries=0,
        **fields,
    )
    return RegistryClient(settings, key="tls-kiosk-key-1")


def test_tls_verified_against_the_configured_ca(
    tmp_path: Path, pki: dict[str, Path], no_leaks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = _start(tmp_path, pki, mtls=False)
    try:
        assert sim.url.startswith("https://127.0.0.1:")
        with _client(sim.url, ca_file=pki["ca"]) as client:
            assert client.health()
        with _client(sim.url) as client, pytest.raises(Unavailable):  # public CAs: refused
            client.health()
        # The environment cannot make the client trust another bundle or skip verification.
        monkeypatch.setenv("SSL_CERT_FILE", str(pki["ca"]))
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki["ca"]))
        monkeypatch.setenv("PYTHONHTTPSVERIFY", "0")
        with _client(sim.url) as client, pytest.raises(Unavailable):
            client.health()
    finally:
        sim.stop()


def test_mtls_presents_the_client_certificate(
    tmp_path: Path, pki: dict[str, Path], no_leaks: None
) -> None:
    sim = _start(tmp_path, pki, mtls=True)
    try:
        voucher = next(v for v in sim.list_vouchers() if v["status"] == "ready")
        with _client(
            sim.url, ca_file=pki["ca"], client_cert=pki["client"], client_key=pki["client_key"]
        ) as client:
            assert client.verify_voucher(voucher["token"], voucher["pin"]).vid == voucher["vid"]
        with _client(sim.url, ca_file=pki["ca"]) as client, pytest.raises(Unavailable):
            client.health()  # no client certificate: the handshake fails
    finally:
        sim.stop()
