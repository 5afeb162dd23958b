"""Document envelopes as the registry would send them, damaged at the byte level and at scale.

Seeds are the synthetic population's real envelopes (one per document type, as the registry
simulator stores them). The JSON text is mutated, so keys, numbers, escapes and nesting break
in ways a one-field substitution never produces. ``render`` gives a PDF or
:class:`DocumentDataError`, within a time bound, whatever it is handed.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fuzz.byte_mutations import mutations, outcome, peak_rss_growth
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.cli import main as kiosk_main
from kiosk.domain.document_claim import DocumentClaim, mask_name, mint_document_claim
from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key
from kiosk.synthetic import generate_population
from printing.documents import DocumentDataError, DocumentType, RenderedDocument, render

RENDER_BOUND_S = 10.0  # a KK renders in ~20 ms; this is for a loaded machine and odd input


@cache
def seed_envelopes() -> dict[DocumentType, dict[str, Any]]:
    key = sim_voucher_private_key()
    found: dict[DocumentType, dict[str, Any]] = {}
    for ready in generate_population(seed=3, families=12).documents:
        if ready.doc in found:
            continue
        document_id = f"DOC-FUZZ-{len(found):04d}"
        claim = DocumentClaim(document_id, ready.doc, ready.issued_on, mask_name(ready.holder_name),
                              SIM_KID)  # fmt: skip
        found[ready.doc] = ready.envelope(document_id, mint_document_claim(claim, key))
    assert set(found) == set(DocumentType), set(DocumentType) - set(found)
    return found


def _render(envelope: Any) -> RenderedDocument | Exception:
    result = outcome(RENDER_BOUND_S, lambda: render(envelope), DocumentDataError)
    if isinstance(result, DocumentDataError):
        assert result.message and len(str(result)) < 400
    else:
        assert result.pdf.startswith(b"%PDF-") and result.pages >= 1
    return result


def test_every_seed_renders() -> None:
    for doc, envelope in seed_envelopes().items():
        assert isinstance(_render(envelope), RenderedDocument), doc


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=st.sampled_from(list(DocumentType)).flatmap(
        lambda doc: mutations(json.dumps(seed_envelopes()[doc], ensure_ascii=False).encode(), 4)
    )
)
def test_mutated_envelope_json(raw: bytes) -> None:
    try:
        envelope = json.loads(raw)
    except (ValueError, RecursionError):
        return  # the registry client answers BadResponse before anything renders
    _render(envelope)


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def _with(doc: DocumentType, path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    envelope = copy.deepcopy(seed_envelopes()[doc])
    node: Any = envelope
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return envelope


HOSTILE = {
    "deep_name": (DocumentType.KTP, ("data", "name"), _deep(900)),
    "deep_type": (DocumentType.KK, ("type",), _deep(900)),
    "one_mb_name": (DocumentType.KTP, ("data", "name"), "A" * 1_000_000),
    "one_mb_of_combining_marks": (DocumentType.KTP, ("data", "name"), "a" + "\u0301" * 500_000),
    "one_mb_of_controls": (DocumentType.BIODATA, ("data", "name"), "\u202e\u200b\x00" * 300_000),
    "10k_members": (DocumentType.KK, ("data", "members"), [{"name": "x"}] * 10_000),
    "huge_int_rt": (DocumentType.KTP, ("data", "address", "rt"), 10**4000),
    "float_nan_date": (DocumentType.KTP, ("issued_on",), float("nan")),
    "bytes_value": (DocumentType.KTP, ("data", "name"), b"\xff\xfe"),
    "dict_for_text": (DocumentType.KTP, ("data", "name"), {"$gt": ""}),
    "year_0001": (DocumentType.KTP, ("issued_on",), "0001-01-01"),
    "year_9999": (DocumentType.AKTA_KELAHIRAN, ("issued_on",), "9999-12-31"),
    "qr_megabyte": (DocumentType.KTP, ("verification_qr",), "ADMDOC1." + "A" * 1_000_000),
    "qr_with_newlines": (DocumentType.KK, ("verification_qr",), "ADMDOC1.a\n.b"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_envelopes_fail_cleanly_and_cheaply(name: str) -> None:
    doc, path, value = HOSTILE[name]
    result, peak = peak_rss_growth(lambda: _render(_with(doc, path, value)))
    assert isinstance(result, DocumentDataError), (name, result)
    assert peak < 256 * 1024 * 1024, f"{name}: peak {peak / 2**20:.0f} MiB"


def test_unknown_keys_are_ignored_however_deep() -> None:
    """Forward compatible: a newer registry may add fields; nothing walks into them."""
    result, peak = peak_rss_growth(
        lambda: _render(_with(DocumentType.KTP, ("data", "zz"), _deep(900)))
    )
    assert isinstance(result, RenderedDocument)
    assert peak < 256 * 1024 * 1024


@pytest.mark.parametrize("envelope", [None, [], "{}", 7, b"{}", [("type", "kk")]])
def test_non_objects_are_refused(envelope: Any) -> None:
    assert isinstance(_render(envelope), DocumentDataError)


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 999_000,  # under the size cap, far over the recursion limit
        b'{"type": "kk", "data": ' + b'{"a": ' * 200_000 + b"1" + b"}" * 200_001,
        b"\xff\xfe{}",
        b'{"type": "kk"}',
        None,  # /dev/zero: endless
    ],
    ids=["deep_list", "deep_object", "not_utf8", "incomplete", "dev_zero"],
)
def test_render_cli_refuses_hostile_data_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None
) -> None:
    data = Path("/dev/zero")
    if content is not None:
        data = tmp_path / "envelope.json"
        data.write_bytes(content)
    out = tmp_path / "out.pdf"
    argv = ["render", "kk", "--data", str(data), "--out", str(out)]
    code = outcome(10.0, lambda: kiosk_main(argv))
    assert code == 1
    assert "Traceback" not in capsys.readouterr().err
    assert not out.exists()
