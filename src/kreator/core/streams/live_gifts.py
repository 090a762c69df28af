"""LIVE gifts: paid per live stream.

monthly = lives_per_month x gifts per stream, placed in the card's range (seed: $20-$200).
When the creator knows their average LIVE length, the per-stream figure scales with
minutes / ``reference_minutes``; when they know average viewers, with
(viewers / ``reference_viewers``) ^ ``viewer_exponent`` in place of the tier rule. Otherwise,
beyond the tier, by reach with the card's ``reach_power`` rule. Reach is the larger of
followers and the geometric mean of followers and views per video: a viral video brings
viewers who do not follow yet, but most of them do not come back for a LIVE.
"""

from __future__ import annotations

import numpy as np

from kreator.core.card import Card, StreamSpec
from kreator.core.columns import Inputs
from kreator.core.streams.base import StreamResult, Term, evaluate

VOLUME = "lives_per_month"
"""The profile field this stream's volume comes from."""


def model(spec: StreamSpec, inputs: Inputs, card: Card) -> StreamResult:
    c = inputs.cols
    volume = c[VOLUME]
    term = Term("volume", volume, "profile.lives_per_month", "live streams a month")
    result = evaluate(spec, inputs, card, volume, "live stream", term)
    _scale_known(result, spec, c["live_avg_minutes"], "reference_minutes", 1.0, "live_avg_minutes")
    viewer_exp = spec.extras.get("viewer_exponent")
    exp = viewer_exp.value if viewer_exp is not None and viewer_exp.value is not None else 1.0
    _scale_known(result, spec, c["live_avg_viewers"], "reference_viewers", exp, "live_avg_viewers",
                 replaces_tier=True)
    return result


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
