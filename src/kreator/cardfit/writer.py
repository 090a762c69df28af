"""Write a fitted card: the base card's TOML with each fitted stream's rate range (and CPM
floor) scaled by its multiplier and its spreads replaced, each fitted figure sourced."""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from kreator.cardfit.fit import FitResult
from kreator.cardfit.stats import StreamFit

METHOD = ("partial pooling to the base card: MAP of a two-piece log-normal, normal priors on the "
          "log multiplier and log spreads, scipy.optimize, Laplace 90% interval")


def base_raw(ref: str) -> dict[str, Any]:
    """The base card as parsed TOML (a built-in id or a path)."""
    from kreator.ratecards import ALIASES, BUILTIN, parse_toml

    key = ALIASES.get(ref, ref)
    if key in BUILTIN:
        raw = resources.files("kreator.ratecards").joinpath(BUILTIN[key]).read_bytes()
        return parse_toml(raw, BUILTIN[key])
    return parse_toml(Path(ref).read_bytes(), ref)


def provenance(result: FitResult, base_id: str, date: str) -> str:
    return (f"fitted from {result.rows} observations of {result.creators} creators, base "
            f"{base_id}, {date}, {METHOD}")


def fitted_card(raw: Mapping[str, Any], result: FitResult, base_id: str, date: str
                ) -> dict[str, Any]:
    """The fitted card as a TOML mapping (nothing in it names a creator)."""
    out = copy.deepcopy(dict(raw))
    head = out["card"]
    source = provenance(result, base_id, date)
    head.update(id=f"{base_id}-fitted-{date}", name=f"{head['name']} (fitted {date})",
                as_of=date, description=f"{head.get('description', '')} Rates and spreads "
                f"{source}.".strip())
    head["fit"] = {"base": base_id, "date": date, "method": METHOD, "observations": result.rows,
                   "creators": result.creators, "source": source}
    for sid, fit in result.fitted().items():
        _stream(out["streams"][sid], fit, source, date)
    return out


def _stream(spec: dict[str, Any], fit: StreamFit, source: str, date: str) -> None:
    m = fit.multiplier
    note = (f"x{m:.3g} (90% {fit.multiplier_90[0]:.3g}-{fit.multiplier_90[1]:.3g}) on the base "
            f"range {spec['rate']['low']:g}-{spec['rate']['high']:g}; {fit.rows} rows of "
            f"{fit.creators} creators; months paying nothing: {fit.zero_share:.0%}.")
    for table in (spec["rate"], spec.get("tier_rule", {}).get("cpm")):
        if table is None:
            continue
        table["low"], table["high"] = _sig(table["low"] * m), _sig(table["high"] * m)
        table.update(source=source, source_date=date, note=note)
    spread = spec["spread"]
    spread["value"], spread["upper"] = _sig(fit.sigma_lo), _sig(fit.sigma_hi)
    spread.update(source=source, source_date=date,
                  note=f"below the median {fit.sigma_lo:.3g} (90% {fit.sigma_lo_90[0]:.3g}-"
                  f"{fit.sigma_lo_90[1]:.3g}), above {fit.sigma_hi:.3g} (90% "
                  f"{fit.sigma_hi_90[0]:.3g}-{fit.sigma_hi_90[1]:.3g}).")


def _sig(x: float) -> float:
    """Four significant figures."""
    return float(f"{x:.4g}") if x and math.isfinite(x) else x


BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def dumps(data: Mapping[str, Any]) -> str:
    """TOML text of a mapping (tables, arrays of tables, scalars, arrays of scalars)."""
    lines: list[str] = []
    _table(lines, [], data)
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(lines: list[str], path: list[str], data: Mapping[str, Any]) -> None:
    subs = []
    for k, v in data.items():
        if isinstance(v, Mapping) or (isinstance(v, list) and v and
                                       all(isinstance(x, Mapping) for x in v)):
            subs.append((k, v))
        else:
            lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in subs:
        if isinstance(v, Mapping):
            lines += ["", f"[{'.'.join(map(_key, [*path, k]))}]"]
            _table(lines, [*path, k], v)
        else:
            for item in v:
                lines += ["", f"[[{'.'.join(map(_key, [*path, k]))}]]"]
                _table(lines, [*path, k], item)


def _key(k: str) -> str:
    return k if BARE.match(k) else _value(k)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")
