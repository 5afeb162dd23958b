"""The environment cannot turn TLS verification off, swap the trust store, or add a proxy.

A registry simulator serves HTTPS with a self-signed certificate (made here with the
cryptography package). The kiosk's client refuses it, with every variable that commonly
changes a TLS or HTTP client's trust (SSL_CERT_FILE, SSL_CERT_DIR, REQUESTS_CA_BUNDLE,
CURL_CA_BUNDLE, HTTPX_*, PYTHONHTTPSVERIFY) pointing at that very certificate or saying "off";
it accepts it only when the config names it. Proxy variables point at a listener that must
never see a connection. And a static check: every httpx client in the product is built with
``trust_env=False``, and no module-level httpx call (which trusts the environment) is made.
"""

from __future__ import annotations

import ast
import datetime as dt
import ipaddress
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from fakes.openssl_clock import openssl_now

from kiosk.config.loader import repo_root
from kiosk.config.models import RegistrySettings
from kiosk.registry import RegistryClient, Unavailable
from kiosk.registry_sim.server import RunningSimulator, TlsFiles, start_in_thread

KIOSK_ID, KIOSK_KEY = "KIOSK-TLS-ENV", "tls-env-kiosk-key"
PRODUCT = ("kiosk", "devices", "printing", "ui")


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    where = tmp_path_factory.mktemp("self-signed")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = openssl_now()  # OpenSSL checks the dates, by its clock
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = where / "server.pem", where / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    # An OpenSSL hashed directory holding it, for SSL_CERT_DIR.
    hashed = where / "certs"
    hashed.mkdir()
    subject_hash = _openssl_subject_hash(cert_path)
    (hashed / f"{subject_hash}.0").write_bytes(cert_path.read_bytes())
    return {"cert": cert_path, "key": key_path, "dir": hashed}


def _openssl_subject_hash(cert: Path) -> str:
    import subprocess

    done = subprocess.run(
        ["openssl", "x509", "-noout", "-subject_hash", "-in", str(cert)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def https_sim(
    tmp_path_factory: pytest.TempPathFactory, self_signed: dict[str, Path]
) -> Iterator[RunningSimulator]:
    sim = start_in_thread(
        db_path=tmp_path_factory.mktemp("sim") / "registry.sqlite",
        seed=3,
        families=1,
        kiosks={KIOSK_ID: KIOSK_KEY},
        tls=TlsFiles(self_signed["cert"], self_signed["key"]),
    )
    yield sim
    sim.stop()


@pytest.fixture
def proxy() -> Iterator[list[str]]:
    """A listener standing in for a proxy: it records every connection made to it."""
    seen: list[str] = []
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, peer = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            seen.append(f"{peer[0]}:{peer[1]}")
            conn.close()

    thread = threading.Thread(target=accept, name="fake-proxy", daemon=True)
    thread.start()
    seen.append(f"http://127.0.0.1:{listener.getsockname()[1]}")  # [0] is its own URL
    try:
        yield seen
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def _client(url: str, ca_file: Path | None = None) -> RegistryClient:
    settings = RegistrySettings(
        url=url,
        kiosk_id=KIOSK_ID,
        key_file=Path("/nonexistent"),
        ca_file=ca_file,
        timeout_ms=3000,
        connect_timeout_ms=1000,
        retries=0,
    )
    return RegistryClient(settings, key=KIOSK_KEY)


def _hostile_environment(
    monkeypatch: pytest.MonkeyPatch, self_signed: dict[str, Path], proxy_url: str
) -> None:
    cert, directory = str(self_signed["cert"]), str(self_signed["dir"])
    for name, value in {
        "SSL_CERT_FILE": cert,
        "SSL_CERT_DIR": directory,
        "REQUESTS_CA_BUNDLE": cert,
        "CURL_CA_BUNDLE": cert,
        "HTTPX_SSL_CERT_FILE": cert,
        "HTTPX_VERIFY": "0",
        "HTTPX_SSL_VERIFY": "false",
        "PYTHONHTTPSVERIFY": "0",
        "HTTPS_PROXY": proxy_url,
        "https_proxy": proxy_url,
        "HTTP_PROXY": proxy_url,
        "http_proxy": proxy_url,
        "ALL_PROXY": proxy_url,
        "all_proxy": proxy_url,
        "NO_PROXY": "",
    }.items():
        monkeypatch.setenv(name, value)


def test_positive_control_the_configured_certificate_is_trusted(
    https_sim: RunningSimulator, self_signed: dict[str, Path]
) -> None:
    assert https_sim.url.startswith("https://127.0.0.1:")
    with _client(https_sim.url, ca_file=self_signed["cert"]) as client:
        assert client.health().server_time is not None


def test_self_signed_certificate_is_refused_by_default(https_sim: RunningSimulator) -> None:
    with _client(https_sim.url) as client, pytest.raises(Unavailable):
        client.health()


def test_environment_cannot_make_the_client_trust_it(
    https_sim: RunningSimulator,
    self_signed: dict[str, Path],
    proxy: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _hostile_environment(monkeypatch, self_signed, proxy[0])
    # Positive control: a client that does trust the environment accepts the certificate.
    import httpx

    with httpx.Client(transport=httpx.HTTPTransport(trust_env=True)) as trusting:
        answer = trusting.get(f"{https_sim.url}/v1/health")
    assert answer.status_code == 200, "the environment variables would have worked"
    with _client(https_sim.url) as client:  # built after the environment was set
        with pytest.raises(Unavailable):
            client.health()
        with pytest.raises(Unavailable):
            client.verify_voucher("ADM1.e30.c2ln", "123456")
    assert proxy[1:] == [], "the client connected to the proxy named by the environment"


def test_proxy_variables_do_not_divert_plain_http(
    tmp_path: Path, self_signed: dict[str, Path], proxy: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _hostile_environment(monkeypatch, self_signed, proxy[0])
    sim = start_in_thread(
        db_path=tmp_path / "registry.sqlite", seed=3, families=1, kiosks={KIOSK_ID: KIOSK_KEY}
    )
    try:
        with _client(sim.url) as client:
            assert client.health().latency_ms >= 0
    finally:
        sim.stop()
    assert proxy[1:] == []


def _httpx_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "httpx"
        ):
            yield node


def test_every_product_httpx_client_ignores_the_environment() -> None:
    root = repo_root()
    offenders: list[str] = []
    clients = 0
    for package in PRODUCT:
        for path in (root / package).rglob("*.py"):
            tree = ast.parse(path.read_text("utf-8"))
            for call in _httpx_calls(tree):
                where = f"{path.relative_to(root)}:{call.lineno}"
                name = call.func.attr  # type: ignore[attr-defined]
                if name in ("get", "post", "put", "patch", "delete", "head", "request", "stream"):
                    offenders.append(f"{where}: httpx.{name}() trusts the environment")
                if name in ("Client", "AsyncClient"):
                    clients += 1
                    trust = [k for k in call.keywords if k.arg == "trust_env"]
                    literal_false = (
                        trust
                        and isinstance(trust[0].value, ast.Constant)
                        and trust[0].value.value is False
                    )
                    if not literal_false:
                        offenders.append(f"{where}: httpx.{name}() without trust_env=False")
    assert clients >= 1, "no httpx client found: the check would prove nothing"
    assert offenders == []
