"""`make bench`: run every benchmark module, each in its own process, and report the figures.

A benchmark module `benchmarks/<name>.py` exposes `run(quick: bool) -> list[dict]`; each dict is
{"name", "value", "unit", "target" ("<= 50 ms", ">= 1", "< 10 %" or None), optional "baseline"
and "ratio"}. Results go to OUT/results.json (figure name -> value, unit, target, met, cores, ...)
and a table on stdout. `--quick` shortens the soak and repeat counts; `--only a,b` picks modules.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# Modules are loaded by path; with this folder on sys.path, benchmarks/queue.py would shadow the
# standard library's queue for every benchmark.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
_TARGET = re.compile(r"^\s*(<=|>=|<|>|==)\s*(-?[0-9.]+)")


def modules() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if p.stem not in ("run", "__init__"))


def run_one(name: str, quick: bool) -> list[dict[str, Any]]:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    figures: list[dict[str, Any]] = module.run(quick)
    return figures


def target_met(value: float, target: str | None) -> bool | None:
    if not target:
        return None
    match = _TARGET.match(target)
    if match is None:
        return None
    op, bound = match.group(1), float(match.group(2))
    return {
        "<=": value <= bound,
        ">=": value >= bound,
        "<": value < bound,
        ">": value > bound,
        "==": value == bound,
    }[op]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("out/bench"))
    parser.add_argument("--quick", action="store_true", help="shorter soak and fewer repeats")
    parser.add_argument("--only", default="", help="comma-separated module names")
    parser.add_argument("--one", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.quick)))
        return 0
    names = [n for n in modules() if not args.only or n in args.only.split(",")]
    cores = os.cpu_count() or 1
    results: dict[str, Any] = {}
    failed: list[str] = []
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    for name in names:
        started = time.monotonic()
        cmd = [sys.executable, str(Path(__file__)), "--one", name]
        if args.quick:
            cmd.append("--quick")
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        took = time.monotonic() - started
        if proc.returncode != 0 or not proc.stdout.strip():
            failed.append(name)
            print(f"[{name}] FAILED after {took:.1f} s\n{proc.stderr[-2000:]}", file=sys.stderr)
            continue
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"[{name}] {len(figures)} figures in {took:.1f} s", file=sys.stderr)
        for fig in figures:
            entry = {k: v for k, v in fig.items() if k != "name"}
            entry.update(module=name, cores=cores, met=target_met(fig["value"], fig.get("target")))
            results[fig["name"]] = entry
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True))
    print(table(results))
    print(f"\nresults: {args.out / 'results.json'} ({cores} cores)")
    if failed:
        print(f"benchmark modules that failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def table(results: dict[str, Any]) -> str:
    rows = [("FIGURE", "VALUE", "UNIT", "TARGET", "MET", "BASELINE", "RATIO")]
    for name, r in results.items():
        met = {True: "yes", False: "NO", None: "-"}[r.get("met")]
        base = r.get("baseline")
        ratio = r.get("ratio")
        rows.append(
            (
                name,
                f"{r['value']:.4g}",
                str(r.get("unit", "")),
                str(r.get("target") or "-"),
                met,
                "-" if base is None else f"{base:.4g}",
                "-" if ratio is None else f"{ratio:.3g}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(7)]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


if __name__ == "__main__":
    sys.exit(main())
