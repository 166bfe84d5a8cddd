"""An instructor's reports in a real browser with the network cut off.

One team report and its ``index.html`` are built with :func:`devvolume.report.build_reports`
(the function behind ``devvolume report``) into a temporary folder and opened from disk in
Debian's Chromium. Every request but the pages themselves is aborted and counted; the count
must be zero. The charts must be drawn, no code may be shown, and every link of the index must
lead to a report that opens. Screenshots: ``build/e2e/report_index.png``,
``build/e2e/report_team.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

import pytest

from devvolume.report import build_reports

if TYPE_CHECKING:
    from conftest import BlockedPage

TEAM = "华东一组"
#: Chart titles of a team report (see notebooks/reports), each naming its window.
CHART_TITLES = ["每月客户开发量（2025 年 1 月至 2025 年 12 月）",
                "客户开发漏斗（2025 年 1 月 2 日至 2025 年 12 月 31 日首次接触的客户）",
                "销售员排行：新成交客户（2025 年 12 月 1 日至 2025 年 12 月 31 日）",
                "与同行比较：点在实线（99.8%）之外才算明显不同"]
#: Text that only shows up where code is shown.
CODE_TEXT = ["import devvolume", "from devvolume", "load_dataset(", "build_reports(", "def "]
#: Elements that only a page showing code has.
CODE_SELECTORS = [".jp-InputArea", ".jp-CodeCell .jp-InputArea-editor", ".jp-InputPrompt",
                  ".highlight pre", "pre code"]

@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report folder: one team report and the index."""
    out = tmp_path_factory.mktemp("reports") / "out"
    batch = build_reports("directsales", out=out, by="team", only=[TEAM], progress=False)
    assert batch.ok, [result.error for result in batch.failed]
    assert batch.summary == out / "summary.csv"
    return out


def assert_no_code(watched: BlockedPage) -> None:
    page = watched.page
    for selector in CODE_SELECTORS:
        assert page.locator(selector).count() == 0, selector
    text = page.locator("body").inner_text()
    for code in CODE_TEXT:
        assert code not in text, code


def test_index_links_open_reports_offline(reports: Path, blocked_page: BlockedPage) -> None:
    page = blocked_page.page
    index = reports / "index.html"
    blocked_page.goto(index.as_uri(), wait_until="load")
    assert page.locator("h1").first.inner_text().startswith("客户开发量报告")
    assert page.get_by_role("link", name=TEAM).is_visible()
    assert_no_code(blocked_page)
    blocked_page.screenshot("report_index")

    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert len(hrefs) == 1, hrefs  # one report was built
    for href in hrefs:
        target = Path(unquote(urlparse(href).path))
        assert target.is_file(), href
        assert target.parent == reports
        # the report is the next document this page may open; a click follows the link
        blocked_page.documents.add(href)
        blocked_page.goto(index.as_uri(), wait_until="load")
        with page.expect_navigation(url=href, wait_until="load"):
            page.locator(f"a[href='{href.rsplit('/', 1)[1]}']").click()
        assert page.locator("h1").first.inner_text().startswith(TEAM)

    assert blocked_page.blocked == [], blocked_page.blocked
    assert blocked_page.console_errors == []


def test_team_report_draws_charts_offline_without_code(reports: Path,
                                                       blocked_page: BlockedPage) -> None:
    from conftest import charts_loaded

    page = blocked_page.page
    report = reports / f"team_{TEAM}.html"
    blocked_page.goto(report.as_uri(), wait_until="load")
    page.wait_for_function(charts_loaded(), arg=len(CHART_TITLES))

    images = page.eval_on_selector_all(
        ".devvolume-chart img",
        "imgs => imgs.map(i => ({alt: i.alt, w: i.naturalWidth, h: i.naturalHeight,"
        " shown: i.getBoundingClientRect().width}))")
    assert [image["alt"] for image in images] == CHART_TITLES
    for image in images:
        assert image["w"] > 200
        assert image["h"] > 100
        assert image["shown"] > 200
    assert page.locator("h1").first.inner_text().startswith(f"{TEAM} · 客户开发量报告")
    assert page.locator("h2").count() >= 5
    assert_no_code(blocked_page)

    shot = blocked_page.screenshot("report_team")
    assert shot.stat().st_size > 50_000
    assert blocked_page.blocked == [], blocked_page.blocked
    assert blocked_page.requests == [report.as_uri()], blocked_page.requests
    assert blocked_page.console_errors == []
