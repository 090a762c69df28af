"""XLSX tables, read safely: zip limits first, no DTDs anywhere, then openpyxl read-only.

An XLSX file is a zip of XML parts. Before openpyxl sees it, the zip directory is checked
against the same limits as any zip (entry count, sizes, compression ratio, entry names) and
the prolog of every XML part is parsed with ``defusedxml`` (``forbid_dtd=True``): spreadsheet
parts never need a DTD, and a DTD is how entity-expansion ("billion laughs") and external
entity attacks get in. openpyxl itself then parses through defusedxml as well.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from kreator.core.errors import ImportFileError
from kreator.importers import limits as L
from kreator.importers.sources import Source, open_zip


def read_xlsx(src: Source) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The first sheet as (header, [(row number, cells)]); header is row 1."""
    zf = open_zip(src)
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels", ".vml")):
            _refuse_dtd(zf, info, src.name)
    import warnings

    import openpyxl  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(src.data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            rows = _rows(sheet, src.name)
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFileError(f"is not a workbook Kreator can read ({type(exc).__name__}: "
                              f"{exc}).", where=src.name,
                              fix="save it again as .xlsx, or export the CSV instead.",
                              key="import_bad_workbook",
                              params={"detail": f"{type(exc).__name__}: {exc}"}) from None
    if not rows:
        return [], []
    (_, header), *data = rows
    return [("" if h is None else str(h)).strip() for h in header], data


def _rows(sheet: Any, where: str) -> list[tuple[int, list[Any]]]:
    out: list[tuple[int, list[Any]]] = []
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if len(out) > L.MAX_ROWS:
            raise ImportFileError(f"has more than {L.limit_text(L.MAX_ROWS, 'MAX_ROWS', 'rows')}.",
                                  where=where, fix="split the workbook.",
                                  key="import_too_many_rows_xlsx", params={"limit": L.MAX_ROWS})
        out.append((number, list(cells)))
    return out


def _refuse_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> None:
    """Parse the part up to its root element; a DTD before it is refused."""
    from defusedxml import (  # type: ignore[import-untyped]
        DTDForbidden,
        EntitiesForbidden,
        ExternalReferenceForbidden,
    )
    from defusedxml.ElementTree import XMLParser  # type: ignore[import-untyped]

    parser = XMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        with zf.open(info) as fh:
            read = 0
            while read < L.MAX_XML_PROLOG_BYTES:
                chunk = fh.read(4096)
                if not chunk:
                    break
                read += len(chunk)
                parser.feed(chunk)
                if b">" in chunk and _past_root(chunk):
                    break
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise ImportFileError(f"part '{info.filename}' declares a DTD or XML entities, which "
                              "Kreator refuses (entity-expansion attack).", where=where,
                              fix="give the workbook as TikTok or Excel saved it, or the CSV.",
                              key="import_xml_dtd", params={"part": info.filename}) from None
    except Exception:  # a malformed part is reported by openpyxl below
        return


def _past_root(chunk: bytes) -> bool:
    """True once the chunk shows an element start tag (not ``<?`` or ``<!``)."""
    i = chunk.find(b"<")
    while i >= 0:
        if chunk[i + 1:i + 2] not in (b"?", b"!", b""):
            return True
        i = chunk.find(b"<", i + 1)
    return False
