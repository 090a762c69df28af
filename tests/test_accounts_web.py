"""Signing in to the web app: the open single-person mode, sessions (no fixation, ended by
sign-out, password change and removal), cookie flags, CSRF on the sign-in form, throttling
(429 with Retry-After), one answer for an unknown user and a wrong password, token
revocation, creators scoped in messages, audited ledger writes and the admin's audit page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accounts_support import BASE, CREATORS, MARKERS, PASSWORDS, Team, client, make_team, sign_in
from kreator.ledger import accounts, open_ledger
from kreator.web.auth import SESSION_COOKIE

A, B = CREATORS["alva"], CREATORS["bo"]


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(str(tmp_path / "ledger.sqlite"))


def bearer(c: TestClient, token: str) -> TestClient:
    c.headers["Authorization"] = f"Bearer {token}"
    return c


def test_no_user_is_the_open_app_and_the_first_user_closes_it(tmp_path: Path) -> None:
    db = str(tmp_path / "ledger.sqlite")
    c = client(db)
    assert c.get("/api/v1/ledger/events").status_code == 200
    assert c.get("/login", follow_redirects=False).headers["location"] == "/"
    with open_ledger(db) as ledger:
        accounts.add_user(ledger, "ada", "admin", PASSWORDS["ada"])
    r = c.get("/api/v1/ledger/events")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert r.headers["www-authenticate"].startswith("Bearer")
    page = c.get("/ledger", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fledger"


def test_sign_in_makes_a_new_session_never_the_one_brought(team: Team) -> None:
    c = client(team.db)
    c.cookies.set(SESSION_COOKIE, "chosen-by-an-attacker", domain="127.0.0.1")
    r = sign_in(c, "alva", nxt="/ledger")
    assert r.status_code == 303 and r.headers["location"] == "/ledger"
    first = c.cookies[SESSION_COOKIE]
    assert first != "chosen-by-an-attacker"
    attacker = client(team.db)
    attacker.cookies.set(SESSION_COOKIE, "chosen-by-an-attacker")
    assert attacker.get("/api/v1/cards").status_code == 401
    assert sign_in(c, "alva").status_code == 303  # signing in again: a new id, the old one ends
    assert c.cookies[SESSION_COOKIE] != first
    old = client(team.db)
    old.cookies.set(SESSION_COOKIE, first)
    assert old.get("/api/v1/cards").status_code == 401
    assert c.get("/api/v1/cards").status_code == 200


def test_cookie_flags_and_secure_over_https(team: Team) -> None:
    cookies = sign_in(client(team.db), "alva").headers.get_list("set-cookie")
    session = next(x for x in cookies if x.startswith(SESSION_COOKIE)).lower()
    assert "httponly" in session and "samesite=lax" in session and "secure" not in session
    from kreator.web import WebSettings, create_app

    https = TestClient(create_app(WebSettings(db=team.db)), base_url="https://127.0.0.1")
    cookies = sign_in(https, "alva").headers.get_list("set-cookie")
    assert all("secure" in x.lower() for x in cookies)


@pytest.mark.parametrize(("trusted", "secure"), [("*", True), ("10.9.9.9", False)])
def test_forwarded_proto_counts_only_from_a_trusted_proxy(team: Team, trusted: str,
                                                          secure: bool) -> None:
    """uvicorn (what ``kreator serve`` runs) takes X-Forwarded-Proto only from the addresses in
    forwarded_allow_ips; the session cookie is Secure exactly then."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from kreator.web import WebSettings, create_app

    app = create_app(WebSettings(db=team.db))
    c = TestClient(ProxyHeadersMiddleware(app, trusted_hosts=trusted), base_url=BASE)
    c.headers["X-Forwarded-Proto"] = "https"
    c.get("/login")
    from kreator.web.security import CSRF_COOKIE, csrf_secret, sign

    token = sign(csrf_secret(app.state), c.cookies[CSRF_COOKIE])
    r = c.post("/login", data={"name": "alva", "password": PASSWORDS["alva"],
                               "csrf_token": token}, follow_redirects=False)
    session = next(x for x in r.headers.get_list("set-cookie") if x.startswith(SESSION_COOKIE))
    assert ("secure" in session.lower()) is secure


def test_sign_in_form_needs_the_csrf_token(team: Team) -> None:
    c = client(team.db)
    r = c.post("/login", data={"name": "alva", "password": PASSWORDS["alva"]},
               follow_redirects=False)
    assert r.status_code == 403 and SESSION_COOKIE not in c.cookies


def test_unknown_user_and_wrong_password_get_the_same_answer(team: Team) -> None:
    c = client(team.db)
    wrong = sign_in(c, "alva", "not alva's password")
    unknown = sign_in(c, "alvaa", "not alva's password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.text == unknown.text and "Wrong name or password." in wrong.text
    sv = c.post("/login?lang=sv", data={"name": "x", "password": "y", "csrf_token": "z"})
    assert sv.status_code == 403
    assert "Logga in" in c.get("/login?lang=sv").text


def test_throttled_sign_in_is_429_with_retry_after_and_the_password_works_later(
        team: Team) -> None:
    from kreator.ledger.throttle import Throttle

    now = [dt.datetime(2026, 1, 1, 12, 0)]
    c = client(team.db)
    c.app.state.throttle = Throttle(limit=3, clock=lambda: now[0])  # type: ignore[attr-defined]
    for _ in range(3):
        assert sign_in(c, "alva", "wrong password!").status_code == 401
    r = sign_in(c, "alva")
    assert r.status_code == 429 and 0 < int(r.headers["retry-after"]) <= 15 * 60 + 1
    assert "Too many failed sign-ins" in r.text and SESSION_COOKIE not in c.cookies
    now[0] += dt.timedelta(minutes=16)
    assert sign_in(c, "alva").status_code == 303


def test_sign_out_ends_the_session_on_the_server(team: Team) -> None:
    c = client(team.db)
    sign_in(c, "alva")
    sid = c.cookies[SESSION_COOKIE]
    from accounts_support import csrf

    r = c.post("/logout", data={"csrf_token": csrf(c)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    replay = client(team.db)
    replay.cookies.set(SESSION_COOKIE, sid)
    assert replay.get("/api/v1/cards").status_code == 401


@pytest.mark.parametrize("change", ["passwd", "remove"])
def test_password_change_and_removal_end_sessions_at_once(team: Team, change: str) -> None:
    c = client(team.db)
    sign_in(c, "alva")
    token = bearer(client(team.db), team.tokens["alva"])
    assert c.get("/api/v1/cards").status_code == 200
    with open_ledger(team.db) as ledger:
        if change == "passwd":
            accounts.set_password(ledger, "alva", "a brand new passphrase")
        else:
            accounts.remove_user(ledger, "alva")
    assert c.get("/api/v1/cards").status_code == 401
    assert (token.get("/api/v1/cards").status_code == 401) is (change == "remove")


def test_revoked_token_stops_at_once(team: Team) -> None:
    c = bearer(client(team.db), team.tokens["bo"])
    assert c.get(f"/api/v1/ledger/events?creator={B}").status_code == 200
    with open_ledger(team.db) as ledger:
        accounts.revoke_token(ledger, team.tokens["bo"])
    assert c.get(f"/api/v1/ledger/events?creator={B}").status_code == 401
    assert bearer(client(team.db), "krt_" + "x" * 43).get("/api/v1/cards").status_code == 401
    assert bearer(client(team.db), "").get("/api/v1/cards").status_code == 401


def test_messages_name_only_the_creators_a_user_may_see(team: Team) -> None:
    mia = bearer(client(team.db), team.tokens["mia"])
    r = mia.get("/api/v1/ledger/events?creator=nobody")
    assert r.status_code == 404 and A in r.text and B not in r.text
    assert mia.get("/api/v1/ledger/events").json()["events"][0]["note"] == MARKERS[A]
    ada = bearer(client(team.db), team.tokens["ada"])
    r = ada.get("/api/v1/ledger/events?creator=nobody")
    assert A in r.text and B in r.text  # an admin sees every creator


def test_another_creators_entry_cannot_be_deleted(team: Team) -> None:
    from accounts_support import csrf

    c = client(team.db)
    sign_in(c, "alva")
    r = c.post("/ledger/delete", data={"id": str(team.events[B]), "csrf_token": csrf(c)},
               follow_redirects=False)
    assert r.status_code == 303
    with open_ledger(team.db) as ledger:
        assert [e.id for e in ledger.events() if e.creator == B] == [team.events[B]]


def test_ledger_writes_are_audited_and_the_log_is_for_admins(team: Team) -> None:
    mia = bearer(client(team.db), team.tokens["mia"])
    r = mia.post("/api/v1/ledger/events", json={"stream": "affiliate", "amount": "9.90",
                                                 "currency": "USD", "date": "2026-04-01"})
    assert r.status_code == 201 and r.json()["event"]["creator"] == A
    with open_ledger(team.db) as ledger:
        entry = [e for e in accounts.read_audit(ledger) if e["action"] == "ledger.add"][-1]
    assert entry["actor"] == "mia" and entry["address"] == "testclient"
    assert entry["detail"]["creator"] == A and entry["detail"]["amount"] == "9.90"
    assert mia.get("/audit", headers={"accept": "text/html"}).status_code == 404
    page = bearer(client(team.db), team.tokens["ada"]).get("/audit?lang=sv")
    assert page.status_code == 200 and "Granskningslogg" in page.text
    assert "ledger.add" in page.text and "mia" in page.text


def test_signed_in_pages_show_who_and_sign_out(team: Team) -> None:
    c = client(team.db)
    sign_in(c, "ada")
    page: Any = c.get("/")
    assert "Signed in as ada" in page.text and 'action="/logout"' in page.text
    assert 'href="/audit"' in page.text
    c2 = client(team.db)
    sign_in(c2, "bo")
    assert 'href="/audit"' not in c2.get("/").text


def test_command_line_writes_imports_and_estimates_are_audited(tmp_path: Path, cli: Any) -> None:
    shop = (Path(__file__).parent / "data" / "ledger" / "tiktok_shop"
            / "affiliate_orders_export.seller_center_style.csv")
    db = str(tmp_path / "ledger.sqlite")
    assert cli("ledger", "add", "--creator", "maja", "--stream", "sponsorship", "--amount",
               "120", "--currency", "USD", "--date", "2026-04-30", "--db", db).code == 0
    assert cli("ledger", "import", str(shop), "--creator", "maja", "--db", db).code == 0
    assert cli("ledger", "estimate", "--creator", "maja", "--demo", "--draws", "200",
               "--db", db).code == 0
    with open_ledger(db) as ledger:
        log = accounts.read_audit(ledger)
    assert [e["action"] for e in log] == ["ledger.add", "ledger.import", "ledger.estimate"]
    assert all(e["actor"] == "cli" for e in log)
    assert log[0]["detail"]["amount"] == "120.00" and log[0]["detail"]["creator"] == "maja"
    assert log[1]["detail"]["files"] == [shop.name] and log[1]["detail"]["new"] > 0


@pytest.mark.parametrize("nxt", ["//evil.example", "/\\evil.example", "/\t/evil.example",
                                 "https://evil.example", "javascript:alert(1)"])
def test_sign_in_never_sends_you_to_another_site(team: Team, nxt: str) -> None:
    r = sign_in(client(team.db), "alva", nxt=nxt)
    assert r.status_code == 303 and r.headers["location"] == "/"
