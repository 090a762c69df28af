"""``kreator users …``, ``kreator tokens …`` and ``kreator audit``: who may use a shared
Kreator server, their API tokens, and what they did. Every command takes ``--db`` like the
ledger; each change is written to the audit log (actor ``cli``). See docs/accounts.md."""

from __future__ import annotations

import datetime as dt
import sys

import typer

from kreator.cli.framework import app, command, emit_json
from kreator.cli.ledger import DB, JSON, _open

users_app = typer.Typer(help="Users of a shared Kreator server: add, list, remove, passwd, "
                        "assign.\n\nStart with:  kreator users add ada --role admin "
                        "--password-stdin", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens (Authorization: Bearer TOKEN): create, list, revoke.",
                         no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")

CREATORS = typer.Option(None, "--creator", "-c", help="A creator this user may see (repeat).")
STDIN = typer.Option(False, "--password-stdin", help="Read the password from standard input "
                     "(first line).")
ACTOR = "cli"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@command("add", group=users_app)
def users_add(name: str = typer.Argument(..., help="The user's sign-in name."),
              role: str = typer.Option(..., "--role", help="admin, manager or creator."),
              creators: list[str] | None = CREATORS, password_stdin: bool = STDIN,
              db: str | None = DB) -> None:
    """Add a user. A creator user has exactly one --creator; a manager any number.

    Example:  echo 'a long password' | kreator users add ada --role admin --password-stdin
    """
    from kreator.ledger import accounts

    password = _password(password_stdin)
    with _open(db) as ledger:
        accounts.add_user(ledger, name, role, password, creators or [])
        accounts.audit(ledger, ACTOR, "user.add", name=name, role=role,
                       creators=sorted(creators or []))
    typer.echo(f"Added {role} '{name}'.")


@command("list", group=users_app)
def users_list(db: str | None = DB, as_json: bool = JSON) -> None:
    """List the users, their roles and creators."""
    from kreator.ledger import accounts

    with _open(db) as ledger:
        users = accounts.list_users(ledger)
    if as_json:
        emit_json(users)
        return
    for u in users:
        typer.echo(f"{u['name']}\t{u['role']}\t{', '.join(u['creators'])}")


@command("remove", group=users_app)
def users_remove(name: str = typer.Argument(...), db: str | None = DB) -> None:
    """Remove a user: their sessions and tokens end at once."""
    from kreator.ledger import accounts

    with _open(db) as ledger:
        accounts.remove_user(ledger, name)
        accounts.audit(ledger, ACTOR, "user.remove", name=name)
    typer.echo(f"Removed '{name}'.")


@command("passwd", group=users_app)
def users_passwd(name: str = typer.Argument(...), password_stdin: bool = STDIN,
                 db: str | None = DB) -> None:
    """Set a new password: the user's sessions end at once."""
    from kreator.ledger import accounts

    password = _password(password_stdin)
    with _open(db) as ledger:
        accounts.set_password(ledger, name, password)
        accounts.audit(ledger, ACTOR, "user.passwd", name=name)
    typer.echo(f"Password changed for '{name}'.")


@command("assign", group=users_app)
def users_assign(name: str = typer.Argument(...), creators: list[str] | None = CREATORS,
                 db: str | None = DB) -> None:
    """Set the creators a manager (or creator user) may see, replacing the old list."""
    from kreator.ledger import accounts

    with _open(db) as ledger:
        accounts.assign(ledger, name, creators or [])
        accounts.audit(ledger, ACTOR, "user.assign", name=name, creators=sorted(creators or []))
    typer.echo(f"'{name}' now sees: {', '.join(sorted(creators or [])) or '-'}.")


@command("create", group=tokens_app)
def tokens_create(user: str = typer.Option(..., "--user", help="Whose token."),
                  expires: int | None = typer.Option(None, "--expires", help="Days until it "
                                                     "expires (default: never)."),
                  db: str | None = DB, as_json: bool = JSON) -> None:
    """Create a token. It is shown once (the last line; {"token": ...} with --json)."""
    from kreator.ledger import accounts

    with _open(db) as ledger:
        token_id, token = accounts.create_token(ledger, user, expires)
        accounts.audit(ledger, ACTOR, "token.create", user=user, id=token_id, days=expires)
    if as_json:
        emit_json({"id": token_id, "user": user, "token": token})
        return
    typer.echo(f"Token {token_id} for '{user}' (shown once, keep it safe):")
    typer.echo(token)


@command("list", group=tokens_app)
def tokens_list(user: str | None = typer.Option(None, "--user", help="Only this user's."),
                db: str | None = DB, as_json: bool = JSON) -> None:
    """List tokens (id, user, first characters, created, expires, revoked); never the token."""
    from kreator.ledger import accounts

    with _open(db) as ledger:
        tokens = accounts.list_tokens(ledger, user)
    if as_json:
        emit_json(tokens)
        return
    for t in tokens:
        state = "revoked" if t["revoked_at"] else f"expires {t['expires_at'] or 'never'}"
        typer.echo(f"{t['id']}\t{t['user']}\t{t['prefix']}…\t{t['created_at']}\t{state}")


@command("revoke", group=tokens_app)
def tokens_revoke(token: str | None = typer.Argument(None, help="The token or its id."),
                  user: str | None = typer.Option(None, "--user", help="With --all."),
                  everything: bool = typer.Option(False, "--all", help="All of --user's tokens."),
                  db: str | None = DB) -> None:
    """Revoke one token (TOKEN_OR_ID), or all of a user's (--user NAME --all)."""
    from kreator.core.errors import LedgerError
    from kreator.ledger import accounts

    if (token is None) == (user is None or not everything):
        raise LedgerError("give a token (or its id), or --user NAME --all.", field="token",
                          fix="kreator tokens revoke 3, or kreator tokens revoke --user ada --all.",
                          key="revoke_what")
    with _open(db) as ledger:
        if token is not None:
            token_id = accounts.revoke_token(ledger, token)
            accounts.audit(ledger, ACTOR, "token.revoke", id=token_id)
            typer.echo(f"Revoked token {token_id}.")
            return
        assert user is not None
        count = accounts.revoke_all(ledger, user)
        accounts.audit(ledger, ACTOR, "token.revoke_all", user=user, count=count)
    typer.echo(f"Revoked {count} token(s) of '{user}'.")


@command("audit")
def audit_cmd(since: str | None = typer.Option(None, "--since", help="From this day "
                                               "(YYYY-MM-DD)."),
              db: str | None = DB, as_json: bool = JSON) -> None:
    """The audit log: sign-ins, user and token changes, ledger writes, imports, card fits."""
    from kreator.ledger import accounts
    from kreator.ledger.entries import parse_day

    day = parse_day(since, "since")
    start = None if day is None else dt.datetime.combine(day, dt.time())
    with _open(db) as ledger:
        entries = accounts.read_audit(ledger, start)
    if as_json:
        emit_json(entries)
        return
    for e in entries:
        detail = " ".join(f"{k}={v}" for k, v in sorted(e["detail"].items()))
        typer.echo(f"{e['at']}\t{e['actor']}\t{e['address'] or '-'}\t{e['action']}\t{detail}")
