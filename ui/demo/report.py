"""The demo's ``index.html``: every screen in order with its time, and what came out of the
printers (PDF pages, card images, tickets), plus the technician's device health table."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ui.demo.driver import Scenario, Shot

_STYLE = """
body { font-family: 'DejaVu Sans', sans-serif; margin: 2em; color: #1a1a1a; }
h1 { color: #0b3d91; } h2 { border-bottom: 2px solid #0b3d91; padding-bottom: .2em; }
.shots { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; width: 480px; } figure img { width: 100%; border: 1px solid #999; }
figcaption { font-size: .9em; } .fail { color: #8b1a1a; font-weight: bold; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: .3em .6em; }
.paper img { max-width: 480px; border: 1px solid #999; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _artefact(caption: str, name: str) -> str:
    if name.endswith(".png"):
        return (
            f'<figure class="paper"><a href="{_e(name)}"><img src="{_e(name)}" alt="{_e(caption)}">'
            f"</a><figcaption>{_e(caption)}: {_e(name)}</figcaption></figure>"
        )
    return f'<p><a href="{_e(name)}">{_e(name)}</a> ({_e(caption)})</p>'


def write_index(
    out: Path,
    scenarios: Iterable[Scenario],
    shots: Iterable[Shot],
    health: Mapping[str, Mapping[str, object]],
    *,
    total_s: float,
    title: str,
    measured: Mapping[str, Any] | None = None,
    fleet: str | None = None,
) -> Path:
    shots = list(shots)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>Scripted walk-through in simulator mode, {len(shots)} screenshots, "
        f"{total_s:.1f} s in total. Times are seconds since the start.</p>",
    ]
    if measured is not None:
        parts += _measured(measured)
    for number, scenario in enumerate(scenarios, start=1):
        status = "" if scenario.ok else " <span class='fail'>FAILED</span>"
        parts.append(
            f"<h2>{number}. {_e(scenario.title)}{status}</h2>"
            f"<p>{scenario.started_s:.1f} s to {scenario.ended_s:.1f} s "
            f"({scenario.ended_s - scenario.started_s:.1f} s)</p>"
        )
        if scenario.note:
            parts.append(f"<p>{_e(scenario.note)}</p>")
        parts.append("<div class='shots'>")
        for shot in (s for s in shots if s.scenario == scenario.title):
            parts.append(
                f'<figure><a href="{_e(shot.png)}"><img src="{_e(shot.png)}" '
                f'alt="{_e(shot.caption)}"></a><figcaption>{shot.at_s:.1f} s: '
                f"{_e(shot.caption)} <code>{_e(shot.screen)}</code></figcaption></figure>"
            )
        parts.append("</div>")
        if scenario.artefacts:
            parts.append("<div class='shots'>")
            parts += [_artefact(caption, name) for caption, name in scenario.artefacts]
            parts.append("</div>")
    if fleet is not None:  # ui.demo.fleet.fleet_html: escaped there
        parts.append(fleet)
    if health:
        parts.append("<h2>Technician: device health</h2><table>")
        parts.append("<tr><th>device</th><th>ok</th><th>level</th><th>result</th><th>ms</th></tr>")
        for device, result in health.items():
            parts.append(
                f"<tr><td>{_e(device)}</td><td>{'yes' if result.get('ok') else 'NO'}</td>"
                f"<td>{_e(result.get('level', ''))}</td><td>{_e(result.get('text', ''))}</td>"
                f"<td>{_e(result.get('ms', ''))}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    index = out / "index.html"
    index.write_text("\n".join(parts), encoding="utf-8")
    return index


def _cell(value: object, ok: bool) -> str:
    shown = "—" if value is None else value  # nothing of that kind on the screen
    return f"<td>{_e(shown)}</td>" if ok else f"<td class='fail'>{_e(shown)}</td>"


def _measured(measured: Mapping[str, Any]) -> list[str]:
    """The issue's measured goals, as the demo measured them (also in journeys.json)."""
    goals = measured["goals"]
    verdict = "all met" if measured["ok"] else "<span class='fail'>NOT all met</span>"
    parts = [
        f"<h2>Measured goals: {verdict}</h2>",
        "<p>From the demo's own screens (<a href='journeys.json'>journeys.json</a>).</p>",
        "<table><tr><th>journey from the attract screen</th><th>taps</th><th>goal</th></tr>",
    ]
    for journey in measured["journeys"]:
        ok = journey["taps"] <= journey["goal"]
        parts.append(
            f"<tr><td>{_e(journey['name'])}</td>{_cell(journey['taps'], ok)}"
            f"<td>&le; {journey['goal']}</td></tr>"
        )
    parts.append("</table>")
    parts.append(
        "<table><tr><th>screen</th><th>shots</th><th>smallest text px</th>"
        f"<th>smallest target px (&ge; {goals['target_px']})</th>"
        f"<th>smallest gap px (&ge; {goals['gap_px']})</th>"
        f"<th>lowest contrast (&ge; {goals['contrast']}:1)</th><th>problems</th></tr>"
    )
    for screen, figures in measured["screens"].items():
        body = goals["large_body_px"] if "large" in screen else goals["body_px"]
        text, target = figures["min_text_px"], figures["min_target_px"]
        gap, contrast = figures["min_gap_px"], figures["min_contrast"]
        parts.append(
            f"<tr><td>{_e(screen)}</td><td>{figures['shots']}</td>"
            + _cell(f"{text} (>= {body})", text is None or text >= body)
            + _cell(target, target is None or target >= goals["target_px"])
            + _cell(gap, gap is None or gap >= goals["gap_px"])
            + _cell(contrast, contrast is None or contrast >= goals["contrast"])
            + _cell("; ".join(figures["problems"][:3]) or "none", not figures["problems"])
            + "</tr>"
        )
    parts.append("</table>")
    parts.append("<table><tr><th>screen</th><th>spoken prompt, id (s)</th><th>en (s)</th></tr>")
    for screen, seconds in measured["prompts_seconds"].items():
        parts.append(
            f"<tr><td>{_e(screen)}</td>{_cell(seconds.get('id', 'missing'), 'id' in seconds)}"
            f"{_cell(seconds.get('en', 'missing'), 'en' in seconds)}</tr>"
        )
    parts.append("</table>")
    leaks = measured["nik_on_screenshots"]
    parts.append(
        "<p>Screenshots holding a whole NIK: "
        + ("none." if not leaks else f"<span class='fail'>{_e('; '.join(leaks))}</span>")
        + "</p>"
    )
    return parts
