"""A database a benchmark may empty (benchmarks/crash.py, benchmarks/soak.py): a SQLite path
or a SQLAlchemy URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData, create_engine, text


def url_of(db: str) -> str:
    """A SQLAlchemy URL for ``db`` (a plain path is a SQLite file)."""
    return db if "://" in db else f"sqlite:///{db}"


def empty(db: str) -> None:
    """Remove the SQLite file (and its -wal, -shm), or drop every table of the database."""
    url = url_of(db)
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    meta.drop_all(engine)
    with engine.begin() as conn:  # Alembic's version table is reflected too; nothing else left
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
