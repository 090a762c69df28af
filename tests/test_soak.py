"""benchmarks/soak.py's own machinery, a few seconds on SQLite, so the benchmark cannot rot.

Two workers, six connections mixing every route, one worker SIGKILLed part-way: no 5xx, every
acknowledged write (201) in the database afterwards, the killed worker replaced. No timing is
asserted (the figures are the benchmark's; see docs/reliability.md)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import soak  # noqa: E402


def test_soak_two_workers_one_killed(tmp_path: Path) -> None:
    fig = soak.soak(str(tmp_path / "soak.sqlite"), workers=2, seconds=3, connections=6,
                    warm=0.5, kill=True)
    assert fig["server_errors_5xx"] == 0, fig["routes"]
    assert fig["killed_worker"] is not None and fig["killed_worker_replaced"]
    assert fig["acknowledged_writes"] > 0
    assert fig["lost_acknowledged_writes"] == 0, fig["lost_examples"]
    assert fig["writes_in_database"] >= fig["acknowledged_writes"]
    seen = fig["answers_incl_warmup"]
    assert set(seen) == set(soak.WEIGHTS)  # every route was sent and answered
    for route, codes in seen.items():  # and its request is still valid: 2xx only
        assert codes and all(code.startswith("2") for code in codes), (route, codes)
    assert set(fig["rss_mib"]) == {"before_load", "start", "middle", "end"}
    assert soak.goals_missed({**fig, "max_rss_growth_pct": 0.0}) == []
