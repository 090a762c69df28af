"""Fitted cards on the server: the ``kreator serve --cards-dir`` folder.

The cards page lists every ``*.toml`` card in the folder with its provenance (the ``[card.fit]``
table ``kreator cards fit`` writes: observations, creators, base card, date, method) and its
figures; a card that does not load is listed with its error, never a failed page. A request
names a card only by a file name the folder holds (never a path), so nothing else on the server
can be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from kreator.core.errors import CardError, KreatorError
from kreator.web.errors import NotFound, kreator_detail
from kreator.web.schemas import CardSummary, FigureOut

router = APIRouter(include_in_schema=False)
MAX_CARDS = 200
"""At most this many cards of the folder are listed (the newest first)."""


@dataclass
class FittedCard:
    """One card of the folder: its file, summary, ``[card.fit]`` table and figures (or the
    error that stops it loading)."""

    file: str
    card: CardSummary | None = None
    fit: dict[str, Any] | None = None
    figures: list[FigureOut] = field(default_factory=list)
    error: str | None = None


def cards_dir(request: Request) -> Path | None:
    folder = request.app.state.settings.cards_dir
    return Path(folder) if folder else None


def card_files(folder: Path | None) -> list[Path]:
    """The folder's cards, the newest first (then by name)."""
    if folder is None or not folder.is_dir():
        return []
    found = []
    for p in folder.glob("*.toml"):
        try:
            if p.is_file():
                found.append((-p.stat().st_mtime, p.name, p))
        except OSError:  # removed while listed
            continue
    return [p for *_, p in sorted(found)][:MAX_CARDS]


def read_card(path: Path, lang: str) -> FittedCard:
    """One card with its provenance; a card that does not load keeps its error message."""
    from kreator.ratecards import load_card, parse_toml
    from kreator.web.services import card_summary, figure_out

    try:
        card = load_card(str(path))
        fit = parse_toml(path.read_bytes(), str(path)).get("card", {}).get("fit")
    except KreatorError as exc:
        return FittedCard(path.name, error=kreator_detail(exc, lang).message)
    except OSError as exc:
        return FittedCard(path.name, error=f"{path.name}: {exc.strerror or exc}")
    return FittedCard(path.name, card_summary(card), dict(fit) if isinstance(fit, dict) else None,
                      [figure_out(k, i) for k, i in card.figures()])


def listing(request: Request, lang: str) -> dict[str, Any]:
    """What the cards page shows of the folder (``folder`` None: started without one)."""
    folder = cards_dir(request)
    return {"folder": str(folder) if folder else None,
            "cards": [read_card(p, lang) for p in card_files(folder)]}


def saved_path(request: Request, name: str) -> Path:
    """The folder's card named ``name`` (a file name it holds), else 404."""
    found = {p.name: p for p in card_files(cards_dir(request))}
    if name not in found:
        raise NotFound(f"no fitted card '{name[:64]}'.", field="card",
                       fix="choose one listed on the cards page.")
    return found[name]


def base_choices(request: Request) -> list[str]:
    """Cards a fit may start from: the built-in ids, then the folder's cards by file name."""
    from kreator.web.services import card_ids

    return [*card_ids(), *(p.name for p in card_files(cards_dir(request)))]


def base_ref(request: Request, value: str) -> str:
    """The card a fit starts from: a built-in id, or the path of a card the folder holds."""
    from kreator.core.codes import closest
    from kreator.web.services import card_ids

    if value in card_ids():
        return value
    found = {p.name: p for p in card_files(cards_dir(request))}
    if value in found:
        return str(found[value])
    choices = base_choices(request)
    raise CardError(f"unknown base card '{value[:64]}'.", field="base",
                    fix=f"use one of {', '.join(choices)}.", key="fit_base",
                    params={"value": value[:64], "close": closest(value, choices),
                            "choices": ", ".join(choices)})


def toml_response(text: str | bytes, file: str) -> Response:
    """A card as a download."""
    return Response(text, media_type="application/toml; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{file}"'})


@router.get("/cards/fitted/{name}")
async def download_saved(name: str, request: Request) -> Response:
    """A card of the folder as it is stored (``kreator serve --cards-dir``)."""
    path = saved_path(request, name)
    try:
        data = await run_in_threadpool(path.read_bytes)
    except OSError:  # removed since it was listed
        raise NotFound(f"no fitted card '{name[:64]}'.", field="card",
                       fix="choose one listed on the cards page.") from None
    return toml_response(data, path.name)
