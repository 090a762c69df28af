"""Import TikTok's own exports: the upload page (drag and drop) and ``POST /api/v1/import``.

Uploads stream to a private temporary folder (never into memory whole: the multipart parser
spools to disk, the API route writes chunk by chunk) and are read by
:func:`kreator.importers.extract_paths`, whose limits refuse zip and XML bombs. The folder
is deleted when the request ends. Nothing is kept: the page fills the profile form.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.datastructures import UploadFile

from kreator.core.errors import KreatorError
from kreator.web import forms
from kreator.web.errors import ERROR_RESPONSES, ErrorBody, UnsupportedMedia, kreator_detail
from kreator.web.render import UI, UIDep, page

router = APIRouter()
SAFE_NAME = re.compile(r"[^A-Za-z0-9._ ()-]+")


class ImportOut(BaseModel):
    """What the files hold: profile values with their sources, rows in/ok/rejected, events."""

    model_config = ConfigDict(extra="allow")

    profile: dict[str, Any]
    missing: list[str]
    window: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    files: list[dict[str, Any]]
    rows: dict[str, int]
    rejects: list[dict[str, Any]]
    events: list[dict[str, Any]]
    notes: list[str]


def safe_name(name: str | None) -> str:
    """A file name that is only a name (importers recognise exports by it)."""
    base = SAFE_NAME.sub("_", Path((name or "").replace("\\", "/")).name).strip(" .")
    return base[:200] or "upload"


def extract(folder: Path, skip_unrecognised: bool = False) -> Any:
    """Read every file under ``folder``; the page skips (and lists) files no importer reads."""
    from kreator.importers import extract_paths

    return extract_paths(sorted(p for p in folder.glob("*/*") if p.is_file()),
                         skip_unrecognised=skip_unrecognised)


def public(batch: Any) -> dict[str, Any]:
    """The batch as JSON without the server's temporary paths."""
    out: dict[str, Any] = batch.to_dict()
    for f in out["files"]:
        f.pop("path", None)
    return out


BINARY_BODY = {"requestBody": {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


@router.post("/api/v1/import", response_model=ImportOut, tags=["import"],
             responses={**ERROR_RESPONSES, 415: {"model": ErrorBody,
                                                 "description": "A form instead of the file"}},
             openapi_extra=BINARY_BODY)
async def import_file(request: Request,
                      filename: str = Query(min_length=1, max_length=200,
                                            description="The export's file name, e.g. "
                                            "Followers_2026-04-21_1779285792_me.zip")) -> Any:
    """Read one TikTok export (a Studio zip or CSV, the personal-export JSON, an API
    response...) sent as the raw request body, and say what it holds. Nothing is stored."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype.startswith("multipart/"):
        raise UnsupportedMedia("send the file itself as the body, not a form.",
                               field="Content-Type", fix="use Content-Type: "
                               "application/octet-stream (or the upload page).")
    with tempfile.TemporaryDirectory(prefix="kreator-upload-") as tmp:
        target = Path(tmp) / "0" / safe_name(filename)
        target.parent.mkdir()
        with target.open("wb") as fh:
            async for chunk in request.stream():
                fh.write(chunk)
        batch = await run_in_threadpool(extract, Path(tmp))
        return JSONResponse(public(batch))


@router.get("/upload", include_in_schema=False)
def upload_page(request: Request, ui: UIDep) -> Response:
    """The drop zone."""
    values = forms.form_values(request.query_params)
    return page(request, ui, "upload.html", {"query": forms_query(values), "error": None})


@router.post("/upload", include_in_schema=False)
async def upload(request: Request, ui: UIDep) -> Response:
    """Read the dropped files and show the profile form filled with what they hold."""
    form = await request.form()
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    query = str(form.get("query") or "")
    if not files:
        return _upload_error(request, ui, query, "web.upload.none")
    with tempfile.TemporaryDirectory(prefix="kreator-upload-") as tmp:
        for i, f in enumerate(files):
            target = Path(tmp) / str(i) / safe_name(f.filename)  # one folder each: names kept
            target.parent.mkdir()
            with target.open("wb") as fh:
                await run_in_threadpool(shutil.copyfileobj, f.file, fh)
        try:
            batch = await run_in_threadpool(extract, Path(tmp), True)
        except KreatorError as exc:
            return _upload_error(request, ui, query, None, exc)
    return _filled_form(request, ui, query, batch)


def forms_query(values: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(values)


def _upload_error(request: Request, ui: UI, query: str, key: str | None,
                  exc: KreatorError | None = None) -> Response:
    message = ui.t(key) if key else kreator_detail(exc, ui.lang).message if exc else ""
    return page(request, ui, "upload.html", {"query": query, "error": message}, status=422)


def _filled_form(request: Request, ui: UI, query: str, batch: Any) -> Response:
    from kreator.i18n import phrase
    from kreator.web.pages import form_context

    base = forms.form_values(dict(parse_qsl(query)))
    if not forms.has_profile(base):  # start from what the files say, never from the demo
        base = {k: v for k, v in base.items() if k in forms.EXTRA_PARAMS}
    found = batch.profile_values()
    values = {**base, **forms.as_values(found)}
    summary = [(name, _shown(name, value, ui), batch.metrics[name].provenance)
               for name, value in found.items() if name in forms.FIELDS]
    ctx = form_context(request, ui, values)
    ctx["imported"] = {"fields": summary, "window": batch.window, "rows": (
        batch.rows_in, batch.rows_ok, batch.rows_rejected),
        "rejects": [phrase(r.phrase(), ui.lang) for r in batch.rejects[:20]],
        "missing": [ui.t(f"web.field.{name}") for name in batch.missing()],
        "notes": batch.notes, "files": [f.file for f in batch.files],
        "skipped": [_skipped(name, why, ui) for name, why in batch.ignored]}
    return page(request, ui, "index.html", ctx)


def _skipped(name: str, why: str, ui: UI) -> str:
    """"skipped: README.txt — not a TikTok export we recognise" (or the reason it was left)."""
    from kreator.i18n import phrase
    from kreator.importers.batch import NOT_IMPORTED

    reason = ui.t("web.upload.not_recognised") if why == NOT_IMPORTED else phrase(why, ui.lang)
    return ui.t("web.upload.skipped", file=name, reason=reason)


def _shown(name: str, value: Any, ui: UI) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return forms.as_text(name, value)
    return ui.number(value, 0 if float(value).is_integer() else 2)
