"""/metrics over HTTPS with client certificates: a Prometheus with a certificate from the
configured CA scrapes; a client without one, or with one from another CA, is refused; a
connection that never finishes its handshake does not stop the others."""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

import httpx
import pytest
from fakes.pki import Authority

from kiosk.config.models import TelemetrySettings
from kiosk.telemetry.metrics import KioskMetrics, MetricsTls


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pki")
    ours, theirs = Authority(folder, "scrapers"), Authority(folder, "strangers")
    server, server_key = ours.issue("kiosk-metrics", server=True)
    client, client_key = ours.issue("prometheus")
    stranger, stranger_key = theirs.issue("prometheus-elsewhere")
    return {
        "ca": ours.pem,
        "server": server,
        "server_key": server_key,
        "client": client,
        "client_key": client_key,
        "stranger": stranger,
        "stranger_key": stranger_key,
    }


def client_context(pki: dict[str, Path], cert: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(pki["ca"]))
    if cert is not None:
        context.load_cert_chain(str(pki[cert]), str(pki[f"{cert}_key"]))
    return context


def test_scrape_over_mtls_and_refusals(pki: dict[str, Path]) -> None:
    metrics = KioskMetrics(identity={"version": "1.0", "kiosk": "K-1", "office": "Kantor"})
    port = metrics.serve("127.0.0.1", 0, MetricsTls(pki["server"], pki["server_key"], pki["ca"]))
    url = f"https://127.0.0.1:{port}/metrics"
    stalled = socket.create_connection(("127.0.0.1", port))  # connects, never says hello
    try:
        ok = httpx.get(url, verify=client_context(pki, "client"), timeout=5)
        assert ok.status_code == 200
        assert 'kiosk_info{kiosk="K-1",office="Kantor",version="1.0"} 1.0' in ok.text
        for cert in (None, "stranger"):
            with pytest.raises((httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)):
                httpx.get(url, verify=client_context(pki, cert), timeout=5)
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):  # plain HTTP to TLS
            httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    finally:
        stalled.close()
        metrics.stop()


def test_plain_loopback_stays_the_default_and_remote_needs_mtls(pki: dict[str, Path]) -> None:
    default = TelemetrySettings()
    assert default.metrics_host == "127.0.0.1" and default.metrics_tls_cert is None
    with pytest.raises(ValueError, match="client certificates"):
        TelemetrySettings(metrics_host="0.0.0.0")
    with pytest.raises(ValueError, match="client certificates"):
        TelemetrySettings(
            metrics_host="10.1.2.3",
            metrics_tls_cert=pki["server"],
            metrics_tls_key=pki["server_key"],
        )
    remote = TelemetrySettings(
        metrics_host="0.0.0.0",
        metrics_tls_cert=pki["server"],
        metrics_tls_key=pki["server_key"],
        metrics_client_ca=pki["ca"],
    )
    assert remote.metrics_client_ca == pki["ca"]
