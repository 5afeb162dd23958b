"""The demo's fleet view: the demo kiosk and 60 simulated kiosks heartbeat to the same registry
simulator, a signed config revision is pushed to all of them, a diagnostics command goes to the
demo kiosk, and the registry's ``GET /v1/fleet`` is shown as a table (``fleet.json`` beside it).
"""

from __future__ import annotations

import asyncio
import html
import json
from pathlib import Path
from typing import Any

import httpx

from kiosk.bootstrap import Kiosk
from kiosk.fleet.simulation import DEFAULT_PUSH, FleetSimSettings, run_fleet
from kiosk.fleet.wiring import config_keys
from kiosk.registry_sim.fleet import fleet_kiosk_keys
from kiosk.registry_sim.server import SIM_OPERATORS

FLEET = 60
SHOWN = 25


def fleet_view(kiosk: Kiosk, out: Path, count: int = FLEET) -> dict[str, Any]:
    """Run the fleet scenario against the demo kiosk's registry simulator; the fleet answer."""
    simulator = kiosk.simulator
    keys = fleet_kiosk_keys(count)
    simulator.add_kiosks(keys)
    own = kiosk.config.kiosk.id
    (command,) = simulator.command(own, "diagnostics")
    settings = FleetSimSettings(
        kiosks=count, rounds=1, speedup=120, session_share=0.2, settle_rounds=30, max_seconds=90
    )
    base = kiosk.config
    operator = next(iter(SIM_OPERATORS.items()))
    report = asyncio.run(
        run_fleet(simulator.url, keys, base, config_keys(base), operator, settings)
    )
    for _ in range(3):  # receive the revision and the command; apply when idle; report both
        kiosk.heartbeat.beat()
        kiosk.session.wait_idle(10)
    with httpx.Client(trust_env=False, timeout=10) as http:
        answer = http.get(f"{simulator.url}/v1/fleet", auth=httpx.BasicAuth(*operator))
    answer.raise_for_status()
    view: dict[str, Any] = answer.json()
    view["demo"] = {
        "pushed_sections": DEFAULT_PUSH,
        "simulation": report.to_dict(),
        "diagnostics": simulator.command_state(command["id"]),
    }
    (out / "fleet.json").write_text(json.dumps(view, indent=2), encoding="utf-8")
    return view


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def fleet_html(view: dict[str, Any]) -> str:
    """The fleet section of the demo's index.html."""
    summary, demo = view["summary"], view["demo"]
    sim = demo["simulation"]
    diagnostics = demo["diagnostics"] or {}
    parts = [
        "<h2>Fleet view (registry simulator, GET /v1/fleet)</h2>",
        f"<p>{summary['kiosks']} kiosks: this demo kiosk and {sim['kiosks']} simulated ones "
        f"(<code>kiosk fleet-sim</code>). A signed config revision "
        f"({_e(', '.join(demo['pushed_sections']))}) was pushed to all: applied by "
        f"{sim['applied']} simulated kiosks, the last {sim['all_applied_after_s']} s "
        "(simulated) after the push, each between two sessions (timings: <code>make bench"
        "</code>, module fleet). Diagnostics sent to this kiosk came back: "
        f"{'ok' if diagnostics.get('ok') else 'not yet'}. "
        "<a href='fleet.json'>fleet.json</a> holds the whole answer.</p>",
        "<table><tr>"
        + "".join(f"<th>{_e(k)}</th>" for k, v in summary.items() if not isinstance(v, dict))
        + "<th>by config revision</th></tr><tr>"
        + "".join(f"<td>{_e(v)}</td>" for v in summary.values() if not isinstance(v, dict))
        + f"<td>{_e(json.dumps(summary['by_config_revision']))}</td></tr></table><p></p>",
        "<table><tr><th>kiosk</th><th>last heartbeat</th><th>version</th><th>config applied /"
        " published</th><th>devices</th><th>blank cards</th><th>outbox</th>"
        "<th>clock skew, s</th></tr>",
    ]
    kiosks = sorted(
        view["kiosks"], key=lambda k: (not k["kiosk_id"].startswith("KIOSK"), k["kiosk_id"])
    )
    for k in kiosks[:SHOWN]:
        devices = ", ".join(f"{name}: {state}" for name, state in k["devices"].items())
        cards = k["consumables"].get("card", {}).get("blanko_left", "")
        parts.append(
            f"<tr><td>{_e(k['kiosk_id'])}</td><td>{_e(k['age_s'])} s ago</td>"
            f"<td>{_e(k['version'])}</td><td>{_e(k['config_revision'])} / "
            f"{_e(k['config_published'])}</td><td>{_e(devices)}</td><td>{_e(cards)}</td>"
            f"<td>{_e(k['outbox_depth'])}</td><td>{_e(k['clock_skew_s'])}</td></tr>"
        )
    parts.append(f"</table><p>First {SHOWN} of {len(kiosks)} kiosks.</p>")
    return "\n".join(parts)
