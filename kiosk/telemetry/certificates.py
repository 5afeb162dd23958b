"""When the kiosk's certificates expire: read from their PEM files, cached by size and mtime."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path

from cryptography import x509

log = logging.getLogger(__name__)


class CertificateExpiry:
    """``read()`` -> {name: notAfter as UNIX seconds} for the files that hold a certificate."""

    def __init__(self, files: Mapping[str, Path]) -> None:
        self.files = dict(files)
        self._cache: dict[str, tuple[tuple[int, int], float | None]] = {}
        self._lock = threading.Lock()

    def read(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, path in self.files.items():
            expiry = self._expiry(name, path)
            if expiry is not None:
                out[name] = expiry
        return out

    def _expiry(self, name: str, path: Path) -> float | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            cached = self._cache.get(name)
        if cached is not None and cached[0] == key:
            return cached[1]
        expiry: float | None = None
        try:
            if stat.st_size <= 1_000_000:
                cert = x509.load_pem_x509_certificate(path.read_bytes())
                expiry = cert.not_valid_after_utc.timestamp()
        except (OSError, ValueError) as exc:
            log.warning("certificate %s (%s) unreadable: %s", name, path, type(exc).__name__)
        with self._lock:
            self._cache[name] = (key, expiry)
        return expiry
