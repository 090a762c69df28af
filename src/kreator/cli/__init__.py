"""The ``kreator`` command line: a thin layer over the library.

Every command takes ``--json``; every user-facing failure is a KreatorError, printed as one
line naming the field and the fix, with exit code 2 (the same code Typer uses for usage
errors). Start-up stays fast: heavy libraries are imported inside commands, and ``main``
loads only the module of the command being run (all of them for ``--help``).
"""

import importlib
import os
import sys
from collections.abc import Iterable
from typing import Any

COMMANDS: dict[str, tuple[str, ...]] = {
    "estimate": ("estimate",), "cards": ("cards", "cards_fit"), "import": ("import_cmd",),
    "advise": ("advise",), "whatif": ("advise",), "sensitivity": ("advise",),
    "project": ("growth",), "offer": ("pricing",), "ratesheet": ("pricing",),
    "mediakit": ("pricing",),
    "ledger": ("ledger", "ledger_model", "ledger_files"), "batch": ("batch",), "synth": ("batch",),
    "serve": ("serve",),
    "users": ("accounts",), "tokens": ("accounts",), "audit": ("accounts",),
}
"""Command name -> the modules under kreator.cli that register it."""
MODULES = tuple(sorted({m for mods in COMMANDS.values() for m in mods}))

__all__ = ["COMMANDS", "app", "load", "main"]


def load(modules: Iterable[str] = MODULES) -> None:
    """Import command modules (each registers its commands on the app when imported)."""
    for name in modules:
        importlib.import_module(f"kreator.cli.{name}")


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole app, e.g. for tests and documentation tools
        from kreator.cli.framework import app

        load()
        return app
    raise AttributeError(name)


def main() -> None:
    """Console-script entry point."""
    import typer

    from kreator.cli.framework import app

    first = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    load(COMMANDS.get(first or "", MODULES))
    try:
        app()
    except Exception as exc:  # the last line of defence: never a traceback for users
        if os.environ.get("KREATOR_DEBUG"):
            raise
        typer.echo(f"Internal error: {type(exc).__name__}: {exc}. "
                   "Run again with KREATOR_DEBUG=1 and report it.", err=True)
        sys.exit(1)
