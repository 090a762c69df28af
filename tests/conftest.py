"""Shared test helpers: run the real CLI in-process and capture what a user would see."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, env: dict[str, str] | None = None) -> CliResult:
    """Invoke ``kreator ARGS`` through the same app and error mapping as the console script."""
    from kreator.cli import app

    runner = CliRunner()
    result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, _unbox(result.stderr))


def _unbox(text: str) -> str:
    """Typer draws usage errors in a box; tests read the words, not the frame."""
    if "╭" not in text:
        return text
    lines = [ln.strip().strip("│╭╮╰╯─").strip() for ln in text.splitlines()]
    return " ".join(ln for ln in lines if ln)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    monkeypatch.delenv("KREATOR_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


UPDATE_GOLDEN = os.environ.get("KREATOR_UPDATE_GOLDEN") == "1"
