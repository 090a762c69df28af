"""The income ledger: what a creator really earned, kept in SQLite or PostgreSQL.

Library first (the CLI's ``kreator ledger …`` and the web app are thin layers over it)::

    from kreator.ledger import open_ledger
    with open_ledger("sqlite:///ledger.sqlite") as ledger:
        ledger.add("maja", IncomeEvent(...))

See docs/ledger.md for the schema, the import guarantees and the calibration rule.
"""

from __future__ import annotations

from kreator.ledger.repo import EventFilter, Ledger, open_ledger

__all__ = ["EventFilter", "Ledger", "calibration_for", "open_ledger"]


def calibration_for(db_url: str | None, creator: str) -> dict[str, float]:
    """The creator's per-stream multipliers saved by ``kreator ledger calibrate``.

    Pass them to ``kreator.core.estimate.estimate(..., calibration=...)``. Raises LedgerError if
    the creator is not in the ledger; an empty dict if they were never calibrated."""
    with open_ledger(db_url) as ledger:
        return {k: float(v) for k, v in ledger.calibration(creator).items()}
