"""The commands shown in docs/batch.md run (those that need no outside file or cluster)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "batch.md"


def _lines() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)
    lines = [ln.split("  #")[0].strip() for b in blocks for ln in b.splitlines()]
    return [ln for ln in lines if ln.startswith(("kreator synth", "kreator batch creators"))
            and "--scheduler" not in ln]


def test_doc_has_runnable_examples() -> None:
    assert len(_lines()) >= 3


def test_doc_examples_run_in_order(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for line in _lines():
        r = cli(*shlex.split(line)[1:])
        assert r.code == 0, f"{line}\n{r.err}"
        assert r.out.strip()
