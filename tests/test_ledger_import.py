"""Import runs: idempotent, all-or-nothing, overlapping exports, updates; real importer files."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from kreator.core.errors import InputFileError
from kreator.core.events import IncomeEvent
from kreator.ledger import EventFilter, open_ledger
from kreator.ledger.importing import import_files
from test_ledger_support import BACKENDS, DATA, FakeFile, fresh_db, shop_events

SHOP = DATA / "tiktok_shop"
OVERLAP = DATA / "overlap"


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_db(request.param, tmp_path)


def total(url: str, creator: str = "maja") -> Decimal:
    with open_ledger(url) as ledger:
        return sum((e.amount for e in ledger.events(EventFilter(creator))), Decimal(0))


def test_same_file_twice_adds_nothing_the_second_time(url: str) -> None:
    f = FakeFile("orders.csv", shop_events(120))
    with open_ledger(url) as ledger:
        first = import_files(ledger, "maja", [f], batch_size=50)
        before = total(url)
        second = import_files(ledger, "maja", [f], batch_size=50)
        assert (first.new, first.unchanged, first.batches) == (120, 0, 3)
        assert (second.new, second.unchanged, second.updated) == (0, 120, 0)
        assert ledger.count() == 120
    assert total(url) == before == sum(e.amount for e in f.events)


def test_overlapping_export_adds_only_the_new_rows(url: str) -> None:
    a = FakeFile("jan-mar.csv", shop_events(300))
    b = FakeFile("mar-may.csv", shop_events(300, start=200))  # o200..o299 are in both
    with open_ledger(url) as ledger:
        import_files(ledger, "maja", [a])
        run = import_files(ledger, "maja", [b])
        assert (run.new, run.unchanged, run.updated) == (200, 100, 0)
        assert ledger.count() == 500
    assert total(url) == sum(e.amount for e in shop_events(500))


def test_a_changed_amount_is_an_update_not_a_copy(url: str) -> None:
    pending = shop_events(3)
    settled = [IncomeEvent(e.date, e.stream, e.amount + Decimal("0.05"), e.currency, e.source,
                           e.natural_key, e.note, details={"state": "settled"})
               if e.natural_key == "o1" else e for e in pending]
    with open_ledger(url) as ledger:
        import_files(ledger, "maja", [FakeFile("pending.csv", pending)])
        run = import_files(ledger, "maja", [FakeFile("settled.csv", settled)])
        assert (run.new, run.unchanged, run.updated) == (0, 2, 1)
        back = {e.natural_key: e for e in ledger.events()}
    assert back["o1"].amount == Decimal("0.06")
    assert back["o1"].import_run_id == run.run_id and back["o1"].details == {"state": "settled"}
    assert back["o0"].import_run_id != run.run_id  # unchanged rows keep where they came from


def test_provenance_alone_does_not_make_an_event_different(url: str) -> None:
    csv_events = shop_events(5)
    api_events = [IncomeEvent(e.date, e.stream, e.amount, e.currency, "test.shop_api",
                              e.natural_key, e.note, details={"file": "orders.json"})
                  for e in csv_events]
    with open_ledger(url) as ledger:
        import_files(ledger, "maja", [FakeFile("orders.csv", csv_events)])
        run = import_files(ledger, "maja", [FakeFile("orders.json", api_events)])
    assert (run.new, run.unchanged, run.updated) == (0, 5, 0)


def test_a_bad_row_fails_the_whole_run_and_keeps_nothing(url: str) -> None:
    events = shop_events(2000)
    bad = events[1500]
    events[1500] = IncomeEvent(bad.date, bad.stream, Decimal("1.234"), "USD", bad.source,
                               bad.natural_key, details={"row": "1502", "file": "orders.csv"})
    with open_ledger(url) as ledger:
        with pytest.raises(InputFileError) as info:
            import_files(ledger, "maja", [FakeFile("orders.csv", events)], batch_size=100)
        assert info.value.where == "orders.csv, row 1502 (key 'o1500')"
        assert info.value.field == "amount"
        assert "Nothing was imported" in info.value.render()
        assert ledger.count() == 0
        run = ledger.runs()[0]
    assert run["status"] == "failed" and "row 1502" in run["error"]
    assert (run["rows_in"], run["rows_ok"]) == (2000, 0)


def test_the_same_key_twice_with_different_values_is_an_error(url: str) -> None:
    events = shop_events(3)
    events.append(IncomeEvent(events[0].date, "tiktok_shop", Decimal("9.99"), "USD", "x", "o0"))
    with open_ledger(url) as ledger:
        with pytest.raises(InputFileError, match="comes twice with different values"):
            import_files(ledger, "maja", [FakeFile("orders.csv", events)])
        assert ledger.count() == 0
        run = import_files(ledger, "maja", [FakeFile("a.csv", shop_events(3)),
                                            FakeFile("b.csv", shop_events(3))])
    assert (run.new, run.duplicates) == (3, 3)


def test_rows_rejected_by_an_importer_fail_the_run(url: str) -> None:
    with open_ledger(url) as ledger:
        with pytest.raises(InputFileError, match="1 of 4 rows were rejected"):
            import_files(ledger, "maja", [FakeFile("o.csv", shop_events(3), rows_rejected=1)])
        assert ledger.count() == 0


def test_profile_snapshot_is_kept(url: str) -> None:
    with open_ledger(url) as ledger:
        import_files(ledger, "maja", [FakeFile("o.csv", shop_events(1))],
                     profile={"followers": 4012, "views_30d": 41000},
                     taken_on=dt.date(2026, 5, 18))
        assert ledger.latest_profile("maja") == {"followers": 4012, "views_30d": 41000}


# End to end through the real importers and the real command line ------------------------------

def _cli_json(cli, *args: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    r = cli(*args, "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)  # type: ignore[no-any-return]


def test_cli_import_of_real_shop_exports_is_idempotent(cli, url: str) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("kreator.importers")
    csv = str(SHOP / "affiliate_orders_export.seller_center_style.csv")
    first = _cli_json(cli, "ledger", "import", csv, "--creator", "maja", "--db", url)
    assert first["new"] == first["events"] > 0 and first["status"] == "done"
    assert first["rows_in"] == first["rows_ok"] + first["rows_rejected"]
    before = total(url)
    r = cli("ledger", "import", csv, "--creator", "maja", "--db", url)
    assert r.code == 0
    assert f"0 new, {first['events']} unchanged, 0 updated" in r.out
    both = _cli_json(cli, "ledger", "import", str(SHOP), "--creator", "maja", "--db", url)
    assert both["new"] == 0  # the Partner API JSON holds the same orders as the CSV
    assert total(url) == before


def test_cli_overlapping_exports(cli, url: str) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("kreator.importers")
    early, late = sorted(OVERLAP.glob("orders_2026-*.csv"))
    a = _cli_json(cli, "ledger", "import", str(early), "--db", url)
    b = _cli_json(cli, "ledger", "import", str(late), "--db", url)
    full = _cli_json(cli, "ledger", "import",
                     str(SHOP / "affiliate_orders_export.seller_center_style.csv"), "--db", url)
    assert a["new"] == 5 and b["unchanged"] == 2 and b["new"] == b["events"] - 2
    assert full["new"] == 0 and full["unchanged"] == a["new"] + b["new"]


def test_cli_bad_row_names_the_row_and_keeps_nothing(cli, url: str) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("kreator.importers")
    r = cli("ledger", "import", str(OVERLAP / "orders_bad_row.csv"), "--db", url)
    assert r.code == 2
    assert "orders_bad_row.csv, row 4: Time Created" in r.err
    assert "Nothing was imported" in r.err and "Traceback" not in r.err
    with open_ledger(url) as ledger:
        assert ledger.count() == 0
        assert ledger.runs()[0]["status"] == "failed"
