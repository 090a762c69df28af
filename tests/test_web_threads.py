"""``kreator serve --threads N``: each worker runs at most N requests at once (anyio's thread
pool, where FastAPI runs the plain ``def`` routes), so a worker left with every connection
(another one died) does not grow a thread, and its memory, per connection."""

from __future__ import annotations

import os
import subprocess
import sys

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from kreator.web import WebSettings, create_app
from kreator.web.settings import from_env


def _tokens() -> float:
    return anyio.to_thread.current_default_thread_limiter().total_tokens


@pytest.mark.parametrize("threads", [1, 3, 8])
def test_the_thread_pool_holds_threads_requests(threads: int) -> None:
    with TestClient(create_app(WebSettings(threads=threads)), base_url="http://127.0.0.1") as client:
        assert client.portal is not None
        assert client.portal.call(_tokens) == threads
        r = client.post("/api/v1/estimate",
                        json={"profile": {"followers": 4000, "views_30d": 40000}})
        assert r.status_code == 200, r.text


def test_workers_get_the_same_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KREATOR_SERVE_SETTINGS", raising=False)
    WebSettings(threads=5).to_env()
    assert from_env().threads == 5


def test_serve_refuses_no_thread() -> None:
    out = subprocess.run([sys.executable, "-m", "kreator", "serve", "--threads", "0"],
                         capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    assert out.returncode == 2 and "--threads" in out.stderr
