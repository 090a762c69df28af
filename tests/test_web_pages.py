"""The pages, the upload, the ledger routes and the chart images through the test client."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kreator.web import WebSettings, create_app
from kreator.web.security import CSRF_COOKIE, sign

BASE = "http://127.0.0.1:8000"
HTML = {"accept": "text/html"}
SMALL = {"followers": "4000", "views_30d": "40000", "sponsored_posts_per_month": "1"}
DATA = Path(__file__).parent / "data" / "web"
FOLLOWERS_ZIP = DATA / "Followers_2026-04-21_1779285792_sample_creator_4k.zip"
OVERVIEW_ZIP = DATA / "Overview_2026-04-21_1779285792_sample_creator_4k.zip"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    app = create_app(WebSettings(db=str(tmp_path / "ledger.sqlite")))
    with TestClient(app, base_url=BASE) as c:
        yield c


def token(c: TestClient) -> str:
    c.get("/")
    return sign(c.app.state.settings.secret, c.cookies[CSRF_COOKIE])


def text_of(html: str, element_id: str) -> str:
    m = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert m, element_id
    return m.group(1).strip()


# --- the estimate page ----------------------------------------------------------------------

def test_empty_form_starts_empty_and_offers_the_demo(client: TestClient) -> None:
    """A creator who types only followers, views and niche never gets the demo's deals."""
    r = client.get("/", headers=HTML)
    assert r.status_code == 200
    assert 'value="Demo creator"' not in r.text and 'id="total-p50"' not in r.text
    assert 'id="no-creator"' in r.text and 'href="/?demo=1"' in r.text
    for field in ("sponsored_posts_per_month", "lives_per_month", "likes_30d"):
        assert f'name="{field}" value=""' in r.text
    demo = client.get("/", params={"demo": "1"}, headers=HTML)
    assert 'value="Demo creator"' in demo.text and 'id="total-p50"' in demo.text
    own = client.get("/", params={"followers": "4000", "views_30d": "40000", "niche": "beauty"},
                     headers=HTML)
    assert own.status_code == 200
    assert 'name="lives_per_month" value=""' in own.text
    assert "engagement 6.0% of views" in text_of(own.text, "result-profile")


def test_an_unknown_niche_stays_as_typed_next_to_its_error(client: TestClient) -> None:
    r = client.get("/", params={"followers": "4000", "views_30d": "40000", "niche": "bauty"},
                   headers=HTML)
    assert r.status_code == 422
    assert '<option value="bauty" selected>' in r.text
    assert '<option value="beauty" selected>' not in r.text and "beauty" in r.text


def test_every_invalid_field_is_reported_at_once(client: TestClient) -> None:
    """Only the first bad field was marked; the next showed up only once that one was fixed."""
    r = client.get("/", headers=HTML, params={
        "followers": "-4", "views_30d": "40000", "niche": "bauty", "likes_30d": "4.000",
        "lives_per_month": "many", "affiliate_sales_per_month": "3"})
    assert r.status_code == 422
    bad = {"followers": "give a number from 0", "niche": "Did you mean &#39;beauty&#39;?",
           "likes_30d": "could be 4,000 or 4", "lives_per_month": "many"}
    for name, words in bad.items():
        tag = re.search(rf'<(?:input|select) id="f-{name}"[^>]*>', r.text)
        assert tag and 'aria-invalid="true"' in tag.group(0), name
        assert f'aria-describedby="err-{name}"' in tag.group(0)
        assert words in text_of(r.text, f"err-{name}"), name
    for name in ("views_30d", "affiliate_sales_per_month"):  # the good ones stay unmarked
        tag = re.search(rf'<input id="f-{name}"[^>]*>', r.text)
        assert tag and "aria-invalid" not in tag.group(0)
    summary = r.text[r.text.index('id="results-error"'):]
    assert [f for f in re.findall(r'data-field="(\w+)"', summary)] == [
        "followers", "niche", "likes_30d", "lives_per_month"]  # in form order
    for group in ("basics", "engagement", "live"):  # each group with an error opens
        assert re.search(rf'id="group-{group}" open', r.text), group
    assert not re.search(r'id="group-sales" open', r.text)
    assert '<option value="bauty" selected>' in r.text


CLI_FLAG = re.compile(r"(?<![\w-])--[a-z][\w-]*")


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(("lang", "fix"), [("en", "Fix: fill in this field."),
                                           ("sv", "Åtgärd: fyll i det här fältet.")])
def test_browser_errors_never_name_a_command_line_option(client: TestClient, lang: str,
                                                         fix: str) -> None:
    """"followers: is required. Fix: give --followers." and "give --creator" in a browser."""
    client.get("/", params={"lang": lang})
    for path in ("/", "/advice", "/growth"):
        r = client.get(path, params={"views_30d": "40000"}, headers=HTML)
        assert r.status_code == 422 and fix in r.text, path
        assert not CLI_FLAG.search(_visible(r.text)), (path, CLI_FLAG.search(_visible(r.text)))
    for who in ("ann", "bo"):
        client.post("/api/v1/ledger/events", json={"stream": "live_gifts", "amount": "10",
                                                   "currency": "USD", "date": "2026-04-01",
                                                   "creator": who})
    r = client.post("/ledger/add", data={"csrf_token": token(client), "stream": "live_gifts",
                                         "amount": "5", "currency": "USD",
                                         "date": "2026-04-02"}, follow_redirects=False)
    page = client.get(r.headers["location"], headers=HTML).text
    error = text_of(page, "ledger-error")
    assert ("ann, bo" in error or "ann och bo" in error) and "?creator=" in error
    assert not CLI_FLAG.search(_visible(page))
    sek = client.get("/", params={**SMALL, "currency": "SEK"}, headers=HTML)
    assert "SEK" in sek.text and not CLI_FLAG.search(_visible(sek.text))  # the rate's note


def test_the_api_keeps_its_own_words(client: TestClient) -> None:
    """The JSON API answers as raised (English), the browser wording is for pages only."""
    r = client.post("/api/v1/estimate", json={"profile": {"views_30d": 40000}})
    assert r.status_code == 422 and r.json()["error"]["fix"] == "give --followers."


def test_advice_and_growth_wait_for_a_creator(client: TestClient) -> None:
    for path in ("/advice", "/growth"):
        r = client.get(path, headers=HTML)
        assert r.status_code == 200 and 'id="no-creator"' in r.text


def test_ambiguous_numbers_are_asked_about_never_guessed(client: TestClient) -> None:
    base = {"views_30d": "40000", "niche": "beauty"}
    for lang, text in (("en", "4.000"), ("sv", "4.000"), ("sv", "4,000")):
        r = client.get("/partials/results", params={**base, "followers": text, "lang": lang})
        assert r.status_code == 422, (lang, text)
        assert "4" in r.text and ("could be" in r.text or "kan betyda" in r.text)
    page = client.get("/", params={**base, "followers": "4.000"}, headers=HTML).text
    assert 'aria-invalid="true" aria-describedby="err-followers"' in page
    assert 'id="err-followers"' in page
    en = client.get("/partials/results", params={**base, "followers": "4,000", "lang": "en",
                                                 "lives_per_month": "2,5"})
    assert en.status_code == 200 and "4,000 followers" in en.text
    # numbers typed in English keep their meaning when the page switches to Swedish
    sv = client.get("/partials/results", params={**base, "followers": "12,000", "lang": "sv",
                                                 "numlang": "en"})
    assert sv.status_code == 200 and "12 000 följare" in sv.text.replace("\u00a0", " ")


def test_results_follow_the_query_and_language(client: TestClient) -> None:
    en = client.get("/partials/results", params=SMALL)
    assert en.status_code == 200
    assert text_of(en.text, "result-title") == "Monthly income estimate for you"
    assert "6,000 to go" in en.text  # the seed article's Creator Fund gap at 4,000 followers
    sv = client.get("/partials/results", params={**SMALL, "lang": "sv", "currency": "SEK"})
    assert "Uppskattad månadsinkomst" in sv.text and "kr" in text_of(sv.text, "total-p50")
    assert sv.cookies.get("kreator_lang") == "sv"  # remembered for the next pages


def test_typed_numbers_are_read_like_people_write_them(client: TestClient) -> None:
    plain = client.get("/partials/results", params=SMALL).text
    typed = client.get("/partials/results", params={**SMALL, "followers": "4 000"}).text
    assert text_of(plain, "total-p50") == text_of(typed, "total-p50")


def test_bad_form_value_is_422_next_to_the_field(client: TestClient) -> None:
    r = client.get("/", params={**SMALL, "niche": "bauty"}, headers=HTML)
    assert r.status_code == 422
    assert 'class="field invalid"' in r.text and "Did you mean" in r.text


def test_cards_page_shows_sources(client: TestClient) -> None:
    r = client.get("/cards", headers=HTML)
    assert r.status_code == 200
    assert 'id="card-seed"' in r.text and "streams.creator_fund.rate" in r.text
    assert client.get("/cards/current", headers=HTML).status_code == 200
    missing = client.get("/cards/gold", headers=HTML)
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]


def test_api_page_lists_operations(client: TestClient) -> None:
    r = client.get("/api", headers=HTML)
    assert r.status_code == 200 and "/api/v1/estimate" in r.text
    assert client.get("/docs").status_code == 404  # its viewer would load from a CDN


def test_estimate_chart_is_svg_in_the_visitors_language(client: TestClient) -> None:
    r = client.get("/charts/estimate.svg", params={**SMALL, "lang": "sv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert "Sponsring" in r.text and "<script" not in r.text
    assert client.get("/charts/estimate.svg").status_code == 422


def test_static_assets_are_local(client: TestClient) -> None:
    for name in ("app.js", "app.css", "favicon.svg"):
        assert client.get(f"/static/{name}").status_code == 200
    assert client.get("/static/nothing.js").status_code == 404


# --- upload ---------------------------------------------------------------------------------

def test_upload_fills_the_form_with_4012_followers(client: TestClient) -> None:
    r = client.post("/upload", data={"csrf_token": token(client),
                                     "query": "views_30d=40000&display_name=Maja"},
                    files=[("files", (FOLLOWERS_ZIP.name, FOLLOWERS_ZIP.read_bytes()))],
                    headers=HTML)
    assert r.status_code == 200
    assert "4,012" in r.text  # FollowerHistory.csv's last day: May 18, 4012
    assert 'id="f-followers" name="followers" value="4012"' in r.text
    assert 'value="Maja"' in r.text  # what the visitor typed is kept


def test_upload_errors(client: TestClient) -> None:
    tok = token(client)
    none = client.post("/upload", data={"csrf_token": tok}, files=[("x", ("", b""))], headers=HTML)
    assert none.status_code == 422
    bad = client.post("/upload", data={"csrf_token": tok},
                      files=[("files", ("notes.csv", b"a,b\n1,2\n"))], headers=HTML)
    assert bad.status_code == 422 and "notes.csv" in bad.text
    forged = client.post("/upload", data={"csrf_token": "0" * 64},
                         files=[("files", (FOLLOWERS_ZIP.name, FOLLOWERS_ZIP.read_bytes()))])
    assert forged.status_code == 403


STUDIO = Path(__file__).parent / "data" / "importers" / "tiktok_studio"
FOUR_ZIPS = sorted(STUDIO.glob("*_2026-04-21_1779285792_sample_creator_4k.zip"))


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "skipped: README.txt — not a TikTok export we recognise"),
    ("sv", "hoppade över: README.txt — inte en TikTok-export som vi känner igen"),
])
def test_a_stray_file_among_four_zips_is_skipped_and_reported(client: TestClient, lang: str,
                                                               words: str) -> None:
    """A README among four valid Studio zips rejected the whole upload."""
    assert len(FOUR_ZIPS) == 4
    client.get("/", params={"lang": lang})
    files = [("files", (z.name, z.read_bytes())) for z in FOUR_ZIPS]
    files.insert(2, ("files", ("README.txt", b"These are my TikTok downloads.\n")))
    r = client.post("/upload", data={"csrf_token": token(client)}, files=files, headers=HTML)
    assert r.status_code == 200
    assert text_of(r.text, "imported-skipped").removeprefix("<li>") == words
    assert 'id="f-followers" name="followers" value="4012"' in r.text
    assert 'name="views_30d" value="75987"' in r.text  # Overview.csv was read too


def _lying_zip() -> bytes:
    """A zip whose directory says its one entry unpacks to 3 GB."""
    import io
    import struct
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("Overview.csv", b"Date,Video Views\n")
    data = bytearray(buf.getvalue())
    struct.pack_into("<I", data, data.rfind(b"PK\x01\x02") + 24, 3_000_000_000)
    return bytes(data)


@pytest.mark.parametrize(("name", "body", "words"), [
    ("Overview_x.zip", _lying_zip(), "unpacks to 2,861.0 MB; the limit is 256 MB"),
    ("README.txt", b"hello\n", "Fix: give one of: TikTok Studio analytics tables"),
])
def test_upload_messages_say_the_limit_in_mb_and_what_to_do(client: TestClient, name: str,
                                                            body: bytes, words: str) -> None:
    """They named MAX_FILE_BYTES and docs/importers.md, which a visitor cannot use."""
    r = client.post("/upload", data={"csrf_token": token(client)},
                    files=[("files", (name, body))], headers=HTML)
    assert r.status_code == 422
    message = text_of(r.text, "upload-error")
    assert words in message
    assert "MAX_" not in message and "docs/" not in message and ".md" not in message


def test_an_upload_of_only_stray_files_names_them_not_the_server_folder(client: TestClient
                                                                        ) -> None:
    r = client.post("/upload", data={"csrf_token": token(client)}, headers=HTML,
                    files=[("files", ("a.txt", b"x\n")), ("files", ("b.txt", b"y\n"))])
    message = text_of(r.text, "upload-error")
    assert message.startswith("a.txt, b.txt: nothing Kreator can import was found")
    assert "the zips from TikTok Studio&#39;s Analytics" in message
    assert "/tmp" not in message and "kreator-upload" not in message


@pytest.mark.parametrize(("lang", "words", "fix"), [
    ("en", "more than this server accepts at once: 1 MB", "Fix:</strong> send fewer files"),
    ("sv", "tar emot på en gång: 1 MB", "Åtgärd:</strong> skicka färre filer"),
])
def test_the_413_page_says_the_limit_and_what_to_do(tmp_path: Path, lang: str, words: str,
                                                    fix: str) -> None:
    app = create_app(WebSettings(db=str(tmp_path / "l.sqlite"), max_upload_bytes=2**20))
    with TestClient(app, base_url=BASE) as c:
        c.get("/", params={"lang": lang})
        r = c.post("/upload", data={"csrf_token": token(c)},
                   files=[("files", ("Overview.zip", b"\0" * (2 * 2**20)))], headers=HTML)
    assert r.status_code == 413
    assert words in r.text
    assert fix in r.text and "1,048,576" not in r.text and "1\xa0048\xa0576" not in r.text


def test_import_api(client: TestClient) -> None:
    r = client.post("/api/v1/import", params={"filename": OVERVIEW_ZIP.name},
                    content=OVERVIEW_ZIP.read_bytes(),
                    headers={"content-type": "application/zip"})
    assert r.status_code == 200
    d = r.json()
    assert d["profile"]["views_30d"] > 0 and d["missing"] == ["followers"]
    assert all("path" not in f for f in d["files"])  # no server paths leak
    bad = client.post("/api/v1/import", params={"filename": "x.bin"}, content=b"\x00\x01",
                      headers={"content-type": "application/octet-stream"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_import"
    form = client.post("/api/v1/import", params={"filename": "x.zip"}, content=b"--x--",
                       headers={"content-type": "multipart/form-data; boundary=x",
                                "x-csrf-token": token(client)})
    assert form.status_code == 415
    assert client.post("/api/v1/import", content=b"x",
                       headers={"content-type": "application/zip"}).status_code == 422


# --- ledger ---------------------------------------------------------------------------------

def test_ledger_add_list_report(client: TestClient) -> None:
    body = {"stream": "sponsorship", "amount": "250.00", "currency": "USD",
            "date": "2026-03-05", "key": "INV-1", "note": "<b>brand</b>"}
    first = client.post("/api/v1/ledger/events", json=body)
    assert first.status_code == 201 and first.json()["created"] is True
    again = client.post("/api/v1/ledger/events", json=body)
    assert again.status_code == 200 and again.json()["created"] is False  # same key: idempotent
    events = client.get("/api/v1/ledger/events").json()["events"]
    assert [e["amount"] for e in events] == ["250.00"]  # exact decimal string, never a float
    report = client.get("/api/v1/ledger/report").json()
    assert report["currencies"][0]["months"][0] == {
        "month": "2026-03", "events": 1, "streams": {"sponsorship": "250.00"}, "total": "250.00"}
    page = client.get("/ledger", params=SMALL, headers=HTML)
    assert "&lt;b&gt;brand&lt;/b&gt;" in page.text and "2026-03" in page.text
    svg = client.get("/charts/ledger.svg", params=SMALL)
    assert svg.status_code == 200 and "Sponsorships" in svg.text and "2026-03" in svg.text


@pytest.mark.parametrize(("body", "field"), [
    ({"amount": "12.345", "currency": "USD"}, "amount"),  # more decimals than a cent
    ({"amount": "1", "currency": "USD", "date": "2026-02-30"}, "date"),
    ({"amount": "1", "currency": "usd"}, "currency"),
])
def test_ledger_bad_entry_is_422(client: TestClient, body: dict, field: str) -> None:
    r = client.post("/api/v1/ledger/events",
                    json={"stream": "live_gifts", "date": "2026-03-01", **body})
    assert r.status_code == 422
    assert r.json()["error"]["field"] == field


def test_ledger_unknown_creator_and_no_estimate_are_422(client: TestClient) -> None:
    assert client.get("/api/v1/ledger/events", params={"creator": "nobody"}).status_code == 422
    r = client.get("/api/v1/ledger/compare")
    assert r.status_code == 422 and r.json()["error"]["code"] == "ledger_error"
    client.post("/api/v1/ledger/events", json={"stream": "live_gifts", "amount": "1",
                                               "currency": "USD", "date": "2026-03-01"})
    r = client.get("/api/v1/ledger/compare")  # income now, but no saved estimate
    assert r.status_code == 422 and "estimate" in r.json()["error"]["message"]


def test_ledger_form_posts(client: TestClient) -> None:
    tok = token(client)
    ok = client.post("/ledger/add", data={"csrf_token": tok, "stream": "live_gifts",
                                          "amount": "12.5", "currency": "EUR",
                                          "date": "2026-04-01"}, follow_redirects=False)
    assert ok.status_code == 303 and "error" not in ok.headers["location"]
    bad = client.post("/ledger/add", data={"csrf_token": tok, "stream": "live_gifts",
                                           "amount": "lots", "currency": "EUR"},
                      follow_redirects=False)
    assert bad.status_code == 303 and "error=" in bad.headers["location"]
    assert "is not an amount" in client.get(bad.headers["location"], headers=HTML).text
    no_token = client.post("/ledger/add", data={"stream": "live_gifts", "amount": "1",
                                                "currency": "EUR"}, follow_redirects=False)
    assert no_token.status_code == 403


def test_ledger_entries_can_be_changed_and_deleted(client: TestClient) -> None:
    tok = token(client)
    add = {"csrf_token": tok, "stream": "sponsorship", "amount": "80", "currency": "USD",
           "date": "2026-03-02", "note": "Brand A"}
    assert client.post("/ledger/add", data=add, follow_redirects=False).status_code == 303
    page = client.get("/ledger", headers=HTML).text
    entry = int(re.search(r'id="entry-(\d+)"', page).group(1))
    form = client.get("/ledger", params={"edit": str(entry)}, headers=HTML).text
    assert f'name="replace" value="{entry}"' in form and 'value="80"' in form
    changed = client.post("/ledger/add", data={**add, "amount": "95", "replace": str(entry)},
                          follow_redirects=False)
    assert changed.status_code == 303
    after = client.get("/ledger", headers=HTML).text
    assert f'id="entry-{entry}"' not in after and "$95.00" in after and "$80.00" not in after
    new = int(re.search(r'id="entry-(\d+)"', after).group(1))
    gone = client.post("/ledger/delete", data={"csrf_token": tok, "id": str(new)},
                       follow_redirects=False)
    assert gone.status_code == 303
    assert 'id="entry-' not in client.get("/ledger", headers=HTML).text
    assert client.post("/ledger/delete", data={"id": "1"}, follow_redirects=False).status_code \
        == 403  # CSRF like every form post


def test_ledger_says_what_a_negative_amount_is_and_keeps_typed_values(client: TestClient) -> None:
    tok = token(client)
    refund = client.post("/ledger/add", data={"csrf_token": tok, "stream": "affiliate",
                                              "amount": "-12.50", "currency": "USD",
                                              "date": "2026-03-05"}, follow_redirects=False)
    assert "notice=refund" in refund.headers["location"]
    assert "refund or clawback" in client.get(refund.headers["location"], headers=HTML).text
    bad = client.post("/ledger/add", data={"csrf_token": tok, "stream": "live_gifts",
                                           "amount": "lots", "currency": "EUR",
                                           "date": "2026-03-06", "note": "Tuesday LIVE"},
                      follow_redirects=False)
    shown = client.get(bad.headers["location"], headers=HTML).text
    assert 'value="lots"' in shown and 'value="Tuesday LIVE"' in shown
    assert 'value="2026-03-06"' in shown and 'aria-invalid="true"' in shown
    assert 'id="ledger-no-estimate"' in shown  # how to get months compared


# --- advice and growth ----------------------------------------------------------------------

def test_advice_page_and_api(client: TestClient) -> None:
    r = client.get("/advice", params=SMALL, headers=HTML)
    assert r.status_code == 200 and 'id="advice"' in r.text
    api = client.post("/api/v1/advise", json={"profile": {"followers": 4000, "views_30d": 40000}})
    assert api.status_code == 200
    ranked = [a for a in api.json()["advice"] if a["rank"]]
    gains = [a["gain_later"]["p50"] for a in ranked]
    assert gains == sorted(gains, reverse=True)  # ranked by what they add a year ahead
    assert client.get("/advice", params={**SMALL, "followers": "-1"},
                      headers=HTML).status_code == 422


def test_growth_page_and_api(client: TestClient) -> None:
    r = client.get("/growth", params={**SMALL, "follower_growth_per_month": "500"}, headers=HTML)
    assert r.status_code == 200 and 'id="openings"' in r.text
    api = client.post("/api/v1/growth", json={"profile": {"followers": 4000, "views_30d": 40000,
                                                          "follower_growth_per_month": 500},
                                              "months": 6})
    assert api.status_code == 200 and len(api.json()["months"]) == 7  # month 0 to 6
    assert client.post("/api/v1/growth", json={"profile": {"followers": 1, "views_30d": 1},
                                               "months": 99}).status_code == 422
    for kind in ("advice", "growth"):
        assert client.get(f"/charts/{kind}.svg", params=SMALL).status_code == 200
    assert client.get("/charts/pie.svg").status_code == 404


# --- hostile input ---------------------------------------------------------------------------

YEAR_ONE = (b'"Date","Followers","Difference in followers from previous day"\n'
            b'"0001-01-01","3982","-2"\n"0001-01-02","3980","1"\n')


def test_rows_dated_in_year_one_are_rejected_not_a_500(client: TestClient) -> None:
    """The window before year 1 overflowed (OverflowError): 500 on the page and the API."""
    page = client.post("/upload", data={"csrf_token": token(client)},
                       files=[("files", ("FollowerHistory.csv", YEAR_ONE))], headers=HTML)
    assert page.status_code == 200
    assert "is not between 2000-01-01 and 2999-12-31" in page.text
    api = client.post("/api/v1/import", params={"filename": "FollowerHistory.csv"},
                      content=YEAR_ONE, headers={"content-type": "application/octet-stream"})
    assert api.status_code == 200
    assert api.json()["rows"]["rejected"] == 2
    assert {r["column"] for r in api.json()["rejects"]} == {"Date"}


@pytest.mark.parametrize(("field", "value", "words"), [
    ("amount", "1e20", "amount: &#39;1e20&#39; is not valid here. Fix: write it like 41.20"),
    ("amount", "1e999999999", "amount: &#39;1E+999999999&#39; is too large or too small"),
    ("currency", "US", "currency: &#39;US&#39; is not valid here. Fix: use a three-letter code"),
    ("date", "26-4-1", "date: &#39;26-4-1&#39; is not valid here. Fix: write it as YYYY-MM-DD"),
    ("note", "x" * 501, "note: &#39;" + "x" * 40 + "&#39; is not valid here. Fix: keep it to 500"),
])
def test_ledger_form_errors_name_the_field_and_the_fix(client: TestClient, field: str, value: str,
                                                       words: str) -> None:
    """The form answered with the validator's words: "String should match pattern '^-?[0-9]..."."""
    data = {"csrf_token": token(client), "stream": "live_gifts", "amount": "12.5",
            "currency": "EUR", "date": "2026-04-01", field: value}
    r = client.post("/ledger/add", data=data, follow_redirects=False)
    assert r.status_code == 303 and "error=" in r.headers["location"]
    text = client.get(r.headers["location"], headers=HTML).text
    assert words in text and "pattern" not in text


def test_ledger_form_errors_in_swedish(client: TestClient) -> None:
    client.get("/", params={"lang": "sv"})
    r = client.post("/ledger/add", data={"csrf_token": token(client), "stream": "live_gifts",
                                         "amount": "1", "currency": "EU", "date": "2026-04-01"},
                    follow_redirects=False)
    text = client.get(r.headers["location"], headers=HTML).text
    assert "använd en kod på tre bokstäver" in text


def test_compare_with_an_estimate_id_beyond_64_bits(client: TestClient) -> None:
    """SQLite could not bind the id (OverflowError): 500."""
    client.post("/api/v1/ledger/events", json={"stream": "live_gifts", "amount": "10",
                                               "currency": "USD", "date": "2026-04-01"})
    r = client.get("/api/v1/ledger/compare", params={"estimate_id": "99999999999999999999"})
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "estimate"


def test_income_after_the_last_year_is_refused(client: TestClient) -> None:
    """Stored, it broke the month arithmetic of every page that compares (ValueError)."""
    r = client.post("/api/v1/ledger/events", json={"stream": "live_gifts", "amount": "10",
                                                    "currency": "USD", "date": "9999-12-31"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "date"
    assert client.get("/ledger", headers=HTML).status_code == 200


def test_json_nested_too_deeply_is_422_not_500(client: TestClient) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    r = client.post("/api/v1/import", params={"filename": "user_data_tiktok.json"},
                    content=body, headers={"content-type": "application/octet-stream"})
    assert r.status_code == 422 and "nests lists or objects" in r.json()["error"]["message"]
    page = client.post("/upload", data={"csrf_token": token(client)},
                       files=[("files", ("user_data_tiktok.json", body))], headers=HTML)
    assert page.status_code == 422 and "nests lists or objects" in page.text
