"""Shared test helpers: run the real CLI in-process and capture what a user would see."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from hypothesis import settings
from typer.testing import CliRunner

# Property tests draw the same examples on every machine and every run, so a fresh clone passes
# or fails the same way (and a failure reproduces). `HYPOTHESIS_PROFILE=explore pytest` searches
# with fresh random examples and keeps what fails in .hypothesis/ (run it when changing the model).
settings.register_profile("fixed", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))


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


OWN_ENGLISH = ("value_",)
"""Keys whose English message is pydantic's own ("less than or equal to 5" where the catalog
says 5.0, a range where it says "a plain number"): they were never meant to match."""


@pytest.fixture(autouse=True)
def _english_catalog_is_the_message(monkeypatch):
    """Every error raised in any test, if it names a catalog key, reads exactly the same through
    the English catalog as its own English text: the catalogs never change English output."""
    from kreator.core.errors import KreatorError
    from kreator.i18n import error_translator

    original = KreatorError.__init__
    differ: list[tuple[str, str, str]] = []
    untranslated: list[str] = []

    def checked(self, message, **kw):
        original(self, message, **kw)
        if self.key and not self.key.startswith(OWN_ENGLISH):
            via_catalog = self.render(error_translator("en"))
            if via_catalog != self.render():
                differ.append((self.key, self.render(), via_catalog))
            untranslated.extend(_not_in_swedish(self))

    monkeypatch.setattr(KreatorError, "__init__", checked)
    yield
    assert not differ, f"en.toml differs from the English message (key, code, catalog): {differ}"
    assert not untranslated, f"no Swedish for: {untranslated}"


def _not_in_swedish(exc) -> list[str]:
    """The catalog keys of ``exc`` (its message, fix and every Phrase in it) that sv.toml cannot
    render with the parameters given."""
    from kreator.core.errors import Phrase
    from kreator.i18n import error_translator

    sv = error_translator("sv")
    own_fix = exc.fix and not isinstance(exc.fix, Phrase)  # a Phrase fix is its own entry
    wanted = [(exc.key, exc.params)] + ([(f"{exc.key}_fix", exc.params)] if own_fix else [])
    todo = [exc.where, exc.fix, *exc.params.values()]
    while todo:
        value = todo.pop()
        if isinstance(value, Phrase):
            if value.key:
                wanted.append((value.key, value.params))
            todo += [*value.params.values(), *value.parts, value.sep]
    return [key for key, params in wanted if sv(key, params) is None]


UPDATE_GOLDEN = os.environ.get("KREATOR_UPDATE_GOLDEN") == "1"
