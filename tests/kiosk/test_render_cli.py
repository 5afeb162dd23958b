"""``kiosk render``: sample and data paths, PNG pages, and exit 1 naming a bad field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.domain.documents import DocumentType


def _kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("doc", [d.value for d in DocumentType])
def test_sample_renders_and_writes_the_data(
    doc: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, data = tmp_path / f"{doc}.pdf", tmp_path / f"{doc}.json"
    code = main(
        ["render", doc, "--sample", "--seed", "3", "--out", str(out), "--data-out", str(data)]
    )
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"%PDF-")
    envelope = json.loads(data.read_text(encoding="utf-8"))
    assert envelope["type"] == doc
    # The written data renders to the very same bytes through --data.
    again = tmp_path / "again.pdf"
    assert main(["render", doc, "--data", str(data), "--out", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_png_pages_in_a_subprocess(tmp_path: Path) -> None:
    result = _kiosk(
        "render",
        "kk",
        "--sample",
        "--out",
        str(tmp_path / "kk.pdf"),
        "--png",
        str(tmp_path / "png"),
    )
    assert result.returncode == 0, result.stderr
    pages = sorted((tmp_path / "png").glob("*.png"))
    assert [p.name for p in pages] == ["kk-1.png"]
    assert pages[0].read_bytes().startswith(b"\x89PNG")


def test_invalid_data_exits_1_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "kk.json"
    assert (
        main(
            ["render", "kk", "--sample", "--out", str(tmp_path / "a.pdf"), "--data-out", str(data)]
        )
        == 0
    )
    envelope = json.loads(data.read_text(encoding="utf-8"))
    envelope["data"]["members"][0]["nik"] = "ABCDEFGHIJKLMNOP"
    data.write_text(json.dumps(envelope), encoding="utf-8")
    capsys.readouterr()
    out = tmp_path / "bad.pdf"
    assert main(["render", "kk", "--data", str(data), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "data.members.0.nik" in err
    assert "ABCDEFGHIJKLMNOP" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"{not json", "not JSON"), (b"[1, 2]", "JSON object"), (b"\xff\xfe", "not JSON")],
)
def test_unreadable_data_exits_1(
    content: bytes, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "x.json"
    data.write_bytes(content)
    assert main(["render", "ktp", "--data", str(data), "--out", str(tmp_path / "x.pdf")]) == 1
    assert says in capsys.readouterr().err


def test_type_mismatch_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "ktp.json"
    assert (
        main(
            ["render", "ktp", "--sample", "--out", str(tmp_path / "a.pdf"), "--data-out", str(data)]
        )
        == 0
    )
    assert main(["render", "kia", "--data", str(data), "--out", str(tmp_path / "b.pdf")]) == 1
    assert "type" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert main(["render", "paspor", "--sample", "--out", str(tmp_path / "a.pdf")]) == 2
    assert main(["render", "kk", "--out", str(tmp_path / "a.pdf")]) == 2


def test_sample_qr_is_a_verifiable_claim(tmp_path: Path) -> None:
    import zxingcpp
    from PIL import Image

    from kiosk.domain.document_claim import verify_document_claim
    from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key

    out, data = tmp_path / "akta.pdf", tmp_path / "akta.json"
    assert (
        main(
            [
                "render",
                "akta-kelahiran",
                "--sample",
                "--seed",
                "4",
                "--out",
                str(out),
                "--data-out",
                str(data),
                "--png",
                str(tmp_path / "png"),
            ]
        )
        == 0
    )
    envelope = json.loads(data.read_text(encoding="utf-8"))
    with Image.open(tmp_path / "png" / "akta-1.png") as image:
        codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [c.text for c in codes] == [envelope["verification_qr"]]
    public = sim_voucher_private_key().public_key()
    claim = verify_document_claim(codes[0].text, {SIM_KID: public})
    assert claim.document_id == envelope["document_id"]
    assert claim.doc is DocumentType.AKTA_KELAHIRAN
