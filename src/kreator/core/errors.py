"""One exception class per kind of failure; adapters map them to exit codes and HTTP statuses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Translate = Callable[[str, Mapping[str, Any]], "str | None"]
"""Looks up a message key in the user's language; None when the catalog has no such key."""


class KreatorError(Exception):
    """Base class: a failure the user can fix. ``str()`` is the whole message (English).

    ``key`` and ``params`` name the message and fix in the message catalogs (``error.<key>``
    and ``error.<key>_fix``), so an adapter can render them in the user's language."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None, fix: str | None = None,
                 where: str | None = None, key: str | None = None,
                 params: Mapping[str, Any] | None = None) -> None:
        self.message = message
        self.field = field
        self.fix = fix
        self.where = where
        self.key = key
        self.params = dict(params or {})
        super().__init__(self.render())

    def render(self, translate: Translate | None = None) -> str:
        message, fix, label = self.message, self.fix, "Fix"
        if translate is not None:
            if self.key:
                message = translate(self.key, self.params) or message
                fix = translate(f"{self.key}_fix", self.params) or fix
            label = translate("fix_label", {}) or label
        parts = []
        if self.where:
            parts.append(f"{self.where}: ")
        if self.field:
            parts.append(f"{self.field}: ")
        parts.append(message)
        if fix:
            parts.append(f" {label}: {fix}")
        return "".join(parts)


class ProfileError(KreatorError):
    """A profile value is missing, out of range or unknown."""

    code = "invalid_profile"


class CardError(KreatorError):
    """A rate card is missing, malformed, or fails validation."""

    code = "invalid_card"


class InputFileError(KreatorError):
    """A file given to Kreator cannot be read or parsed."""

    code = "invalid_file"


class CurrencyError(KreatorError):
    """An unknown currency, or no exchange rate for it."""

    code = "invalid_currency"


class OfferError(KreatorError):
    """A brand's offer given to ``kreator offer`` is not a positive amount (or names an unknown
    deliverable)."""

    code = "invalid_offer"


class ImportFileError(InputFileError):
    """An export given to ``kreator import`` is unreadable, unsafe, too large, or not in a
    shape Kreator knows (names the file, the row and the column)."""

    code = "invalid_import"


class ImportIncompleteError(KreatorError):
    """The imported files lack a value the profile needs (followers, views)."""

    code = "incomplete_import"


class LedgerError(KreatorError):
    """The income ledger cannot be opened, or a ledger entry or command is invalid."""

    code = "ledger_error"
