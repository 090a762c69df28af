"""One fit, start to end: read the observations (files and/or a ledger), fit every stream of
the base card, write the fitted card's TOML and check that it loads. ``kreator cards fit`` and
the web app's fit page both call :func:`fit_run`, so the same ledger and options give the same
card byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kreator.cardfit.fit import FitResult
from kreator.core.errors import InputFileError, LedgerError

if TYPE_CHECKING:
    from kreator.cardfit.observations import Observations


@dataclass(frozen=True)
class FitRun:
    """What a fit made: the report and the fitted card (TOML text, id)."""

    base_id: str
    date: str
    result: FitResult
    toml: str
    card_id: str

    def report(self) -> dict[str, Any]:
        """The ``--json`` report (without ``written``)."""
        return {"base": self.base_id, "date": self.date, "card": self.card_id,
                **self.result.to_dict()}


@dataclass(frozen=True)
class Source:
    """Where the observations come from: files, a ledger URL, or a ledger already open."""

    files: tuple[Path, ...] = ()
    db: str | None = None
    ledger: Any = None

    @property
    def has_ledger(self) -> bool:
        return self.db is not None or self.ledger is not None


def fit_run(source: Source, base: str, date: str, prior_sd: float = 0.25) -> FitRun:
    """Fit ``base`` (a built-in id or a .toml path) to the observations of ``source``."""
    from kreator.cardfit.baseline import collect
    from kreator.cardfit.fit import fit_card
    from kreator.cardfit.writer import base_raw, dumps, fitted_card
    from kreator.ratecards import load_card

    _check_options(date, prior_sd)
    card = load_card(base)
    from_ledger = [0]  # creators in the ledger with income but no saved estimate
    data = collect(_parts(source, set(card.streams), from_ledger), card)
    if len(data) == 0:
        raise _nothing(source, from_ledger[0])
    result = fit_card(data, card, tau=prior_sd)
    raw = fitted_card(base_raw(base), result, card.id, date)
    return FitRun(card.id, date, result, dumps(raw), str(raw["card"]["id"]))


def _parts(source: Source, streams: set[str], from_ledger: list[int]
           ) -> Iterator[Observations]:
    """The files' observations, then the ledger's, in parts (counting the ledger's skipped)."""
    from kreator.cardfit.ledger import iter_ledger, iter_open_ledger
    from kreator.cardfit.observations import iter_files

    yield from iter_files(list(source.files), streams)
    if source.ledger is not None:
        parts = iter_open_ledger(source.ledger, streams)
    elif source.db is not None:
        parts = iter_ledger(source.db, streams)
    else:
        return
    for part in parts:
        from_ledger[0] += part.skipped
        yield part


def _check_options(date: str, prior_sd: float) -> None:
    import datetime as dt
    import math

    try:
        dt.date.fromisoformat(date)
        good = len(date) == 10
    except ValueError:
        good = False
    if not good:
        raise InputFileError(f"'{date[:40]}' is not a date.", field="date", key="fit_date",
                             fix="write it as YYYY-MM-DD, e.g. 2026-12-05.",
                             params={"value": date[:40]})
    if not (math.isfinite(prior_sd) and 0.01 <= prior_sd <= 5):
        raise InputFileError(f"the prior sd {prior_sd:g} is out of range.", field="prior_sd",
                             fix="give a number from 0.01 to 5 (0.25: the base card's level "
                             "is believed within about x1.5 either way).", key="fit_prior_sd",
                             params={"value": f"{prior_sd:g}"})


def save_card(text: str, path: Path, field: str | None = "-o") -> None:
    """Write the card to ``path`` atomically, only once it loads like any other card (every
    check of ``docs/ratecards.md``): a card that would not load never reaches ``path``."""
    from kreator.atomic import atomic_path
    from kreator.ratecards import load_card

    with atomic_path(path, field=field) as tmp:
        tmp.write_text(text, "utf-8")
        load_card(str(tmp))


def _nothing(source: Source, skipped: int) -> Exception:
    """The error for a fit with no observation at all, saying what to add (``skipped``: the
    ledger's creators with income but no saved estimate)."""
    if source.has_ledger and skipped:
        return LedgerError(f"none of the {skipped} creators with income in the ledger has a "
                           "saved estimate, so no month can be paired with a profile.",
                           field="estimate", fix="save each creator's estimate: kreator ledger "
                           "estimate --creator NAME --profile FILE.", key="fit_no_estimates",
                           params={"count": skipped})
    if source.has_ledger and not source.files:
        return LedgerError("the ledger holds no income yet.", field="db",
                           fix="add income first (kreator ledger import, or the ledger page).",
                           key="fit_ledger_empty")
    return InputFileError("the observations hold no row to fit.", field="OBS",
                          fix="give rows of creator, stream, amount, followers and views_30d.",
                          key="fit_empty")
