"""Estimate snapshots: the model's estimate for a creator, saved to compare with what came later."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kreator.core.errors import LedgerError, Phrase
from kreator.core.profile import Profile, parse_profile
from kreator.ledger.repo import Ledger


def creator_profile(ledger: Ledger, creator: str | None, profile: Profile | None) -> Profile:
    """``profile`` if given, else the creator's latest profile snapshot."""
    if profile is not None:
        return profile
    _, name = ledger.creator_id(creator)
    metrics = ledger.latest_profile(name)
    if metrics is None:
        raise LedgerError(f"no profile saved for creator '{name}'.", field="profile",
                          fix="import their TikTok analytics (kreator ledger import PATH), or "
                          "give --profile FILE, --demo or --followers/--views-30d.",
                          key="no_profile", params={"name": name})
    return parse_profile(metrics, where=Phrase(f"the latest profile snapshot of '{name}'",
                                               "latest_snapshot", {"name": name}))


def save_estimate(ledger: Ledger, creator: str | None, profile: Profile | None, *,
                  card: str | Path = "default", draws: int = 10_000, seed: int = 0,
                  as_of: dt.date | None = None, label: str = "",
                  calibrated: bool = True) -> tuple[int, dict[str, Any]]:
    """Estimate the creator (with their calibration unless ``calibrated`` is False) and save it.

    Returns the snapshot id and the Estimate's JSON contract as saved."""
    from kreator.core.estimate import estimate
    from kreator.ratecards import load_card

    the_card = load_card(card)
    chosen = creator_profile(ledger, creator, profile)
    _, name = ledger.creator_id(creator, create=True)
    multipliers = ledger.calibration(name) if calibrated else {}
    est = estimate(chosen, the_card, draws=draws, seed=seed,
                   calibration={k: float(v) for k, v in multipliers.items()})
    data = est.to_dict()
    snap_id = ledger.save_estimate(name, data, as_of or dt.date.today(), multipliers, label)
    return snap_id, data
