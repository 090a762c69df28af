"""The JSON API under /api/v1 through the test client: every route, every error status."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import kreator
from kreator.web import WebSettings, create_app

SMALL = {"followers": 4000, "views_30d": 40000}
BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(WebSettings())


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url=BASE)


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "field", "fix"}
    return body["error"]


# --- estimate -------------------------------------------------------------------------------

def test_estimate_is_the_python_api_json_contract(client: TestClient) -> None:
    r = client.post("/api/v1/estimate", json={"profile": SMALL, "seed": 3, "draws": 2000})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    # the same numbers the library gives for the same creator, card, draws and seed
    assert r.json() == json.loads(json.dumps(kreator.estimate(SMALL, draws=2000, seed=3).to_dict()))


def test_estimate_reports_the_seed_articles_gaps(client: TestClient) -> None:
    d = client.post("/api/v1/estimate", json={"profile": SMALL, "card": "seed"}).json()
    cf = next(s for s in d["streams"] if s["id"] == "creator_fund")
    # the seed article: Creator Fund needs 10,000 followers and 100,000 views in 30 days
    assert {u["rule"]: u["gap"] for u in cf["unmet"]} == {"min_followers": 6000,
                                                           "min_views_30d": 60000}
    assert cf["monthly"] == {"p10": 0, "p50": 0, "p90": 0, "mean": 0}


def test_estimate_in_another_currency_uses_the_documented_rate(client: TestClient) -> None:
    profile = {**SMALL, "sponsored_posts_per_month": 2}
    usd = client.post("/api/v1/estimate", json={"profile": profile}).json()
    sek = client.post("/api/v1/estimate", json={"profile": profile, "currency": "sek"}).json()
    assert sek["currency"] == "SEK" and sek["fx"]["from"] == "USD"
    rate = sek["fx"]["rate"]
    # ratecards/fx.toml: the ECB's reference rates of 2025-02-28, 11.1880 SEK and 1.0411 USD a euro
    assert rate == pytest.approx(11.1880 / 1.0411, rel=1e-5)
    assert sek["fx"]["date"] == "2025-02-28" and "ecb.europa.eu" in sek["fx"]["source"]
    assert sek["total"]["monthly"]["p50"] == pytest.approx(usd["total"]["monthly"]["p50"] * rate,
                                                           rel=1e-4)
    given = client.post("/api/v1/estimate", json={"profile": profile, "currency": "EUR",
                                                  "fx_rate": 2.0}).json()
    assert given["total"]["monthly"]["mean"] == pytest.approx(2 * usd["total"]["monthly"]["mean"],
                                                              rel=1e-4)


def test_estimate_current_card_adds_programmes(client: TestClient) -> None:
    d = client.post("/api/v1/estimate", json={"profile": SMALL, "card": "current"}).json()
    assert d["card"]["id"] == "current-2025"
    assert "creator_rewards" in [s["id"] for s in d["streams"]]


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"profile": {**SMALL, "followers": -1}}, "profile.followers", "invalid_profile"),
    ({"profile": {**SMALL, "niche": "bauty"}}, "profile.niche", "invalid_profile"),
    ({"profile": {"followers": 10}}, "profile.views_30d", "invalid_profile"),
    ({"profile": {**SMALL, "audience": {"US": 0.9, "GB": 0.5}}}, "profile.audience",
     "invalid_profile"),
    ({"profile": SMALL, "card": "/etc/passwd"}, "card", "invalid_card"),
    ({"profile": SMALL, "currency": "XYZ"}, "currency", "invalid_currency"),
    ({"profile": SMALL, "draws": 5}, "draws", "invalid_request"),
    ({"profile": SMALL, "surprise": 1}, "surprise", "invalid_request"),
    ({"profile": [1, 2]}, "profile", "invalid_request"),
])
def test_estimate_bad_input_is_422_naming_the_field(client: TestClient, body: dict, field: str,
                                                     code: str) -> None:
    r = client.post("/api/v1/estimate", json=body)
    assert r.status_code == 422
    err = error_of(r)
    assert (err["field"], err["code"]) == (field, code)
    assert err["message"]


def test_the_did_you_mean_hint_reaches_the_api(client: TestClient) -> None:
    err = error_of(client.post("/api/v1/estimate", json={"profile": {**SMALL, "niche": "bauty"}}))
    assert "Did you mean 'beauty'?" in err["message"] and "beauty" in err["fix"]


def test_broken_json_is_422(client: TestClient) -> None:
    r = client.post("/api/v1/estimate", content=b'{"profile": ',
                    headers={"content-type": "application/json"})
    assert r.status_code == 422 and error_of(r)["code"] == "invalid_request"


def test_wrong_method_is_405_in_the_error_shape(client: TestClient) -> None:
    r = client.get("/api/v1/estimate")
    assert r.status_code == 405 and error_of(r)["code"] == "method_not_allowed"
    assert r.headers["allow"] == "POST" and error_of(r)["message"].endswith("use POST.")
    assert client.delete("/api/v1/ledger/events").headers["allow"] == "GET, POST"


def test_unknown_api_path_is_404_in_the_error_shape(client: TestClient) -> None:
    r = client.get("/api/v1/nothing-here", headers={"accept": "text/html"})
    assert r.status_code == 404 and error_of(r)["code"] == "not_found"


# --- eligibility ----------------------------------------------------------------------------

def test_eligibility_lists_every_stream_with_gaps(client: TestClient) -> None:
    r = client.post("/api/v1/eligibility", json={"profile": SMALL, "card": "seed"})
    assert r.status_code == 200
    d = r.json()
    assert d["tier"] == "nano"
    by_id = {s["id"]: s for s in d["streams"]}
    assert set(by_id) == {"creator_fund", "sponsorship", "live_gifts", "affiliate", "tiktok_shop"}
    assert by_id["sponsorship"] == {"id": "sponsorship", "eligible": True, "unmet": []}
    assert {u["gap"] for u in by_id["creator_fund"]["unmet"]} == {6000, 60000}


def test_eligibility_bad_profile_is_422(client: TestClient) -> None:
    r = client.post("/api/v1/eligibility", json={"profile": {"followers": "many"}})
    assert r.status_code == 422 and error_of(r)["field"] == "profile.followers"


# --- whatif ---------------------------------------------------------------------------------

def test_whatif_delta_is_the_effect_of_the_change_alone(client: TestClient) -> None:
    profile = {**SMALL, "sponsored_posts_per_month": 1}
    r = client.post("/api/v1/whatif", json={"profile": profile,
                                            "changes": {"sponsored_posts_per_month": 3}})
    assert r.status_code == 200
    d = r.json()
    deltas = {s["id"]: s for s in d["delta"]["streams"]}
    # three posts instead of one: the sponsorship median triples (same rate, same draws)
    base_sp = next(s for s in d["base"]["streams"] if s["id"] == "sponsorship")
    assert deltas["sponsorship"]["p50"] == pytest.approx(2 * base_sp["monthly"]["p50"], rel=1e-3)
    assert all(deltas[k]["p50"] == 0 for k in deltas if k != "sponsorship")
    assert d["delta"]["monthly_mean"] == pytest.approx(
        d["changed"]["total"]["monthly"]["mean"] - d["base"]["total"]["monthly"]["mean"], abs=1e-3)


@pytest.mark.parametrize(("changes", "field"), [({"folowers": 3}, "changes.folowers"),
                                                 ({"followers": "x"}, "changes.followers")])
def test_whatif_bad_change_is_422(client: TestClient, changes: dict, field: str) -> None:
    r = client.post("/api/v1/whatif", json={"profile": SMALL, "changes": changes})
    assert r.status_code == 422 and error_of(r)["field"] == field


# --- cards ----------------------------------------------------------------------------------

def test_cards_list(client: TestClient) -> None:
    cards = {c["id"]: c for c in client.get("/api/v1/cards").json()["cards"]}
    assert {"seed", "current-2025"} <= set(cards)
    assert {"default", "current"} <= set(cards["current-2025"]["aliases"])
    assert cards["seed"]["streams"][:2] == ["creator_fund", "sponsorship"]


def test_card_figures_carry_their_sources(client: TestClient) -> None:
    r = client.get("/api/v1/cards/seed")
    assert r.status_code == 200
    figs = {f["key"]: f for f in r.json()["figures"]}
    rate = figs["streams.creator_fund.rate"]
    # the seed article: $0.02-$0.05 per 1,000 views
    assert (rate["low"], rate["high"]) == (0.02, 0.05) and rate["source"]
    assert all(f["source"] for f in figs.values())
    assert {f["kind"] for f in figs.values()} == {"figure", "table", "rule"}


def test_alias_resolves_and_unknown_card_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/cards/current").json()["card"]["id"] == "current-2025"
    r = client.get("/api/v1/cards/platinum")
    assert r.status_code == 404
    assert error_of(r)["code"] == "not_found" and "seed" in error_of(r)["fix"]


# --- errors in one place --------------------------------------------------------------------

def test_unexpected_failure_is_500_without_a_traceback() -> None:
    app = create_app()

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    r = TestClient(app, base_url=BASE, raise_server_exceptions=False).get("/api/v1/boom")
    assert r.status_code == 500
    err = error_of(r)
    assert err["code"] == "internal" and "secret internals" not in r.text
    assert "Traceback" not in r.text


def test_openapi_documents_every_operation_and_the_error_shape(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ops = {(m, p) for p, item in spec["paths"].items() for m in item}
    assert {("post", "/api/v1/estimate"), ("post", "/api/v1/eligibility"),
            ("post", "/api/v1/whatif"), ("get", "/api/v1/cards"),
            ("get", "/api/v1/cards/{card_id}")} <= ops
    assert all(not p.startswith(("/partials", "/charts", "/static")) for _, p in ops)
    assert spec["components"]["schemas"]["ErrorBody"]["required"] == ["error"]
