"""`kiosk ticket`: the file holds exactly the composed bytes; --png is how it prints."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image

from kiosk.cli import main
from kiosk.config import load_config, repo_root
from printing.tickets import TicketData, compose_ticket

CONFIG = repo_root() / "config" / "simulator.toml"


def test_ticket_command_writes_the_exact_bytes_and_a_png(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, png = tmp_path / "b7.bin", tmp_path / "b7.png"
    argv = ["ticket", "--config", str(CONFIG), "--service", "B", "--number", "7", "--width", "58"]
    argv += ["--at", "2026-11-23T09:30", "--ahead", "3", "--out", str(out), "--png", str(png)]
    assert main(argv) == 0
    config = load_config(CONFIG)
    service = next(s for s in config.queue.services if s.code == "B")
    expected = TicketData(
        ticket_id="20261123-B-007",
        office=config.kiosk.office,
        service_name_id=service.name_id,
        service_name_en=service.name_en,
        code="B",
        number=7,
        issued_at=datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo(config.kiosk.timezone)),
        people_ahead=3,
        agency=service.agency,
    )
    assert out.read_bytes() == compose_ticket(expected, 58)
    assert "B-007" in capsys.readouterr().out
    with Image.open(png) as image:
        assert image.width == 384
        assert [r.text for r in zxingcpp.read_barcodes(image)] == ["20261123-B-007"]


@pytest.mark.parametrize(
    "extra",
    [
        ["--service", "Z"],  # unknown service
        ["--service", "A", "--number", "0"],  # out of range
        ["--service", "E", "--priority"],  # E takes no priority tickets
        ["--service", "A", "--width", "76"],  # argparse choice
    ],
)
def test_ticket_command_usage_errors(tmp_path: Path, extra: list[str]) -> None:
    out = tmp_path / "t.bin"
    assert main(["ticket", "--config", str(CONFIG), "--out", str(out), *extra]) == 2
    assert not out.exists()
