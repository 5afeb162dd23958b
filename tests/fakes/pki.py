"""Certificates made in the test, for 127.0.0.1 only: a CA, a server and its clients."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from fakes.openssl_clock import openssl_now

Key = ec.EllipticCurvePrivateKey


class Authority:
    """A CA in ``folder`` that issues server and client certificates as PEM file pairs."""

    def __init__(self, folder: Path, name: str, *, days: int = 1) -> None:
        self.folder = folder
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.cert = self._sign(name, self.key, ca=True, days=days, issuer=None)
        self.pem = folder / f"{name}.ca.pem"
        self.pem.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, name: str, *, server: bool = False, days: int = 1) -> tuple[Path, Path]:
        """``(certificate.pem, key.pem)`` for ``name``: a server on 127.0.0.1, or a client."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = self._sign(name, key, server=server, days=days, issuer=self.cert)
        cert_path, key_path = self.folder / f"{name}.pem", self.folder / f"{name}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return cert_path, key_path

    def _sign(
        self,
        subject: str,
        key: Key,
        *,
        issuer: x509.Certificate | None,
        days: int,
        ca: bool = False,
        server: bool = False,
    ) -> x509.Certificate:
        now = openssl_now()  # OpenSSL checks the dates, by its clock (not time-machine's)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
        builder = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(issuer.subject if issuer else name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if server:
            address = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
            builder = builder.add_extension(
                x509.SubjectAlternativeName([address]), critical=False
            ).add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
        elif not ca:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
            )
        return builder.sign(self.key, hashes.SHA256())
