"""Random damage to an envelope: either DocumentDataError or a rendered PDF, nothing else."""

from __future__ import annotations

from typing import Any

from document_envelopes import envelope
from fuzz.tree_paths import tree_paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from printing.documents import DocumentDataError, render
from printing.documents.types import DocumentType

TOP_LEVEL = {
    "",
    "type",
    "document_id",
    "issued_on",
    "issued_place",
    "official",
    "verification_qr",
    "data",
}
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True)
    | st.text(max_size=600),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.sampled_from(list(DocumentType)),
    choice=st.integers(min_value=0, max_value=10_000),
    value=JSON_VALUES,
    drop=st.booleans(),
)
def test_damaged_envelopes_fail_cleanly_or_render(
    doc: DocumentType, choice: int, value: Any, drop: bool
) -> None:
    env = envelope(doc, members=3)
    paths = tree_paths(env)
    path = paths[choice % len(paths)]
    node: Any = env
    for part in path[:-1]:
        node = node[part]
    if drop and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value
    outcome: DocumentDataError | bytes
    try:
        outcome = render(env).pdf
    except DocumentDataError as error:
        outcome = error
    if isinstance(outcome, DocumentDataError):
        assert outcome.path.split(".")[0] in TOP_LEVEL
        assert outcome.message
    else:
        assert outcome.startswith(b"%PDF-")
