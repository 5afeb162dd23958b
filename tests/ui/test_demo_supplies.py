"""The demo hands out each citizen once: the PIN lock is per citizen, so a scenario that locks
one voucher must not leave the next scenario with a locked holder's other voucher."""

from __future__ import annotations

import pytest

from ui.demo.driver import DemoError
from ui.demo.supplies import VoucherPicker


def _voucher(vid: str, nik: str, doc: str = "kk", pin: str = "135790") -> dict[str, str]:
    return {"vid": vid, "holder_nik": nik, "doc": doc, "pin": pin, "status": "ready"}


def test_each_citizen_is_handed_out_once() -> None:
    picker = VoucherPicker(
        [_voucher("V1", "N1"), _voucher("V2", "N1", "ktp"), _voucher("V3", "N2"),
         _voucher("V4", "N3", "ktp"), _voucher("V5", "N3")]
    )  # fmt: skip
    first = picker.take()
    assert first["vid"] == "V1"
    assert picker.take("ktp")["vid"] == "V4"  # not V2: N1 may be locked by the first scenario
    assert picker.holder_with_shared_pin() == ("N2", "135790")
    with pytest.raises(DemoError):
        picker.take()
