"""Back a ledger up into one SQLite file that is itself a ledger (open it with ``--db FILE``).

From SQLite, SQLite's online backup API copies a consistent snapshot even while another process
writes. From PostgreSQL, every table is copied inside one REPEATABLE READ transaction (a
consistent snapshot) into a freshly migrated SQLite ledger. Either way the copy is written to a
temporary file, checked with ``PRAGMA integrity_check`` and row counts, then renamed into place.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import DBAPIError

from kreator.atomic import atomic_path
from kreator.core.errors import LedgerError
from kreator.core.files import check_output
from kreator.ledger import db
from kreator.ledger.models import Base
from kreator.ledger.repo import Ledger

TABLES = ("creator", "import_run", "import_file", "income_event", "profile_snapshot",
          "estimate_snapshot", "calibration")
CHUNK = 5_000


def backup(ledger: Ledger, dest: Path, *, overwrite: bool = False) -> dict[str, Any]:
    dest = check_output(dest.expanduser(), field="output")
    if ledger.url.database and Path(ledger.url.database).resolve() == dest:
        raise LedgerError("the backup would overwrite the ledger itself.", field="output",
                          fix="give another file name.", key="backup_self")
    if dest.exists() and not overwrite:
        raise LedgerError(f"{dest} already exists.", field="output",
                          fix="give a new file name, or --overwrite.", key="backup_exists",
                          params={"path": str(dest)})
    try:
        with atomic_path(dest, field="output") as tmp:
            counts = _copy_into(ledger, tmp)
    except (sqlite3.Error, DBAPIError) as exc:
        raise LedgerError(f"cannot write the backup {dest}: {exc}.", field="output",
                          fix="choose a folder you can write to, with free space.",
                          key="backup_unwritable",
                          params={"path": str(dest), "reason": str(exc)}) from None
    return {"path": str(dest), "from": ledger.where(), "bytes": dest.stat().st_size,
            "sha256": hashlib.sha256(dest.read_bytes()).hexdigest(), "tables": counts}


def _copy_into(ledger: Ledger, tmp: Path) -> dict[str, int]:
    """Copy the ledger into the empty SQLite file ``tmp`` and check the copy."""
    try:
        if ledger.dialect == "sqlite":
            _from_sqlite(ledger, tmp)
        else:
            _from_server(ledger, tmp)
        return _check(tmp)
    finally:
        for extra in ("-wal", "-shm", "-journal"):
            Path(f"{tmp}{extra}").unlink(missing_ok=True)


def _from_sqlite(ledger: Ledger, tmp: Path) -> None:
    raw = ledger.engine.raw_connection()
    try:
        target = sqlite3.connect(tmp)
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            target.close()
    finally:
        raw.close()


def _from_server(ledger: Ledger, tmp: Path) -> None:
    engine, _ = db.connect(str(tmp))
    try:
        with ledger.engine.connect().execution_options(
                isolation_level="REPEATABLE READ") as src, src.begin(), engine.begin() as dst:
            for name in TABLES:
                _copy(src, dst, name)
    finally:
        engine.dispose()
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        conn.close()


def _copy(src: Connection, dst: Connection, name: str) -> None:
    table = Base.metadata.tables[name]
    rows = src.execute(select(table).order_by(table.c.id)).mappings()
    while chunk := rows.fetchmany(CHUNK):
        dst.execute(insert(table), [dict(r) for r in chunk])


def _check(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise LedgerError(f"the backup failed its integrity check: {ok}.", field="output",
                              fix="run the backup again; check the disk.",
                              key="backup_damaged", params={"detail": str(ok)})
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}
    finally:
        conn.close()


def row_counts(ledger: Ledger) -> dict[str, int]:
    """Rows per table, to check a backup against its source."""
    with ledger.read() as s:
        return {t: int(s.scalar(select(func.count()).select_from(Base.metadata.tables[t])) or 0)
                for t in TABLES}
