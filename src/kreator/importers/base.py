"""The importer protocol (identify / extract) and what extract returns.

An importer is a small object with a ``name`` (``"studio.overview"``), a ``title`` for
people, a ``rank`` (1 = most trusted when two sources give the same value), and two methods:

- ``identify(src) -> int``: 0 if the source is not this format, else a score (the highest
  scoring importer wins; header and key matches score far above file-name matches);
- ``extract(src, ctx) -> Extract``: the facts, row counts and rejects, or ImportFileError.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from kreator.core.errors import ImportFileError, Phrase, reason
from kreator.importers.formats.text import TextError, decode
from kreator.importers.model import Facts, Reject
from kreator.importers.sources import Source

if TYPE_CHECKING:
    from kreator.core.card import Card


@dataclass
class Context:
    """What every importer may use: the user's --as-of and the rate card (diamond value)."""

    card: Card
    as_of: dt.date | None = None

    def reference(self, src: Source) -> tuple[dt.date, str]:
        return src.hints.reference(self.as_of)


@dataclass
class Extract:
    """One file's result: facts plus the row accounting (rows_in = rows_ok + rejected)."""

    facts: Facts
    rows_in: int
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejects)

    @property
    def rows_ok(self) -> int:
        return self.rows_in - self.rows_rejected


class Importer(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def rank(self) -> int: ...

    def identify(self, src: Source) -> int: ...

    def extract(self, src: Source, ctx: Context) -> Extract: ...


_FAILED = object()


def json_doc(src: Source) -> Any:
    """The parsed JSON of a source (cached), or None when it is not JSON at all."""
    if "json" not in src.cache:
        src.cache["json"] = _FAILED
        head = src.data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head[:1] in (b"{", b"[") and not src.is_zip():
            with contextlib.suppress(ValueError, TextError, RecursionError):
                src.cache["json"] = json.loads(decode(src.data))
    doc = src.cache["json"]
    return None if doc is _FAILED else doc


def json_error(src: Source) -> ImportFileError:
    """The error for a file that should be JSON and is not, with line and column."""
    try:
        json.loads(decode(src.data))
    except json.JSONDecodeError as exc:
        return ImportFileError(f"is not valid JSON: {exc.msg} at line {exc.lineno}, column "
                               f"{exc.colno}.", where=src.name,
                               fix="download it again; the file may be cut short.",
                               key="import_bad_json", params={
                                   "detail": exc.msg, "line": exc.lineno, "column": exc.colno})
    except (TextError, ValueError) as exc:
        return ImportFileError(f"is not JSON text: {exc}.", where=src.name,
                               fix="give the JSON file as TikTok produced it.",
                               key="import_not_json_text", params={"detail": reason(exc)})
    except RecursionError:
        return ImportFileError("nests lists or objects more deeply than Kreator reads.",
                               where=src.name, fix="give the JSON file as TikTok produced it.",
                               key="import_json_too_deep")
    return ImportFileError("is JSON, but not a shape Kreator knows.", where=src.name,
                           fix="give user_data_tiktok.json from TikTok's 'Download your data' (JSON format), "
                           "or a Display or Business API response as TikTok sent it.",
                           key="import_unknown_json")


NOT_AN_OBJECT = Phrase("is not an object", "reason.not_object")
NOT_A_COUNT = Phrase("is not a number of zero or more", "reason.not_count_or_zero")


def api_message(err: Any) -> str:
    """An API error response's own message, else "no message"."""
    text = err.get("message") if isinstance(err, dict) else None
    return str(text) if text else Phrase("no message", "no_message")


def dig(doc: Any, *keys: str) -> Any:
    """``doc[k1][k2]...`` or None when any step is missing or not a mapping."""
    cur = doc
    for key in keys:
        if not isinstance(cur, dict):
            return None
        cur = cur.get(key)
    return cur


def first_path(doc: Any, paths: tuple[tuple[str, ...], ...]) -> tuple[Any, str]:
    """The first of ``paths`` whose section (its first two keys) is in ``doc``: (value, dotted
    path). The value is None when the section is there but empty. (None, "") if none is."""
    for path in paths:
        section = dig(doc, *path[:1])
        if isinstance(section, dict) and path[1] in section:
            return dig(doc, *path), ".".join(path)
    return None, ""


def as_list(value: Any, where: str, path: str) -> list[Any]:
    """A JSON list; empty sections (null, [], {}, "") are an empty list."""
    if value in (None, "", {}, []):
        return []
    if isinstance(value, list):
        return value
    raise ImportFileError(f"'{path}' is a {type(value).__name__}, not a list.", where=where,
                          field=path, fix="give the file as TikTok produced it.",
                          key="import_not_a_list", params={"path": path,
                                                           "type": type(value).__name__})
