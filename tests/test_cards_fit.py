"""``kreator cards fit``: recovery of a known card, observation formats, the fitted card."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from kreator.cardfit.fit import fit_card
from kreator.cardfit.observations import Observations, add_row, read_files
from kreator.cardfit.synth import observations
from kreator.ratecards import load_card

CARD = load_card("current")
STREAMS = set(CARD.streams)


def _obs(rows: list[dict]) -> Observations:
    out = Observations()
    for i, row in enumerate(rows):
        add_row(out, row, STREAMS, f"row {i}")
    return out


@pytest.fixture(scope="module")
def doubled():
    """400 creators x 2 months from the current card, sponsorship's true rate doubled."""
    rows = list(observations(CARD, 400, months=2, seed=7, multiplier={"sponsorship": 2.0},
                             zero_share=0.02))
    return rows, fit_card(_obs(rows), CARD)


def test_recovers_the_doubled_rate_within_its_interval(doubled) -> None:
    _, result = doubled
    fits = result.fitted()
    lo, hi = fits["sponsorship"].multiplier_90
    assert lo <= 2.0 <= hi and lo > 1.5
    for sid, f in fits.items():
        if sid == "sponsorship":
            continue
        assert f.multiplier_90[0] <= 1.0 <= f.multiplier_90[1], sid
        spec = CARD.streams[sid]
        assert f.sigma_lo_90[0] <= spec.spread.value <= f.sigma_lo_90[1], sid
        assert f.sigma_hi_90[0] <= spec.spread_upper <= f.sigma_hi_90[1], sid


def test_zero_payouts_and_ineligible_months_are_counted_not_dropped(doubled) -> None:
    rows, result = doubled
    by = {s.stream: s for s in result.streams}
    for sid, s in by.items():
        n = s.counts
        assert n["in"] == sum(1 for r in rows if r["stream"] == sid)
        assert n["in"] == n["paid"] + n["zero"] + n["ineligible"] + n["no_activity"] + \
            n["own_rate"]
    assert by["sponsorship"].counts["zero"] > 0 and by["sponsorship"].fit is not None
    assert 0 < by["sponsorship"].fit.zero_share < 0.1
    assert by["creator_rewards"].counts["ineligible"] > 0


def test_held_out_coverage_of_the_fitted_card_is_not_worse(doubled) -> None:
    _, result = doubled
    rows = {s.stream: s for s in result.streams if s.fit is not None}
    sp = rows["sponsorship"]
    assert sp.coverage["fitted"] > sp.coverage["base"] + 0.1
    n = {sid: s.counts["paid"] + s.counts["zero"] for sid, s in rows.items()}
    base = sum(s.coverage["base"] * n[sid] for sid, s in rows.items())
    fitted = sum(s.coverage["fitted"] * n[sid] for sid, s in rows.items())
    assert fitted >= base


def test_held_out_coverage_per_stream_is_worse_by_no_more_than_noise(doubled) -> None:
    """Per stream, "never worse" cannot be promised where the base card is the truth (every
    stream here but sponsorship): there the base card is the model the rows were drawn from,
    the fitted card can only tie it in expectation, and its held-out coverage lands a few rows
    either side (over seeds 0-7: 15 of 48 such streams lost 1-17 rows of up to 800). So per
    stream: the stream whose rate was wrong gains more than two binomial standard errors of
    its coverage, and no stream loses more than two (sqrt(0.8 x 0.2 / rows))."""
    _, result = doubled
    for s in result.streams:
        if s.fit is None:
            continue
        se = math.sqrt(0.8 * 0.2 / (s.counts["paid"] + s.counts["zero"]))
        gain = s.coverage["fitted"] - s.coverage["base"]
        if s.stream == "sponsorship":
            assert gain > 2 * se, (s.stream, gain, se)
        assert gain >= -2 * se, (s.stream, gain, se)


def test_three_observations_stay_near_the_prior() -> None:
    rows = [r for r in observations(CARD, 3, months=1, seed=3, multiplier={"sponsorship": 2.0})
            if r["stream"] == "sponsorship"]
    obs = _obs(rows)
    result = fit_card(obs, CARD)
    fit = result.fitted()["sponsorship"]
    from kreator.cardfit.baseline import baseline

    data = math.exp(float(np.mean(np.log(np.array(obs.monthly_usd) /
                                         baseline(obs, CARD).median))))
    assert fit.multiplier_90[0] <= 1.0 <= fit.multiplier_90[1]
    assert abs(math.log(fit.multiplier)) < 0.6 * abs(math.log(data))


ROWS = [{"creator": "a", "stream": "sponsorship", "amount": 1074.63, "currency": "SEK",
         "period_days": 15, "followers": 5000, "views_30d": 40000, "niche": "beauty",
         "audience": "SE=0.7,US=0.3", "sponsored_posts_per_month": 2},
        {"creator": "b", "stream": "live_gifts", "amount": 0, "currency": "USD",
         "period_days": 30, "followers": 2500, "views_30d": 15000, "lives_per_month": 4}]


def _write_all(tmp_path: Path) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    keys = sorted({k for r in ROWS for k in r})
    with (tmp_path / "o.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        w.writerows(ROWS)
    (tmp_path / "o.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    (tmp_path / "o.yaml").write_text(yaml.safe_dump(ROWS))
    pq.write_table(pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in ROWS]),
                   tmp_path / "o.parquet")
    return [tmp_path / f"o.{s}" for s in ("csv", "jsonl", "yaml", "parquet")]


def test_every_file_format_reads_the_same_rows_in_dollars_a_month(tmp_path: Path) -> None:
    got = [read_files([p], STREAMS) for p in _write_all(tmp_path)]
    sek = float(load_card("current") and __import__("kreator.ratecards", fromlist=["x"])
                .fx_table()["rates"]["SEK"]["per_usd"])
    for obs in got:
        assert obs.creator == ["a", "b"] and obs.stream == ["sponsorship", "live_gifts"]
        assert obs.monthly_usd[0] == pytest.approx(1074.63 * 30 / 15 / sek)
        assert obs.monthly_usd[1] == 0
        assert obs.profiles[0].audience == {"SE": 0.7, "US": 0.3}
        assert obs.profiles == got[0].profiles
        assert "SEK" in obs.fx_used


def test_missing_profile_fields_take_the_base_cards_defaults() -> None:
    from kreator.cardfit.baseline import baseline

    bare = {"creator": "a", "stream": "sponsorship", "amount": 50, "followers": 5000,
            "views_30d": 40000, "sponsored_posts_per_month": 1}
    full = {**bare, "likes_30d": 2000, "comments_30d": 200, "shares_30d": 200, "quality": 3,
            "videos_30d": 12, "age": 25}
    other = {**full, "likes_30d": 8000}
    m = baseline(_obs([bare, full, other]), CARD).median
    assert m[0] == pytest.approx(m[1]) and m[2] != pytest.approx(m[1])


def test_validation_cases_are_observations() -> None:
    obs = read_files([Path("tests/data/validation/public_cases.yaml")], STREAMS)
    cases = yaml.safe_load(Path("tests/data/validation/public_cases.yaml").read_text())
    usable = [c for c in cases if c.get("usable") is not False and c["stream"] in STREAMS]
    assert len(obs) == len(usable) and len(obs) + obs.skipped == len(cases)
    assert obs.stream == [c["stream"] for c in usable]


@pytest.mark.parametrize(("row", "words"), [
    ({"creator": "a", "stream": "sponsorhsip", "amount": 1, "followers": 1, "views_30d": 1},
     "unknown stream 'sponsorhsip'"),
    ({"creator": "a", "stream": "sponsorship", "amount": "ten", "followers": 1, "views_30d": 1},
     "amount: 'ten' is not a number"),
    ({"creator": "a", "stream": "sponsorship", "amount": 5, "views_30d": 1},
     "followers: the column 'followers' is missing"),
    ({"creator": "a", "stream": "sponsorship", "amount": 5, "followers": 1, "views_30d": 1,
      "currency": "XYZ"}, "currency: no exchange rate for 'XYZ'"),
])
def test_a_bad_row_names_file_row_and_field(cli, tmp_path: Path, row: dict, words: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"creator": "ok", "stream": "sponsorship", "amount": 5,
                                "followers": 10, "views_30d": 10}) + "\n" + json.dumps(row) + "\n")
    res = cli("cards", "fit", str(path), "--dry-run")
    assert res.code == 2
    assert f"{path}, row 2" in res.err and words in res.err, res.err


@pytest.fixture(scope="module")
def sim_csv(tmp_path_factory) -> Path:
    rows = list(observations(CARD, 80, months=2, seed=11, multiplier={"live_gifts": 0.5}))
    path = tmp_path_factory.mktemp("fit") / "payouts.csv"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def test_fit_writes_a_card_every_command_accepts(cli, sim_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "fitted.toml"
    res = cli("cards", "fit", str(sim_csv), "--base", "current", "-o", str(out),
              "--date", "2030-01-02")
    assert res.code == 0, res.err
    text = out.read_text()
    assert "c000000" not in text and "c000079" not in text
    source = ("fitted from 1120 observations of 80 creators, base current-2025, 2030-01-02, "
              "partial pooling")
    card = load_card(str(out))
    assert card.streams["live_gifts"].rate.source.startswith(source)
    assert card.streams["live_gifts"].rate.high < CARD.streams["live_gifts"].rate.high * 0.8
    assert cli("estimate", "--card", str(out), "--followers", "5000", "--views-30d", "40000",
               "--lives-per-month", "4").code == 0
    show = cli("cards", "show", str(out))
    assert "provenance: " + source in show.out
    shown = json.loads(cli("cards", "show", str(out), "--json").out)
    assert shown["card"]["fit"]["observations"] == 1120 and shown["card"]["fit"]["creators"] == 80
    diff = json.loads(cli("cards", "diff", "current", str(out), "--json").out)
    high = next(r for r in diff["changed"] if r["key"] == "streams.live_gifts.rate.high")
    assert high["ratio"] == pytest.approx(card.streams["live_gifts"].rate.high / 30)
    assert not any(r["key"].startswith("factors.") for r in diff["changed"])


def test_dry_run_json_reports_and_writes_nothing(cli, sim_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "never.toml"
    res = cli("cards", "fit", str(sim_csv), "-o", str(out), "--dry-run", "--json")
    assert res.code == 0 and not out.exists()
    data = json.loads(res.out)
    assert data["written"] is None and data["rows"] == 1120
    lg = next(s for s in data["streams"] if s["stream"] == "live_gifts")
    assert lg["fit"]["multiplier_90"][0] <= 0.5 <= lg["fit"]["multiplier_90"][1]
    assert lg["coverage"]["fitted"] > lg["coverage"]["base"]
    text = cli("cards", "fit", str(sim_csv), "--dry-run").out
    assert "dry run: nothing written" in text and "live_gifts" in text


def test_diff_of_a_card_with_itself_is_empty(cli) -> None:
    assert cli("cards", "diff", "current", "current-2025").out.strip() == "no figure differs"


def test_a_fit_reads_its_rows_in_parts_and_lets_each_go(doubled) -> None:
    """Bounded memory: the fit scores each part as it comes and keeps no part (so no profile)
    once the next is read; the parts give the same fit as all rows at once."""
    import gc
    import weakref

    from kreator.cardfit.baseline import collect

    rows, whole = doubled
    made: list[weakref.ref[Observations]] = []
    most = 0

    def alive() -> int:
        gc.collect()
        return sum(ref() is not None for ref in made)

    def parts():
        nonlocal most
        for i in range(0, len(rows), 97):
            most = max(most, alive())  # the consumer may still hold the previous part
            part = _obs(rows[i:i + 97])
            made.append(weakref.ref(part))
            yield part

    scored = collect(parts(), CARD)
    assert alive() == 0 and most == 1 and len(made) == -(-len(rows) // 97) > 2
    assert len(scored) == len(rows) and scored.creators == 400
    assert scored.monthly_usd.nbytes + scored.median.nbytes + scored.creator.nbytes \
        + scored.stream.nbytes + scored.kind.nbytes == 22 * len(rows)
    assert fit_card(scored, CARD).to_dict() == whole.to_dict()


def test_files_are_read_in_parts_of_at_most_chunk_rows(tmp_path: Path) -> None:
    from kreator.cardfit.observations import iter_files

    rows = list(observations(CARD, 7, months=3, seed=5))
    path = tmp_path / "obs.csv"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    sizes = [len(p) for p in iter_files([path, path], STREAMS, chunk=10)]
    assert sizes[:-1] == [10] * (len(sizes) - 1) and sum(sizes) == 2 * len(rows)
    assert 0 <= sizes[-1] <= 10
