"""The demo's fleet section: a simulated kiosk and a small simulated fleet on one registry
simulator, a pushed revision applied by all, the table rendered (escaped)."""

from __future__ import annotations

import json
from pathlib import Path

from fakes.kiosks import fast_sim_config, started_kiosk

from ui.demo.fleet import fleet_html, fleet_view


def test_the_fleet_section_shows_every_kiosk_on_the_pushed_revision(tmp_path: Path) -> None:
    with started_kiosk(tmp_path / "state", config=fast_sim_config(families=2)) as kiosk:
        view = fleet_view(kiosk, tmp_path, count=8)
    assert view["summary"]["kiosks"] == 9
    assert view["summary"]["by_config_revision"] == {"1": 9}
    assert view["demo"]["diagnostics"]["ok"] is True
    assert json.loads((tmp_path / "fleet.json").read_text())["summary"] == view["summary"]
    view["kiosks"][0]["version"] = "<script>alert(1)</script>"
    page = fleet_html(view)
    assert "KIOSK-SIM-01" in page and "FLEET-0008" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
