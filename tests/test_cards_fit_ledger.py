"""``kreator cards fit --db``: observations straight from a ledger (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from kreator.cardfit.ledger import read_ledger
from kreator.core.events import IncomeEvent
from kreator.ledger import Ledger, open_ledger
from kreator.ratecards import fx_table, load_card
from test_ledger_support import BACKENDS, fresh_db

STREAMS = set(load_card("current").streams)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_db(request.param, tmp_path)


def add(ledger: Ledger, creator: str, day: str, stream: str, amount: str, cur: str = "USD") -> None:
    ledger.add(creator, IncomeEvent(dt.date.fromisoformat(day), stream, Decimal(amount), cur,
                                    "manual", f"{stream}-{day}-{amount}", ""))


def estimate(followers: int) -> dict:
    return {"card": {"id": "current-2025"}, "currency": "USD", "streams": [],
            "total": {"monthly": {"p10": 1, "p50": 2, "p90": 3, "mean": 2}},
            "profile": {"followers": followers, "views_30d": followers * 8,
                        "sponsored_posts_per_month": 2, "niche": "beauty", "tier": "nano",
                        "engagement_rate": 6.0}}


def test_months_are_paired_with_the_estimate_in_force(url: str, cli) -> None:
    with open_ledger(url) as ledger:
        add(ledger, "maja", "2026-01-15", "sponsorship", "60")
        add(ledger, "maja", "2026-01-20", "sponsorship", "40")
        add(ledger, "maja", "2026-03-15", "sponsorship", "2500", "SEK")
        add(ledger, "maja", "2026-03-20", "other", "5")
        add(ledger, "nils", "2026-01-10", "live_gifts", "9")  # no estimate saved
        ledger.save_estimate("maja", estimate(5000), dt.date(2026, 1, 1), {})
        ledger.save_estimate("maja", estimate(9000), dt.date(2026, 2, 20), {})
    obs = read_ledger(url, STREAMS)
    sek = float(fx_table()["rates"]["SEK"]["per_usd"])
    assert obs.stream == ["sponsorship"] * 3  # 'other' is not a stream of the card
    assert obs.monthly_usd == pytest.approx([100.0, 0.0, 2500 / sek])  # February: zero
    assert [p.followers for p in obs.profiles] == [5000, 5000, 9000]
    assert obs.skipped == 1 and len(set(obs.creator)) == 1
    res = cli("cards", "fit", "--db", url, "--dry-run", "--json")
    assert res.code == 0, res.err
    import json

    data = json.loads(res.out)
    sp = next(s for s in data["streams"] if s["stream"] == "sponsorship")
    assert sp["rows"]["paid"] == 2 and sp["rows"]["zero"] == 1 and data["skipped"] == 1
