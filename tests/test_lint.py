"""Ruff, mypy and the import-layering contract run as part of the suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_clean() -> None:
    r = run(sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks")
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_strict_clean() -> None:
    r = run(sys.executable, "-m", "mypy")
    assert r.returncode == 0, r.stdout + r.stderr


def test_core_is_pure_import_linter() -> None:
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports (import-linter) is not installed: pip install -e '.[test]'")
    r = run(exe)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "KEPT" in r.stdout


def test_cli_start_does_not_import_heavy_libraries() -> None:
    code = ("import sys, kreator.cli; heavy = [m for m in ('numpy', 'pandas', 'pyarrow', 'dask', "
            "'sqlalchemy', 'fastapi', 'matplotlib', 'babel') if m in sys.modules]; print(heavy)")
    r = run(sys.executable, "-c", code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_modules_stay_small() -> None:
    big = [(p, n) for p in (ROOT / "src").rglob("*.py")
           if (n := len(p.read_text("utf-8").splitlines())) > 450]
    assert not big, f"modules over ~400 lines: {big}"
