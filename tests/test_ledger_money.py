"""Money: exact round trips through a real database and exact sums in reports (Hypothesis)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kreator.core.errors import LedgerError
from kreator.core.events import STREAMS, IncomeEvent
from kreator.ledger import Ledger, open_ledger
from kreator.ledger.importing import import_files
from kreator.ledger.money import digits, from_minor, parse_amount, to_minor
from kreator.ledger.reports import monthly
from test_ledger_support import BACKENDS, FakeFile, fresh_db

# Currencies with 0, 2, 3 and 4 decimals (CLDR): JPY, ISK / USD, SEK, EUR / KWD, BHD / CLF.
CURRENCIES = ["USD", "SEK", "EUR", "JPY", "ISK", "KWD", "BHD", "CLF", "GBP", "BRL"]
SHARED = settings(max_examples=40, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(params=BACKENDS, scope="module")
def ledger(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    """One real ledger per backend for all examples (each example uses fresh keys/creators)."""
    gen = fresh_db(request.param, tmp_path_factory.mktemp("money"))
    url = next(gen)
    with open_ledger(url) as opened:
        yield opened
    gen.close()


def test_minor_units_come_from_babel() -> None:
    assert [digits(c) for c in ("USD", "JPY", "KWD", "CLF", "SEK")] == [2, 0, 3, 4, 2]
    assert to_minor(Decimal("12.34"), "USD") == 1234
    assert to_minor(Decimal("1234"), "JPY") == 1234
    assert to_minor(Decimal("1.234"), "KWD") == 1234
    assert from_minor(-5, "USD") == Decimal("-0.05")
    assert str(from_minor(100, "USD")) == "1.00"


def test_floats_and_non_numbers_are_refused() -> None:
    with pytest.raises(LedgerError, match="float"):
        parse_amount(0.1)  # type: ignore[arg-type]
    for bad in ("1,50", "NaN", "inf", "12 kr", ""):
        with pytest.raises(LedgerError):
            parse_amount(bad)


def test_rounding_is_refused_unless_converted() -> None:
    with pytest.raises(LedgerError, match="more decimals than USD allows"):
        to_minor(Decimal("0.005"), "USD")
    assert to_minor(Decimal("0.005"), "USD", rounded=True) == 0  # half to even
    assert to_minor(Decimal("0.015"), "USD", rounded=True) == 2


amounts = st.tuples(st.sampled_from(CURRENCIES),
                    st.integers(min_value=-(10**15), max_value=10**15))


@SHARED
@given(amounts)
def test_round_trip_to_the_minor_unit(ledger: Ledger, cur_minor: tuple[str, int]) -> None:
    currency, minor = cur_minor
    amount = Decimal(minor).scaleb(-digits(currency))
    key = uuid.uuid4().hex
    view, created = ledger.add("money", IncomeEvent(dt.date(2026, 3, 1), "other", amount,
                                                    currency, "test", key))
    assert created
    back = next(e for e in ledger.events() if e.natural_key == key)
    assert back.amount == amount and back.currency == currency
    assert str(back.amount) == str(from_minor(minor, currency))
    assert view.amount == amount


events_strategy = st.lists(
    st.tuples(st.integers(0, 400), st.sampled_from(STREAMS), st.sampled_from(["USD", "JPY", "KWD"]),
              st.integers(-(10**12), 10**12)),
    min_size=1, max_size=60)


@SHARED
@given(events_strategy)
def test_report_sums_equal_decimal_sums(ledger: Ledger,
                                        rows: list[tuple[int, str, str, int]]) -> None:
    creator = "c-" + uuid.uuid4().hex[:10]
    events = [IncomeEvent(dt.date(2025, 1, 1) + dt.timedelta(days=day), stream,
                          Decimal(minor).scaleb(-digits(cur)), cur, "test", f"k{i}")
              for i, (day, stream, cur, minor) in enumerate(rows)]
    import_files(ledger, creator, [FakeFile("h.csv", events)])
    expected: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for e in events:
        expected[(e.currency, e.date.strftime("%Y-%m"), e.stream)] += e.amount
    report = monthly(ledger, creator)
    got = {(c.currency, m, s): v for c in report.currencies for m, row in c.cells.items()
           for s, v in row.items()}
    assert got == dict(expected)
    for c in report.currencies:
        assert c.total == sum(e.amount for e in events if e.currency == c.currency)
        assert c.to_dict()["total"] == str(c.total)
