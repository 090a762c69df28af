"""Kreator: what a small TikTok creator earns, could earn, and should do next.

>>> import kreator
>>> est = kreator.estimate({"followers": 4000, "views_30d": 40000})
>>> est.stream("creator_fund").eligible
False
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kreator.core.card import Card
    from kreator.core.estimate import Estimate
    from kreator.core.profile import Profile

__all__ = ["Estimate", "Profile", "__version__", "demo_profile", "estimate", "estimate_many",
           "load_card"]


def estimate(profile: Profile | Mapping[str, Any], card: str | Path | Card = "default", *,
             draws: int = 10_000, seed: int = 0) -> Estimate:
    """Estimate a creator's monthly income on a rate card (id, path or Card)."""
    from kreator.core.estimate import estimate as _estimate
    from kreator.ratecards import load_card as _load

    return _estimate(profile, _load(card), draws=draws, seed=seed)


def estimate_many(profiles: Sequence[Profile | Mapping[str, Any]], card: str | Path | Card = "default",
                  *, draws: int = 10_000, seed: int = 0) -> list[Estimate]:
    """:func:`estimate` for several creators in one call: each result is the same as estimating
    that creator alone, for a fraction of the work per creator (one batch through the model)."""
    from kreator.core.estimate import estimate_many as _many
    from kreator.ratecards import load_card as _load

    return _many(profiles, _load(card), draws=draws, seed=seed)


def load_card(ref: str | Path = "default") -> Card:
    """A built-in card by id (``seed``, ``current``) or a user's TOML card."""
    from kreator.ratecards import load_card as _load

    return _load(ref)


def demo_profile() -> Profile:
    """The built-in demo creator: a typical small creator as the seed describes one."""
    from kreator.core.demo import DEMO

    return DEMO


def __getattr__(name: str) -> Any:
    if name in ("Estimate", "Profile"):
        from kreator.core import estimate as e
        from kreator.core import profile as p

        return {"Estimate": e.Estimate, "Profile": p.Profile}[name]
    raise AttributeError(name)
