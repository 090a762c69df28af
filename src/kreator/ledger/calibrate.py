"""Per-creator, per-stream multipliers learned from actual income (credibility shrinkage).

The rule (Bühlmann credibility, the best linear Bayes estimate of a creator's own level):

* For stream *s* in month *m*, the model expected ``E_m``: the mean for *s* of the estimate in
  force that month (see :mod:`kreator.ledger.compare`), divided by the multiplier that estimate
  was made with (so it is the plain model's expectation).
* Over the *n* months compared in which the model expected something, the creator earned
  ``A_1 … A_n``; their observed ratio is ``R = ΣA / ΣE`` (``ΣA / (n·E)`` with one estimate).
* One month's ratio scatters around the creator's true level with variance
  ``v = exp(σ²) − 1``, where σ is the stream's log-sd on the rate card (its ``spread``).
  A creator's true level scatters around the model's (multiplier 1) with variance
  ``a = exp(τ²) − 1``; τ (``prior_sd``, default 0.5) says the model is typically within a
  factor e^0.5 ≈ 1.65 of a creator before any evidence.
* The credibility of *n* months is ``Z = n / (n + v/a)`` and the new multiplier is
  ``k = Z·R + (1 − Z)·1``: few or noisy months stay near the model, many months move to the
  creator's own ratio. Calibrating again with the same data gives the same k (it is computed from
  all the data each time, not compounded).

Streams with no income recorded in the compared months are left as they are (``no_data``), and
so are streams the estimate gives nothing (``not_eligible``: there is no rate to scale).
Multipliers are saved per creator and used by ``kreator estimate --creator NAME`` and by
``kreator ledger estimate``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete

from kreator.core.errors import LedgerError
from kreator.ledger.compare import Basis, actuals, basis
from kreator.ledger.models import Calibration, utcnow
from kreator.ledger.repo import Ledger

PRIOR_SD = 0.5
SIX = Decimal("0.000001")


@dataclass(frozen=True)
class StreamCalibration:
    stream: str
    status: str  # calibrated | no_data | not_eligible
    before: Decimal
    after: Decimal
    months: int = 0
    ratio: Decimal = Decimal(0)
    credibility: Decimal = Decimal(0)
    expected_before: Decimal = Decimal(0)
    expected_after: Decimal = Decimal(0)

    def to_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.__dict__.items()}


@dataclass
class CalibrationResult:
    creator: str
    estimate_id: int
    currency: str
    months: list[str]
    prior_sd: float
    streams: list[StreamCalibration]
    saved: bool

    def to_dict(self) -> dict[str, Any]:
        return {"creator": self.creator, "estimate_id": self.estimate_id,
                "currency": self.currency, "months": self.months, "prior_sd": self.prior_sd,
                "saved": self.saved, "streams": [s.to_dict() for s in self.streams]}

    def multipliers(self) -> dict[str, Decimal]:
        return {s.stream: s.after for s in self.streams}


def credibility(n: int, sigma: float, prior_sd: float) -> float:
    """Z = n / (n + v/a) with v = exp(σ²) − 1 and a = exp(τ²) − 1."""
    v = math.expm1(sigma * sigma)
    a = math.expm1(prior_sd * prior_sd)
    return n / (n + v / a)


def shrunk(ratio: float, z: float) -> float:
    return z * ratio + (1.0 - z)


def _spread(stream: dict[str, Any]) -> float:
    for f in stream.get("explain", []):
        if f.get("name") == "spread" and f.get("value") is not None:
            return float(f["value"])
    return 0.6  # the cards' usual log-sd when an estimate carries none


def calibrate(ledger: Ledger, creator: str | None, *, estimate_id: int | None = None,
              since: dt.date | None = None, until: dt.date | None = None,
              prior_sd: float = PRIOR_SD, save: bool = True) -> CalibrationResult:
    """Learn the creator's multipliers from their income against a saved estimate."""
    if not 0.01 <= prior_sd <= 5:
        raise LedgerError(f"prior sd must be from 0.01 to 5 (got {prior_sd}).", field="prior_sd",
                          fix="use 0.5 (the default).", key="prior_sd",
                          params={"value": str(prior_sd)})
    _, name = ledger.creator_id(creator)
    base, act = basis(ledger, name, estimate_id,
                      lambda cur: actuals(ledger, name, cur, since=since, until=until))
    latest = base.latest if base.by_month else ledger.estimate_snapshot(name, estimate_id)
    before = ledger.calibration(name)
    seen = act.streams()
    out = []
    for stream in latest.estimate["streams"]:
        sid = stream["id"]
        k0 = before.get(sid, Decimal(1))
        expected = _expected(base, act.months, sid)
        pairs = [(act.get(m, sid), e) for m, e in expected if e > 0]
        if not pairs:
            out.append(StreamCalibration(sid, "not_eligible", k0, k0))
        elif sid not in seen:
            raw = pairs[-1][1]
            out.append(StreamCalibration(sid, "no_data", k0, k0, expected_before=raw * k0,
                                         expected_after=raw * k0))
        else:
            out.append(_one(sid, pairs, k0, _spread(stream), prior_sd))
    if save:
        _save(ledger, name, latest.id, out)
    return CalibrationResult(name, latest.id, base.currency, act.months, prior_sd, out, save)


def _expected(base: Basis, months: list[str], sid: str) -> list[tuple[str, Decimal]]:
    """Each month's plain-model mean for the stream: the estimate in force, its multiplier out."""
    out = []
    for month in months:
        snap = base.by_month[month]
        r = base.ranges[snap.id].get(sid)
        if r is not None:
            k = Decimal((snap.calibration or {}).get(sid, "1"))
            out.append((month, Decimal(str(r["mean"])) / k))
    return out


def _one(sid: str, pairs: list[tuple[Decimal, Decimal]], k0: Decimal, sigma: float,
         prior_sd: float) -> StreamCalibration:
    """``pairs``: (earned, expected by the plain model) for each month compared."""
    n = len(pairs)
    ratio = float(sum((a for a, _ in pairs), Decimal(0)) / sum((e for _, e in pairs), Decimal(0)))
    z = credibility(n, sigma, prior_sd)
    k = Decimal(repr(shrunk(ratio, z))).quantize(SIX)
    q = Decimal("0.01")
    raw_mean = pairs[-1][1]  # the newest estimate's expectation, for "expected before / after"
    return StreamCalibration(sid, "calibrated", k0, k, n, Decimal(repr(ratio)).quantize(SIX),
                             Decimal(repr(z)).quantize(SIX), (raw_mean * k0).quantize(q),
                             (raw_mean * k).quantize(q))


def _save(ledger: Ledger, creator: str, estimate_id: int,
          streams: list[StreamCalibration]) -> None:
    cid, _ = ledger.creator_id(creator)
    done = [s for s in streams if s.status == "calibrated"]
    with ledger.write() as s:
        s.execute(delete(Calibration).where(Calibration.creator_id == cid,
                                            Calibration.stream.in_([c.stream for c in done])))
        s.add_all(Calibration(creator_id=cid, stream=c.stream, multiplier=c.after,
                              months=c.months, ratio=c.ratio, credibility=c.credibility,
                              estimate_id=estimate_id, updated_at=utcnow()) for c in done)
