"""Reports as they are handed out: an A4 PDF beside each HTML, and the skipped-rows notice.

One batch is built from a real-shaped work log with damaged rows, with ``skip_invalid`` and
``pdf`` (what ``devvolume report LOG --skip-invalid --pdf`` does). The PDF is checked the way a
person would look at it: poppler renders every page to an image (``build/e2e/report_pdf-N.png``
for a person to look at), each page must be A4 and carry ink; the text layer must hold the
Chinese title and headings in an embedded CJK font. A real browser opens the HTML report from
disk, with the network cut off, and must show the notice that rows were skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from devvolume.report import ReportBatch, build_reports

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from report_helpers import bad_rows_csv, shared_teams_rows

if TYPE_CHECKING:
    from conftest import BlockedPage

TEAM = "华东一组"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "e2e"
#: A4 in PostScript points (210 × 297 mm).
A4 = (595.28, 841.89)


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is missing: apt-get install -y poppler-utils (make test installs it)")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> ReportBatch:
    from conftest import require_chromium

    require_chromium()
    folder = tmp_path_factory.mktemp("pdf")
    log, _ = bad_rows_csv(folder / "工作日志.csv", shared_teams_rows(), bad=4)
    made = build_reports(log, out=folder / "out", only=[TEAM], skip_invalid=True, pdf=True,
                         progress=False)  # fmt: skip
    assert made.ok, [result.error for result in made.failed]
    return made


def _gray_pages(pdf: Path, out: Path) -> list[tuple[int, int, bytes]]:
    """Render every page with pdftoppm as 8-bit grey (PGM): (width, height, pixels) per page."""
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(out / "page")], check=True)
    pages = []
    for path in sorted(out.glob("page-*.pgm")):
        data = path.read_bytes()
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
        assert header is not None, path
        width, height = int(header.group(1)), int(header.group(2))
        pages.append((width, height, data[header.end():]))
    return pages


def test_the_pdf_is_a4_with_cjk_text_and_charts_on_every_page(batch: ReportBatch, tmp_path: Path) -> None:
    _need("pdftoppm")
    (result,) = batch.results
    assert result.pdf is not None
    assert result.pdf == result.path.with_suffix(".pdf") if result.path else False
    info = subprocess.run(["pdfinfo", str(result.pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(width - A4[0]) <= 2, width  # Chromium rounds to whole CSS pixels
    assert abs(height - A4[1]) <= 2, height
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 2 <= pages <= 8
    text = subprocess.run(["pdftotext", "-layout", str(result.pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    for words in (f"{TEAM} · 客户开发量报告", "一、本期开发量与目标", "六、教练建议", "行有问题，没有计入本报告"):
        assert words in re.sub(r"\s+", " ", text), words
    fonts = subprocess.run(["pdffonts", str(result.pdf)], capture_output=True, text=True, check=True).stdout
    embedded = [line.split()[-5] for line in fonts.splitlines()[2:]]
    assert embedded, fonts
    assert set(embedded) == {"yes"}, fonts  # every glyph travels with the file
    rendered = _gray_pages(result.pdf, tmp_path)
    assert len(rendered) == pages
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(result.pdf),
                    str(SCREENSHOTS / "report_pdf")], check=True)  # fmt: skip
    for number, (w, h, pixels) in enumerate(rendered, start=1):
        assert abs(w / h - A4[0] / A4[1]) < 0.01
        ink = sum(value < 200 for value in pixels) / len(pixels)
        assert ink > 0.005, f"page {number} is blank"
        # nothing runs off the right-hand edge: the last 2 % of every row is paper
        margin = max(1, w // 50)
        edge = [pixels[row * w + col] for row in range(h) for col in range(w - margin, w)]
        assert min(edge) > 200, f"page {number}: something runs off the page"
    # the first page carries a chart: a run of coloured (mid-grey) pixels, not only text
    w, h, pixels = rendered[0]
    assert sum(60 < value < 190 for value in pixels) > 200


def test_a_report_made_with_skip_invalid_shows_the_notice(batch: ReportBatch,
                                                          blocked_page: BlockedPage) -> None:
    (result,) = batch.results
    assert result.path is not None
    blocked_page.goto(result.path.as_uri(), wait_until="load")
    notice = blocked_page.page.locator(".devvolume-note")
    assert notice.count() == 1
    assert notice.is_visible()
    assert "4 行有问题，没有计入本报告" in notice.inner_text()
    assert "problems.html" in notice.inner_text()
    blocked_page.screenshot("report_skipped_notice")
    assert blocked_page.blocked == [], blocked_page.blocked
    index = batch.index.as_uri()
    blocked_page.goto(index, wait_until="load")
    assert "4 行有问题" in blocked_page.page.locator(".note").first.inner_text()
    assert blocked_page.page.get_by_role("link", name="PDF").count() == 1
