"""Charts shared by the web app, the HTML report and the media kit: one definition per chart.

Each function takes Kreator's own data and draws with matplotlib (object API, no pyplot
state: safe in a web server's threads). ``estimate_ranges`` and ``monthly_income`` return an
SVG document as text; the ``*_chart`` functions return a :class:`Chart` with the SVG text and
PNG bytes of a fixed pixel size (:data:`SIZES` x :data:`DPI`), for pages, media kits and
files. Text stays text (``svg.fonttype = none``) so pages can be searched and translated;
output is deterministic (fixed hash salt, no date) so it can be golden-tested. Matplotlib is
imported lazily.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import textwrap
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from kreator.i18n import money, number, percent, t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from kreator.core.advise import AdviceReport
    from kreator.core.estimate import Estimate, Range
    from kreator.core.growth import Projection
    from kreator.core.sensitivity import Tornado

INK, MUTED, ACCENT, SOFT, LINE = "#1d2428", "#5b6770", "#1f6f78", "#9fcdd1", "#d8dee2"
PALETTE = ("#1f6f78", "#e07a5f", "#81b29a", "#f2cc8f", "#3d405b", "#a05195", "#7a9e9f")
RC: Any = {"svg.fonttype": "none", "svg.hashsalt": "kreator", "font.size": 10,
      "font.family": "DejaVu Sans", "axes.edgecolor": LINE, "axes.labelcolor": INK,
      "xtick.color": MUTED, "ytick.color": MUTED, "axes.spines.top": False,
      "axes.spines.right": False}


_LOCK = threading.Lock()
"""rcParams are process-global: one chart at a time (web servers draw from many threads)."""


@contextlib.contextmanager
def _drawing() -> Iterator[None]:
    """Hold the lock and Kreator's style while a chart is drawn and saved."""
    import matplotlib

    with _LOCK, matplotlib.rc_context(cast(Any, RC)):
        yield


_PHONE: contextvars.ContextVar[bool] = contextvars.ContextVar("kreator_chart_phone", default=False)
PHONE_WIDTH = 3.0
"""Inches: a chart drawn for a phone (:func:`phone`) is this wide, so that shown across a
390 px screen its smallest text (9 pt) is about 12 px, not 4."""


@contextlib.contextmanager
def phone() -> Iterator[None]:
    """Draw the charts inside for a phone's screen: narrow, text at least 9 pt, titles and
    long labels wrapped, legends below the plot."""
    token = _PHONE.set(True)
    try:
        yield
    finally:
        _PHONE.reset(token)


def _fs(size: float) -> float:
    """A font size: as given, or at least 9 pt on a phone."""
    return max(size, 9.0) if _PHONE.get() else size


def _wrap(text: str, width: int = 34) -> str:
    """Text as one line, or wrapped to ``width`` characters on a phone."""
    return textwrap.fill(text, width) if _PHONE.get() else text


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    if _PHONE.get():
        width = PHONE_WIDTH
    return Figure(figsize=(width, height), dpi=100)


def to_svg(fig: Figure) -> str:
    """The figure as a standalone, deterministic SVG document."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context(cast(Any, RC)):  # callers hold _LOCK
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "Kreator"},
                    bbox_inches="tight")
    return buf.getvalue()


def _money_axis(ax: Axes, currency: str, lang: str, axis: str = "x") -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    fmt = FuncFormatter(lambda v, _pos: money(v, currency, lang))
    which = ax.xaxis if axis == "x" else ax.yaxis
    which.set_major_formatter(fmt)
    if _PHONE.get() and axis == "x":
        which.set_major_locator(MaxNLocator(nbins=3))  # room for three amounts side by side


def _row_labels(ax: Axes, labels: Sequence[str]) -> None:
    """One label per row (bottom up): beside the plot, or on a phone above each row's bar."""
    if not _PHONE.get():
        ax.set_yticks(range(len(labels)), list(labels))
        return
    ax.set_yticks([])
    ax.set_ylim(-0.5, len(labels) - 0.1)
    for i, label in enumerate(labels):
        ax.annotate(_wrap(label, 30), (0, i), xycoords=("axes fraction", "data"), xytext=(0, 6),
                    textcoords="offset points", color=INK, fontsize=_fs(9), va="bottom")


def estimate_ranges(est: Estimate, lang: str = "en") -> str:
    """Each stream's monthly range (p10-p90 bar, p50 dot) and the total's, in ``est``'s
    currency; streams the creator cannot use yet are drawn grey at zero."""
    with _drawing():
        return to_svg(_estimate_figure(est, lang))


def estimate_chart(est: Estimate, lang: str = "en") -> Chart:
    """:func:`estimate_ranges` as a :class:`Chart` (SVG and PNG of a fixed pixel size)."""
    with _drawing():
        return render(_estimate_figure(est, lang))


def _estimate_figure(est: Estimate, lang: str) -> Figure:
    k = est.fx.rate if est.fx else 1.0
    rows = [(t(f"stream.{s.id}", lang), s.monthly.scaled(k), s.eligible) for s in est.streams]
    rows.append((t("estimate.total_month", lang), est.monthly.scaled(k), True))
    on_phone = _PHONE.get()  # a phone: each stream's name above its bar, not beside the plot
    fig = _figure(7.2, (0.62 if on_phone else 0.42) * len(rows) + 1.0)
    ax = fig.add_subplot()
    for i, (_label, r, ok) in enumerate(reversed(rows)):
        color = (INK if i == 0 else ACCENT) if ok else LINE
        ax.plot([r.p10, r.p90], [i, i], color=color, linewidth=7, alpha=0.35,
                solid_capstyle="butt")
        ax.plot([r.p50], [i], "o", color=color, markersize=7)
        ax.annotate(money(r.p50, est.currency, lang), (r.p90, i), xytext=(6, -3),
                    textcoords="offset points", color=MUTED, fontsize=_fs(9))
    _row_labels(ax, [label for label, _, _ in reversed(rows)])
    ax.set_xlim(left=0, right=max(r.p90 for _, r, _ in rows) * (1.3 if on_phone else 1.18)
                or 1.0)
    _money_axis(ax, est.currency, lang)
    ax.grid(axis="x", color=LINE, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(_wrap(t("charts.estimate_title", lang)), loc="left", color=INK,
                 fontsize=_fs(11))
    return fig


def monthly_income(months: Sequence[str], actual: Mapping[str, Sequence[float]],
                   currency: str, lang: str = "en", *,
                   estimate: Mapping[str, float] | None = None) -> str:
    """Income by month, stacked by stream (``actual[stream][i]`` for ``months[i]``), with the
    estimate's p10-p90 band and p50 line (``estimate`` keys p10, p50, p90) when given."""
    import matplotlib

    with _LOCK, matplotlib.rc_context(cast(Any, RC)):
        fig = _figure(max(6.0, 0.55 * len(months) + 3.0), 3.6)
        ax = fig.add_subplot()
        x = list(range(len(months)))
        bottom = [0.0] * len(months)
        for i, (stream, values) in enumerate(actual.items()):
            ax.bar(x, values, bottom=bottom, color=PALETTE[i % len(PALETTE)], width=0.6,
                   label=t(f"stream.{stream}", lang))
            bottom = [b + float(v) for b, v in zip(bottom, values, strict=True)]
        if estimate and months:
            _band(ax, len(months), estimate, lang)
        ax.set_xticks(x, list(months), rotation=45 if len(months) > (3 if _PHONE.get() else 6)
                      else 0)
        if not any(any(v) for v in actual.values()) and not estimate:
            ax.set_ylim(0, 100)  # nothing to show: a plain 0-100 axis, not $1, $1, $0, ...
        _money_axis(ax, currency, lang, axis="y")
        ax.grid(axis="y", color=LINE, linewidth=0.6)
        ax.set_axisbelow(True)
        if actual or estimate:
            anchor = (0.0, -0.3) if _PHONE.get() else (1.0, 1.0)  # a phone: below the plot
            ax.legend(fontsize=_fs(8), frameon=False, loc="upper left", bbox_to_anchor=anchor)
        ax.set_title(_wrap(t("charts.ledger_title", lang, currency=currency)), loc="left",
                     color=INK,
                     fontsize=_fs(11))
        return to_svg(fig)


def _band(ax: Axes, n: int, est: Mapping[str, float], lang: str) -> None:
    ax.axhspan(est["p10"], est["p90"], color=SOFT, alpha=0.35, zorder=0,
               label=t("charts.estimate_band", lang))
    ax.axhline(est["p50"], color=ACCENT, linestyle="--", linewidth=1.2,
               label=t("charts.estimate_p50", lang))
    ax.set_xlim(-0.6, n - 0.4)


# ------------------------------------------------------------------ charts with PNG twins
@dataclass(frozen=True)
class Chart:
    """One chart as SVG text and PNG bytes of exactly ``width`` x ``height`` pixels."""

    svg: str
    png: bytes
    width: int
    height: int


DPI = 100
SIZES: dict[str, tuple[float, float]] = {
    "tornado": (8.0, 4.5), "distribution": (8.0, 4.0), "growth": (8.0, 5.0),
    "engagement": (6.0, 2.2), "audience": (6.0, 3.0), "advice": (8.0, 4.0),
}
"""Inches at :data:`DPI`: the tornado is 800 x 450 pixels, and so on."""


def render(fig: Figure) -> Chart:
    """Save a figure as SVG and PNG at its own size (no tight bounding box: sizes are fixed)."""
    w, h = fig.get_size_inches()
    svg = io.StringIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": "Kreator"})
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=DPI, metadata={"Software": "Kreator"})
    return Chart(svg.getvalue(), png.getvalue(), round(w * DPI), round(h * DPI))


def _sized(name: str) -> Figure:
    fig = _figure(*SIZES[name])
    fig.set_layout_engine("constrained")
    return fig


def _title(ax: Axes, text: str) -> None:
    ax.set_title(_wrap(text, 26), loc="left", color=INK, fontsize=_fs(11))


def tornado_chart(tor: Tornado, currency: str, lang: str = "en", *, k: float = 1.0,
                  top: int = 8) -> Chart:
    """The tornado: for the ``top`` inputs with the widest swing, the total's p50 with the
    input moved down (left bar end) and up (right), around the p50 now (the axis line)."""
    from kreator.report.advice import input_label

    rows = [s for s in tor.swings if s.width > 0][:top][::-1]
    step = percent(tor.step, lang, decimals=0)
    with _drawing():
        fig = _sized("tornado")
        ax = fig.add_subplot()
        base = tor.base_total * k
        for i, s in enumerate(rows):
            lo, hi = s.low_total * k, s.high_total * k
            ax.barh(i, lo - base, left=base, color=PALETTE[1], height=0.6,
                    label=t("advice_charts.low", lang, step=step) if i == 0 else None)
            ax.barh(i, hi - base, left=base, color=PALETTE[0], height=0.6,
                    label=t("advice_charts.high", lang, step=step) if i == 0 else None)
        ax.axvline(base, color=INK, linewidth=1)
        ax.set_yticks(range(len(rows)), [input_label(s.input, lang) for s in rows])
        _money_axis(ax, currency, lang)
        ax.grid(axis="x", color=LINE, linewidth=0.6)
        ax.set_axisbelow(True)
        if rows:
            ax.legend(fontsize=_fs(8), frameon=False, loc="lower right")
        _title(ax, t("advice_charts.tornado_title", lang, step=step))
        return render(fig)


def distribution_chart(draws: Sequence[float], monthly: Range, currency: str,
                       lang: str = "en") -> Chart:
    """Histogram of the simulated monthly totals with the p10, p50 and p90 marked."""
    with _drawing():
        fig = _sized("distribution")
        ax = fig.add_subplot()
        ax.hist(list(draws), bins=60, color=SOFT, edgecolor="white", linewidth=0.3)
        for q, style in ((monthly.p10, ":"), (monthly.p50, "-"), (monthly.p90, ":")):
            ax.axvline(q, color=ACCENT, linestyle=style, linewidth=1.4)
            ax.annotate(money(q, currency, lang), (q, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(3, -12), textcoords="offset points", color=INK, fontsize=_fs(8))
        _money_axis(ax, currency, lang)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        _title(ax, t("advice_charts.distribution_title", lang))
        return render(fig)


def growth_chart(proj: Projection, currency: str, lang: str = "en", *, k: float = 1.0,
                 thresholds: Sequence[tuple[str, float]] | None = None) -> Chart:
    """Followers (p10-p90 band, p50 line) with each locked stream's follower threshold (by
    default from ``proj.openings``), and income a month below (p10-p90 band, p50 line)."""
    x = [m.month for m in proj.months]
    if thresholds is None:
        thresholds = [(t(f"stream.{o.stream}", lang), o.followers_needed) for o in proj.openings
                      if o.followers_needed is not None]
    with _drawing():
        fig = _sized("growth")
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        top.fill_between(x, [m.followers[0] for m in proj.months],
                         [m.followers[2] for m in proj.months], color=SOFT, alpha=0.6)
        top.plot(x, [m.followers[1] for m in proj.months], color=ACCENT, linewidth=2)
        for label, level in thresholds:
            top.axhline(level, color=PALETTE[1], linestyle="--", linewidth=1)
            top.annotate(_wrap(label, 22), (0, level), xytext=(2, 3), textcoords="offset points",
                         color=PALETTE[1], fontsize=_fs(8))
        top.yaxis.set_major_formatter(_number_formatter(lang))
        _title(top, t("advice_charts.growth_title", lang, months=len(x) - 1))
        bottom.fill_between(x, [m.income[0] * k for m in proj.months],
                            [m.income[2] * k for m in proj.months], color=SOFT, alpha=0.6)
        bottom.plot(x, [m.income[1] * k for m in proj.months], color=INK, linewidth=1.6)
        bottom.set_ylabel(t("advice_charts.growth_income", lang), fontsize=_fs(9))
        _money_axis(bottom, currency, lang, axis="y")
        every = 6 if _PHONE.get() else 1  # a phone has room for every sixth month
        bottom.set_xticks(x[::every], [m.date.strftime("%y-%m") for m in proj.months][::every],
                          fontsize=_fs(8))
        for ax in (top, bottom):
            ax.grid(axis="y", color=LINE, linewidth=0.6)
        return render(fig)


def engagement_chart(rate_pct: float, tier: str, band: tuple[float, float],
                     lang: str = "en") -> Chart:
    """The creator's engagement rate (by views, %) against the tier's benchmark range."""
    tier_name = t(f"tier.{tier}", lang)
    with _drawing():
        fig = _sized("engagement")
        ax = fig.add_subplot()
        ax.barh(1, band[1] - band[0], left=band[0], color=SOFT, height=0.5)
        ax.barh(0, rate_pct, color=ACCENT, height=0.5)
        ax.annotate(percent(rate_pct / 100, lang), (rate_pct, 0), xytext=(4, -3),
                    textcoords="offset points", color=INK, fontsize=_fs(9))
        ax.annotate(f"{percent(band[0] / 100, lang)}–{percent(band[1] / 100, lang)}",
                    (band[1], 1), xytext=(4, -3), textcoords="offset points", color=MUTED,
                    fontsize=_fs(9))
        ax.set_yticks([0, 1], [t("advice_charts.you", lang), t("advice_charts.benchmark", lang)])
        ax.set_xlim(0, max(rate_pct, band[1]) * 1.3)
        ax.xaxis.set_major_formatter(_percent_formatter(lang))
        _title(ax, t("advice_charts.engagement_title", lang, tier=tier_name))
        return render(fig)


def audience_chart(shares: Mapping[str, float], lang: str = "en") -> Chart:
    """Audience share by country, largest first; the unassigned share as 'other'."""
    rows = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
    rest = max(0.0, 1.0 - sum(shares.values()))
    if rest > 1e-9:
        rows.append((t("mediakit.audience_other", lang), rest))
    rows = rows[::-1]
    with _drawing():
        fig = _sized("audience")
        ax = fig.add_subplot()
        ax.barh(range(len(rows)), [100 * v for _, v in rows], color=ACCENT, height=0.6)
        for i, (_, v) in enumerate(rows):
            ax.annotate(percent(v, lang, decimals=0), (100 * v, i), xytext=(4, -3),
                        textcoords="offset points", color=INK, fontsize=_fs(9))
        ax.set_yticks(range(len(rows)), [c for c, _ in rows])
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(_percent_formatter(lang))
        _title(ax, t("advice_charts.audience_title", lang))
        return render(fig)


def advice_chart(report: AdviceReport, currency: str, lang: str = "en", *,
                 k: float = 1.0) -> Chart:
    """Each applied lever's gain a month: p50 dot on a p10-p90 bar, best first."""
    rows = [a for a in report.items if a.skip is None][::-1]
    with _drawing():
        fig = _sized("advice")
        ax = fig.add_subplot()
        for i, a in enumerate(rows):
            g = a.gain
            ax.plot([g.p10 * k, g.p90 * k], [i, i], color=ACCENT, linewidth=7, alpha=0.35,
                    solid_capstyle="butt")
            ax.plot([g.p50 * k], [i], "o", color=ACCENT, markersize=7)
        _row_labels(ax, [_short(t(f"lever.{a.lever.id}", lang)) for a in rows])
        _money_axis(ax, currency, lang)
        ax.grid(axis="x", color=LINE, linewidth=0.6)
        _title(ax, t("advice_charts.advice_title", lang))
        return render(fig)


def _short(text: str, width: int = 34) -> str:
    if _PHONE.get():
        return text
    return text if len(text) <= width else text[: width - 1] + "…"


def _number_formatter(lang: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: number(v, lang))


def _percent_formatter(lang: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: percent(v / 100, lang, decimals=0))
