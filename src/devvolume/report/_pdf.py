"""Reports on paper: print CSS for every report page, and an A4 PDF beside each one.

Reports are printed and handed out at coaching sessions. :func:`add_print_style` gives every
exported page a print style sheet (A4, no text or table running off the page, headings kept
with what follows, charts never cut in two), so printing the HTML from a browser already
works. :class:`PdfPrinter` prints a page to PDF with headless Chromium, driven by Playwright
(the browser the end-to-end tests use): the same engine that draws the page on screen, so the
PDF shows the same CJK text (Noto CJK, from the system's fonts) and the same SVG charts. One
browser is started per report worker and reused for every report it prints; it is only ever
allowed to open ``file:`` URLs.

Chromium is looked for in ``$DEVVOLUME_CHROMIUM``, then as ``chromium``, ``chromium-browser``,
``google-chrome`` on the ``PATH``, then Playwright's own download (``playwright install
chromium``).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

#: Environment variable naming the Chromium (or Chrome) executable to print with.
CHROMIUM_ENV = "DEVVOLUME_CHROMIUM"
#: Executables tried on the PATH, in order.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Seconds a page may take to load (charts are inline, so this is generous).
LOAD_TIMEOUT_MS = 30_000
#: Page margins of the PDF; the footer (report title and page number) sits in the bottom one.
MARGINS = {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}

_FOOTER = ('<div style="width:100%;font-size:7pt;color:#666;padding:0 12mm;'
           'font-family:\'Noto Sans CJK SC\',sans-serif;display:flex;justify-content:space-between">'
           '<span class="title"></span><span><span class="pageNumber"></span> / '
           '<span class="totalPages"></span></span></div>')  # fmt: skip

#: The print style sheet added to every report page.
PRINT_CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
.jp-RenderedHTMLCommon table { max-width: 100%; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { overflow-wrap: anywhere; }
.devvolume-chart img { max-width: 100%; height: auto; }
.devvolume-note { background: #fff8e1; border-left: 4px solid #f0a500; padding: .5em .8em; }
.devvolume-caption { color: #555; font-size: 90%; margin: .2em 0;
                     break-after: avoid; page-break-after: avoid; }
@media print {
  html, body { background: #fff !important; }
  body { font-size: 10pt; }
  .jp-Notebook, .jp-Cell, .jp-OutputArea, .jp-OutputArea-output,
  .jp-RenderedHTMLCommon { overflow: visible !important; padding: 0 !important; }
  .jp-Cell { margin: 0 !important; }
  .jp-RenderedHTMLCommon table { font-size: 8.5pt; width: auto; max-width: 100%;
                                 table-layout: auto; }
  .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 2px 5px !important;
                                                         white-space: normal !important; }
  .jp-RenderedHTMLCommon h1 { font-size: 16pt; }
  .jp-RenderedHTMLCommon h2 { font-size: 12.5pt; break-after: avoid; page-break-after: avoid; }
  .devvolume-chart, table, tr, li, .devvolume-note { break-inside: avoid;
                                                      page-break-inside: avoid; }
  .devvolume-chart img { max-width: 100% !important; max-height: 120mm; object-fit: contain; }
  a { color: inherit; text-decoration: none; }
}
"""


def add_print_style(page: str) -> str:
    """Add :data:`PRINT_CSS` to an exported report page, just before ``</head>``.

    Examples
    --------
    >>> "size: A4" in add_print_style("<html><head></head><body></body></html>")
    True
    """
    style = f'<style id="devvolume-print">{PRINT_CSS}</style>'
    head = page.find("</head>")
    if head < 0:
        return style + page
    return page[:head] + style + page[head:]


def find_chromium() -> str | None:
    """Find the Chromium executable to print with, or ``None`` for Playwright's own download."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return named
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def check_renderer() -> None:
    """Fail early, with what to install, when PDFs cannot be printed here.

    Raises
    ------
    RuntimeError
        When Playwright is not installed, or no Chromium can be found.
    """
    try:
        import playwright  # noqa: F401
    except ImportError:
        msg = ("无法生成 PDF：缺少 Playwright / cannot print PDFs: Playwright is not installed.\n"
               "Hint: pip install 'devvolume[pdf]' (or pip install playwright), and install "
               "Chromium: apt-get install chromium fonts-noto-cjk.")  # fmt: skip
        raise RuntimeError(msg) from None
    if find_chromium() is None and not _playwright_browser():
        msg = ("无法生成 PDF：找不到 Chromium / cannot print PDFs: no Chromium found (looked at "
               f"${CHROMIUM_ENV}, {', '.join(CHROMIUM_NAMES)} and Playwright's own browsers).\n"
               "Hint: apt-get install chromium fonts-noto-cjk, or playwright install chromium, "
               f"or set {CHROMIUM_ENV}=/path/to/chromium.")  # fmt: skip
        raise RuntimeError(msg)


def _playwright_browser() -> bool:
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache" / "ms-playwright"))
    return any(cache.glob("chromium*"))


class PdfPrinter:
    """One headless Chromium that prints report pages to A4 PDFs; :meth:`close` when done."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._manager = sync_playwright()
        self._playwright = self._manager.start()
        args = ["--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # Chromium's sandbox refuses root
            args.append("--no-sandbox")
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=find_chromium(), args=args, headless=True)
        except BaseException:
            self._manager.__exit__(None, None, None)
            raise
        self._context = self._browser.new_context(locale="zh-CN", service_workers="block")
        # A report page is one offline file: nothing else may load, not even by accident.
        self._context.route("**/*", _file_only)

    def print_pdf(self, html: Path, pdf: Path) -> float:
        """Print ``html`` (a report page on disk) to ``pdf``; return the seconds it took."""
        started = time.perf_counter()
        page = self._context.new_page()
        try:
            page.goto(html.resolve().as_uri(), wait_until="load", timeout=LOAD_TIMEOUT_MS)
            page.wait_for_function(
                "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)",
                timeout=LOAD_TIMEOUT_MS)
            page.emulate_media(media="print")
            temporary = pdf.with_name(f".{pdf.name}.{os.getpid()}.tmp")
            try:
                page.pdf(path=str(temporary), format="A4", print_background=True,
                         margin=MARGINS, display_header_footer=True,  # type: ignore[arg-type]
                         header_template="<span></span>", footer_template=_FOOTER)
                temporary.replace(pdf)
            finally:
                temporary.unlink(missing_ok=True)
        finally:
            page.close()
        return time.perf_counter() - started

    def close(self) -> None:
        """Close the browser."""
        try:
            self._browser.close()
        finally:
            self._manager.__exit__(None, None, None)


def _file_only(route: Any) -> None:
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort("blockedbyclient")
