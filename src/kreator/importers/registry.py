"""Every importer Kreator has, and how a source is matched to one."""

from __future__ import annotations

from kreator.core.errors import ImportFileError, Phrase
from kreator.importers.base import Importer, json_doc, json_error
from kreator.importers.formats import studio, studio_live
from kreator.importers.formats.business_api import BusinessAccount, BusinessVideoList
from kreator.importers.formats.display_api import DisplayUserInfo, DisplayVideoList
from kreator.importers.formats.kreator_profile import KreatorProfile
from kreator.importers.formats.personal_export import PersonalExport
from kreator.importers.formats.shop_partner_api import ShopPartnerOrders
from kreator.importers.formats.shop_seller_csv import IMPORTERS as SHOP_CSV
from kreator.importers.sources import Source

IMPORTERS: tuple[Importer, ...] = (
    *studio.IMPORTERS, *studio_live.IMPORTERS, PersonalExport(), DisplayUserInfo(),
    DisplayVideoList(), BusinessAccount(), BusinessVideoList(), ShopPartnerOrders(), *SHOP_CSV,
    KreatorProfile(),
)

KNOWN = Phrase("TikTok Studio analytics tables (Overview, Viewers, FollowerHistory, FollowerActivity, "
         "FollowerGender, FollowerTopTerritories, Content, LIVE; CSV or XLSX, or their zips), "
         "the personal data export (user_data_tiktok.json / user_data.json), Display API and "
         "Business API responses, TikTok Shop affiliate orders (Partner API JSON, Seller Center "
         "CSV) and Kreator profile files", "import_known")


def identify(src: Source) -> Importer | None:
    """The best-matching importer, or None."""
    best: tuple[int, Importer] | None = None
    for imp in IMPORTERS:
        got = imp.identify(src)
        if got > 0 and (best is None or got > best[0]):
            best = (got, imp)
    return best[1] if best else None


def unrecognised(src: Source) -> ImportFileError:
    """The error for a file the user named that no importer reads."""
    cached = src.cache.get("table_error")
    if isinstance(cached, ImportFileError):
        return cached
    head = src.data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"[") and json_doc(src) is None:
        return json_error(src)
    detail = ""
    table = src.cache.get("table")
    if table is not None and getattr(table, "header", None):
        columns = ", ".join(table.header)
        detail = Phrase(f" Its columns are: {columns}.", "import_columns_are", {"columns": columns})
    return ImportFileError(f"is not a file Kreator can import.{detail}", where=src.name,
                           fix=f"give one of: {KNOWN}.",
                           key="import_unknown_file", params={"columns": detail, "known": KNOWN})
