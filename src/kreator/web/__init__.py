"""Kreator in the browser and over HTTP: ``kreator serve`` runs :func:`create_app` with uvicorn.

Pages (Jinja2, autoescaped, light JavaScript, every asset served locally) and a JSON API
under ``/api/v1`` with its OpenAPI description at ``/openapi.json`` and ``/docs``.
See docs/web.md.
"""

from kreator.web.app import create_app
from kreator.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
