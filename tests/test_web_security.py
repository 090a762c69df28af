"""Defences of the local app: Host allow-list, CSRF, body limits (memory flat), no CORS,
strict Content-Security-Policy, escaping of creator-controlled text."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from kreator.web import WebSettings, create_app
from kreator.web.security import CSRF_COOKIE, csrf_secret, sign

BASE = "http://127.0.0.1:8000"
SMALL = {"followers": 4000, "views_30d": 40000}
MB = 1024 * 1024


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(WebSettings(max_body_bytes=64 * 1024, max_upload_bytes=MB)),
                      base_url=BASE)


# --- Host header (DNS rebinding) ------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "attacker:8000", ""])
def test_foreign_host_is_400(client: TestClient, host: str) -> None:
    for path in ("/api/v1/cards", "/"):
        r = client.get(path, headers={"host": host, "accept": "text/html"})
        assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/html")  # a page for the browser
    api = client.get("/api/v1/cards", headers={"host": host}).json()
    assert api["error"]["code"] == "bad_host" and api["error"]["field"] == "Host"


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "LOCALHOST:1234", "[::1]:8000"])
def test_local_hosts_are_answered(client: TestClient, host: str) -> None:
    assert client.get("/api/v1/cards", headers={"host": host}).status_code == 200


def test_allowed_host_can_be_added() -> None:
    app = create_app(WebSettings().with_host("studio.local"))
    c = TestClient(app, base_url="http://studio.local")
    assert c.get("/api/v1/cards").status_code == 200


# --- CSRF -----------------------------------------------------------------------------------

def test_form_post_without_csrf_token_is_403(client: TestClient) -> None:
    for ctype, body in (("application/x-www-form-urlencoded", b"followers=1"),
                        ("multipart/form-data; boundary=x", b"--x--\r\n"),
                        ("text/plain", b"{}"), ("", b"{}")):
        r = client.post("/api/v1/estimate", content=body, headers={"content-type": ctype})
        assert r.status_code == 403, ctype
        assert r.json()["error"]["code"] == "csrf_failed"


def test_form_post_with_a_forged_token_is_403(client: TestClient) -> None:
    client.cookies.set(CSRF_COOKIE, "a" * 43)
    r = client.post("/api/v1/estimate", data={"csrf_token": "b" * 64})
    assert r.status_code == 403


def test_form_post_with_the_pages_token_passes_csrf(client: TestClient) -> None:
    page = client.get("/")
    assert CSRF_COOKIE in page.cookies  # set on first visit: HttpOnly, SameSite=Strict
    cookie = page.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    token = sign(csrf_secret(client.app.state), client.cookies[CSRF_COOKIE])
    r = client.post("/api/v1/estimate", data={"csrf_token": token})
    assert r.status_code == 422  # past the CSRF check; a form is not JSON
    r = client.post("/api/v1/estimate", content=b"x", headers={"content-type": "text/plain",
                                                               "x-csrf-token": token})
    assert r.status_code == 422


def test_json_from_another_origin_is_403(client: TestClient) -> None:
    r = client.post("/api/v1/estimate", json={"profile": SMALL},
                    headers={"origin": "https://evil.example"})
    assert r.status_code == 403 and r.json()["error"]["field"] == "Origin"
    same = client.post("/api/v1/estimate", json={"profile": SMALL}, headers={"origin": BASE})
    assert same.status_code == 200


# --- no CORS, strict headers ----------------------------------------------------------------

def test_no_cors(client: TestClient) -> None:
    pre = client.options("/api/v1/estimate", headers={
        "origin": "https://evil.example", "access-control-request-method": "POST",
        "access-control-request-headers": "content-type"})
    assert pre.status_code == 405
    r = client.get("/api/v1/cards", headers={"origin": "https://evil.example"})
    assert not any(h.lower().startswith("access-control-") for h in {**pre.headers, **r.headers})


def test_pages_carry_a_strict_content_security_policy(client: TestClient) -> None:
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    # every script and stylesheet is served by Kreator itself
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']?(https?:)?//""", r.text)
    assert "<script>" not in r.text  # no inline script at all


def test_creator_text_is_escaped(client: TestClient) -> None:
    name = "<script>alert(1)</script>"
    r = client.get("/", params={**SMALL, "display_name": name})
    assert r.status_code == 200
    assert name not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


# --- body limits ----------------------------------------------------------------------------

def test_declared_body_over_the_limit_is_413_before_reading(client: TestClient) -> None:
    r = client.post("/api/v1/estimate", content=b"{" + b" " * (64 * 1024 + 10) + b"}",
                    headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_chunked_body_over_the_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b" " * 4096

    r = client.post("/api/v1/estimate", content=chunks(),
                    headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_bad_content_length_is_refused(client: TestClient) -> None:
    r = client.post("/api/v1/estimate", content=b"{}", headers={
        "content-type": "application/json", "content-length": "abc"})
    assert r.status_code in (400, 413)


def _peak_rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))


@pytest.mark.parametrize(("args", "env", "words"), [
    (["--host", ""], {}, "host: the address to listen on is empty"),
    (["--db", "sqlite://:memory:"], {}, "db: 'sqlite://:memory:' is not a database URL"),
    ([], {"KREATOR_DB": "postgresql+asyncpg://u@h/db"},
     "db: unsupported database 'postgresql+asyncpg'"),
])
def test_serve_refuses_what_it_cannot_serve_before_listening(cli, monkeypatch, args, env,
                                                             words) -> None:
    """--host "" listened on every address (open to the network); a --db Kreator cannot open
    was found out on the first ledger page, as a 500."""
    import kreator.cli.serve as serve

    def never(*_: object) -> None:
        raise AssertionError("kreator serve started")

    monkeypatch.setattr(serve, "run", never)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    r = cli("serve", "--port", "0", *args)
    assert r.code == 2 and words in r.err, r.err


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    """``kreator serve`` in its own process, with a 1 MB upload limit."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "kreator", "serve", "--port", "0", "--json",
                             "--max-upload-mb", "1"], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    lines = []
    while not lines or lines[-1].rstrip() != "}":
        lines.append(proc.stdout.readline())
        assert lines[-1], "kreator serve exited"
    url = json.loads("".join(lines))["url"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "api/v1/cards", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    yield url, proc.pid
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_upload_over_the_limit_is_413_with_memory_flat(server: tuple[str, int]) -> None:
    url, pid = server
    httpx.post(url + "api/v1/estimate", json={"profile": SMALL})  # warm up
    before = _peak_rss_kb(pid)
    part = (b'--x\r\nContent-Disposition: form-data; name="files"; filename="a.zip"\r\n'
            b"Content-Type: application/zip\r\n\r\n")

    def stream(head: bytes = b"") -> Iterator[bytes]:  # 200 MB, chunked: no Content-Length
        yield head
        block = b"\0" * (256 * 1024)
        for _ in range(800):
            yield block

    for path, ctype, head in (("api/v1/import?filename=x.zip", "application/octet-stream", b""),
                              ("upload", "multipart/form-data; boundary=x", part),
                              ("api/v1/estimate", "application/json", b"")):
        try:
            r = httpx.post(url + path, content=stream(head), timeout=30,
                           headers={"content-type": ctype})
            status = r.status_code
        except httpx.TransportError:  # the server may close the connection after its 413
            status = 413
        assert status == 413, path
    declared = httpx.post(url + "api/v1/import?filename=x.zip", content=b"\0" * (2 * MB),
                          headers={"content-type": "application/zip"}, timeout=30)
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "too_large"
    growth_mb = (_peak_rss_kb(pid) - before) / 1024
    print(f"server peak RSS grew {growth_mb:.1f} MB while refusing 3 x 200 MB")
    assert growth_mb < 20, f"peak memory grew {growth_mb:.1f} MB while refusing uploads"
