"""Check the model against publicly reported earnings of real creators.

Runs every usable case of the case files (default: ../shared/validation/public_cases.yaml, or
the repo's copy when that is absent, plus the repo's own tests/data/validation/more_cases.yaml)
through the same core as ``kreator estimate`` and reports coverage (share of cases whose reported
figure lies inside the stream's p10-p90) and sharpness (median p90/p10) overall, by case file, by
stream and by follower band, with the goal checks (coverage >= 80 % and median p90/p10 <= 8).
Scoring rules: tests/data/validation/README.md. Then compares a typical creator of each band
with published tier benchmarks (tests/data/validation/benchmarks.yaml).

    python benchmarks/validation.py [--cases A.yaml B.yaml] [--card ID] [--json]
    python benchmarks/validation.py --rank-cards        # every built-in card, best first
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import statistics
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

import kreator
from kreator.profile_io import parse_audience
from kreator.ratecards import card_ids, load_card
from validation_tiers import BenchmarkFileError, print_tiers, qualified_share, tier_table

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "validation"
SHARED = ROOT.parent / "shared" / "validation" / "public_cases.yaml"
BENCHMARKS = DATA / "benchmarks.yaml"
SEED = 1
GOAL_COVERAGE = 0.8
GOAL_SHARPNESS = 8.0
BANDS: tuple[tuple[str, int], ...] = (
    ("starter", 0), ("nano", 1_000), ("micro", 10_000), ("mid", 50_000), ("macro+", 500_000))
"""Follower bands (lower bounds): starter <1k, nano 1k-10k, micro 10k-50k, mid 50k-500k,
macro+ 500k and up."""
KINDS = ("monthly_total", "per_1k_views", "per_stream", "per_video")
CHECKS = ("point", "range", "upper_bound", "lower_bound")
REQUIRED = ("id", "stream", "card", "profile", "target")
"""What scoring needs; a case file in the repo must also have RECORD (tests check it)."""
RECORD = ("grade", "quote", "source_url")


class CaseFileError(Exception):
    """A case file that cannot be scored; the message names the file, case and field."""


def default_case_files() -> list[Path]:
    """The public cases (shared copy if present, else the repo's) and the repo's own cases."""
    public = SHARED if SHARED.exists() else DATA / "public_cases.yaml"
    return [public, *[p for p in [DATA / "more_cases.yaml"] if p.exists()]]


def band(followers: float) -> str:
    """The follower band a creator falls in (a band's lower bound belongs to it)."""
    name = BANDS[0][0]
    for label, lower in BANDS:
        if followers >= lower:
            name = label
    return name


# ------------------------------------------------------------------ reading and checking cases
def case_problems(case: Any, record: bool = False) -> list[str]:
    """Everything missing or malformed in one case (empty when it can be scored); with
    ``record``, also the provenance every case kept in the repo must carry."""
    if not isinstance(case, dict):
        return ["is not a mapping"]
    keys = (*REQUIRED, *RECORD) if record else REQUIRED
    out = [f"{k}: missing" for k in keys if case.get(k) in (None, "", [], {})]
    url = str(case.get("source_url", ""))
    if url and not url.startswith(("http://", "https://")):
        out.append(f"source_url: not a web address ({url!r})")
    profile = case.get("profile")
    if isinstance(profile, dict):
        out += [f"profile.{k}: missing" for k in ("followers", "views_30d") if k not in profile]
    elif profile is not None:
        out.append("profile: not a mapping")
    target = case.get("target")
    if isinstance(target, dict):
        out += target_problems(target, "target")
    elif target is not None:
        out.append("target: not a mapping")
    return out


def target_problems(target: dict[str, Any], where: str) -> list[str]:
    """What is wrong with a target (or a secondary target)."""
    out = []
    if target.get("kind") not in KINDS:
        out.append(f"{where}.kind: {target.get('kind')!r} is not one of {', '.join(KINDS)}")
    check = target.get("check", "point")
    if check not in CHECKS:
        out.append(f"{where}.check: {check!r} is not one of {', '.join(CHECKS)}")
    value = target.get("reported_usd")
    shape_ok = (isinstance(value, list) and len(value) == 2) if check == "range" \
        else isinstance(value, int | float)
    if not shape_ok or not all(_positive(v) for v in (value if isinstance(value, list) else [value])):
        want = "[low, high] of positive numbers" if check == "range" else "a positive number"
        out.append(f"{where}.reported_usd: {value!r} is not {want}")
    if target.get("basis", "total_views") not in ("total_views", "qualified_views"):
        out.append(f"{where}.basis: {target.get('basis')!r} is not total_views or qualified_views")
    return out


def _positive(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v > 0


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The usable cases of one file, each tagged with its file; raises CaseFileError."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CaseFileError(f"{path}: cannot read the case file ({exc}).") from None
    if not isinstance(data, list):
        raise CaseFileError(f"{path}: expected a list of cases at the top level.")
    cases = []
    for i, case in enumerate(data, 1):
        if isinstance(case, dict) and case.get("usable", True) is False:
            continue
        problems = case_problems(case)
        if problems:
            name = case.get("id", f"#{i}") if isinstance(case, dict) else f"#{i}"
            raise CaseFileError(f"{path}: case {name}: {'; '.join(problems)}. "
                                "Fix: see tests/data/validation/README.md for the schema.")
        cases.append({**case, "_file": path.stem})
    return cases


# ------------------------------------------------------------------ scoring
def target_value(target: dict[str, Any]) -> float:
    """The figure a target is scored on: a point, or a range's geometric midpoint."""
    basis = target.get("basis", "total_views")
    value = target["reported_usd"] if basis == "qualified_views" \
        else target.get("monthly_equivalent_usd", target["reported_usd"])
    if isinstance(value, list):
        return math.sqrt(float(value[0]) * float(value[1]))
    return float(value)


def model_divisor(target: dict[str, Any], profile: dict[str, Any], share: float) -> float:
    """What turns the stream's monthly USD into the target's unit (1 when it is monthly USD).

    ``per_1k_views`` on ``total_views`` is compared as ``monthly_equivalent_usd`` when the case
    gives it; on ``qualified_views`` the monthly amount is divided by the qualified thousands."""
    if target.get("kind") != "per_1k_views":
        return 1.0
    thousands = float(profile["views_30d"]) / 1000
    if target.get("basis") == "qualified_views":
        return thousands * share
    return 1.0 if "monthly_equivalent_usd" in target else thousands


def covered(check: str, value: float, p10: float, p90: float) -> bool:
    """The README's rules: point and range (already a midpoint) inside p10..p90; an upper bound
    is covered when p10 <= value, a lower bound when p90 >= value."""
    if check == "upper_bound":
        return p10 <= value
    if check == "lower_bound":
        return p90 >= value
    return p10 <= value <= p90


def sharpness(p10: float, p90: float) -> float | None:
    """p90/p10: infinite when p10 is 0 but p90 is not; None when the stream pays nothing."""
    if p90 <= 0:
        return None
    return p90 / p10 if p10 > 0 else math.inf


def score_target(case: dict[str, Any], target: dict[str, Any], monthly: Any,
                 card: str) -> dict[str, Any]:
    """One row: the target against the stream's p10..p90 in the target's unit."""
    div = model_divisor(target, case["profile"], qualified_share(card))
    value, check = target_value(target), target.get("check", "point")
    p10, p50, p90 = (monthly.p10 / div, monthly.p50 / div, monthly.p90 / div) if monthly \
        else (0.0, 0.0, 0.0)
    return {"id": case["id"], "file": case["_file"], "stream": case["stream"], "card": card,
            "band": band(case["profile"]["followers"]), "followers": case["profile"]["followers"],
            "kind": target["kind"], "basis": target.get("basis"), "check": check,
            "target": value, "p10": p10, "p50": p50, "p90": p90,
            "covered": monthly is not None and covered(check, value, p10, p90),
            "ratio": sharpness(p10, p90), "stream_missing": monthly is None}


def profile_of(case: dict[str, Any]) -> dict[str, Any]:
    profile = dict(case["profile"])
    if isinstance(profile.get("audience"), str):
        profile["audience"] = parse_audience(profile["audience"])
    return profile


def run_case(case: dict[str, Any], card: str | None = None) -> list[dict[str, Any]]:
    """The case's rows (its target, then any secondary targets) on its own card or ``card``."""
    use = card or str(case["card"])
    est = kreator.estimate(profile_of(case), card=use, seed=SEED)
    try:
        monthly = est.stream(case["stream"]).monthly
    except KeyError:
        monthly = None
    rows = [score_target(case, case["target"], monthly, use)]
    for extra in _secondaries(case["target"]):
        rows.append({**score_target(case, extra, monthly, use), "secondary": True})
    return rows


def _secondaries(target: dict[str, Any]) -> list[dict[str, Any]]:
    extra = target.get("secondary")
    return [] if not extra else extra if isinstance(extra, list) else [extra]


def score(cases: Iterable[dict[str, Any]], card: str | None = None) -> list[dict[str, Any]]:
    return [row for case in cases for row in run_case(case, card)]


# ------------------------------------------------------------------ summaries
def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Coverage and sharpness of primary rows, with the goal verdict."""
    main = [r for r in rows if not r.get("secondary")]
    ratios = [r["ratio"] for r in main if r["ratio"] is not None]
    n, inside = len(main), sum(r["covered"] for r in main)
    cov = inside / n if n else None
    sharp = statistics.median(ratios) if ratios else None
    ok = cov is not None and sharp is not None and cov >= GOAL_COVERAGE and sharp <= GOAL_SHARPNESS
    return {"cases": n, "covered": inside, "coverage": cov, "median_p90_over_p10": sharp,
            "goal_met": ok}


def grouped(rows: Sequence[dict[str, Any]], key: str, order: Sequence[str] = ()) -> dict[str, Any]:
    """Summaries by ``key``: every name in ``order`` (even without cases), then the rest."""
    names = [*order, *sorted({r[key] for r in rows} - set(order))]
    return {name: summarise([r for r in rows if r[key] == name]) for name in names}


def report(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    public = [r for r in rows if r["file"] == "public_cases"]
    return {"overall": summarise(rows), "by_file": grouped(rows, "file"),
            "by_stream": grouped(rows, "stream"), "by_band": grouped(rows, "band", [b for b, _ in BANDS]),
            "public_goals": {"overall": summarise(public), "by_stream": grouped(public, "stream"),
                             "by_band": grouped(public, "band", [b for b, _ in BANDS])}}


def builtin_cards() -> list[str]:
    """Every distinct built-in card id (aliases such as ``current`` dropped)."""
    seen: dict[str, str] = {}
    for ref in card_ids():
        seen.setdefault(load_card(ref).id, ref)
    return sorted(seen)


def rank_cards(cases: Sequence[dict[str, Any]], cards: Sequence[str] | None = None,
               scorer: Callable[..., list[dict[str, Any]]] = score) -> list[dict[str, Any]]:
    """Each card scored on every case, best first: coverage (higher), then sharpness (lower)."""
    table = []
    for card in cards or builtin_cards():
        rows = scorer(cases, card)
        s = summarise(rows)
        table.append({"card": card, **s,
                      "missing_stream": sorted({r["id"] for r in rows if r["stream_missing"]})})
    return sorted(table, key=rank_key)


def current_era(cases: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cases of today's programmes: those whose own card is the newest base card."""
    newest = load_card("current").id
    return [c for c in cases if load_card(str(c["card"])).id == newest]


def rank_key(entry: dict[str, Any]) -> tuple[float, float, str]:
    sharp = entry["median_p90_over_p10"]
    return (-(entry["coverage"] or 0.0), math.inf if sharp is None else sharp, entry["card"])


# ------------------------------------------------------------------ printing
def _num(x: float | None) -> str:
    if x is None:
        return "-"
    return "inf" if math.isinf(x) else f"{x:,.4g}" if abs(x) < 1 else f"{x:,.2f}"


def summary_line(name: str, s: dict[str, Any]) -> str:
    cov = "-" if s["coverage"] is None else f"{s['coverage']:.0%}"
    goal = "no cases" if not s["cases"] else "PASS" if s["goal_met"] else "FAIL"
    return (f"  {name:24} {s['covered']:>3}/{s['cases']:<3} {cov:>5}   "
            f"p90/p10 {_num(s['median_p90_over_p10']):>8}   {goal}")


def print_rows(rows: Sequence[dict[str, Any]]) -> None:
    for r in rows:
        mark = "IN " if r["covered"] else "OUT"
        tag = " (secondary)" if r.get("secondary") else " (card has no such stream)" \
            if r["stream_missing"] else ""
        print(f"{mark} {r['id']:30} {r['card']:13} {r['stream']:16} {r['band']:7} "
              f"target {_num(r['target']):>10}  p10 {_num(r['p10']):>10}  p50 {_num(r['p50']):>10}"
              f"  p90 {_num(r['p90']):>10}{tag}")


def print_report(rep: dict[str, Any]) -> None:
    print("\ncoverage (inside p10-p90) and sharpness (median p90/p10); goal >= 80% and <= 8")
    print(summary_line("all cases", rep["overall"]))
    for title, key in (("by case file", "by_file"), ("by stream", "by_stream"), ("by band", "by_band")):
        print(f" {title}:")
        for name, s in rep[key].items():
            print(summary_line(name, s))
    goals = rep["public_goals"]
    if goals["overall"]["cases"]:
        print("\ngoal checks on the public cases:")
        print(summary_line("public", goals["overall"]))
        for key in ("by_stream", "by_band"):
            for name, s in goals[key].items():
                print(summary_line(f"{key[3:]} {name}", s))


def print_ranking(table: Sequence[dict[str, Any]], title: str) -> None:
    print(f"\ncards ranked on {title} (coverage first, then sharpness):")
    for i, e in enumerate(table, 1):
        cov = "-" if e["coverage"] is None else f"{e['coverage']:.0%}"
        print(f"  {i}. {e['card']:14} {e['covered']:>3}/{e['cases']:<3} {cov:>5}  "
              f"p90/p10 {_num(e['median_p90_over_p10']):>8}")
        if e["missing_stream"]:
            print(f"     not covered, stream not on this card: {', '.join(e['missing_stream'])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--cases", type=Path, nargs="+", default=None, help="case files (YAML)")
    ap.add_argument("--card", default=None, help="score every case on this card")
    ap.add_argument("--rank-cards", action="store_true", help="rank every built-in card")
    ap.add_argument("--benchmarks", type=Path, default=BENCHMARKS, help="tier benchmarks (YAML)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    try:
        cases = [c for path in (args.cases or default_case_files()) for c in load_cases(path)]
        rows = score(cases, args.card)
        tiers = tier_table(args.benchmarks, args.card or "default")
    except (CaseFileError, BenchmarkFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out: dict[str, Any] = {"rows": rows, "summary": report(rows), "tiers": tiers}
    if args.rank_cards:
        out["ranking"] = rank_cards(cases)
        out["ranking_current_era"] = rank_cards(current_era(cases))
    if args.json:
        json.dump(out, sys.stdout, indent=2, default=str)
        print()
        return 0
    print_rows(rows)
    print_report(out["summary"])
    if args.rank_cards:
        print_ranking(out["ranking"], "all cases")
        print_ranking(out["ranking_current_era"], "cases from 2024 on (their card is 'current')")
    print_tiers(tiers)
    return 0


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):  # `| head` ends the output quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    raise SystemExit(main())
