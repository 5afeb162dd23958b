"""Job titles: transaction ids always pass, names and ID numbers never do."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.printers.job_input import check_pdf, check_title, health_check_pdf


@given(st.text(alphabet="0123456789abcdef", min_size=32, max_size=32))
def test_every_transaction_id_title_is_accepted(txid: str) -> None:
    assert check_title(f"ADM-{txid}") == f"ADM-{txid}"


@pytest.mark.parametrize("title", ["ADM-0000000000000000000000000000000", "ADM-TEST-1a2b3c4d"])
def test_ordinary_codes_are_accepted(title: str) -> None:
    assert check_title(title) == title


@pytest.mark.parametrize(
    "title",
    [
        "ADM-3201014508900003",
        "3201014508900003",
        "KK-3201014508900003-x",
        "BUDI SANTOSO",
        "ADM/KK",
        "",
        "A" * 65,
        "ADM-\u00e9",
    ],
)
def test_names_and_id_numbers_are_refused(title: str) -> None:
    with pytest.raises(ValueError, match="title"):
        check_title(title)


def test_pdf_checks_and_the_test_page() -> None:
    page = health_check_pdf("queue docs")
    check_pdf(page)
    assert health_check_pdf("queue docs") == page  # deterministic (invariant) output
    with pytest.raises(ValueError, match="PDF"):
        check_pdf(b"\x89PNG")
