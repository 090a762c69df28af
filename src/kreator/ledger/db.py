"""Which database, how it is opened, and its migrations (Alembic, run programmatically).

The ledger is ``--db URL``, else ``$KREATOR_DB``, else ``ledger.sqlite`` in the user's data
directory (platformdirs). A plain file path means a SQLite file. SQLite connections use WAL,
``synchronous=FULL``, foreign keys and a 30 s busy timeout; write transactions start with
``BEGIN IMMEDIATE`` so two writers queue instead of failing half-way. ``postgresql://`` URLs use
psycopg 3. Opening a ledger upgrades its schema to the newest migration, under a lock (the
SQLite write lock, or a PostgreSQL advisory lock), so two processes opening a new ledger at
once do not race.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError

from kreator.core.errors import LedgerError

ENV_VAR = "KREATOR_DB"
WRITE = "kreator_write"  # execution option: this transaction writes
MIGRATION_LOCK = 0x4B52_4541  # PostgreSQL advisory lock key ("KREA")
BUSY_TIMEOUT_MS = 30_000
DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")
"""The database drivers Kreator ships with (``postgresql://`` means psycopg 3)."""


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("kreator")) / "ledger.sqlite"


def resolve_url(url: str | None = None) -> URL:
    """``url`` (a URL or a file path), else ``$KREATOR_DB``, else the default SQLite file."""
    raw = url or os.environ.get(ENV_VAR) or str(default_path())
    if "://" not in raw:
        raw = f"sqlite:///{Path(raw).expanduser().resolve()}"
    try:
        parsed = make_url(raw)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise LedgerError(f"'{raw}' is not a database URL.", field="db",
                          fix="use a file path, sqlite:///PATH or "
                          "postgresql://USER:PASS@HOST/DB.", key="db_bad_url",
                          params={"value": raw}) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in DRIVERS:
        raise LedgerError(f"unsupported database '{parsed.drivername}'.", field="db",
                          fix="use SQLite (a file path) or PostgreSQL (postgresql://...).",
                          key="db_unsupported", params={"driver": parsed.drivername})
    return parsed


def shown(url: URL) -> str:
    """The URL with any password hidden, for messages."""
    return url.render_as_string(hide_password=True)


def make_engine(url: URL) -> Engine:
    """An engine with the ledger's connection settings applied."""
    if url.drivername.startswith("sqlite"):
        if url.database and url.database != ":memory:":
            _make_parent(Path(url.database))
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # Small multi-row INSERT pages: psycopg/PostgreSQL plan a 50-row statement much faster than
    # SQLAlchemy's default 1,000 rows (benchmarks/ledger.py: ~5,200 -> ~11,800 events/s).
    return create_engine(url, pool_pre_ping=True, insertmanyvalues_page_size=50)


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"cannot create the folder for {path}: {exc.strerror}.", field="db",
                          fix="choose another place with --db PATH.", key="db_no_folder",
                          params={"path": str(path), "reason": exc.strerror}) from None


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun explicitly in _sqlite_begin
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _set_wal(cur)
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _set_wal(cur: Any) -> None:
    """Switch to WAL. SQLite does not wait on the busy handler for this when another process is
    creating the same file at the same moment, so wait here (up to the busy timeout)."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(WRITE)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine, marked so its transactions take the write lock at BEGIN."""
    return engine.execution_options(**{WRITE: True})


def upsert(dialect: str, table: Any) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_nothing`` / ``on_conflict_do_update``."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest migration, if it is not there yet."""
    head = head_revision()
    with engine.connect() as conn:
        if current_revision(conn) == head:
            return
    from alembic import command

    with writer(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        command.upgrade(_alembic_config(conn), "head")


FIX_DAMAGED = ("check --db or KREATOR_DB and that the server is running; if the file is damaged, "
               "restore your latest `kreator ledger backup` copy (it is itself a ledger file).")


class LedgerUnavailable(LedgerError):
    """The ledger's database failed while in use: a damaged file, a full disk, a server gone."""

    code = "ledger_unavailable"


@contextmanager
def failures(url: URL) -> Iterator[None]:
    """Turn a database failure (damaged file, full disk, server gone) into one LedgerError that
    names the database; constraint violations pass through for the caller to handle."""
    try:
        yield
    except IntegrityError:
        raise
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise LedgerUnavailable(f"the ledger at {shown(url)} failed: {reason}", field="db",
                          fix=FIX_DAMAGED, key="db_failed",
                          params={"url": shown(url), "reason": reason}) from None


def check_file(url: URL) -> None:
    """Refuse a SQLite ledger file that fails ``PRAGMA quick_check``, before anything writes to
    it (a write to a damaged file can spread the damage)."""
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return
    path = Path(str(url.database))
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(path)
        try:
            result = str(conn.execute("PRAGMA quick_check(1)").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    if result != "ok":
        raise LedgerUnavailable(f"the ledger file {path} is damaged ({result}); nothing was "
                                "written to it.", field="db", fix=FIX_DAMAGED, key="db_damaged",
                                params={"path": str(path), "reason": result})


def connect(url: str | None = None) -> tuple[Engine, URL]:
    """Resolve, open and migrate; one LedgerError (naming the URL) if that fails."""
    resolved = resolve_url(url)
    check_file(resolved)
    engine = make_engine(resolved)
    try:
        migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise LedgerError(f"cannot open the ledger at {shown(resolved)}: {reason}", field="db",
                          fix=FIX_DAMAGED, key="db_unopenable",
                          params={"url": shown(resolved), "reason": reason}) from None
    return engine, resolved
