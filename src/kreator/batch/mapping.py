"""Which input column feeds which profile field.

A column named like the field (``followers``; case and dashes do not matter) is used as is;
``--map followers=follower_count`` points a field at another column. Absent optional fields
take the card's defaults, exactly as for one creator. Any problem fails before a row is read,
naming the missing column and listing the columns the file has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kreator.batch.fields import AUDIENCE_PREFIX, FIELDS, REQUIRED
from kreator.core.codes import closest, normalise_country, suggest
from kreator.core.errors import InputFileError, ProfileError

DEFAULT_KEEP = ("id", "creator_id", "handle", "display_name")
"""Columns carried into the output when present and ``keep`` is not given."""


@dataclass(frozen=True)
class ColumnMap:
    """Resolved mapping: profile field -> input column, audience columns, kept columns."""

    fields: dict[str, str]
    audience: dict[str, str] = field(default_factory=dict)  # ISO code -> column
    keep: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        """Every input column to read, in a stable order, without repeats."""
        names = [*self.fields.values(), *self.audience.values(), *self.keep]
        return list(dict.fromkeys(names))


def parse_map(specs: Iterable[str]) -> dict[str, str]:
    """``["followers=follower_count", "views_30d=views"]`` -> {field: column}."""
    out: dict[str, str] = {}
    for spec in specs:
        for part in [p.strip() for p in spec.split(",") if p.strip()]:
            name, sep, column = part.partition("=")
            name = _key(name)
            if not sep or not column.strip():
                raise ProfileError(f"'{part}' is not FIELD=COLUMN.", field="--map",
                                   fix="write it like --map followers=follower_count.",
                                   key="map_part", params={"value": part})
            if name not in FIELDS and not name.startswith(AUDIENCE_PREFIX):
                raise ProfileError(f"unknown field '{name}'.{suggest(name, FIELDS)}", field="--map",
                                   fix=f"map one of: {', '.join(FIELDS)}.", key="map_field",
                                   params={"value": name, "close": closest(name, FIELDS),
                                           "choices": ", ".join(FIELDS)})
            out[name] = column.strip()
    return out


def resolve(present: Sequence[str], mapping: Mapping[str, str] | None = None,
            keep: Sequence[str] | None = None, where: str = "input") -> ColumnMap:
    """Match the file's columns to profile fields; fail early with what is there."""
    mapping = dict(mapping or {})
    by_key = {_key(c): c for c in reversed(present)}
    listed = ", ".join(present) if present else "(none)"
    fields: dict[str, str] = {}
    for name in FIELDS:
        column = mapping.get(name) or by_key.get(name)
        if column is None:
            if name in REQUIRED:
                raise InputFileError(f"no column for required field '{name}'; the file has: "
                                     f"{listed}.", field=name, where=where,
                                     fix=f"add a '{name}' column or map one: --map {name}=COLUMN.",
                                     key="batch_required_column",
                                     params={"name": name, "listed": listed})
            continue
        if column not in present:
            raise InputFileError(f"column '{column}' (mapped to {name}) is not in the file"
                                 f"{_hint(column, present)}; the file has: {listed}.", field=name,
                                 where=where, fix=f"use --map {name}=COLUMN with one of those.",
                                 key="map_missing_column",
                                 params={"column": column, "name": name,
                                         "hint": _hint(column, present), "listed": listed})
        fields[name] = column
    audience = _audience_columns(present, mapping, where)
    kept = _keep(present, keep, listed, where)
    cmap = ColumnMap(fields, audience, kept)
    _unambiguous(present, mapping, cmap, where)
    return cmap


def _unambiguous(present: Sequence[str], mapping: Mapping[str, str], cmap: ColumnMap,
                 where: str) -> None:
    """Refuse a column read twice over: a name the header repeats, or two columns that both
    match a field by name (``Followers`` and ``followers``) when --map does not choose."""
    for column in cmap.columns:
        if present.count(column) > 1:
            raise InputFileError(f"column '{column}' appears {present.count(column)} times in "
                                 "the header.", field=column, where=where,
                                 fix="rename or remove the extra columns.",
                                 key="batch_duplicate_column",
                                 params={"column": column, "times": present.count(column)})
    for name in cmap.fields:
        same = [c for c in present if _key(c) == name]
        if name not in mapping and len(same) > 1:
            raise InputFileError(f"columns {', '.join(repr(c) for c in same)} all give {name}.",
                                 field=name, where=where,
                                 fix=f"choose one: --map {name}=COLUMN.", key="map_ambiguous",
                                 params={"columns": ", ".join(repr(c) for c in same),
                                         "name": name})


def _audience_columns(present: Sequence[str], mapping: Mapping[str, str],
                      where: str) -> dict[str, str]:
    chosen = {k: v for k, v in mapping.items() if k.startswith(AUDIENCE_PREFIX)}
    for column in present:
        key = _key(column)
        if key.startswith(AUDIENCE_PREFIX) and key not in chosen:
            chosen[key] = column
    out: dict[str, str] = {}
    for key, column in chosen.items():
        code = key[len(AUDIENCE_PREFIX):]
        try:
            iso = normalise_country(code, field=column)
        except ProfileError as exc:
            raise InputFileError(exc.message, field=column, where=where,
                                 fix="name audience columns audience_<ISO code>, e.g. "
                                     "audience_US.") from None
        if column not in present:
            raise InputFileError(f"column '{column}' is not in the file{_hint(column, present)}.",
                                 field=key, where=where, fix="map an existing column.",
                                 key="map_no_column",
                                 params={"column": column, "hint": _hint(column, present)})
        if iso in out:
            raise InputFileError(f"two columns give the audience share of {iso}.", field=column,
                                 where=where, fix="keep one audience column per country.",
                                 key="map_audience_twice", params={"iso": iso})
        out[iso] = column
    return out


def _keep(present: Sequence[str], keep: Sequence[str] | None, listed: str,
          where: str) -> tuple[str, ...]:
    if keep is None:
        return tuple(c for c in present if _key(c) in DEFAULT_KEEP)
    for column in keep:
        if column not in present:
            raise InputFileError(f"column '{column}' (to keep) is not in the file"
                                 f"{_hint(column, present)}; the file has: {listed}.",
                                 field="--keep", where=where, fix="keep columns the file has.",
                                 key="keep_missing_column",
                                 params={"column": column, "hint": _hint(column, present),
                                         "listed": listed})
    return tuple(dict.fromkeys(keep))


def _key(name: str) -> str:
    """Column names match fields ignoring case, surrounding spaces and dashes."""
    key = name.strip().replace("-", "_").replace(" ", "_")
    if key.lower().startswith(AUDIENCE_PREFIX):
        return AUDIENCE_PREFIX + key[len(AUDIENCE_PREFIX):].upper()
    return key.lower()


def _hint(column: str, present: Sequence[str]) -> str:
    return suggest(column, tuple(present)).replace(" Did you mean", "; did you mean").rstrip("?")
