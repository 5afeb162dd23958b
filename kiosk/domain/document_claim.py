"""The verification QR printed on a document: ``ADMDOC1.<b64url(JSON)>.<b64url(Ed25519 sig)>``.

The claim lets anyone holding the paper check, offline, that the registry issued a document
with this id, type and issue date to a holder whose masked name matches. It carries no full
NIK and no full name (the paper may be photocopied and the QR read by anyone), and it stays
at most :data:`MAX_CLAIM_BYTES` so that a small QR code holds it.

Verification mirrors :mod:`kiosk.domain.voucher`: size and charset, strict base64url, the
signature over the payload bytes before any JSON parsing, then ``kid``, ``v`` and the schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.domain.documents import DocumentType
from kiosk.domain.signed import SignedTokenError, VoucherErrorCode, open_compact, sign_compact

PREFIX = "ADMDOC1"
MAX_CLAIM_BYTES = 300
_DOCUMENT_ID = re.compile(r"[A-Za-z0-9_\-]{1,24}")
_KID = re.compile(r"[A-Za-z0-9_\-.]{1,16}")
# A masked name: initials and asterisks, spaces, and the few punctuation marks names carry.
# With these field limits every valid claim fits in MAX_CLAIM_BYTES (a test checks the worst case).
_MASKED = re.compile(r"[A-Z0-9*' .\-]{1,32}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FIELDS = frozenset({"v", "did", "doc", "iss", "hm", "kid"})


class DocumentClaimError(SignedTokenError):
    """A verification QR that must not be trusted; ``code`` uses the voucher's error codes."""


@dataclass(frozen=True, slots=True)
class DocumentClaim:
    document_id: str
    doc: DocumentType
    issued_on: date
    holder_masked: str
    kid: str
    v: int = 1

    def to_json_bytes(self) -> bytes:
        body = {
            "v": self.v,
            "did": self.document_id,
            "doc": self.doc.value,
            "iss": self.issued_on.isoformat(),
            "hm": self.holder_masked,
            "kid": self.kid,
        }
        return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()


def mask_name(name: str) -> str:
    """``"BUDI SANTOSO"`` -> ``"B*** S******"``: each word keeps its first letter only.

    At most 32 characters; non-ASCII letters become ``*`` too."""
    words = [w for w in re.split(r"\s+", name.strip().upper()) if w]
    masked = " ".join(w[0] + "*" * (len(w) - 1) for w in words)
    masked = "".join(c if c.isascii() and (c.isalnum() or c in "*' .-") else "*" for c in masked)
    return masked[:32].rstrip() or "*"


def mint_document_claim(claim: DocumentClaim, private_key: Ed25519PrivateKey) -> str:
    """Sign a claim; raises ``ValueError`` if it breaks the format's own limits."""
    _check_fields(claim.document_id, claim.holder_masked, claim.kid)
    text = sign_compact(PREFIX, claim.to_json_bytes(), private_key)
    if len(text) > MAX_CLAIM_BYTES:
        raise ValueError(f"claim is {len(text)} bytes, more than {MAX_CLAIM_BYTES}")
    return text


def _check_fields(document_id: str, holder_masked: str, kid: str) -> None:
    if not _DOCUMENT_ID.fullmatch(document_id):
        raise ValueError("document id must be 1-24 characters of [A-Za-z0-9_-]")
    if not _MASKED.fullmatch(holder_masked):
        raise ValueError("holder_masked must be a masked name")
    if not _KID.fullmatch(kid):
        raise ValueError("kid has the wrong form")


def _malformed(detail: str) -> DocumentClaimError:
    return DocumentClaimError(VoucherErrorCode.MALFORMED, detail)


def verify_document_claim(text: str, keys: Mapping[str, Ed25519PublicKey]) -> DocumentClaim:
    """Check a scanned document QR offline; return the claim or raise DocumentClaimError."""
    data, verified_kid = open_compact(
        text, prefix=PREFIX, max_bytes=MAX_CLAIM_BYTES, keys=keys, error=DocumentClaimError
    )
    if set(data) != _FIELDS:
        raise _malformed("payload fields are not v, did, doc, iss, hm, kid")
    did, doc, iss, hm = data["did"], data["doc"], data["iss"], data["hm"]
    if not all(isinstance(v, str) for v in (did, doc, iss, hm)):
        raise _malformed("did, doc, iss and hm must be text")
    try:
        _check_fields(did, hm, verified_kid)
    except ValueError as exc:
        raise _malformed(str(exc)) from None
    try:
        doc_type = DocumentType(doc)
    except ValueError:
        raise _malformed("unknown document type") from None
    if not _ISO_DATE.fullmatch(iss):
        raise _malformed("iss must be YYYY-MM-DD")
    try:
        issued_on = date.fromisoformat(iss)
    except ValueError:
        raise _malformed("iss is not a real date") from None
    return DocumentClaim(
        document_id=did, doc=doc_type, issued_on=issued_on, holder_masked=hm, kid=verified_kid
    )
