"""One exception class per kind of failure; adapters map them to exit codes and HTTP statuses."""

from __future__ import annotations


class KreatorError(Exception):
    """Base class: a failure the user can fix. ``str()`` is the whole message."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None, fix: str | None = None,
                 where: str | None = None) -> None:
        self.message = message
        self.field = field
        self.fix = fix
        self.where = where
        super().__init__(self.render())

    def render(self) -> str:
        parts = []
        if self.where:
            parts.append(f"{self.where}: ")
        if self.field:
            parts.append(f"{self.field}: ")
        parts.append(self.message)
        if self.fix:
            parts.append(f" Fix: {self.fix}")
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
