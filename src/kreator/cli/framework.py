"""The Typer application object and the error mapping every command goes through."""

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from typer.core import TyperGroup

from kreator.core.errors import KreatorError

F = TypeVar("F", bound=Callable[..., Any])

ORDER = ("estimate", "cards", "import", "advise", "whatif", "sensitivity", "project", "offer",
         "ratesheet", "mediakit", "ledger", "batch", "synth", "serve")


class _Ordered(TyperGroup):
    """Lists commands in the order a creator meets them, not the order modules load."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))


app = typer.Typer(
    cls=_Ordered,
    name="kreator",
    help="What a small TikTok creator earns, could earn, and should do next.\n\n"
    "Start with:  kreator estimate --demo",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_USAGE = 2


@app.callback()
def _root() -> None:
    """What a small TikTok creator earns, could earn, and should do next.

    Start with:  kreator estimate --demo
    """


def fail(exc: KreatorError, lang: str | None = None) -> typer.Exit:
    """Print one clear line for a KreatorError, in the user's language, and return the exit."""
    from kreator.i18n import error_translator, pick_lang, t

    try:
        language = pick_lang(lang)
    except KreatorError:  # the bad value may be --lang itself
        language = "en"
    translate = error_translator(language)
    typer.echo(f"{t('error.prefix', language)}: {exc.render(translate)}", err=True)
    return typer.Exit(EXIT_USAGE)


def handled(func: F) -> F:
    """Map KreatorError (and its subclasses) to a message and exit code 2, in one place."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KreatorError as exc:
            lang = kwargs.get("lang")
            raise fail(exc, lang if isinstance(lang, str) else None) from None

    return wrapper  # type: ignore[return-value]


def command(name: str, group: typer.Typer | None = None, **kw: Any) -> Callable[[F], F]:
    """Register a command with the error mapping applied."""

    def deco(func: F) -> F:
        (group or app).command(name, **kw)(handled(func))
        return func

    return deco


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
