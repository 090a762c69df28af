"""A damaged ledger file or an unreachable server: one clear line, never a traceback or a write.

The error names the file or server and says what to do (restore a ``kreator ledger backup`` copy);
the damaged file is left byte for byte as it was, for whoever repairs it.
"""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

SHOP = Path(__file__).parent / "data" / "ledger" / "tiktok_shop" / \
    "affiliate_orders_export.seller_center_style.csv"
PERSONAL = Path(__file__).parent / "data" / "importers" / "personal_export" / \
    "user_data_tiktok.json"


def commands(db: str, tmp: Path) -> list[tuple[str, ...]]:
    return [
        ("ledger", "list", "--db", db),
        ("ledger", "runs", "--db", db),
        ("ledger", "creators", "--db", db),
        ("ledger", "report", "--db", db),
        ("ledger", "add", "--stream", "creator_rewards", "--amount", "1", "--currency", "USD",
         "--date", "2026-04-30", "--db", db),
        ("ledger", "import", str(SHOP), "--db", db),
        ("ledger", "export", str(tmp / "out.csv"), "--db", db),
        ("ledger", "backup", str(tmp / "copy.sqlite"), "--db", db),
    ]


def _built(cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    db = tmp_path / "ledger.sqlite"
    for source in (SHOP, PERSONAL):
        r = cli("ledger", "import", str(source), "--db", str(db))
        assert r.code == 0, r.err
    assert db.stat().st_size > 16 * 4096
    return db


def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _scribble(db: Path) -> None:
    data = bytearray(db.read_bytes())
    for page in range(1, len(data) // 4096):  # every page but the header's: garbage in the middle
        data[page * 4096 + 100: page * 4096 + 1100] = bytes(range(256)) * 3 + bytes(232)
    db.write_bytes(bytes(data))


def _garbage_header(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[:100] = b"not a database " * 6 + b"!" * 10
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _scribble, _garbage_header],
                         ids=["truncated", "corrupted", "bad-header"])
def test_damaged_sqlite_file(cli, tmp_path: Path, damage: Callable[[Path], None]) -> None:
    db = _built(cli, tmp_path)
    damage(db)
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    failed = 0
    for args in commands(str(db), tmp_path):
        r = cli(*args)
        assert "Traceback" not in r.err, (args, r.err)
        if r.code != 0:
            failed += 1
            assert r.code == 2, (args, r.err)
            assert str(db) in r.err, (args, r.err)
            assert "kreator ledger backup" in r.err, (args, r.err)
        assert hashlib.sha256(db.read_bytes()).hexdigest() == digest, args
        assert not (tmp_path / "out.csv").exists() or r.code == 0
        assert not (tmp_path / "copy.sqlite").exists() or r.code == 0
    assert failed >= 6  # a damaged file is noticed (what still reads may list what it holds)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_postgresql(cli, tmp_path: Path) -> None:
    url = f"postgresql+psycopg://kreator:secret@127.0.0.1:{_closed_port()}/kreator"
    for args in commands(url, tmp_path):
        r = cli(*args)
        assert r.code == 2, (args, r.err)
        assert "Traceback" not in r.err
        assert "127.0.0.1" in r.err and "secret" not in r.err, r.err
        assert "server is running" in r.err, r.err
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "copy.sqlite").exists()
