"""The date-sensitive tests pass on any day, in any time zone and locale (issue 13).

Runs them again in a child pytest under libfaketime, a year ahead and a year back, in time
zones at both ends of the world (UTC+14, UTC-10) and a Swedish locale. Needs ``faketime``
(Debian's package, installed by ``.ci/setup-faketime.sh``); where it is missing the test says so
and skips. The child does not run this file again (``KREATOR_SHIFTED``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SENSITIVE = ["tests/test_importers_golden.py", "tests/test_importers_dates.py",
             "tests/test_importers_cli.py", "tests/test_ledger_cli.py",
             "tests/test_ledger_reports.py", "tests/test_advise_cli.py",
             "tests/test_advise_growth.py", "tests/test_advise_growth_views.py",
             "tests/test_cli_estimate.py", "tests/test_web_pages.py"]
SHIFTS = [("+365d", "Pacific/Kiritimati"), ("-365d", "America/Adak")]


def _locale() -> str:
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True,
                             check=False).stdout
    except OSError:
        return "C.UTF-8"
    return "sv_SE.UTF-8" if "sv_se.utf8" in out.lower() else "C.UTF-8"


@pytest.mark.skipif(os.environ.get("KREATOR_SHIFTED") == "1", reason="already shifted")
@pytest.mark.parametrize(("offset", "tz"), SHIFTS)
def test_date_sensitive_tests_pass_a_year_away_elsewhere(offset: str, tz: str) -> None:
    faketime = os.environ.get("KREATOR_FAKETIME") or shutil.which("faketime")
    if not faketime:
        pytest.skip("libfaketime is not installed (.ci/setup-faketime.sh installs it)")
    loc = _locale()
    env = {**os.environ, "KREATOR_SHIFTED": "1", "TZ": tz, "LC_ALL": loc, "LANG": loc}
    env.pop("KREATOR_TEST_PG_URL", None)  # the server's clock is not shifted; SQLite suffices
    run = subprocess.run([faketime, "-f", offset, sys.executable, "-m", "pytest", "-q",
                          "-p", "no:cacheprovider", *SENSITIVE], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    tail = "\n".join((run.stdout + run.stderr).splitlines()[-30:])
    assert run.returncode == 0, f"under faketime {offset}, TZ={tz}, {loc}:\n{tail}"
    shifted = subprocess.run([faketime, "-f", offset, sys.executable, "-c",
                              "import datetime; print(datetime.date.today().year)"],
                             env=env, capture_output=True, text=True, check=True)
    import datetime as dt

    assert int(shifted.stdout) != dt.date.today().year, "the clock really moved"
