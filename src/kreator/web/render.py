"""Server-side rendering: the Jinja2 environment (autoescape on), language and currency.

Language comes from ``?lang=`` (remembered in a cookie), else the cookie, else the browser's
Accept-Language, else English; currency the same way with ``?currency=``. Every page gets
``ui`` (with ``ui.t`` for messages and ``ui.money`` for amounts) and the CSRF token.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined

from kreator.i18n import LANGS, money, number, percent, t
from kreator.web.security import CSRF_COOKIE, csrf_pair

if TYPE_CHECKING:
    from kreator.web.errors import ErrorDetail

LANG_COOKIE = "kreator_lang"
CURRENCY_COOKIE = "kreator_currency"
YEAR = 365 * 24 * 3600


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    env = Environment(loader=PackageLoader("kreator.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return Jinja2Templates(env=env)


@dataclass(frozen=True)
class UI:
    """What every page needs to speak the visitor's language and currency."""

    lang: str
    currency: str
    currencies: tuple[str, ...]
    csrf_cookie: str
    csrf_token: str
    csrf_fresh: bool
    remember: tuple[tuple[str, str], ...]
    features: frozenset[str]

    def t(self, key: str, **values: Any) -> str:
        return t(key, self.lang, **values)

    def money(self, amount: float, decimals: int = 0, currency: str | None = None) -> str:
        return money(amount, currency or self.currency, self.lang, decimals=decimals)

    def number(self, value: float, decimals: int = 0) -> str:
        return number(value, self.lang, decimals=decimals)

    def card_description(self, card_id: str, description: str) -> str:
        from kreator.i18n import card_description

        return card_description(card_id, description, self.lang)

    def figure(self, value: float) -> str:
        from kreator.i18n import figure

        return figure(value, self.lang)

    def card_unit(self, unit: str | None) -> str:
        from kreator.i18n import card_unit

        return card_unit(unit, self.lang) if unit else ""

    def card_note(self, key: str, note: str | None) -> str:
        """A card figure's note, in the web's wording where the card names a CLI option."""
        from kreator.i18n import catalog

        return catalog(self.lang).get(f"web.card_note.{key}", note or "")

    def months(self, n: float) -> str:
        from kreator.i18n import months

        return months(n, self.lang)

    def percent(self, value: float, decimals: int = 1) -> str:
        return percent(value, self.lang, decimals=decimals)

    def card_name(self, card_id: str, name: str) -> str:
        """A built-in card's name in the visitor's language (a user's card keeps its own)."""
        from kreator.i18n import card_name

        return card_name(card_id, name, self.lang)


def _pick(asked: str | None, cookie: str | None, choices: tuple[str, ...]) -> tuple[str | None,
                                                                                   bool]:
    if asked and asked in choices:
        return asked, True
    if cookie and cookie in choices:
        return cookie, False
    return None, False


def browser_lang(accept: str) -> str:
    for part in accept.split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in LANGS:
            return code
    return "en"


def ui_for(request: Request) -> UI:
    """The visitor's language, currency and CSRF token (a FastAPI dependency)."""
    from kreator.web.services import currencies

    q, c = request.query_params, request.cookies
    lang, set_lang = _pick(q.get("lang"), c.get(LANG_COOKIE), LANGS)
    cur_choices = tuple(currencies())
    currency, set_cur = _pick((q.get("currency") or "").upper(),
                              (c.get(CURRENCY_COOKIE) or "").upper(), cur_choices)
    cookie, token, fresh = csrf_pair(request)
    remember = tuple((k, v) for k, v in (("lang", lang if set_lang else None),
                                         ("currency", currency if set_cur else None)) if v)
    return UI(lang=lang or browser_lang(request.headers.get("accept-language", "")),
              currency=currency or "USD", currencies=cur_choices, csrf_cookie=cookie,
              csrf_token=token, csrf_fresh=fresh, remember=remember,
              features=request.app.state.features)


UIDep = Annotated[UI, Depends(ui_for)]
"""A route parameter ``ui: UIDep`` gets the visitor's :class:`UI`."""


def page(request: Request, ui: UI, name: str, context: dict[str, Any] | None = None, *,
         status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Render template ``name`` with ``ui`` and remember the visitor's choices in cookies."""
    ctx = {"ui": ui, **(context or {})}
    response = templates().TemplateResponse(request, name, ctx, status_code=status,
                                            headers=headers)
    remember(response, ui)
    return response


def remember(response: Response, ui: UI) -> None:
    for key, value in ui.remember:
        name = LANG_COOKIE if key == "lang" else CURRENCY_COOKIE
        response.set_cookie(name, value, max_age=YEAR, samesite="lax")
    if ui.csrf_fresh:
        response.set_cookie(CSRF_COOKIE, ui.csrf_cookie, httponly=True, samesite="strict")


def render_error(request: Request, status: int, detail: ErrorDetail,
                 headers: dict[str, str] | None = None) -> Response:
    """An error as a page in the visitor's language (used by :mod:`kreator.web.errors`)."""
    try:
        ui = ui_for(request)
    except Exception:  # the error page itself must not fail (e.g. before app state exists)
        import html

        text = html.escape(f"{status}: {detail.message}")
        return HTMLResponse(f"<!doctype html><title>{status}</title><p>{text}</p>", status,
                            headers=headers)
    message, fix = http_text(request, ui, status, detail)
    return page(request, ui, "error.html", {"status": status, "detail": detail,
                                            "message": message, "fix": fix},
                status=status, headers=headers)


def http_text(request: Request, ui: UI, status: int, detail: ErrorDetail
              ) -> tuple[str, str | None]:
    """The message and fix of an HTTP-level error (413, the 404 of an unknown address) in the
    visitor's language; any other error's as it came."""
    if status == 413:
        from kreator.web.app import UPLOAD_PATHS

        settings = request.app.state.settings
        limit = (settings.max_upload_bytes if request.url.path in UPLOAD_PATHS
                 else settings.max_body_bytes)
        return (ui.t("web.error.too_large", mb=ui.number(limit / 2**20, 0 if limit % 2**20 == 0
                                                             else 1)),
                ui.t("web.error.too_large_fix"))
    if status == 404 and detail.message == f"nothing at {request.url.path}.":
        return ui.t("web.error.not_found", path=request.url.path), ui.t("web.error.not_found_fix")
    return detail.message, detail.fix
