"""The ``/metrics`` endpoint: plain HTTP on loopback by default, or HTTPS with client
certificates (mTLS) so a central Prometheus can scrape the kiosk over the network.

prometheus_client's own ``start_http_server(certfile=..., client_cafile=...)`` wraps the
*listening* socket, so the TLS handshake runs inside ``accept()`` on the one serving thread: a
client that opens a connection and sends nothing stops every scrape until it goes away. Here the
plain socket is accepted, and the handshake runs in that connection's own thread under a
timeout; the exposition itself is still prometheus_client's WSGI app.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, make_wsgi_app

log = logging.getLogger(__name__)

CONNECTION_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class MetricsTls:
    certfile: Path
    keyfile: Path
    client_ca: Path | None = None  # set: a client certificate signed by it is required


def server_context(tls: MetricsTls) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(tls.certfile), str(tls.keyfile))
    if tls.client_ca is not None:
        context.load_verify_locations(cafile=str(tls.client_ca))
        context.verify_mode = ssl.CERT_REQUIRED
    return context


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log (a scrape every 15 s would flood the journal)."""


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    context: ssl.SSLContext | None = None

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """One connection, in its own thread: the TLS handshake too, under a timeout."""
        try:
            request.settimeout(CONNECTION_TIMEOUT_S)
            if self.context is not None:
                request = self.context.wrap_socket(request, server_side=True)
            self.finish_request(request, client_address)
        except (OSError, ssl.SSLError) as exc:
            log.debug("metrics: connection from %s dropped: %s", client_address[0], exc)
        finally:
            self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("metrics: request from %s failed", client_address[0], exc_info=True)


class MetricsServer:
    """Serves ``registry`` on ``host:port`` in a daemon thread until :meth:`stop`."""

    def __init__(
        self,
        registry: CollectorRegistry,
        host: str,
        port: int,
        tls: MetricsTls | None = None,
    ) -> None:
        class Server(_Server):  # per instance: the family and TLS context are class attributes
            address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
            context = server_context(tls) if tls is not None else None

        self._httpd: WSGIServer = make_server(
            host, port, make_wsgi_app(registry), Server, handler_class=_QuietHandler
        )
        self.tls = tls is not None
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="metrics-http", daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._httpd.server_port)

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
