"""The access matrix, generated from the app's own route table: every route x (anonymous,
admin, manager of A, creator A, creator B, revoked token, expired token) x (creator A's data,
creator B's data). Each answer's status is checked against the route's rule, and no answer
holds anything of a creator the caller may not see: another creator's private marker never;
their name only where the request itself carried it, and then the answer is exactly the one
for a creator that does not exist (no hint that it does).

A route added to the app without a rule in :data:`RULES` fails
:func:`test_every_route_has_a_rule`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accounts_support import BASE, CREATORS, MARKERS, Team, make_team, sign_in

A, B = CREATORS["alva"], CREATORS["bo"]
GHOST = "zz_no_such_creator"
IDENTITIES = ("anonymous", "admin", "manager_a", "creator_a", "creator_b", "revoked",
              "expired")
SEES = {"admin": {A, B}, "manager_a": {A}, "creator_a": {A}, "creator_b": {B}}
TOKEN_OF = {"admin": "ada", "creator_a": "alva", "creator_b": "bo", "revoked": "revoked",
            "expired": "expired"}
PROFILE = {"followers": 4000, "views_30d": 40000, "sponsored_posts_per_month": 1}
QUERY = "followers=4000&views_30d=40000&sponsored_posts_per_month=1"
ZIP = (Path(__file__).parent / "data" / "web"
       / "Followers_2026-04-21_1779285792_sample_creator_4k.zip")
HTML = {"accept": "text/html"}


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    kw: dict[str, Any] = field(default_factory=dict)
    form: dict[str, str] | None = None  # a form post: the CSRF token is added


@dataclass(frozen=True)
class Rule:
    """``access``: ``open`` (anyone), ``user`` (any signed-in user), ``creator`` (the creator
    the call names must be one the user may see) or ``admin``. ``ok``: the statuses of an
    allowed call."""

    access: str
    call: Callable[[str], Call]
    ok: frozenset[int] = frozenset({200})


def page(url: str) -> Callable[[str], Call]:
    return lambda c: Call("GET", url.replace("{c}", c), {"headers": HTML,
                                                        "follow_redirects": False})


def api_post(url: str, body: dict[str, Any]) -> Callable[[str], Call]:
    return lambda c: Call("POST", url, {"json": body})


EST = {"profile": PROFILE, "draws": 200}
RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/openapi.json"): Rule("user", lambda c: Call("GET", "/openapi.json")),
    ("POST", "/api/v1/estimate"): Rule("user", api_post("/api/v1/estimate", EST)),
    ("POST", "/api/v1/eligibility"): Rule("user", api_post("/api/v1/eligibility",
                                                           {"profile": PROFILE})),
    ("POST", "/api/v1/whatif"): Rule("user", api_post("/api/v1/whatif", {
        **EST, "changes": {"sponsored_posts_per_month": 2}})),
    ("GET", "/api/v1/cards"): Rule("user", lambda c: Call("GET", "/api/v1/cards")),
    ("GET", "/api/v1/cards/{card_id}"): Rule("user", lambda c: Call("GET", "/api/v1/cards/seed")),
    ("GET", "/"): Rule("user", page(f"/?{QUERY}")),
    ("GET", "/partials/results"): Rule("user", page(f"/partials/results?{QUERY}")),
    ("GET", "/cards"): Rule("user", page("/cards")),
    ("GET", "/cards/{card_id}"): Rule("user", page("/cards/seed")),
    ("GET", "/api"): Rule("user", page("/api")),
    ("GET", "/charts/estimate.svg"): Rule("user", page(f"/charts/estimate.svg?{QUERY}")),
    ("POST", "/api/v1/import"): Rule("user", lambda c: Call(
        "POST", f"/api/v1/import?filename={ZIP.name}",
        {"content": ZIP.read_bytes(), "headers": {"content-type": "application/octet-stream"}})),
    ("GET", "/upload"): Rule("user", page("/upload")),
    ("POST", "/upload"): Rule("user", lambda c: Call(
        "POST", "/upload", {"files": {"files": (ZIP.name, ZIP.read_bytes(), "application/zip")},
                            "headers": HTML}, form={"query": ""})),
    ("POST", "/api/v1/advise"): Rule("user", api_post("/api/v1/advise", EST)),
    ("POST", "/api/v1/growth"): Rule("user", api_post("/api/v1/growth", {**EST, "months": 3})),
    ("GET", "/advice"): Rule("user", page(f"/advice?{QUERY}")),
    ("GET", "/growth"): Rule("user", page(f"/growth?{QUERY}")),
    ("GET", "/charts/advice.svg"): Rule("user", page(f"/charts/advice.svg?{QUERY}")),
    ("GET", "/charts/growth.svg"): Rule("user", page(f"/charts/growth.svg?{QUERY}")),
    ("POST", "/api/v1/ledger/events"): Rule("creator", lambda c: Call(
        "POST", "/api/v1/ledger/events", {"json": {
            "stream": "affiliate", "amount": "12.50", "currency": "USD", "date": "2026-04-02",
            "creator": c, "key": "matrix"}}), frozenset({200, 201})),
    ("GET", "/api/v1/ledger/events"): Rule("creator", lambda c: Call(
        "GET", f"/api/v1/ledger/events?creator={c}")),
    ("GET", "/api/v1/ledger/report"): Rule("creator", lambda c: Call(
        "GET", f"/api/v1/ledger/report?creator={c}")),
    ("GET", "/api/v1/ledger/compare"): Rule("creator", lambda c: Call(
        "GET", f"/api/v1/ledger/compare?creator={c}")),
    ("GET", "/ledger"): Rule("creator", page("/ledger?creator={c}")),
    ("POST", "/ledger/add"): Rule("creator", lambda c: Call(
        "POST", "/ledger/add", {"headers": HTML, "follow_redirects": False}, form={
            "stream": "affiliate", "amount": "3.00", "currency": "USD", "date": "2026-04-03",
            "creator": c, "query": ""}), frozenset({303})),
    ("POST", "/ledger/delete"): Rule("creator", lambda c: Call(
        "POST", "/ledger/delete", {"headers": HTML, "follow_redirects": False},
        form={"id": "987654", "creator": c, "query": ""}), frozenset({303})),
    ("GET", "/charts/ledger.svg"): Rule("creator", page("/charts/ledger.svg?creator={c}")),
    ("GET", "/login"): Rule("open", lambda c: Call("GET", "/login", {
        "headers": HTML, "follow_redirects": False}), frozenset({200, 303})),
    ("POST", "/login"): Rule("open", lambda c: Call(
        "POST", "/login", {"headers": HTML, "follow_redirects": False},
        form={"name": "nobody", "password": "not the password"}), frozenset({401})),
    ("POST", "/logout"): Rule("user", lambda c: Call(
        "POST", "/logout", {"headers": HTML, "follow_redirects": False}, form={}),
        frozenset({303})),
    ("GET", "/audit"): Rule("admin", page("/audit")),
    ("GET", "/cards/fit"): Rule("admin", page("/cards/fit")),
    ("POST", "/cards/fit"): Rule("admin", lambda c: Call(
        "POST", "/cards/fit", {"headers": HTML, "follow_redirects": False},
        form={"base": "no-such-card", "date": "2026-12-05", "prior_sd": "0.25"}),
        frozenset({422})),
    ("POST", "/cards/fit/download"): Rule("admin", lambda c: Call(
        "POST", "/cards/fit/download", {"headers": HTML, "follow_redirects": False},
        form={"toml": "not a card"}), frozenset({422})),
    ("GET", "/cards/fitted/{name}"): Rule("user", lambda c: Call(
        "GET", "/cards/fitted/none.toml", {"follow_redirects": False}), frozenset({404})),
}


def route_table(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route the app answers, read from ``app.routes`` (including the
    routes of included routers), HEAD left out (it follows GET)."""
    found: set[tuple[str, str]] = set()

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if hasattr(route, "effective_candidates"):  # FastAPI's included router
                walk(route.effective_candidates())
            elif getattr(route, "methods", None):
                found.update((m, route.path) for m in route.methods if m != "HEAD")
            elif route.path != "/static":  # the static files mount is open (CSS, JS)
                found.add(("MOUNT", route.path))

    walk(app.routes)
    return found


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Team:
    return make_team(str(tmp_path_factory.mktemp("matrix") / "ledger.sqlite"))


@pytest.fixture(scope="module")
def app(team: Team) -> Any:
    from kreator.ledger.throttle import Throttle
    from kreator.web import WebSettings, create_app

    application = create_app(WebSettings(db=team.db))
    application.state.throttle = Throttle(limit=100_000)  # the login row tries many times
    return application


def test_every_route_has_a_rule(app: Any) -> None:
    routes = route_table(app)
    assert routes, "no routes found: the walk over app.routes is broken"
    missing = sorted(routes - set(RULES))
    assert not missing, f"routes without an access rule in RULES: {missing}"
    stale = sorted(set(RULES) - routes)
    assert not stale, f"rules for routes the app does not have: {stale}"


def client_for(app: Any, team: Team, who: str) -> TestClient:
    from kreator.web.security import CSRF_COOKIE, csrf_secret, sign

    c = TestClient(app, base_url=BASE)
    if who == "manager_a":  # a browser session (the others send tokens, or nothing)
        assert sign_in(c, "mia").status_code == 303  # type: ignore[attr-defined]
    else:
        c.cookies.set(CSRF_COOKIE, secrets.token_urlsafe(32), domain="127.0.0.1")
    if who in TOKEN_OF:
        c.headers["Authorization"] = f"Bearer {team.tokens[TOKEN_OF[who]]}"
    c.csrf = sign(csrf_secret(app.state), c.cookies[CSRF_COOKIE])  # type: ignore[attr-defined]
    return c


def send(c: TestClient, call: Call) -> Any:
    kw = dict(call.kw)
    if call.form is not None:
        kw["data"] = {**call.form, "csrf_token": c.csrf}  # type: ignore[attr-defined]
    return c.request(call.method, call.url, **kw)


def expected(rule: Rule, who: str, creator: str | None) -> str:
    """``ok``, ``denied`` (not signed in) or ``hidden`` (404)."""
    if who not in SEES:
        return "ok" if rule.access == "open" else "denied"
    if rule.access == "admin" and who != "admin":
        return "hidden"
    if rule.access == "creator" and creator not in SEES[who]:
        return "hidden"
    return "ok"


def cases() -> Iterator[Any]:
    for key, rule in RULES.items():
        for creator in ((A, B) if rule.access == "creator" else (None,)):
            yield pytest.param(key, creator, id=f"{key[0]} {key[1]} {creator or ''}".strip())


@pytest.mark.parametrize(("key", "creator"), list(cases()))
def test_access(app: Any, team: Team, key: tuple[str, str], creator: str | None) -> None:
    rule = RULES[key]
    for who in IDENTITIES:
        c = client_for(app, team, who)
        r = send(c, rule.call(creator or A))
        want = expected(rule, who, creator)
        where = f"{who} {key} {creator}: {r.status_code} {r.text[:300]}"
        if want == "ok":
            assert r.status_code in rule.ok, where
        elif want == "hidden":
            assert r.status_code == 404, where
        else:
            assert r.status_code == 401 or (
                r.status_code == 303 and r.headers["location"].startswith("/login")), where
        no_foreign_data(c, rule, who, creator, r)


def no_foreign_data(c: TestClient, rule: Rule, who: str, creator: str | None, r: Any) -> None:
    body = r.text + r.headers.get("location", "")
    for other in {A, B} - SEES.get(who, set()):
        assert MARKERS[other] not in body, f"{who} sees {other}'s data"
        if other != creator:
            assert other not in body, f"{who} is told that {other} exists"
            continue
        ghost = send(c, rule.call(GHOST))  # the same call for a creator that does not exist
        assert ghost.status_code == r.status_code
        assert body.replace(other, GHOST) == ghost.text + ghost.headers.get("location", ""), \
            f"{who}: the answer for {other} differs from the one for no such creator"


def test_a_new_route_without_a_rule_is_caught(team: Team) -> None:
    from fastapi import APIRouter

    from kreator.web import WebSettings, create_app

    extra = create_app(WebSettings(db=team.db))
    router = APIRouter()
    router.add_api_route("/api/v1/ledger/everything", lambda: {}, methods=["GET"])
    extra.include_router(router)
    assert route_table(extra) - set(RULES) == {("GET", "/api/v1/ledger/everything")}
