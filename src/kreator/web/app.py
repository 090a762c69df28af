"""The application factory: routers, static files, the error mapping and the defences.

Capabilities built by other parts of Kreator (importers, advisor, growth projection, ledger)
are mounted when their packages are installed; ``app.state.features`` lists what is on,
and the pages only link to what is there.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

import kreator
from kreator.web import api, errors, fitpage, fitted, login, pages
from kreator.web.auth import Gate
from kreator.web.batcher import Batcher
from kreator.web.security import BodyLimit, HostGuard, SecurityHeaders, csrf_protect
from kreator.web.settings import WebSettings

UPLOAD_PATHS = ("/upload", "/api/v1/import")


def available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    import anyio.to_thread

    # FastAPI runs every plain ``def`` route in anyio's thread pool (40 threads by default);
    # this worker runs at most ``threads`` requests at once, the rest queue.
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.settings.threads
    yield
    if app.state.ledger is not None:
        app.state.ledger.close()


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """A ready-to-serve Kreator web app (give it to uvicorn, or to a test client)."""
    settings = settings or WebSettings()
    app = FastAPI(
        title="Kreator", version=kreator.__version__,
        summary="What a small TikTok creator earns, could earn, and should do next.",
        description="JSON API of Kreator. Errors are `{\"error\": {\"code\", \"message\", "
        "\"field\", \"fix\"}}`. Amounts are per month in the card's currency unless "
        "`currency` says otherwise. Once the server has a user, every operation needs "
        "`Authorization: Bearer TOKEN` (a token from `kreator tokens create`; 401 without "
        "one): docs/accounts.md.",
        dependencies=[Depends(csrf_protect)],
        docs_url=None, redoc_url=None,  # their viewers load from a CDN; /api lists operations
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.ledger = None
    app.state.features = frozenset()
    app.state.batcher = Batcher()
    app.state.shared = False
    app.state.throttle = _throttle()
    errors.install(app)
    app.include_router(api.router)
    app.include_router(fitpage.admin)  # before pages: /cards/fit is not the card "fit"
    app.include_router(fitted.router)
    app.include_router(pages.router)
    app.include_router(login.router)
    _mount_features(app)
    static = resources.files("kreator.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    def limit_for(path: str) -> int:
        if path in UPLOAD_PATHS:
            return settings.max_upload_bytes
        return settings.max_body_bytes

    # the last added runs first: headers on everything, then Host, then who asks, then the
    # body limit
    app.add_middleware(BodyLimit, limit_for=limit_for)
    app.add_middleware(Gate, state=app.state)
    app.add_middleware(HostGuard, allowed=settings.allowed_hosts)
    app.add_middleware(SecurityHeaders)
    return app


def _throttle() -> object:
    from kreator.ledger.throttle import Throttle

    return Throttle()


def _mount_features(app: FastAPI) -> None:
    """Routes for the capabilities that are installed (each adds its name to features)."""
    features: set[str] = set()
    if available("matplotlib"):
        from kreator.web import charts

        app.include_router(charts.router)
        features.add("charts")
    if available("kreator.importers"):
        from kreator.web import upload

        app.include_router(upload.router)
        features.add("upload")
    if available("kreator.core.advise") and available("kreator.core.growth"):
        from kreator.web import advice

        app.include_router(advice.router)
        features |= {"advice", "growth"}
    if available("kreator.ledger"):
        from kreator.web import ledger

        app.include_router(ledger.router)
        features.add("ledger")
    app.state.features = frozenset(features)


def create_app_from_env() -> FastAPI:
    """The app factory each ``kreator serve --workers N`` process calls (uvicorn ``factory``)."""
    from kreator.web.settings import from_env

    return create_app(from_env())
