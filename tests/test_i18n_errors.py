"""Importer, ledger and card-file errors in Swedish: the CLI with --lang sv, the web pages in
Swedish, and every catalog key the code names present in both catalogs."""

from __future__ import annotations

import ast
import json
import pickle
import re
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kreator.core.card import EXPECT, build_card
from kreator.core.errors import CardError, ImportFileError, Phrase
from kreator.i18n import catalog, error_translator
from kreator.web import WebSettings, create_app
from kreator.web.security import CSRF_COOKIE, sign

SRC = Path(__file__).resolve().parents[1] / "src" / "kreator"
SEED = SRC / "ratecards" / "seed.toml"
FOLLOWERS_ZIP = Path(__file__).parent / "data" / "web" / \
    "Followers_2026-04-21_1779285792_sample_creator_4k.zip"


def history_csv(tmp_path: Path, *, header: str | None = None, bad_row: bool = False) -> Path:
    """FollowerHistory.csv from the sample Studio zip, with its header or one value broken."""
    with zipfile.ZipFile(FOLLOWERS_ZIP) as zf:
        lines = zf.read("FollowerHistory.csv").decode("utf-8-sig").splitlines()
    if header is not None:
        lines[0] = header
    if bad_row:
        lines[2] = re.sub(r'^("[^"]*"),"\d+"', r'\1,"many"', lines[2])
    path = tmp_path / "FollowerHistory.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


# --- importers ------------------------------------------------------------------------------

def test_truncated_zip(cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(FOLLOWERS_ZIP.read_bytes()[:300])
    sv = cli("import", "--lang", "sv", str(broken))
    assert sv.code == 2
    assert sv.err.startswith("Fel: broken.zip: är inte en komplett zip-fil (")
    assert "den kan vara avkortad. Åtgärd: ladda ner den igen från TikTok." in sv.err
    en = cli("import", str(broken))  # English exactly as before
    assert en.err.startswith("Error: broken.zip: is not a complete zip file (")
    assert en.err.rstrip().endswith("it may be truncated. Fix: download it again from TikTok.")


def test_csv_without_a_needed_column(cli, tmp_path: Path) -> None:
    path = history_csv(tmp_path, header='"Date","Something"')
    sv = cli("import", "--lang", "sv", str(path))
    assert sv.code == 2
    assert ("Fel: FollowerHistory.csv, rad 1: saknar kolumnen 'Followers' för tabellen "
            "Follower history. Kolumner som finns: Date, Something; förväntade: Date, Followers"
            ) in sv.err
    assert "Åtgärd: ange filen så som TikTok laddade ner den (kolumnerna får inte byta namn)." \
        in sv.err
    en = cli("import", str(path))
    assert "Error: FollowerHistory.csv, row 1: has no column 'Followers' for the" in en.err


def test_rejected_row_names_file_row_column_and_reason(cli, tmp_path: Path) -> None:
    path = history_csv(tmp_path, bad_row=True)
    strict = cli("import", "--strict", "--lang", "sv", str(path))
    assert strict.code == 2
    assert strict.err.startswith("Fel: FollowerHistory.csv, rad 3: Followers: är inget tal "
                                 "(fick 'many'). Åtgärd: rätta eller ta bort den raden")
    listed = cli("import", "--lang", "sv", str(path))
    assert "FollowerHistory.csv, rad 3, kolumn 'Followers': är inget tal (fick 'many')." \
        in listed.out
    ledger = cli("ledger", "import", "--lang", "sv", "--db", str(tmp_path / "l.sqlite"), str(path))
    assert ledger.code == 2
    assert "FollowerHistory.csv, rad 3: Followers: är inget tal (fick 'many'). Inget importerades." \
        in ledger.err
    assert "(liggaren importerar alla rader eller ingen)" in ledger.err


def test_big_numbers_are_grouped_the_swedish_way() -> None:
    from kreator.importers import limits as L
    from kreator.importers.sources import Budget

    budget = Budget()
    for _ in range(4):
        budget.take(L.MAX_FILE_BYTES, "big.csv")
    with pytest.raises(ImportFileError) as caught:
        budget.take(L.MAX_FILE_BYTES, "big.csv")
    sv = caught.value.render(error_translator("sv"))
    assert sv.startswith("big.csv: gör att importen blir 1\xa0280,0 MB; en körning läser högst "
                         "1\xa0024 MB. Åtgärd:")
    assert str(caught.value).startswith("big.csv: brings this import to 1,280.0 MB; one run "
                                        "reads at most 1,024 MB. Fix:")


# --- ledger ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("flags", "words"), [
    (["--amount", "lots", "--currency", "USD"],
     "Fel: amount: 'lots' är inget belopp. Åtgärd: skriv det som 12.50"),
    (["--amount", "12.345", "--currency", "USD"],
     "Fel: amount: 12.345 har fler decimaler än USD tillåter (2). Åtgärd: avrunda till 2 decimaler."),
    (["--amount", "12", "--currency", "XXQ"],
     "Fel: currency: 'XXQ' är ingen valutakod enligt ISO 4217. Åtgärd: använd en kod på tre"),
    (["--amount", "12", "--currency", "USD", "--date", "2026-02-30"],
     "Fel: date: '2026-02-30' är inget datum. Åtgärd: skriv ÅÅÅÅ-MM-DD"),
])
def test_ledger_add_bad_entry(cli, tmp_path: Path, flags: list[str], words: str) -> None:
    r = cli("ledger", "add", "--lang", "sv", "--db", str(tmp_path / "l.sqlite"),
            "--stream", "live_gifts", *flags)
    assert r.code == 2 and words in r.err, r.err


def test_ledger_creators_has_lang(cli) -> None:
    r = cli("ledger", "creators", "--lang", "sv", "--db", "foo://nowhere")
    assert r.code == 2 and "Fel: db: databasen 'foo' stöds inte." in r.err


# --- card files -----------------------------------------------------------------------------

def test_card_file_with_a_missing_key(cli, tmp_path: Path) -> None:
    card = tmp_path / "mycard.toml"
    card.write_text(re.sub(r"(?m)^name = .*\n", "", SEED.read_text("utf-8"), count=1), "utf-8")
    sv = cli("estimate", "--demo", "--card", str(card), "--lang", "sv")
    assert sv.code == 2
    assert f"Fel: {card}: card.name: ska vara en text som inte är tom. Åtgärd: rätta " \
        "priskortsfilen; se docs/ratecards.md för formatet." in sv.err
    shown = cli("cards", "show", str(card), "--lang", "sv")
    assert shown.code == 2 and "card.name: ska vara en text som inte är tom." in shown.err
    en = cli("estimate", "--demo", "--card", str(card))
    assert f"Error: {card}: card.name: expected a non-empty text. Fix: correct the card file" \
        in en.err


def test_card_file_with_an_unknown_stream(tmp_path: Path) -> None:
    import tomllib

    data = tomllib.loads(SEED.read_text("utf-8"))
    data["streams"]["creator_fnd"] = data["streams"].pop("creator_fund")
    with pytest.raises(CardError) as caught:
        build_card(data, "mine.toml")
    sv = caught.value.render(error_translator("sv"))
    assert sv.startswith("mine.toml: streams.creator_fnd: ska vara id:t för en känd intäktsström")
    assert "Menade du 'creator_fund'? (fick 'creator_fnd')." in sv


# --- web ------------------------------------------------------------------------------------

@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    app = create_app(WebSettings(db=str(tmp_path / "ledger.sqlite")))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        c.get("/", params={"lang": "sv"})  # the visitor picks Swedish (kept in a cookie)
        yield c


def token(c: TestClient) -> str:
    return sign(c.app.state.settings.secret, c.cookies[CSRF_COOKIE])


def shown(html: str, element_id: str) -> str:
    m = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert m, element_id
    return m.group(1).replace("&#39;", "'")


def test_web_upload_error_in_swedish(client: TestClient, tmp_path: Path) -> None:
    bad = history_csv(tmp_path, header='"Date","Something"')
    r = client.post("/upload", data={"csrf_token": token(client)},
                    files=[("files", (bad.name, bad.read_bytes()))], headers={"accept": "text/html"})
    assert r.status_code == 422
    text = shown(r.text, "upload-error")
    assert text.startswith("FollowerHistory.csv, rad 1: saknar kolumnen 'Followers'")
    assert "Åtgärd: ange filen så som TikTok laddade ner den" in text


def test_web_ledger_error_in_swedish(client: TestClient) -> None:
    r = client.post("/ledger/add", data={"csrf_token": token(client), "stream": "live_gifts",
                                         "amount": "lots", "currency": "EUR"},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"], headers={"accept": "text/html"})
    assert shown(page.text, "ledger-error").startswith("amount: 'lots' är inget belopp. Åtgärd:")
    api = client.post("/api/v1/ledger/events", json={"stream": "live_gifts", "amount": "1",
                                                      "currency": "XXQ", "date": "2026-03-01"})
    assert api.json()["error"]["message"].startswith("currency: 'XXQ' is not")  # API: English


# --- the catalogs ---------------------------------------------------------------------------

def _is_error_call(node: ast.Call) -> bool:
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    return name.endswith("Error") or isinstance(node.func, ast.Call)  # also type(exc)(...)


def _constants(node: ast.expr | None) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


def keys_in_code() -> set[str]:
    """Every catalog key named in src/kreator: ``key=`` of an error (and its ``_fix`` when the
    error has its own fix), and the key of every ``Phrase(text, key)``."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            kw = {k.arg: k.value for k in node.keywords}
            if _is_error_call(node) and "key" in kw:
                keys = _constants(kw["key"])
                found.update(keys)
                fix = kw.get("fix")
                if fix is not None and not (isinstance(fix, ast.Call) and getattr(
                        fix.func, "attr", "") == "fix_phrase"):
                    found.update(f"{k}_fix" for k in keys)
            if getattr(node.func, "id", "") == "Phrase" and len(node.args) > 1:
                found.update(_constants(node.args[1]))
    return found


def test_every_key_in_the_code_is_in_both_catalogs() -> None:
    keys = keys_in_code()
    assert len(keys) > 200 and {"import_zip_truncated", "amount_invalid", "row"} <= keys
    for lang in ("en", "sv"):
        missing = sorted(k for k in keys if f"error.{k}" not in catalog(lang))
        assert not missing, f"{lang}.toml lacks {missing}"


def test_every_literal_phrase_reads_the_same_through_the_english_catalog() -> None:
    en = error_translator("en")
    literal = [(node.args[0].value, node.args[1].value)
               for path in SRC.rglob("*.py") for node in ast.walk(ast.parse(path.read_text("utf-8")))
               if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Phrase"
               and len(node.args) == 2 and all(isinstance(a, ast.Constant) for a in node.args)]
    assert len(literal) > 30
    for text, key in literal:
        assert en(key, {}) == text, key


def test_card_expectations_are_the_catalog() -> None:
    en, sv = catalog("en"), catalog("sv")
    for key, text in EXPECT.items():
        assert en[f"error.expect.{key}"] == text
        assert f"error.expect.{key}" in sv
    for key in ("card_expected", "levers_expected"):
        assert f"error.{key}" in sv and f"error.{key}_fix" in sv


def test_a_phrase_is_plain_text_wherever_it_goes() -> None:
    row = Phrase("row 3", "row", {"number": 3})
    assert row == "row 3" and json.dumps({"row": row}) == '{"row": "row 3"}'
    back = pickle.loads(pickle.dumps(row))
    assert back == "row 3" and back.key == "row" and back.params == {"number": 3}
    assert row.localize(error_translator("sv")) == "rad 3"
    both = Phrase.joined(Phrase(" or ", "or"), ["followers", "views_30d"])
    assert both == "followers or views_30d"
    assert both.localize(error_translator("sv")) == "followers eller views_30d"


def test_web_card_and_change_errors_and_a_card_without_qualified_share_in_swedish(
        tmp_path: Path) -> None:
    import tomllib

    import kreator
    from kreator.core.errors import ProfileError
    from kreator.core.profile import Profile
    from kreator.web import services

    sv = error_translator("sv")
    with pytest.raises(CardError) as card:
        services.builtin_card("sed")
    assert card.value.render(sv) == ("card: okänt priskort 'sed'. Menade du 'seed'? Åtgärd: använd "
                                     f"något av {', '.join(services.card_ids())}.")
    with pytest.raises(ProfileError) as change:
        services.changed_profile(Profile(followers=1, views_30d=1), {"folowers": 2})
    assert change.value.render(sv).startswith("changes.folowers: 'folowers' är inte ett profilfält.")

    current = SRC / "ratecards" / "current-2025.toml"
    data = tomllib.loads(current.read_text("utf-8"))
    assert "qualified_share" in data["streams"]["creator_rewards"]
    text = current.read_text("utf-8").replace("[streams.creator_rewards.qualified_share]",
                                              "[streams.creator_rewards.unused_share]")
    (tmp_path / "noshare.toml").write_text(text, "utf-8")
    with pytest.raises(CardError) as share:
        kreator.estimate({"followers": 20_000, "views_30d": 200_000}, tmp_path / "noshare.toml")
    assert "förväntade en qualified_share-siffra med ett värde." in share.value.render(sv)
    assert "noshare.toml" in share.value.render(sv)


# --- the browser's wording -------------------------------------------------------------------

WEB_REACHABLE = ("required_fix", "no_creator_fix", "unknown_currency_fix", "fx_no_base_fix",
                 "db_unopenable_fix", "db_failed_fix", "db_damaged_fix", "several_creators_fix",
                 "creator_name_fix", "no_estimate_fix", "no_such_estimate_fix", "no_profile_fix",
                 "card_no_sponsorship_fix", "import_incomplete_fix", "import_rejected_row_fix",
                 "growth_range_fix", "months_range_fix", "project_draws_fix", "draws_range_fix",
                 "no_amount_fix", "unknown_language_fix")
"""Fixes that name a command-line option and can reach a page (a form, the ledger, an
upload, the growth page, an error page)."""
FLAG = re.compile(r"(?<![\w-])--[a-z{][\w-]*|\bkreator [a-z]")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_fix_a_page_can_show_has_a_web_wording_without_flags(lang: str) -> None:
    cat = catalog(lang)
    for key in WEB_REACHABLE:
        assert FLAG.search(cat[f"error.{key}"]), f"error.{key} no longer names an option"
        web = cat.get(f"error.web.{key}")
        assert web, f"error.web.{key} missing in {lang}.toml"
        assert not FLAG.search(web), (key, web)
        given = cat[f"error.{key}"] + cat[f"error.{key.removesuffix('_fix')}"]
        assert set(re.findall(r"\{(\w+)", web)) <= set(re.findall(r"\{(\w+)", given))
    web_keys = [k for k in cat if k.startswith("error.web.")]
    assert all(not FLAG.search(cat[k]) for k in web_keys)


def test_the_web_translator_prefers_the_web_wording() -> None:
    exc = ImportFileError("this ledger holds several creators.",
                          fix="give --creator, one of: a, b.", key="several_creators",
                          params={"choices": "a, b"})
    assert "?creator=NAME" in exc.render(error_translator("en", web=True))
    assert exc.render(error_translator("en", web=True)).startswith(
        "this ledger holds several creators. Fix: open the ledger for one of them: a, b")
    assert "--creator" in exc.render(error_translator("sv"))  # the CLI keeps its flags
    assert "öppna huvudboken" in exc.render(error_translator("sv", web=True))
