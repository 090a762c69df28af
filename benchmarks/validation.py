"""Check the model against publicly reported earnings of real creators.

Runs every usable case in ../shared/validation/public_cases.yaml (or --cases FILE) through
the same core as ``kreator estimate`` and prints, per case, the stream's p10-p90 against the
reported figure, then coverage (share of cases inside p10-p90) and sharpness (median p90/p10).
Scoring rules follow the cases' README: point / range (geometric midpoint) / upper_bound /
lower_bound; ``basis: qualified_views`` divides by qualified views.

    python benchmarks/validation.py [--cases PATH] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path
from typing import Any

import yaml

import kreator
from kreator.profile_io import parse_audience

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "validation" / "public_cases.yaml"


def target_value(target: dict[str, Any]) -> float:
    """The monthly USD figure a case is scored on (geometric midpoint for ranges)."""
    value = target.get("monthly_equivalent_usd", target.get("reported_usd"))
    if isinstance(value, list):
        return math.sqrt(float(value[0]) * float(value[1]))
    return float(value)


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    profile = dict(case["profile"])
    if isinstance(profile.get("audience"), str):
        profile["audience"] = parse_audience(profile["audience"])
    est = kreator.estimate(profile, card=case["card"], seed=1)
    s = est.stream(case["stream"]).monthly
    target = case["target"]
    value = target_value(target)
    lo, hi = s.p10, s.p90
    check = target.get("check", "point")
    if check == "upper_bound":
        covered = lo <= value
    elif check == "lower_bound":
        covered = hi >= value
    else:
        covered = lo <= value <= hi
    return {"id": case["id"], "stream": case["stream"], "card": case["card"],
            "target": round(value, 2), "p10": round(lo, 2), "p50": round(s.p50, 2),
            "p90": round(hi, 2), "covered": covered,
            "ratio": (hi / lo) if lo > 0 else math.inf}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    cases = [c for c in yaml.safe_load(args.cases.read_text("utf-8")) if c.get("usable", True)]
    rows = [run_case(c) for c in cases]
    covered = sum(r["covered"] for r in rows)
    finite = [r["ratio"] for r in rows if math.isfinite(r["ratio"])]
    summary = {"cases": len(rows), "covered": covered, "coverage": covered / len(rows),
               "median_p90_over_p10": statistics.median(finite) if finite else None}
    if args.json:
        json.dump({"rows": rows, "summary": summary}, sys.stdout, indent=2)
        return 0
    for r in rows:
        mark = "IN " if r["covered"] else "OUT"
        print(f"{mark} {r['id']:28} {r['card']:8} {r['stream']:16} target {r['target']:>10,.2f}  "
              f"p10 {r['p10']:>10,.2f}  p50 {r['p50']:>10,.2f}  p90 {r['p90']:>10,.2f}")
    print(f"coverage: {covered}/{len(rows)} = {summary['coverage']:.0%} inside p10-p90; "
          f"sharpness: median p90/p10 = {summary['median_p90_over_p10']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
