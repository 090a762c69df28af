"""Screenshots of every page for docs/web.md: ``python docs/screens/shoot.py URL`` against a
running ``kreator serve`` (headless Chromium; KREATOR_CHROMIUM or /usr/bin/chromium).

``fit-report`` presses the fit page's button: against ``kreator serve --db LEDGER --cards-dir
DIR`` with a ledger of creators and saved estimates it shows a fit's report (against an empty
ledger, the page's message saying so)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
CSS = ("*, *::before, *::after { animation: none !important; transition: none !important;"
       " caret-color: transparent !important; }")


def pages(lang: str) -> dict[str, str]:
    demo = urlencode({"demo": "1"})
    return {"estimate": f"/?{demo}", "advice": f"/advice?{demo}", "growth": f"/growth?{demo}",
            "ledger": f"/ledger?{demo}", "upload": "/upload", "cards": "/cards", "api": "/api",
            "fit": "/cards/fit", "fit-report": "/cards/fit"}


CLICK = {"fit-report": "#fit-run"}
"""Pages shot after pressing a button (the screenshot shows the page it leads to)."""


def main(url: str) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=os.environ.get(
            "KREATOR_CHROMIUM", "/usr/bin/chromium"), args=["--headless", "--no-sandbox"])
        for lang in ("en", "sv"):
            for width in (1280, 390):
                ctx = browser.new_context(viewport={"width": width, "height": 900},
                                          bypass_csp=True)
                for name, path in pages(lang).items():
                    pg = ctx.new_page()
                    sep = "&" if "?" in path else "?"
                    pg.goto(f"{url}{path}{sep}lang={lang}")
                    if name in CLICK:
                        with pg.expect_navigation():
                            pg.click(CLICK[name])
                    pg.add_style_tag(content=CSS)
                    pg.screenshot(path=str(HERE / f"{name}-{lang}-{width}.png"))
                    pg.close()
                ctx.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
