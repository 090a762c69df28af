"""Users, roles, tokens and the audit log in the ledger database (SQLite and PostgreSQL), through
the library and the ``kreator users|tokens|audit`` commands; the loopback-only rule of
``kreator serve`` while the database holds no user."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from kreator.ledger import accounts, open_ledger
from kreator.ledger.account_models import ApiToken, WebSession
from test_ledger_support import BACKENDS, fresh_db

PASSWORD = "correct horse battery"


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_db(request.param, tmp_path)


def kreator(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    from kreator.cli import app

    result = CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_migration_creates_the_account_tables(url: str) -> None:
    with open_ledger(url) as ledger, ledger.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM app_user")).scalar() == 0
        for table in ("user_creator", "api_token", "web_session", "login_failure", "audit_log"):
            conn.execute(text(f"SELECT count(*) FROM {table}"))


def test_passwords_are_argon2id_and_checked_by_the_same_path(url: str) -> None:
    with open_ledger(url) as ledger:
        accounts.add_user(ledger, "ada", "admin", PASSWORD)
        stored = ledger.engine.connect().execute(
            text("SELECT password_hash FROM app_user")).scalar()
        assert str(stored).startswith("$argon2id$") and PASSWORD not in str(stored)
        assert accounts.check_login(ledger, "ada", PASSWORD) is not None
        assert accounts.check_login(ledger, "ada", PASSWORD + "x") is None
        assert accounts.check_login(ledger, "nobody", PASSWORD) is None


def test_roles_scope_creators(url: str) -> None:
    with open_ledger(url) as ledger:
        accounts.add_user(ledger, "mia", "manager", PASSWORD, ["alva", "bo"])
        accounts.add_user(ledger, "alva", "creator", PASSWORD, ["alva"])
        alva_id = ledger.creator_id("alva")[0]
        bo_id = ledger.creator_id("bo")[0]
        mia = accounts.check_login(ledger, "mia", PASSWORD)
        alva = accounts.check_login(ledger, "alva", PASSWORD)
        assert mia is not None and alva is not None
        assert mia.sees(alva_id) and mia.sees(bo_id)
        assert alva.sees(alva_id) and not alva.sees(bo_id)
        accounts.assign(ledger, "mia", ["bo"])
        mia = accounts.check_login(ledger, "mia", PASSWORD)
        assert mia is not None and not mia.sees(alva_id) and mia.sees(bo_id)


def test_tokens_are_hashed_scoped_revocable_and_expire(url: str) -> None:
    now = dt.datetime(2030, 1, 1)
    with open_ledger(url) as ledger:
        accounts.add_user(ledger, "ada", "admin", PASSWORD)
        accounts.add_user(ledger, "bo", "creator", PASSWORD, ["bo"])
        tid, token = accounts.create_token(ledger, "bo", days=7, now=now)
        with ledger.read() as s:
            row = s.scalar(select(ApiToken).where(ApiToken.id == tid))
            assert row is not None and row.token_hash != token and token not in row.token_hash
        who = accounts.check_token(ledger, token, now=now)
        assert who is not None and who.name == "bo" and who.role == "creator"
        assert accounts.check_token(ledger, token, now=now + dt.timedelta(days=7)) is None
        assert accounts.check_token(ledger, token + "x", now=now) is None
        _, other = accounts.create_token(ledger, "bo", now=now)
        assert accounts.revoke_token(ledger, other) > tid
        assert accounts.check_token(ledger, other, now=now) is None
        _, third = accounts.create_token(ledger, "bo", now=now)
        assert accounts.revoke_all(ledger, "bo") == 2  # the first and third; the second already
        assert accounts.check_token(ledger, third, now=now) is None


def test_password_change_and_removal_end_sessions_and_tokens(url: str) -> None:
    with open_ledger(url) as ledger:
        uid = accounts.add_user(ledger, "ada", "admin", PASSWORD)
        with ledger.write() as s:
            s.add(WebSession(id_hash="a" * 64, user_id=uid, expires_at=dt.datetime(2100, 1, 1)))
        accounts.set_password(ledger, "ada", "another good one")
        with ledger.read() as s:
            assert s.scalar(select(WebSession)) is None
        assert accounts.check_login(ledger, "ada", PASSWORD) is None
        _, token = accounts.create_token(ledger, "ada")
        accounts.remove_user(ledger, "ada")
        assert accounts.check_token(ledger, token) is None
        assert accounts.list_users(ledger) == []


@pytest.mark.parametrize(("args", "words"), [
    (["users", "add", "x", "--role", "boss"], "role: no role 'boss'"),
    (["users", "add", "x", "--role", "creator"], "creator: a creator user has exactly one"),
    (["users", "passwd", "ghost"], "user: no user 'ghost'"),
    (["tokens", "create", "--user", "ghost"], "user: no user 'ghost'"),
    (["tokens", "create", "--user", "ada", "--expires", "0"], "expires: --expires must be at "),
    (["tokens", "revoke", "999"], "token: no such token"),
    (["tokens", "revoke"], "token: give a token (or its id), or --user NAME --all"),
])
def test_cli_errors_are_one_clear_line(tmp_path: Path, args: list[str], words: str) -> None:
    db = str(tmp_path / "l.sqlite")
    assert kreator("users", "add", "ada", "--role", "admin", "--password-stdin", "--db", db,
                   stdin=PASSWORD + "\n")[0] == 0
    code, _, err = kreator(*args, "--password-stdin", "--db", db, stdin=PASSWORD + "\n") \
        if args[:2] in (["users", "add"], ["users", "passwd"]) else kreator(*args, "--db", db)
    assert code == 2 and words in err and "Traceback" not in err, err


def test_cli_users_tokens_audit_round_trip(url: str) -> None:
    assert kreator("users", "add", "ada", "--role", "admin", "--password-stdin", "--db", url,
                   stdin=PASSWORD + "\n")[0] == 0
    assert kreator("users", "add", "mia", "--role", "manager", "-c", "alva", "-c", "bo",
                   "--password-stdin", "--db", url, stdin=PASSWORD + "\n")[0] == 0
    code, out, _ = kreator("users", "list", "--json", "--db", url)
    assert code == 0 and [(u["name"], u["role"], u["creators"]) for u in json.loads(out)] == [
        ("ada", "admin", []), ("mia", "manager", ["alva", "bo"])]
    code, out, _ = kreator("tokens", "create", "--user", "mia", "--expires", "30", "--db", url)
    token = out.strip().splitlines()[-1]
    assert code == 0 and token.startswith(accounts.TOKEN_PREFIX)
    with open_ledger(url) as ledger:
        who = accounts.check_token(ledger, token)
        assert who is not None and who.name == "mia"
    code, out, _ = kreator("tokens", "create", "--user", "ada", "--json", "--db", url)
    second = json.loads(out)["token"]
    code, out, _ = kreator("tokens", "list", "--json", "--db", url)
    assert [t["user"] for t in json.loads(out)] == ["mia", "ada"]
    assert token not in out and second not in out
    assert kreator("tokens", "revoke", token, "--db", url)[0] == 0
    assert kreator("tokens", "revoke", "--user", "ada", "--all", "--db", url)[0] == 0
    assert kreator("users", "passwd", "mia", "--password-stdin", "--db", url,
                   stdin="a new password\n")[0] == 0
    assert kreator("users", "assign", "mia", "-c", "bo", "--db", url)[0] == 0
    assert kreator("users", "remove", "mia", "--db", url)[0] == 0
    with open_ledger(url) as ledger:
        assert accounts.check_token(ledger, token) is None
        assert accounts.check_token(ledger, second) is None
    code, out, _ = kreator("audit", "--json", "--db", url)
    assert code == 0 and [e["action"] for e in json.loads(out)] == [
        "user.add", "user.add", "token.create", "token.create", "token.revoke",
        "token.revoke_all", "user.passwd", "user.assign", "user.remove"]
    assert PASSWORD not in out and token not in out
    code, out, _ = kreator("audit", "--since", "2999-01-01", "--db", url)
    assert code == 0 and out == ""


def test_serve_without_users_refuses_a_public_address(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is bound: the check comes before listening (listen is replaced to prove it)."""
    import kreator.cli.serve as serve

    def never(*_: object) -> None:
        raise AssertionError("kreator serve tried to listen")

    monkeypatch.setattr(serve, "listen", never)
    db = str(tmp_path / "l.sqlite")
    for host in ("0.0.0.0", "192.0.2.7", "::", "studio.local"):
        code, _, err = kreator("serve", "--host", host, "--port", "0", "--db", db)
        assert code == 2, err
        assert "no user in" in err and "kreator users add NAME --role admin" in err, err
    assert serve.is_loopback("127.0.0.1") and serve.is_loopback("::1")
    assert serve.is_loopback("localhost") and not serve.is_loopback("0.0.0.0")
    kreator("users", "add", "ada", "--role", "admin", "--password-stdin", "--db", db,
            stdin=PASSWORD + "\n")
    with pytest.raises(AssertionError, match="tried to listen"):
        kreator("serve", "--host", "0.0.0.0", "--port", "0", "--db", db)
