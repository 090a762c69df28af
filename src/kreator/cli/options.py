"""Profile inputs shared by every command that takes a creator (estimate, advise, whatif...).

``with_profile_options`` adds one flag per profile field (``--followers``, ``--views-30d``...)
plus ``--profile FILE``, ``--demo`` and ``--from PATH`` to a command, and hands the command a
:class:`ProfileInput` instead of the loose values.
"""

import datetime as dt
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from kreator.core.profile import Profile

def output_path(arg: Path | None, option: Path | None) -> Path:
    """The file a command writes, given as its PATH argument or with -o/--output (once)."""
    if (arg is None) == (option is None):
        raise typer.BadParameter("give the file to write once: as PATH or with -o/--output.",
                                 param_hint="'-o' / '--output'")
    out = arg if arg is not None else option
    assert out is not None
    return out


CARD_HELP = ("Rate card: default (the card that validates best, now current-2025), seed (the "
             "seed article's figures), current, or a .toml file.")


def file_path(value: str | Path) -> Path:
    """A file or folder on the command line (``parser=file_path``). The empty string is refused:
    pathlib reads it as the current folder, so ``--from "$UNSET"`` would import what is there."""
    if not str(value).strip():
        raise typer.BadParameter("the path is empty; give a file or folder.")
    return Path(value)


file_path.__name__ = "path"  # the type --help shows: <path>, as for any Path option
PATH: dict[str, Any] = {"parser": file_path}
"""``**PATH`` in every path option and argument."""


PANEL = "Profile"
FIELDS: list[tuple[str, type, str]] = [
    ("followers", int, "Followers now."),
    ("views_30d", int, "Video views in the last 30 days."),
    ("videos_30d", int, "Videos posted in the last 30 days."),
    ("likes_30d", int, "Likes in the last 30 days."),
    ("comments_30d", int, "Comments in the last 30 days."),
    ("shares_30d", int, "Shares in the last 30 days."),
    ("niche", str, "Niche: beauty, tech, fitness, finance, gaming, food, ... or other."),
    ("audience", str, "Audience by country, e.g. US=0.7,GB=0.2 (rest counts as other)."),
    ("quality", float, "Content quality 1-5."),
    ("completion_rate", float, "Share of views watched to the end (0-1); derives quality."),
    ("avg_watch_seconds", float, "Average watch time in seconds; with --avg-video-seconds."),
    ("avg_video_seconds", float, "Average video length in seconds."),
    ("age", int, "Your age (18+ rules)."),
    ("country", str, "Where you live (ISO code: US, GB, SE, ...)."),
    ("lives_per_month", float, "LIVE streams a month."),
    ("live_avg_minutes", float, "Average LIVE length in minutes."),
    ("live_avg_viewers", float, "Average concurrent LIVE viewers."),
    ("live_subscribers", int, "Paying LIVE subscribers."),
    ("sponsored_posts_per_month", float, "Sponsored posts a month."),
    ("affiliate_sales_per_month", float, "Affiliate sales a month."),
    ("affiliate_avg_commission", float, "Your average commission per affiliate sale (USD)."),
    ("shop_gmv_per_month", float, "TikTok Shop sales value a month (USD)."),
    ("shop_commission_rate", float, "Your TikTok Shop commission rate (0-1)."),
    ("follower_growth_per_month", float, "Followers gained a month (negative if shrinking)."),
    ("display_name", str, "Your name as shown in reports."),
]


@dataclass
class ProfileInput:
    """Where the profile comes from, merged: demo or file or import, then flags on top."""

    flags: dict[str, Any] = field(default_factory=dict)
    profile_file: Path | None = None
    demo: bool = False
    from_paths: list[Path] = field(default_factory=list)

    def resolve(self) -> "Profile":
        from kreator.core.profile import parse_profile
        from kreator.profile_io import parse_audience, read_profile_file

        base: dict[str, Any] = {}
        where: str | None = None
        if self.demo:
            from kreator.core.demo import DEMO

            base = DEMO.to_dict(exclude_none=True)
        if self.from_paths:
            from kreator.importers import extract_paths

            # strict: a rejected row stops the estimate; flags may fill what the files lack
            base.update(extract_paths(self.from_paths, strict=True).profile_values())
            where = "imported " + ", ".join(str(p) for p in self.from_paths)
        if self.profile_file is not None:
            base.update(read_profile_file(self.profile_file))
            where = str(self.profile_file)
        flags = {k: v for k, v in self.flags.items() if v is not None}
        if isinstance(flags.get("audience"), str):
            flags["audience"] = parse_audience(flags["audience"])
        base.update(flags)
        if "followers" not in base and "views_30d" not in base:
            from kreator.core.errors import ProfileError

            raise ProfileError("no creator given.", field="profile", key="no_creator",
                               fix="give --followers and --views-30d, --profile FILE, or --demo.")
        return parse_profile(base, where=where)


def with_profile_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Replace the ``profile_input`` parameter of ``func`` with the profile flags."""
    sig = inspect.signature(func)
    keep = [p for p in sig.parameters.values() if p.name != "profile_input"]
    extra = [
        inspect.Parameter("profile_file", inspect.Parameter.KEYWORD_ONLY, annotation=Path | None,
                          default=typer.Option(None, "--profile", **PATH,
                                               help="Profile file (TOML, JSON "
                                               "or YAML; keys are the flag names).",
                                               rich_help_panel=PANEL)),
        inspect.Parameter("demo", inspect.Parameter.KEYWORD_ONLY, annotation=bool,
                          default=typer.Option(False, "--demo", help="Use the built-in demo "
                                               "creator (flags override its values).",
                                               rich_help_panel=PANEL)),
        inspect.Parameter("from_paths", inspect.Parameter.KEYWORD_ONLY,
                          annotation=list[Path] | None,
                          default=typer.Option(None, "--from", **PATH,
                                               help="Import TikTok exports "
                                               "(files, zips, folders) as the profile.",
                                               rich_help_panel=PANEL)),
    ]
    for name, typ, help_text in FIELDS:
        extra.append(inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, annotation=typ | None,
            default=typer.Option(None, "--" + name.replace("_", "-"), help=help_text,
                                 rich_help_panel=PANEL)))

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        flags = {name: kwargs.pop(name) for name, _, _ in FIELDS}
        kwargs["profile_input"] = ProfileInput(
            flags, kwargs.pop("profile_file"), kwargs.pop("demo"), kwargs.pop("from_paths") or [])
        return func(**kwargs)

    wrapper.__signature__ = sig.replace(parameters=keep + extra)  # type: ignore[attr-defined]
    return wrapper


def parse_as_of(text: str) -> dt.date:
    """--as-of: YYYY-MM-DD, a real day (2026-02-30 is refused, naming the option)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        from kreator.core.errors import ProfileError

        raise ProfileError(f"'{text}' is not a date.", field="as_of",
                           fix="write it as YYYY-MM-DD, e.g. --as-of 2026-05-18.",
                           key="as_of_date", params={"value": text}) from None
