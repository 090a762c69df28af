"""Import a creator's own TikTok data: Studio analytics, the personal export, APIs, Shop orders.

Public API (stable; the ledger and ``kreator estimate --from`` rely on it):

- :func:`extract_paths` -> :class:`ImportBatch`: per file the importer, path, sha256,
  rows_in / rows_ok / rows_rejected, ``metrics`` (profile field -> :class:`Metric` with its
  ``"file:column"`` provenance) and ``events`` (:class:`~kreator.core.events.IncomeEvent`);
  merged: ``metrics``, ``events`` (one per natural key), ``window``, ``profile()``.
- :func:`profile_from_paths` -> :class:`~kreator.core.profile.Profile`.

Formats, derivations and limits: docs/importers.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from kreator.importers.batch import FileResult, ImportBatch, extract_paths
from kreator.importers.model import Metric, Reject, Window

if TYPE_CHECKING:
    from kreator.core.card import Card
    from kreator.core.profile import Profile

__all__ = ["FileResult", "ImportBatch", "Metric", "Reject", "Window", "extract_paths",
           "profile_from_paths"]


def profile_from_paths(paths: list[Path], *, window_days: int = 30, as_of: dt.date | None = None,
                       card: str | Path | Card = "default", strict: bool = True) -> Profile:
    """The profile the files describe. Strict by default: a rejected row is an error (use
    :func:`extract_paths` to import the rest and see every rejected row)."""
    return extract_paths(paths, window_days=window_days, as_of=as_of, card=card,
                         strict=strict).profile()
