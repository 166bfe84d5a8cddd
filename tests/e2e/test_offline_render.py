"""Proof in a real browser: an exported report draws its chart with the network cut off.

A tiny notebook with a chart is executed by a real kernel (nbclient), exported with
``devvolume.viz.export_html`` and opened from disk in Debian's Chromium, with every network
request aborted and counted. The count must be zero, the chart must be drawn and its Chinese
title must be there. The screenshot ``build/e2e/offline_chart.png`` is for a person to check that
the Chinese glyphs are real (no boxes).
"""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from devvolume.viz import export_html

TITLE = "每月客户开发量（成交）"

SETUP = "import devvolume as dv\ninfo = dv.viz.setup()\ninfo.font"
CHART = """\
import pandas as pd
import devvolume as dv
frame = pd.DataFrame({
    "period": pd.to_datetime(["2026-03-01", "2026-04-01", "2026-05-01"] * 2),
    "rep": ["王磊"] * 3 + ["李娜"] * 3,
    "volume": [1, 0, 0, 0, 1, 1],
})
dv.viz.volume_trend(frame, by="rep", level="won")
"""
FUNNEL = """\
dv.viz.funnel(pd.DataFrame({"level": ["contacted", "qualified", "signed", "won"],
                            "customers": [3, 2, 2, 2]}))
"""


def chart_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 离线图表测试\n\n下面的图表不应从网络加载任何内容。"),
        nbformat.v4.new_code_cell(SETUP),
        nbformat.v4.new_code_cell(CHART),
        nbformat.v4.new_code_cell(FUNNEL),
    ])
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    """The chart notebook, run by a real ipykernel of this interpreter."""
    nb = chart_notebook()
    workdir = tmp_path_factory.mktemp("run")
    client = NotebookClient(nb, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return nb


def chart_outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [out for cell in nb.cells if cell.cell_type == "code"
            for out in cell.outputs if out.output_type in {"display_data", "execute_result"}
            and 'class="devvolume-chart"' in out.get("data", {}).get("text/html", "")]


def test_kernel_outputs_are_valid_static_charts(executed: nbformat.NotebookNode) -> None:
    nbformat.validate(executed)
    assert executed.cells[1].outputs[0]["data"]["text/plain"] == "'Noto Sans CJK SC'"
    charts = chart_outputs(executed)
    assert len(charts) == 2
    assert charts[0]["data"]["text/plain"] == f"<图表：{TITLE}>"


def test_exported_report_renders_offline(executed: nbformat.NotebookNode, blocked_page,
                                         tmp_path: Path) -> None:
    page_file = tmp_path / "offline_report.html"
    page_file.write_text(export_html(executed, title="离线图表测试"), encoding="utf-8")
    page = blocked_page.page
    blocked_page.goto(page_file.as_uri(), wait_until="load")
    page.wait_for_function(
        "() => [...document.images].length >= 2"
        " && [...document.images].every(i => i.complete && i.naturalWidth > 0)")

    images = page.eval_on_selector_all(
        ".devvolume-chart img",
        "imgs => imgs.map(i => ({alt: i.alt, w: i.naturalWidth, h: i.naturalHeight,"
        " shown: i.getBoundingClientRect().width, src: i.src}))")
    assert [i["alt"] for i in images] == [TITLE, "客户开发漏斗"]
    for image in images:
        assert image["w"] > 200
        assert image["h"] > 100
        assert image["shown"] > 200
    svg = base64.b64decode(images[0]["src"].split(",", 1)[1]).decode("utf-8")
    # the drawn SVG carries the Chinese title and axis labels as text, in the CJK font list
    assert f">{TITLE}</text>" in svg
    assert ">2026年4月</text>" in svg
    assert "Noto Sans CJK SC" in svg
    # no code on the page, and the title and text are there
    assert page.locator("text=import pandas").count() == 0
    assert page.locator(".jp-InputPrompt").count() == 0
    assert page.locator("h1").first.inner_text().startswith("离线图表测试")
    # inline the same SVG into the live DOM to check the browser lays out the Chinese text
    width = page.evaluate(
        """svg => { const host = document.createElement('div'); host.innerHTML = svg;
                   document.body.appendChild(host);
                   const title = [...host.querySelectorAll('text')]
                       .find(t => t.textContent.includes('成交'));
                   const box = title.getBBox(); host.remove(); return box.width; }""", svg)
    assert width > 50

    shot = blocked_page.screenshot("offline_chart")
    assert shot.stat().st_size > 10_000
    assert blocked_page.blocked == [], blocked_page.blocked
    assert blocked_page.requests == [page_file.as_uri()], blocked_page.requests
    assert blocked_page.console_errors == []
