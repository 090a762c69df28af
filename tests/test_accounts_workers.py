"""Several server processes on one database: a session made by one is good on another, a sign-out
on one ends it on all, the CSRF key is the database's (a form from one server is accepted by a
separately started other), failed sign-ins count across processes, and a revoked token stops
everywhere. ``kreator serve --workers 2`` on PostgreSQL: sign in through one worker process,
use the session through the other (each connection's worker read from the operating system)."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import psutil
import pytest
from tests.serve_support import start_serve

from test_ledger_support import BACKENDS, PG_URL, fresh_db

PASSWORD = "ada's long passphrase"


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_db(request.param, tmp_path)


def kreator(*args: str, stdin: str = "") -> str:
    done = subprocess.run([sys.executable, "-m", "kreator", *args], input=stdin, text=True,
                          capture_output=True, check=True)
    return done.stdout


@contextmanager
def serve(db: str, workers: int = 1) -> Iterator[tuple[int, int]]:
    """(port, pid) of a ``kreator serve`` on a free port."""
    proc, info = start_serve("--workers", str(workers), "--db", db)
    try:
        port = int(info["port"])
        until(lambda: ask(port, "GET", "/login")[0] in (200, 303), "the server answering")
        yield port, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def until(check: Callable[[], object], what: str, limit: float = 60) -> None:
    deadline = time.monotonic() + limit  # a bound on waiting, not a timed assertion
    while True:
        try:
            if check():
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.1)


Answer = tuple[int, dict[str, str], str]


def ask(port: int, method: str, path: str, cookies: dict[str, str] | None = None,
        form: dict[str, str] | None = None, sock: socket.socket | None = None) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if sock is not None:
        conn.sock = sock
    headers = {"Accept": "text/html", "Connection": "close"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    text = r.read().decode()
    got = {k.lower(): v for k, v in r.getheaders() if k.lower() != "set-cookie"}
    for raw in r.headers.get_all("set-cookie") or []:
        name, _, rest = raw.partition("=")
        got[f"cookie:{name}"] = rest.split(";")[0]
    conn.close()
    return r.status, got, text


def page_token(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(port: int, sock: socket.socket | None = None, password: str = PASSWORD
            ) -> tuple[dict[str, str], Answer]:
    """Sign in as ada: (cookies, the answer to the sign-in post)."""
    status, got, text = ask(port, "GET", "/login")
    assert status == 200
    cookies = {"kreator_csrf": got["cookie:kreator_csrf"]}
    answer = ask(port, "POST", "/login", cookies, {"name": "ada", "password": password,
                                                   "csrf_token": page_token(text)}, sock)
    if answer[0] == 303:
        cookies = {"kreator_csrf": answer[1]["cookie:kreator_csrf"],
                   "kreator_session": answer[1]["cookie:kreator_session"]}
    return cookies, answer


def test_two_servers_share_sessions_csrf_throttle_and_tokens(url: str) -> None:
    kreator("users", "add", "ada", "--role", "admin", "--password-stdin", "--db", url,
            stdin=PASSWORD + "\n")
    token = kreator("tokens", "create", "--user", "ada", "--db", url).splitlines()[-1]
    with serve(url) as (one, _), serve(url) as (two, _):
        cookies, answer = sign_in(one)
        assert answer[0] == 303
        status, _, text = ask(two, "GET", "/ledger", cookies)  # the session, on the other
        assert status == 200 and "Signed in as ada" in text
        form = {"stream": "sponsorship", "amount": "10", "currency": "USD",
                "date": "2026-04-30", "query": "", "csrf_token": page_token(text)}
        assert ask(one, "POST", "/ledger/add", cookies, form)[0] == 303  # two's form, on one
        assert ask(two, "POST", "/logout", cookies, {"csrf_token": page_token(text)})[0] == 303
        assert ask(one, "GET", "/ledger", cookies)[0] == 303  # ended everywhere: to /login
        for _ in range(10):
            assert sign_in(one, password="wrong password")[1][0] == 401
        throttled = sign_in(two)[1]
        assert throttled[0] == 429 and int(throttled[1]["retry-after"]) > 0
        auth = http.client.HTTPConnection("127.0.0.1", two)
        auth.request("GET", "/api/v1/cards", headers={"Authorization": f"Bearer {token}"})
        assert auth.getresponse().status == 200
        kreator("tokens", "revoke", token, "--db", url)
        auth = http.client.HTTPConnection("127.0.0.1", one)
        auth.request("GET", "/api/v1/cards", headers={"Authorization": f"Bearer {token}"})
        assert auth.getresponse().status == 401


def connect_to(port: int, pid: int, wanted: Callable[[int], bool]) -> tuple[socket.socket, int]:
    """A connection accepted by a worker process for which ``wanted(worker pid)`` holds."""
    workers = [c for c in psutil.Process(pid).children()
               if "resource_tracker" not in " ".join(c.cmdline())]
    for _ in range(200):
        sock = socket.create_connection(("127.0.0.1", port))
        mine = sock.getsockname()[1]
        owner: list[int] = []

        def accepted(mine: int = mine, owner: list[int] = owner) -> bool:
            owner[:] = [w.pid for w in workers for c in w.net_connections("tcp")
                        if c.raddr and c.raddr.port == mine]
            return bool(owner)

        until(accepted, "a worker accepting the connection", limit=10)
        if wanted(owner[0]):
            return sock, owner[0]
        sock.close()
    raise AssertionError("no connection reached the worker wanted")


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[str]:
    if not PG_URL:
        pytest.skip("KREATOR_TEST_PG_URL is not set (source .ci/setup-postgres.sh)")
    yield from fresh_db("postgresql", tmp_path)


def test_serve_workers_2_on_postgresql_session_made_by_one_worker_used_by_the_other(
        pg: str) -> None:
    db = pg
    kreator("users", "add", "ada", "--role", "admin", "--password-stdin", "--db", db,
            stdin=PASSWORD + "\n")
    with serve(db, workers=2) as (port, pid):
        until(lambda: len([c for c in psutil.Process(pid).children()
                           if "resource_tracker" not in " ".join(c.cmdline())]) == 2,
              "two workers")
        sock, first = connect_to(port, pid, lambda w: True)
        cookies, answer = sign_in(port, sock)
        assert answer[0] == 303
        sock, second = connect_to(port, pid, lambda w: w != first)
        status, _, text = ask(port, "GET", "/ledger", cookies, sock=sock)
        assert second != first and status == 200 and "Signed in as ada" in text
