"""Reports, compare, calibrate, export and backup on real databases."""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kreator.core.errors import LedgerError
from kreator.core.events import IncomeEvent
from kreator.ledger import Ledger, calibration_for, open_ledger
from kreator.ledger.backup import backup, row_counts
from kreator.ledger.calibrate import calibrate, credibility
from kreator.ledger.compare import compare
from kreator.ledger.export import export, neutralise
from kreator.ledger.reports import chart, monthly
from test_ledger_support import BACKENDS, fresh_db


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_db(request.param, tmp_path)


def add(ledger: Ledger, day: str, stream: str, amount: str, currency: str = "USD",
        note: str = "", creator: str = "maja") -> None:
    d = dt.date.fromisoformat(day)
    ledger.add(creator, IncomeEvent(d, stream, Decimal(amount), currency, "manual",
                                    f"{stream}-{day}-{amount}", note))


def fake_estimate(sponsor_mean: float = 100.0) -> dict[str, Any]:
    """A saved Estimate in the JSON contract's shape, with round numbers to reason about."""
    def stream(sid: str, p10: float, p50: float, p90: float, mean: float) -> dict[str, Any]:
        return {"id": sid, "eligible": mean > 0, "monthly": {"p10": p10, "p50": p50, "p90": p90,
                                                             "mean": mean},
                "explain": [{"name": "spread", "value": 0.5, "source": "card"}]}
    return {"card": {"id": "seed"}, "currency": "USD",
            "streams": [stream("sponsorship", 50 * sponsor_mean / 100, 90 * sponsor_mean / 100,
                               150 * sponsor_mean / 100, sponsor_mean),
                        stream("live_gifts", 0, 0, 0, 0), stream("affiliate", 10, 30, 80, 40)],
            "total": {"monthly": {"p10": 80.0, "p50": 140.0, "p90": 260.0, "mean": 150.0}}}


@pytest.fixture
def history(url: str) -> str:
    """Sponsorship 100, 40, 460 in Jan-Mar 2026 (sum 600), a Creator Rewards payout in Feb."""
    with open_ledger(url) as ledger:
        for day, amount in (("2026-01-15", "100"), ("2026-02-15", "40"), ("2026-03-15", "460")):
            add(ledger, day, "sponsorship", amount)
        add(ledger, "2026-02-28", "creator_rewards", "12.34")
        ledger.save_estimate("maja", fake_estimate(), dt.date(2026, 1, 1), {})
    return url


def test_report_by_month_and_stream_per_currency(url: str, tmp_path: Path) -> None:
    with open_ledger(url) as ledger:
        add(ledger, "2026-01-31", "live_gifts", "6.70")
        add(ledger, "2026-01-02", "live_gifts", "0.35")
        add(ledger, "2026-02-01", "tiktok_shop", "3.90")
        add(ledger, "2026-02-10", "sponsorship", "2500", "SEK")
        rep = monthly(ledger, "maja")
        only_feb = monthly(ledger, "maja", since=dt.date(2026, 2, 1))
    usd, sek = rep.currency("USD"), rep.currency("SEK")
    assert usd.cells == {"2026-01": {"live_gifts": Decimal("7.05")},
                         "2026-02": {"tiktok_shop": Decimal("3.90")}}
    assert usd.total == Decimal("10.95") and usd.counts == {"2026-01": 2, "2026-02": 1}
    assert sek.to_dict()["total"] == "2500.00"
    assert only_feb.currency("USD").months == ["2026-02"]
    png = chart(rep, tmp_path / "c.png")
    svg = chart(rep, tmp_path / "c.svg", currency="SEK")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()[:400]
    with pytest.raises(LedgerError, match=r"\.png or \.svg"):
        chart(rep, tmp_path / "c.pdf")


def test_compare_below_within_above(history: str) -> None:
    with open_ledger(history) as ledger:
        result = compare(ledger, "maja")
    cells = {(c.month, c.stream): c for c in result.cells}
    # sponsorship range 50-150: 100 within, 40 below, 460 above
    assert [cells[(m, "sponsorship")].verdict for m in ("2026-01", "2026-02", "2026-03")] == \
        ["within", "below", "above"]
    # the total (80-260) includes the Creator Rewards payout, which the seed card lacks
    assert cells[("2026-02", "total")].actual == Decimal("52.34")
    assert cells[("2026-02", "total")].verdict == "below"
    assert result.no_data == ["affiliate", "live_gifts"] or result.no_data == ["live_gifts",
                                                                                "affiliate"]
    assert list(result.not_estimated) == ["creator_rewards"]
    assert result.to_dict()["counts"] == {"below": 1, "within": 1, "above": 1}


def test_calibrate_credibility_rule(history: str) -> None:
    # R = 600 / (3 x 100) = 2. With the stream's sigma 0.5 and the prior sd 0.5, v/a = 1, so
    # Z = 3 / (3 + 1) = 0.75 and k = 0.75 x 2 + 0.25 x 1 = 1.75.
    assert credibility(3, 0.5, 0.5) == pytest.approx(0.75)
    with open_ledger(history) as ledger:
        dry = calibrate(ledger, "maja", save=False)
        assert ledger.calibration("maja") == {}
        result = calibrate(ledger, "maja")
        by = {s.stream: s for s in result.streams}
        assert by["sponsorship"].after == Decimal("1.75")
        assert by["sponsorship"].ratio == Decimal("2")
        assert by["sponsorship"].credibility == Decimal("0.75")
        assert (by["sponsorship"].expected_before, by["sponsorship"].expected_after) == \
            (Decimal("100.00"), Decimal("175.00"))
        assert by["live_gifts"].status == "not_eligible" and by["affiliate"].status == "no_data"
        assert dry.multipliers() == result.multipliers()
        # An estimate made with k = 1.75 is divided back to the model's own expectation, so
        # calibrating against it gives the same k: nothing compounds.
        later = ledger.save_estimate("maja", fake_estimate(175.0), dt.date(2026, 4, 1),
                                     {"sponsorship": Decimal("1.75")})
        again = calibrate(ledger, "maja", estimate_id=later)
        assert {s.stream: s.before for s in again.streams}["sponsorship"] == Decimal("1.75")
        assert again.multipliers()["sponsorship"] == Decimal("1.75")
    assert calibration_for(history, "maja") == {"sponsorship": 1.75}


def test_each_month_is_compared_with_the_estimate_in_force_then(history: str) -> None:
    """Estimates saved 2026-01-01 (sponsorship 50-150) and 2026-02-20 (in SEK, twice as
    high): January and February against the first, March against the second; an older
    estimate in another currency is converted; --estimate picks one for every month."""
    from kreator.ledger.compare import fx_factor
    from kreator.ledger.render import compare_text

    with open_ledger(history) as ledger:
        sek = fake_estimate(200.0)
        sek["currency"] = "SEK"
        second = ledger.save_estimate("maja", sek, dt.date(2026, 2, 20), {})
        result = compare(ledger, "maja")
        first = result.estimates[0]["id"]
        only_first = compare(ledger, "maja", estimate_id=first)
    assert result.currency == "SEK" and result.estimate_id == second
    assert [(e["id"], e["months"]) for e in result.estimates] == \
        [(first, ["2026-01", "2026-02"]), (second, ["2026-03"])]
    usd_to_sek, _ = fx_factor("USD", "SEK")
    cells = {(c.month, c.stream): c for c in result.cells}
    jan, mar = cells[("2026-01", "sponsorship")], cells[("2026-03", "sponsorship")]
    assert (jan.estimate_id, mar.estimate_id) == (first, second)
    assert jan.p10 == (50 * usd_to_sek).quantize(Decimal("0.01"))  # the USD estimate, in SEK
    assert mar.p10 == Decimal("100.00") and mar.p90 == Decimal("300.00")  # the SEK one as saved
    assert jan.actual == (100 * usd_to_sek).quantize(Decimal("0.01"))
    assert {"from": "USD", "to": "SEK"}.items() <= result.fx[0].items()
    assert {c.estimate_id for c in only_first.cells} == {first}
    assert only_first.currency == "USD" and len(only_first.estimates) == 1
    text = compare_text(result, "en")
    assert f"Each month against the estimate in force then: {first} (seed, as of 2026-01-01) " \
        f"for 2026-01 to 2026-02; {second} (seed, as of 2026-02-20) for 2026-03 to 2026-03." in text
    assert "Each month against" not in compare_text(only_first, "en")


def test_months_before_the_first_estimate_use_the_first(url: str) -> None:
    with open_ledger(url) as ledger:
        add(ledger, "2025-11-15", "sponsorship", "100")
        add(ledger, "2026-01-15", "sponsorship", "100")
        only = ledger.save_estimate("maja", fake_estimate(), dt.date(2026, 1, 1), {})
        result = compare(ledger, "maja")
    assert result.months == ["2025-11", "2025-12", "2026-01"]
    assert {c.estimate_id for c in result.cells} == {only}


def test_calibrate_sums_what_each_months_estimate_expected(history: str) -> None:
    """Sponsorship 100, 40, 460 earned; the model expected 100, 100 (first estimate) and
    200 (second, saved in March): R = 600 / 400 = 1.5, n = 3, Z = 0.75 -> k = 1.375."""
    with open_ledger(history) as ledger:
        ledger.save_estimate("maja", fake_estimate(200.0), dt.date(2026, 3, 1), {})
        result = calibrate(ledger, "maja", save=False)
    by = {s.stream: s for s in result.streams}["sponsorship"]
    assert (by.months, by.ratio, by.credibility, by.after) == \
        (3, Decimal("1.5"), Decimal("0.75"), Decimal("1.375"))
    assert by.expected_before == Decimal("200.00")  # the newest estimate's expectation


def test_more_months_move_further_from_the_model() -> None:
    z = [credibility(n, 0.6, 0.5) for n in (1, 3, 12, 120)]
    assert z == sorted(z) and 0 < z[0] < 0.5 < z[-1] < 1
    assert credibility(6, 0.6, 2.0) > credibility(6, 0.6, 0.5)  # a wider prior learns faster
    v, a = math.expm1(0.36), math.expm1(0.25)
    assert credibility(1, 0.6, 0.5) == pytest.approx(1 / (1 + v / a))


def test_compare_without_an_estimate_says_how_to_make_one(url: str) -> None:
    with open_ledger(url) as ledger:
        add(ledger, "2026-01-15", "sponsorship", "100")
        with pytest.raises(LedgerError, match="kreator ledger estimate --creator maja"):
            compare(ledger, "maja")


HOSTILE = ["=HYPERLINK(\"http://x.invalid\",\"click\")", "+1+2", "-2+3", "@SUM(A1)",
           "\t=1+1", " -1", "＝1+1", "plain note"]


def test_export_csv_and_xlsx_neutralise_formulas(url: str, tmp_path: Path) -> None:
    with open_ledger(url) as ledger:
        for i, note in enumerate(HOSTILE):
            add(ledger, f"2026-01-{i + 1:02d}", "other", "-5.00" if i == 0 else "1.25", note=note)
        events = ledger.events()
    export(events, tmp_path / "e.csv")
    with (tmp_path / "e.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # notes are stored stripped, so a leading tab or CR is gone before export; neutralise()
    # still covers them for any text that keeps one
    assert neutralise("\tx") == "'\tx" and neutralise("\rx") == "'\rx"
    assert [r["note"] for r in rows] == [neutralise(n.strip()) for n in HOSTILE]
    assert all(r["note"][0] == "'" for r in rows[:4]) and rows[-1]["note"] == "plain note"
    assert rows[6]["note"] == "'＝1+1"
    assert rows[0]["amount"] == "-5.00"  # a number stays a number
    export(events, tmp_path / "e.xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "e.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    header = [c.value for c in next(ws.iter_rows())]
    notes = [r[header.index("note")].value for r in ws.iter_rows(min_row=2)]
    amounts = [r[header.index("amount")] for r in ws.iter_rows(min_row=2)]
    assert notes == [neutralise(n.strip()) for n in HOSTILE]
    assert amounts[0].data_type == "n" and Decimal(str(amounts[0].value)) == Decimal("-5")
    assert amounts[0].number_format == "0.00"
    with pytest.raises(LedgerError, match=r"\.csv or \.xlsx"):
        export(events, tmp_path / "e.ods")


def test_backup_is_a_ledger_with_the_same_rows(history: str, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite"
    with open_ledger(history) as ledger:
        result = backup(ledger, target)
        counts, events = row_counts(ledger), ledger.events()
        with pytest.raises(LedgerError, match="already exists"):
            backup(ledger, target)
    assert result["tables"] == counts and counts["income_event"] == 4
    with open_ledger(str(target)) as copy:
        assert copy.events() == events
        assert row_counts(copy) == counts
        assert compare(copy, "maja").to_dict()["counts"] == {"below": 1, "within": 1,
                                                             "above": 1}
