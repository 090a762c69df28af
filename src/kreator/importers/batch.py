"""``extract_paths``: many files in, one checked batch out (per-file results, merged profile).

All or nothing: any file-level problem (unreadable, unsafe, missing columns) raises one
ImportFileError naming the file, row and column, and nothing is returned. Rows that cannot be
used are rejected one by one and listed; per file, rows_in = rows_ok + rows_rejected. With
``strict=True`` the first rejected row is an error too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kreator.core.errors import ImportFileError, ImportIncompleteError, Phrase, ProfileError
from kreator.core.events import IncomeEvent
from kreator.importers.base import Context, Extract
from kreator.importers.deriving.derive import Derived, derive
from kreator.importers.deriving.merge import find_window, merge, unique_events
from kreator.importers.limits import check_as_of
from kreator.importers.model import Facts, Metric, Reject, Window

if TYPE_CHECKING:
    from kreator.core.card import Card
    from kreator.core.profile import Profile

REQUIRED = {"followers": Phrase("a follower count (Studio FollowerHistory, the personal export, "
                                "or the Display API user info)", "needs_followers"),
            "views_30d": Phrase("video views (the Studio Overview download, the Business API, or "
                                "a Display API video list)", "needs_views_30d")}

NOT_IMPORTED = Phrase("not a file Kreator imports", "not_imported")
NO_FILES = Phrase("no files", "no_files")
OR = Phrase(" or ", "or")


@dataclass
class FileResult:
    """One imported file: which importer read it, its hash, row accounting, what it gave."""

    importer: str
    title: str
    file: str
    path: Path
    member: str | None
    sha256: str
    rows_in: int
    rows_ok: int
    rows_rejected: int
    metrics: dict[str, Metric]
    info: dict[str, Metric]
    events: list[IncomeEvent]
    rejects: list[Reject]
    notes: list[str]
    rank: int
    facts: Facts = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "path": str(self.path), "member": self.member,
                "importer": self.importer, "title": self.title, "sha256": self.sha256,
                "rows": {"in": self.rows_in, "ok": self.rows_ok, "rejected": self.rows_rejected},
                "metrics": {k: m.to_dict() for k, m in self.metrics.items()},
                "info": {k: m.to_dict() for k, m in self.info.items()},
                "events": len(self.events), "notes": self.notes}


@dataclass
class ImportBatch:
    """Everything one import run found, merged over one window."""

    files: list[FileResult]
    ignored: list[tuple[str, str]]
    window: Window
    metrics: dict[str, Metric]
    info: dict[str, Metric]
    events: list[IncomeEvent]
    notes: list[str]
    card: str

    @property
    def rows_in(self) -> int:
        return sum(f.rows_in for f in self.files)

    @property
    def rows_ok(self) -> int:
        return sum(f.rows_ok for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def rejects(self) -> list[Reject]:
        return [r for f in self.files for r in f.rejects]

    def profile_values(self) -> dict[str, Any]:
        """Profile fields found (a dict: may lack required fields; see :meth:`missing`)."""
        from kreator.core.profile import PROFILE_FIELDS

        return {k: m.value for k, m in self.metrics.items() if k in PROFILE_FIELDS}

    def missing(self) -> list[str]:
        return [k for k in REQUIRED if k not in self.metrics]

    def profile(self) -> Profile:
        """The merged profile; ImportIncompleteError or ProfileError (naming the source)."""
        missing = self.missing()
        if missing:
            what = Phrase.joined("; ", (Phrase(f"{k} needs {REQUIRED[k]}", "field_needs", {
                "field": k, "source": REQUIRED[k]}) for k in missing))
            names = Phrase.joined(OR, missing)
            raise ImportIncompleteError(f"the files hold no {names}: {what}.",
                                        field=missing[0], fix="add that file to the import, or "
                                        "run `kreator import ... --output me.toml`, add the value "
                                        "to me.toml and use --profile me.toml.",
                                        key="import_incomplete",
                                        params={"fields": names, "needs": what})
        return self._parse(self.profile_values())

    def check(self) -> None:
        """Validate the values found, even when a required field is missing."""
        self._parse({**self.profile_values(), **{k: 0 for k in self.missing()}})

    def _parse(self, values: dict[str, Any]) -> Profile:
        from kreator.core.profile import parse_profile

        try:
            return parse_profile(values)
        except ProfileError as exc:
            source = self.metrics.get((exc.field or "").split(".")[0])
            raise ProfileError(exc.message, field=exc.field, fix=exc.fix,
                               where=source.provenance if source else None, key=exc.key,
                               params=exc.params) from None

    def to_dict(self) -> dict[str, Any]:
        return {
            "window": self.window.to_dict(), "card": self.card,
            "profile": self.profile_values(), "missing": self.missing(),
            "sources": {k: m.to_dict() for k, m in self.metrics.items()},
            "derived": {k: m.to_dict() for k, m in self.info.items()},
            "files": [f.to_dict() for f in self.files],
            "ignored": [{"file": n, "reason": r} for n, r in self.ignored],
            "rows": {"in": self.rows_in, "ok": self.rows_ok, "rejected": self.rows_rejected},
            "rejects": [r.to_dict() for r in self.rejects],
            "events": [event_dict(e) for e in self.events], "notes": self.notes,
        }


def event_dict(e: IncomeEvent) -> dict[str, Any]:
    def text(v: Decimal | None) -> str | None:
        return None if v is None else str(v)

    return {"date": e.date.isoformat(), "stream": e.stream, "amount": str(e.amount),
            "currency": e.currency, "source": e.source, "natural_key": e.natural_key,
            "note": e.note, "original_amount": text(e.original_amount),
            "original_currency": e.original_currency, "fx_rate": text(e.fx_rate),
            "fx_source": e.fx_source, "fx_date": e.fx_date, "details": dict(e.details)}


def extract_paths(paths: list[Path] | list[str] | list[Path | str], *, window_days: int = 30,
                  as_of: dt.date | None = None, card: str | Path | Card = "default",
                  strict: bool = False, skip_unrecognised: bool = False) -> ImportBatch:
    """Identify and extract every file under ``paths``; merge them over one window.

    A file named in ``paths`` that no importer reads is refused, unless ``skip_unrecognised``
    (the upload page: one stray README among the zips is skipped and listed in ``ignored``)."""
    from kreator.importers.formats.events import diamond_rate
    from kreator.importers.sources import expand
    from kreator.ratecards import load_card

    if not 1 <= window_days <= 366:
        raise ProfileError(f"must be 1 to 366 days (got {window_days}).", field="window",
                           fix="use --window 30 (the profile's counts are per 30 days).",
                           key="import_window", params={"value": window_days})
    check_as_of(as_of)
    the_card = load_card(card)
    ctx = Context(the_card, as_of)
    expanded = expand([Path(p) for p in paths])
    extracted = _extract_all(expanded.sources, ctx, expanded.ignored, skip_unrecognised)
    if not extracted:
        raise _nothing_found(paths, expanded, skip_unrecognised)
    if strict:
        _refuse_rejects(extracted)
    saved = max((s for s in (src.hints.saved() for src, _, _ in extracted) if s is not None),
                default=None)
    window = find_window(merge(x.facts for _, _, x in extracted), window_days, as_of, saved)
    rate = Decimal(repr(diamond_rate(the_card).value))
    files = [_result(src, imp, x, window, rate, the_card.currency)
             for src, imp, x in extracted]
    ordered = sorted(files, key=lambda f: f.rank)
    merged = derive(merge(f.facts for f in ordered), window, usd_per_diamond=rate,
                    currency=the_card.currency)
    events = unique_events(e for f in ordered for e in f.events)
    return ImportBatch(files, expanded.ignored, window, merged.metrics, merged.info, events,
                       _notes(files), the_card.id)


def _nothing_found(paths: list[Path] | list[str] | list[Path | str], expanded: Any,
                   skip_unrecognised: bool) -> ImportFileError:
    """Nothing could be imported: one file's own reason, else every file looked at. With
    ``skip_unrecognised`` (uploads) the files are named without their (temporary) folders."""
    from kreator.importers.registry import unrecognised

    if skip_unrecognised and len(expanded.sources) == 1 and expanded.sources[0].explicit:
        return unrecognised(expanded.sources[0])
    shown = Phrase.joined("; ", (Phrase(f"{n} ({r})", "ignored_file", {"file": n, "reason": r})
                               for n, r in expanded.ignored[:5])) or NO_FILES
    names = [Path(p).name if skip_unrecognised else str(p) for p in paths]
    return ImportFileError(f"nothing Kreator can import was found (looked at: {shown}).",
                           where=", ".join(names),
                           fix="give the TikTok downloads themselves: the zips from TikTok "
                           "Studio's Analytics, or user_data_tiktok.json from 'Download your "
                           "data'.", key="import_nothing_found", params={"looked_at": shown})


def _extract_all(sources: list[Any], ctx: Context,
                 ignored: list[tuple[str, str]],
                 skip_unrecognised: bool = False) -> list[tuple[Any, Any, Extract]]:
    from kreator.importers.registry import identify, unrecognised

    out = []
    for src in sources:
        imp = identify(src)
        if imp is None:
            if src.explicit and not skip_unrecognised:
                raise unrecognised(src)
            ignored.append((src.name, NOT_IMPORTED))
            continue
        try:
            out.append((src, imp, imp.extract(src, ctx)))
        except (ImportFileError, ProfileError):
            raise
        except (ValueError, TypeError, KeyError, AttributeError, IndexError,
                RecursionError) as exc:
            raise ImportFileError(f"could not be read as {imp.title} ({type(exc).__name__}: "
                                  f"{exc}).", where=src.name,
                                  fix="give the file as TikTok produced it; if it is, please "
                                  "report this.", key="import_failed", params={
                                      "title": imp.title,
                                      "detail": f"{type(exc).__name__}: {exc}"}) from None
    return out


def _refuse_rejects(extracted: list[tuple[Any, Any, Extract]]) -> None:
    for _, _, x in extracted:
        if x.rejects:
            r = x.rejects[0]
            where = Phrase(f"{r.file}, {r.row}", "file_place", {"file": r.file, "place": r.row})
            raise ImportFileError(f"{r.reason} (got '{r.value}').", where=where,
                                  field=r.column, fix="correct or remove that row (without "
                                  "--strict the other rows are imported and every rejected row "
                                  "is listed).", key="import_rejected_row",
                                  params={"reason": r.reason, "value": r.value})


def _result(src: Any, imp: Any, x: Extract, window: Window, rate: Decimal,
            currency: str) -> FileResult:
    d: Derived = derive(x.facts, window, usd_per_diamond=rate, currency=currency)
    return FileResult(imp.name, imp.title, src.name, src.path, src.member, src.sha256, x.rows_in,
                      x.rows_ok, x.rows_rejected, d.metrics, d.info, x.facts.events, x.rejects,
                      x.notes, imp.rank, x.facts)


def _notes(files: list[FileResult]) -> list[str]:
    handles = {f.facts.snapshots["handle"][0].value.casefold().lstrip("@")
               for f in files if f.facts.snapshots.get("handle")}
    notes = []
    if len(handles) > 1:
        notes.append(f"the files name different accounts ({', '.join(sorted(handles))}); "
                     "check they are all yours")
    return notes
