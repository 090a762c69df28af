"""A real ``kreator serve`` in a child process for the tests that need one (browser, workers,
accounts): started on a free port with ``--json``, and what it printed about where it listens."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import httpx


def start_serve(*args: str) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """``kreator serve --port 0 --json ARGS`` and its JSON (``url``, ``port``, ...)."""
    proc = subprocess.Popen([sys.executable, "-m", "kreator", "serve", "--port", "0", "--json",
                             *args], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    lines: list[str] = []
    while not lines or lines[-1].rstrip() != "}":
        lines.append(proc.stdout.readline())
        if not lines[-1]:
            proc.kill()
            raise AssertionError("kreator serve exited early")
    return proc, json.loads("".join(lines))


def answers(url: str) -> bool:
    """The server at ``url`` answers ``/api/v1/cards`` with 200."""
    try:
        return httpx.get(url + "/api/v1/cards", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def wait_up(url: str, limit: float = 20) -> None:
    """Until the server answers (a bound on waiting, not a timed assertion)."""
    deadline = time.monotonic() + limit
    while not answers(url) and time.monotonic() < deadline:
        time.sleep(0.1)
