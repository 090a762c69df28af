"""``kreator serve``: the web app and JSON API on your own computer."""

from __future__ import annotations

import socket
import sys
from typing import Any

import typer

from kreator.cli.framework import command, emit_json

ALLOW_HOST = typer.Option(
    None, "--allow-host", help="Also answer requests for this host name (repeatable); needed "
    "when you open the app by a name other than 127.0.0.1 or localhost.")


@command("serve")
def serve_cmd(
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to listen on. The default is reachable only from "
                             "this computer; 0.0.0.0 opens it to your network."),
    port: int = typer.Option(8000, "--port", min=0, max=65535,
                             help="Port to listen on (0 picks a free one)."),
    db: str | None = typer.Option(None, "--db",
                                     help="Ledger database: a SQLite file or a database URL."),
    allow_host: list[str] | None = ALLOW_HOST,
    max_upload_mb: int = typer.Option(20, "--max-upload-mb", min=1, max=1024,
                                      help="Largest upload accepted, in MB (bigger gets 413)."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="Worker processes sharing the port (each a whole app). "
                                "More than one needs a ledger that takes several writers: "
                                "PostgreSQL, or SQLite (writes then queue on its lock)."),
    threads: int = typer.Option(8, "--threads", min=1, max=256,
                                help="Requests each worker runs at once (more wait their "
                                "turn). Bounds a worker's memory under heavy load."),
    cards_dir: str | None = typer.Option(None, "--cards-dir",
                                         help="Folder of fitted cards: the cards page lists "
                                         "them, and a fit in the browser is saved there "
                                         "(created if missing)."),
    as_json: bool = typer.Option(False, "--json",
                                 help="Print where it listens as JSON, then serve."),
) -> None:
    """Run the Kreator web app: estimate, advice, import and ledger in the browser, plus the
    JSON API under /api/v1 (its OpenAPI description at /openapi.json). Stop with Ctrl+C.

    Examples:

      kreator serve                                   # http://127.0.0.1:8000/

      kreator serve --port 8080 --db ~/kreator.sqlite

      kreator serve --host 0.0.0.0 --allow-host studio.local

      kreator serve --workers 4 --db postgresql://kreator@db.local/kreator

      kreator serve --db agency.sqlite --cards-dir fitted-cards/
    """
    from kreator.ledger.db import resolve_url
    from kreator.web import WebSettings, create_app

    resolve_url(db)  # a malformed --db (or $KREATOR_DB) fails here, not on the first ledger page
    if host.strip() and not is_loopback(host):
        require_users(db, host)
    settings = WebSettings(db=db, max_upload_bytes=max_upload_mb * 1024 * 1024,
                           cards_dir=cards_folder(cards_dir), threads=threads)
    for name in [host, *(allow_host or [])]:
        settings = settings.with_host(name)
    sock = listen(host, port)
    actual = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{actual}/"
    bound = f"http://{shown}:{actual}/"
    if as_json:
        emit_json({"url": url, "host": host, "port": actual,
                   "allowed_hosts": list(settings.allowed_hosts)})
        sys.stdout.flush()
    else:
        here = "" if bound == url else f" (on this computer: {url})"
        typer.echo(f"Kreator is listening on {bound}{here}. Ctrl+C stops it.")
    if workers == 1:
        run(create_app(settings), sock)
    else:
        run_workers(settings, sock, workers)


def is_loopback(host: str) -> bool:
    """True for localhost and 127.0.0.0/8, ::1 (an address only this computer reaches)."""
    import ipaddress

    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def require_users(db: str | None, host: str) -> None:
    """With no user in the database, refuse any address but loopback (docs/accounts.md)."""
    from kreator.ledger import open_ledger
    from kreator.ledger.accounts import count_users
    from kreator.web.errors import ListenError

    with open_ledger(db, recover=False) as ledger:
        if count_users(ledger):
            return
        url = ledger.where()
    raise ListenError(f"no user in {url}, so the server only listens on this computer "
                      f"(not {host}).", field="host",
                      fix=f"add the first admin: kreator users add NAME --role admin "
                      f"--password-stdin --db {url}", key="serve_no_users",
                      params={"url": url, "host": host})


def cards_folder(path: str | None) -> str | None:
    """The ``--cards-dir`` folder, made if missing; one clear error if it cannot be."""
    from pathlib import Path

    from kreator.atomic import unwritable

    if path is None:
        return None
    folder = Path(path).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise unwritable(folder, exc, "--cards-dir") from None
    return str(folder.resolve())


def listen(host: str, port: int) -> socket.socket:
    """A bound, listening socket, or one clear error (port taken, unknown address)."""
    from kreator.web.errors import ListenError

    if not host.strip():  # "" would listen on every address, open to the network
        raise ListenError("the address to listen on is empty.", field="host",
                          fix="give --host 127.0.0.1 (this computer) or 0.0.0.0 (your network).",
                          key="listen_empty_host")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named explicitly: asyncio sets TCP_NODELAY on accepted connections only when
    # the listening socket says it is TCP (proto 0 does not), and without it every request after
    # the first on a kept-alive connection waits ~40 ms for the peer's delayed ACK
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except (OSError, OverflowError) as exc:
        sock.close()
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ListenError(f"cannot listen on {host}:{port} ({reason}).", field="port",
                          fix="choose another --port (or --port 0 for any free one).",
                          key="listen_failed", params={"host": host, "port": port,
                                                       "reason": reason}) from None
    return sock


def run(app: Any, sock: socket.socket) -> None:
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", server_header=False, access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(settings: Any, sock: socket.socket, workers: int) -> None:
    """``workers`` processes on one listening socket, restarted by uvicorn if one dies; every
    one gets the same settings and CSRF secret (so a form from one is accepted by another)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    settings.to_env()
    config = uvicorn.Config("kreator.web.app:create_app_from_env", factory=True,
                            workers=workers, log_level="warning", server_header=False,
                            access_log=False)
    Multiprocess(config, sockets=[sock]).run()
