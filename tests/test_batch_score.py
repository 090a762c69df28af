"""kreator.batch.score: the same model one creator sees, over whole tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kreator
import kreator.batch
from kreator.batch.mapping import resolve
from kreator.batch.scorer import Options
from kreator.batch.synth import synth
from kreator.batch.table import make_plan, score_part
from kreator.core.errors import InputFileError
from kreator.ratecards import load_card

PROFILES = [
    {"followers": 4000, "views_30d": 40000, "niche": "beauty", "audience": "US=0.7,GB=0.2"},
    {"followers": 25000, "views_30d": 400000, "niche": "tech", "country": "SE", "age": 30,
     "lives_per_month": 4, "sponsored_posts_per_month": 2, "affiliate_sales_per_month": 10,
     "affiliate_avg_commission": 3.5},
    {"followers": 800_000, "views_30d": 9_000_000, "videos_30d": 30, "likes_30d": 600_000,
     "niche": "food", "country": "BR", "live_avg_viewers": 300, "lives_per_month": 8,
     "shop_gmv_per_month": 20000, "shop_commission_rate": 0.12},
    # the stream's own tables: the fund's European pool, the Shop and affiliate categories
    {"followers": 12000, "views_30d": 150000, "niche": "tech", "country": "IT", "age": 30,
     "audience": "IT=0.6,US=0.3", "shop_gmv_per_month": 500, "affiliate_sales_per_month": 3},
]


def _table(rows: list[dict]) -> pa.Table:
    names = list(dict.fromkeys(k for r in rows for k in r))
    return pa.table({n: [r.get(n) for r in rows] for n in names})


@pytest.mark.parametrize("card_id", ["seed", "current"])
def test_matches_the_single_creator_estimate(card_id: str) -> None:
    """Per stream exactly; the total exactly too when forced to the same Monte Carlo."""
    from kreator.profile_io import parse_audience

    card = load_card(card_id)
    out = kreator.batch.score(_table(PROFILES), card, mc=10_000, seed=0).to_pylist()
    for row, prof in zip(out, PROFILES, strict=True):
        p = dict(prof)
        if "audience" in p:
            p["audience"] = parse_audience(p["audience"])
        est = kreator.estimate(p, card=card, draws=10_000, seed=0)
        for s in est.streams:
            assert row[f"{s.id}_eligible"] == s.eligible
            for q in ("p10", "p50", "p90", "mean"):
                assert row[f"{s.id}_{q}"] == pytest.approx(getattr(s.monthly, q), rel=1e-12)
            assert sorted(filter(None, row[f"{s.id}_unmet"].split(";"))) == sorted(
                u.rule for u in s.unmet)
            for u in s.unmet:
                if u.gap is not None:
                    assert row[f"{s.id}_gap_{u.rule}"] == pytest.approx(u.gap)
        for q in ("p10", "p50", "p90", "mean"):
            assert row[f"total_{q}"] == pytest.approx(getattr(est.monthly, q), rel=1e-12)
        assert row["tier"] == est.profile["tier"]


def test_closed_form_total_is_near_the_estimate() -> None:
    card = load_card("seed")
    out = kreator.batch.score(_table(PROFILES), card).to_pylist()
    for row, prof in zip(out, PROFILES, strict=True):
        from kreator.profile_io import parse_audience

        p = dict(prof)
        if "audience" in p:
            p["audience"] = parse_audience(p["audience"])
        est = kreator.estimate(p, card=card, draws=200_000, seed=1)
        assert row["total_p50"] == pytest.approx(est.monthly.p50, rel=0.06)  # docs/batch.md
        assert row["total_mean"] == pytest.approx(est.monthly.mean, rel=1e-9)


def test_pandas_in_pandas_out_and_columns_mapping() -> None:
    df = pd.DataFrame({"handle": ["@a", "@b"], "follower_count": [4000, 25000],
                       "views_30d": [40000, 400000]})
    out = kreator.batch.score(df, "seed", columns={"followers": "follower_count"},
                              keep=["handle"])
    assert isinstance(out, pd.DataFrame)
    assert out["handle"].tolist() == ["@a", "@b"]
    assert out["row"].tolist() == [1, 2]
    assert out["creator_fund_eligible"].tolist() == [False, True]


def test_audience_share_columns_equal_the_audience_text() -> None:
    text = _table([{"followers": 5000, "views_30d": 90000, "audience": "US=0.5,SE=0.25"}])
    cols = _table([{"followers": 5000, "views_30d": 90000, "audience_US": 0.5, "audience_se": 0.25}])
    a, b = kreator.batch.score(text), kreator.batch.score(cols)
    for name in a.column_names:
        if name.endswith(("_p50", "_mean")):
            assert a[name][0].as_py() == pytest.approx(b[name][0].as_py(), rel=1e-12)


def test_rejects_raise_by_default_and_can_be_dropped_or_returned() -> None:
    t = _table([{"followers": 10, "views_30d": 5}, {"followers": -1, "views_30d": 5},
                {"followers": 3, "views_30d": None}])
    with pytest.raises(InputFileError, match=r"2 row\(s\) rejected; the first: followers"):
        kreator.batch.score(t)
    assert kreator.batch.score(t, rejects="drop").num_rows == 1
    scored, rejects = kreator.batch.score_with_rejects(t)
    assert scored.num_rows + rejects.num_rows == t.num_rows
    assert rejects.column("row").to_pylist() == [2, 3]
    assert rejects.column("field").to_pylist() == ["followers", "views_30d"]
    assert "is required" in rejects.column("reason")[1].as_py()


def test_missing_required_column_names_it_and_lists_present() -> None:
    t = pa.table({"follower_count": [1], "views": [2]})
    with pytest.raises(InputFileError) as err:
        kreator.batch.score(t)
    msg = str(err.value)
    assert "'followers'" in msg and "follower_count, views" in msg and "--map followers=" in msg
    with pytest.raises(InputFileError, match=r"column 'nope' .mapped to views_30d. is not in the file"):
        kreator.batch.score(t, columns={"followers": "follower_count", "views_30d": "nope"})


def _score(table: pa.Table, batch: int, card_id: str = "seed", mc: int | None = None) -> pa.Table:
    card = load_card(card_id)
    plan = make_plan(resolve(table.column_names), Options(card, mc, 3), table.schema)
    parts, offset = [], 0
    for b in table.to_batches(max_chunksize=batch):
        parts.append(score_part(b, plan, offset)[0])
        offset += b.num_rows
    return pa.concat_tables(parts)


@settings(max_examples=8, deadline=None)
@given(st.integers(1, 700), st.sampled_from(["seed", "current"]))
def test_chunk_size_does_not_change_any_number(batch: int, card_id: str) -> None:
    table = synth(700, load_card(card_id), seed=5)
    assert _score(table, batch, card_id).equals(_score(table, 700, card_id))


def test_chunk_size_invariance_holds_for_the_monte_carlo_too() -> None:
    table = synth(120, load_card("seed"), seed=6)
    assert _score(table, 7, mc=500).equals(_score(table, 120, mc=500))


def test_row_order_does_not_change_a_creators_numbers() -> None:
    table = synth(500, load_card("seed"), seed=8)
    perm = np.random.default_rng(0).permutation(500)
    a = _score(table, 128).sort_by("id")
    b = _score(table.take(pa.array(perm)), 128).sort_by("id")
    assert a.drop(["row"]).equals(b.drop(["row"]))
    assert b.column("row").to_pylist() == (np.argsort(perm) + 1).tolist()
