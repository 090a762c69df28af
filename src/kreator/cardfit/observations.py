"""Observations: one row per (creator, stream, period), read from CSV, Parquet, JSON Lines,
YAML (rows or validation cases). Amounts become US dollars a month (amount x 30 / period_days,
converted with Kreator's dated exchange-rate table)."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kreator.core.columns import NUMERIC
from kreator.core.errors import InputFileError, KreatorError
from kreator.core.profile import Profile

TEXT_FIELDS = ("niche", "country", "audience")
REQUIRED = ("creator", "stream", "amount", "followers", "views_30d")


@dataclass
class Observations:
    """Columns of observations (row i of every list belongs together)."""

    creator: list[str] = field(default_factory=list)
    stream: list[str] = field(default_factory=list)
    monthly_usd: list[float] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    fx_used: dict[str, str] = field(default_factory=dict)
    skipped: int = 0
    """Left out: unusable validation cases, a case whose stream the base card lacks, a ledger
    creator with no saved estimate (nothing to pair the months with)."""
    cache: dict[str, Profile] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.creator)

    def extend(self, other: Observations) -> None:
        self.creator += other.creator
        self.stream += other.stream
        self.monthly_usd += other.monthly_usd
        self.profiles += other.profiles
        self.fx_used.update(other.fx_used)
        self.skipped += other.skipped


CHUNK = 16_384
"""Rows read before they are scored and their profiles let go (see kreator.cardfit.baseline)."""


def read_files(paths: list[Path], streams: set[str]) -> Observations:
    """Every file's rows at once, checked against the base card's stream ids (small inputs;
    a fit reads them with :func:`iter_files`)."""
    out = Observations()  # one part: equal profiles are parsed once and shared
    for path in paths:
        for row_no, row in _rows(path):
            add_row(out, row, streams, f"{path}, row {row_no}")
    return out


def iter_files(paths: list[Path], streams: set[str], chunk: int = CHUNK
               ) -> Iterator[Observations]:
    """The files' rows in parts of at most ``chunk`` rows (the last may be empty and carry
    only skipped cases); bad rows raise an error naming file, row and field."""
    out = Observations()
    for path in paths:
        for row_no, row in _rows(path):
            add_row(out, row, streams, f"{path}, row {row_no}")
            if len(out) >= chunk:
                yield out
                out = Observations()
    yield out


def _rows(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputFileError("cannot read the observations (no such file).", where=str(path),
                             fix="check the path.", key="fit_no_file")
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as fh:
            yield from enumerate(csv.DictReader(fh), start=2)
    elif suffix in (".jsonl", ".ndjson"):
        yield from _jsonl(path)
    elif suffix in (".yaml", ".yml"):
        yield from _yaml(path)
    elif suffix == ".parquet":
        yield from _parquet(path)
    else:
        raise InputFileError(f"unknown observation file type '{suffix}'.", where=str(path),
                             fix="give a .csv, .parquet, .jsonl or .yaml file.",
                             key="fit_file_type", params={"suffix": suffix})


def _jsonl(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    with path.open(encoding="utf-8-sig") as fh:
        for no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputFileError(f"line {no} is not JSON ({exc.msg}).", where=str(path),
                                     fix="write one JSON object a line.", key="fit_bad_json",
                                     params={"line": no, "detail": exc.msg}) from None
            yield no, row if isinstance(row, dict) else {}


def _yaml(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise InputFileError(f"is not valid YAML ({exc}).", where=str(path),
                             fix="fix the syntax.", key="fit_bad_yaml",
                             params={"detail": str(exc)}) from None
    rows = data.get("observations", data.get("cases")) if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise InputFileError("holds no list of observations.", where=str(path),
                             fix="write a list of rows (or validation cases).", key="fit_no_rows")
    for i, row in enumerate(rows, start=1):
        row = row if isinstance(row, dict) else {}
        yield i, (from_case(row) if "target" in row and "profile" in row else row)


def _parquet(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    import pyarrow.parquet as pq

    no = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=65_536):
        for row in batch.to_pylist():
            no += 1
            yield no, row


def from_case(case: Mapping[str, Any]) -> dict[str, Any]:
    """A validation case (tests/data/validation/*.yaml) as an observation: its monthly
    equivalent in US dollars for its stream (a range: its geometric middle), with its profile.
    Unusable cases are skipped; every case is fitted on the base card given, not its own."""
    target = case.get("target") or {}
    if case.get("usable") is False or target.get("monthly_equivalent_usd") is None:
        return {"_skip": True}
    profile = dict(case.get("profile") or {})
    amount = target["monthly_equivalent_usd"]
    if isinstance(amount, list) and len(amount) == 2:  # a reported range: its geometric middle
        amount = math.sqrt(float(amount[0]) * float(amount[1]))
    return {**profile, "creator": str(case.get("group") or case.get("id")),
            "stream": case.get("stream"), "amount": amount,
            "currency": "USD", "period_days": 30, "_case": True}


def add_row(out: Observations, row: Mapping[str, Any], streams: set[str], where: str) -> None:
    """Check one row and append it (a skipped validation case adds nothing)."""
    if row.get("_skip") or (row.get("_case") and row.get("stream") not in streams):
        out.skipped += 1
        return
    for name in REQUIRED:
        if _blank(row.get(name)):
            raise InputFileError(f"the column '{name}' is missing or empty.", where=where,
                                 field=name, fix="give creator, stream, amount, followers and "
                                 "views_30d on every row.",
                                 key="fit_missing", params={"name": name})
    stream = str(row["stream"]).strip()
    if stream not in streams:
        raise InputFileError(f"unknown stream '{stream}'.", where=where, field="stream",
                             fix=f"use one of {', '.join(sorted(streams))}.",
                             key="fit_stream", params={"value": stream,
                                                       "choices": ", ".join(sorted(streams))})
    amount = _number(row["amount"], "amount", where)
    days = _number(row.get("period_days") or 30, "period_days", where)
    if amount < 0 or days <= 0:
        bad = "amount" if amount < 0 else "period_days"
        raise InputFileError(f"{bad} must be 0 or more for an amount, more than 0 for "
                             "period_days.",
                             where=where, field=bad, fix="give the payout of one period, "
                             "e.g. amount 120 and period_days 30.", key="fit_range",
                             params={"name": bad})
    usd = _to_usd(amount * 30.0 / days, str(row.get("currency") or "USD"), where, out)
    out.creator.append(str(row["creator"]).strip())
    out.stream.append(stream)
    out.monthly_usd.append(usd)
    out.profiles.append(_profile(out, profile_of(row, where), where))


def _to_usd(amount: float, currency: str, where: str, out: Observations) -> float:
    from kreator.ratecards import fx_rate

    try:
        rate = fx_rate(currency)
    except KreatorError as exc:
        raise InputFileError(exc.message, where=where, field="currency", fix=exc.fix,
                             key=exc.key, params=exc.params) from None
    if rate is None:
        return amount
    out.fx_used[rate.currency] = f"{rate.rate:g} per USD ({rate.date})"
    return amount / rate.rate


def _profile(out: Observations, prof: dict[str, Any], where: str) -> Profile:
    """The validated profile (parsed once per distinct profile)."""
    from kreator.core.profile import parse_profile
    from kreator.profile_io import parse_audience

    key = repr(sorted(prof.items()))
    if key not in out.cache:
        if isinstance(prof.get("audience"), str):
            try:
                prof["audience"] = parse_audience(prof["audience"])
            except KreatorError as exc:
                raise InputFileError(exc.message, where=where, field="audience", fix=exc.fix,
                                     key=exc.key, params=exc.params) from None
        for name in ("followers", "views_30d"):
            prof[name] = round(prof[name])
        out.cache[key] = parse_profile(prof, where=where)
    return out.cache[key]


def profile_of(row: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The profile fields of a row (missing ones are left out: the card's defaults fill them)."""
    prof: dict[str, Any] = {}
    for name in NUMERIC:
        if not _blank(value := row.get(name)):
            prof[name] = _number(value, name, where)
    for name in TEXT_FIELDS:
        if not _blank(value := row.get(name)):
            prof[name] = value if isinstance(value, dict) else str(value).strip()
    return prof


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def _number(value: Any, name: str, where: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        out = math.nan
    if not math.isfinite(out):
        raise InputFileError(f"'{value}' is not a number.", where=where, field=name,
                             fix=f"write {name} as a plain number, e.g. 120.",
                             key="fit_number", params={"value": str(value), "name": name})
    return out
