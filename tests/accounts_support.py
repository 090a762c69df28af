"""A team on one ledger, for the web access tests: admin ``ada``, manager ``mia`` (of alva),
creator users ``alva`` and ``bo``; income and a saved estimate for both creators, each with a
marker that must never show up in the other's answers; a live token per user, plus a revoked
and an expired token of alva's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from fastapi.testclient import TestClient

from kreator.core.events import IncomeEvent
from kreator.ledger import accounts, open_ledger

PASSWORDS = {"ada": "ada's long passphrase", "mia": "mia's long passphrase",
             "alva": "alva's long passphrase", "bo": "bo's long passphrase"}
CREATORS = {"alva": "alva_studio", "bo": "bo_studio"}
"""Each creator user's creator in the ledger (the manager mia has alva_studio)."""
MARKERS = {"alva_studio": "ALVA-PRIVATE-7f3", "bo_studio": "BO-PRIVATE-9c1"}
"""A creator's private marker (an income note): never in an answer to a user who may not see
that creator."""
BASE = "http://127.0.0.1"


@dataclass
class Team:
    db: str
    tokens: dict[str, str] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    estimates: dict[str, int] = field(default_factory=dict)


def make_team(db: str) -> Team:
    team = Team(db)
    with open_ledger(db) as ledger:
        accounts.add_user(ledger, "ada", "admin", PASSWORDS["ada"])
        accounts.add_user(ledger, "mia", "manager", PASSWORDS["mia"], [CREATORS["alva"]])
        for user, name in CREATORS.items():
            accounts.add_user(ledger, user, "creator", PASSWORDS[user], [name])
            ev = IncomeEvent(dt.date(2026, 3, 31), "sponsorship", Decimal("250.00"), "USD",
                             "test", f"{name}-1", MARKERS[name])
            team.events[name] = ledger.add(name, ev)[0].id
            team.estimates[name] = ledger.save_estimate(name, _estimate(), dt.date(2026, 3, 1),
                                                        {})
        for name in PASSWORDS:
            team.tokens[name] = accounts.create_token(ledger, name)[1]
        revoked = accounts.create_token(ledger, "alva")[1]
        accounts.revoke_token(ledger, revoked)
        team.tokens["revoked"] = revoked
        team.tokens["expired"] = accounts.create_token(ledger, "alva", days=1,
                                                       now=dt.datetime(2001, 1, 1))[1]
    return team


def _estimate() -> dict[str, object]:
    from kreator.core.demo import DEMO
    from kreator.web.services import run_estimate

    return run_estimate(DEMO, "seed", draws=200, seed=1).to_dict()


def client(db: str) -> TestClient:
    from kreator.web import WebSettings, create_app

    return TestClient(create_app(WebSettings(db=db)), base_url=BASE)


def csrf(c: TestClient) -> str:
    """The form token for the client's CSRF cookie (visiting a page first sets the cookie)."""
    from kreator.web.security import CSRF_COOKIE, csrf_secret, sign

    if CSRF_COOKIE not in c.cookies:
        c.get("/login")
    return sign(csrf_secret(c.app.state), c.cookies[CSRF_COOKIE])  # type: ignore[attr-defined]


def sign_in(c: TestClient, name: str, password: str | None = None, nxt: str = "/") -> object:
    return c.post("/login", data={"name": name, "password": password or PASSWORDS[name],
                                  "csrf_token": csrf(c), "next": nxt}, follow_redirects=False)
