"""Every command shown in docs/cli.md runs and exits 0 (typer-style tested docs examples)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def examples(path: Path, prefixes: tuple[str, ...]) -> list[str]:
    text = path.read_text("utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    lines = [ln.split("  #")[0].strip() for b in blocks for ln in b.splitlines()]
    return [ln for ln in lines if ln.startswith(prefixes)]


CLI_DOC = examples(ROOT / "docs" / "cli.md", ("kreator estimate", "kreator cards"))


def test_docs_have_examples() -> None:
    assert len(CLI_DOC) >= 8


@pytest.mark.parametrize("line", CLI_DOC)
def test_cli_doc_example_runs(cli, line: str) -> None:
    args = shlex.split(line)[1:]
    r = cli(*args)
    assert r.code == 0, f"{line}\n{r.err}"
    assert r.out.strip()


def test_python_example_in_docs() -> None:
    import kreator

    est = kreator.estimate({"followers": 4000, "views_30d": 40000}, card="seed", draws=10_000, seed=0)
    gaps = [u.gap for u in est.stream("creator_fund").unmet]
    assert gaps == [6000.0, 60000.0]
    assert est.to_dict()["total"]["monthly"]["p50"] == pytest.approx(est.monthly.p50, rel=1e-6)
    people = [{"followers": 4000, "views_30d": 40000}, {"followers": 12000, "views_30d": 150000}]
    many = kreator.estimate_many(people, card="current")
    assert [e.to_dict() for e in many] == [kreator.estimate(p, card="current").to_dict()
                                           for p in people]


def test_profile_example_in_docs() -> None:
    """The kreator.Profile block in docs/cli.md runs as shown, its last line failing as shown."""
    import kreator
    from kreator.core.errors import ProfileError

    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "cli.md").read_text("utf-8"),
                        flags=re.S)
    block = next(b for b in blocks if "kreator.Profile(" in b)
    *lines, failing = [ln.split("  #")[0] for ln in block.strip().splitlines()]
    scope: dict[str, object] = {"kreator": kreator}
    exec("\n".join(lines), scope)
    p = scope["p"]
    assert isinstance(p, kreator.Profile) and (p.followers, p.niche) == (4000, "beauty")
    assert p.replace(videos_30d=20).videos_30d == 20 and p.videos_30d is None
    assert p.to_dict(exclude_none=True) == {"followers": 4000, "views_30d": 40000,
                                            "niche": "beauty"}
    with pytest.raises(ProfileError) as info:
        exec(failing, scope)
    assert str(info.value).startswith(
        block.split("# ProfileError: ")[1].split(" ...")[0])
