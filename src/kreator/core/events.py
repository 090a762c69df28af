"""Income events: what was really earned, as importers produce them and the ledger stores them.

Money is never a float here: ``amount`` is a Decimal in ``currency`` (ISO 4217), and the
ledger stores it as integer minor units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

STREAMS = ("creator_fund", "creator_rewards", "sponsorship", "live_gifts", "affiliate",
           "tiktok_shop", "live_subscriptions", "other")


@dataclass(frozen=True)
class IncomeEvent:
    """One earning: a LIVE session's gifts, a Shop commission, a brand deal, a payout."""

    date: dt.date
    stream: str
    amount: Decimal
    currency: str
    source: str
    natural_key: str
    note: str = ""
    original_amount: Decimal | None = None
    original_currency: str | None = None
    fx_rate: Decimal | None = None
    fx_source: str | None = None
    fx_date: str | None = None
    details: dict[str, str] = field(default_factory=dict)
