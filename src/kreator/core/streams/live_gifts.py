"""LIVE gifts: paid per live stream.

monthly = lives_per_month x gifts per stream, placed in the card's range (seed: $20-$200) by
the four factors and the creator's size. Size is the LIVE audience (``size.kind =
"live_audience"``: the followers a video reaches, raised towards the views per video by a
geometric mean: a viral video brings viewers who do not follow yet, but most of them do not
come back for a LIVE). When the creator knows their average concurrent viewers, the size comes
from them instead, placed in the card's ``viewers_band`` (the viewers of the tier's smallest
and largest creators). A known average LIVE length scales the per-stream figure by
minutes / ``reference_minutes``.
"""

from __future__ import annotations

import numpy as np

from kreator.core.card import Card, StreamSpec
from kreator.core.columns import Inputs
from kreator.core.factors import engagement_score
from kreator.core.streams.base import StreamResult, Term, band, evaluate, size_score

VOLUME = "lives_per_month"
"""The profile field this stream's volume comes from."""


def model(spec: StreamSpec, inputs: Inputs, card: Card) -> StreamResult:
    c = inputs.cols
    volume = c[VOLUME]
    term = Term("volume", volume, "profile.lives_per_month", "live streams a month")
    size, engagement = _viewer_scores(spec, inputs, card)
    result = evaluate(spec, inputs, card, volume, "live stream", term, size=size,
                      engagement=engagement)
    _scale_known(result, spec, c["live_avg_minutes"], "reference_minutes", 1.0, "live_avg_minutes")
    if "viewers_band" in spec.extras:
        return result
    viewer_exp = spec.extras.get("viewer_exponent")
    exp = viewer_exp.value if viewer_exp is not None and viewer_exp.value is not None else 1.0
    _scale_known(result, spec, c["live_avg_viewers"], "reference_viewers", exp, "live_avg_viewers",
                 replaces_tier=True)
    return result


def _viewer_scores(spec: StreamSpec, inputs: Inputs,
                   card: Card) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Size and engagement scores from known average viewers (NaN for creators who did not
    give them; None when nobody in the batch did).

    The viewers stand in for the reach: they are mapped onto the reach scale (the band's
    viewers onto its views, geometrically) and engagement is read per view of that reach, so
    more views or followers do not move the LIVE figure once viewers are known, and more
    viewers never lower it (docs/model.md)."""
    vb = spec.extras.get("viewers_band")
    viewers = inputs.cols["live_avg_viewers"]
    have = ~np.isnan(viewers)
    if vb is None or vb.low is None or vb.high is None or not have.any():
        return None, None
    size = size_score(np.nan_to_num(viewers), vb.low, vb.high)
    r_lo, r_hi = band(card)
    as_views = r_lo * (r_hi / r_lo) ** size
    rate = 100.0 * inputs.cols["engagements_per_video"] / as_views
    eng = engagement_score(rate, card.factors["engagement"])
    return np.where(have, size, np.nan), np.where(have, eng, np.nan)


def _scale_known(result: StreamResult, spec: StreamSpec, known: np.ndarray, ref_key: str,
                 exponent: float, name: str, replaces_tier: bool = False) -> None:
    ref = spec.extras.get(ref_key)
    have = ~np.isnan(known)
    if ref is None or ref.value is None or not have.any():
        return
    factor = np.where(have, (np.nan_to_num(known) / ref.value) ** exponent, 1.0)
    if replaces_tier:
        tier = next((t.value for t in result.terms if t.name == "tier_scale"), None)
        if tier is not None:
            factor = np.where(have, factor / tier, factor)
    result.rate = result.rate * factor
    result.low = result.low * factor
    result.high = result.high * factor
    shown = np.where(have, factor, np.nan)  # not in the breakdown of creators who did not say
    result.terms.append(Term(f"scale.{name}", shown, f"profile.{name} / streams.{spec.id}.{ref_key}",
                             f"x (your {name} / {ref.value:g})^{exponent:g}"))
