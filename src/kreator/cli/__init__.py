"""The ``kreator`` command line: a thin layer over the library.

Every command takes ``--json``; every user-facing failure is a KreatorError, printed as one
line naming the field and the fix, with exit code 2 (the same code Typer uses for usage
errors). Heavy libraries are imported inside commands, so ``kreator --help`` starts fast.
"""

import os
import sys

# The CLI process is ours: skip pydantic's scan of every installed package for plugins
# (it costs ~10 ms of start-up on every command). Library users are not affected.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from kreator.cli import advise as _advise  # noqa: F401  (advise, whatif, ..., mediakit)
from kreator.cli import batch as _batch  # noqa: F401  (batch, synth)
from kreator.cli import cards as _cards  # noqa: F401  (registers commands)
from kreator.cli import estimate as _estimate  # noqa: F401
from kreator.cli import import_cmd as _import_cmd  # noqa: F401
from kreator.cli import ledger as _ledger  # noqa: F401
from kreator.cli import ledger_more as _ledger_more  # noqa: F401
from kreator.cli import serve as _serve  # noqa: F401
from kreator.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except Exception as exc:  # the last line of defence: never a traceback for users
        if os.environ.get("KREATOR_DEBUG"):
            raise
        typer.echo(f"Internal error: {type(exc).__name__}: {exc}. "
                   "Run again with KREATOR_DEBUG=1 and report it.", err=True)
        sys.exit(1)
