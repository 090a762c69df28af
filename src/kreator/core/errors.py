"""One exception class per kind of failure; adapters map them to exit codes and HTTP statuses."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

Translate = Callable[[str, Mapping[str, Any]], "str | None"]
"""Looks up a message key in the user's language; None when the catalog has no such key."""


class Phrase(str):
    """English text that names its catalog entry (``error.<key>`` with ``params``).

    A part of a message that is itself translatable: a row ("row 12"), a reason, a list.
    It *is* its English text, so it goes wherever a str goes (JSON, f-strings, files);
    :meth:`localize` renders it in another language. :meth:`joined` keeps the parts of a list
    so that each is translated (and the separator, when it is a Phrase)."""

    key: str
    params: dict[str, Any]
    parts: tuple[str, ...]
    sep: str

    def __new__(cls, text: str, key: str = "", params: Mapping[str, Any] | None = None) -> Phrase:
        obj = super().__new__(cls, text)
        obj.key, obj.params, obj.parts, obj.sep = key, dict(params or {}), (), ""
        return obj

    @classmethod
    def joined(cls, sep: str, parts: Iterable[str]) -> Phrase:
        items = tuple(parts)
        obj = cls(str.join(str(sep), items))
        obj.parts, obj.sep = items, sep
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return _phrase, (str(self), self.key, self.params, self.parts, self.sep)

    def localize(self, translate: Translate) -> str:
        if self.parts:
            return str(localize(self.sep, translate)).join(localize(p, translate)
                                                           for p in self.parts)
        return (translate(self.key, self.params) if self.key else None) or str(self)


def _phrase(text: str, key: str, params: dict[str, Any], parts: tuple[str, ...],
            sep: str) -> Phrase:
    obj = Phrase(text, key, params)
    obj.parts, obj.sep = parts, sep
    return obj


def localize(value: Any, translate: Translate) -> Any:
    """A :class:`Phrase` in the translator's language; anything else as it is."""
    return value.localize(translate) if isinstance(value, Phrase) else value


def reason(exc: BaseException) -> str:
    """The text of a plain exception, keeping a :class:`Phrase` it was raised with."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Phrase) else str(exc)


class KreatorError(Exception):
    """Base class: a failure the user can fix. ``str()`` is the whole message (English).

    ``key`` and ``params`` name the message and fix in the message catalogs (``error.<key>``
    and ``error.<key>_fix``), so an adapter can render them in the user's language. A
    :class:`Phrase` as a param, as ``where`` or as ``fix`` is translated too."""

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

    def localized(self, translate: Translate | None = None
                  ) -> tuple[str | None, str, str | None, str]:
        """``(where, message, fix, fix label)`` in the translator's language (else English)."""
        if translate is None:
            return self.where, self.message, self.fix, "Fix"
        message, fix = self.message, localize(self.fix, translate)
        if self.key:
            message = translate(self.key, self.params) or message
            if self.fix:
                fix = translate(f"{self.key}_fix", self.params) or fix
        where = localize(self.where, translate)
        return where, message, fix, translate("fix_label", {}) or "Fix"

    def render(self, translate: Translate | None = None) -> str:
        where, message, fix, label = self.localized(translate)
        parts = []
        if where:
            parts.append(f"{where}: ")
        if self.field:
            parts.append(f"{self.field}: ")
        parts.append(message)
        if fix:
            parts.append(f" {label}: {fix}")
        return "".join(parts)

    def phrase(self) -> Phrase:
        """The message as a :class:`Phrase`, to quote it inside another error."""
        return Phrase(self.message, self.key or "", self.params)

    def fix_phrase(self) -> str | None:
        """The fix as a :class:`Phrase` (None when there is none), to pass on to another error."""
        if self.fix is None or not self.key:
            return self.fix
        return Phrase(self.fix, f"{self.key}_fix", self.params)


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
