"""Lesson 01's "用你自己的数据" in JupyterLab, in a real browser, as a manager uses it.

JupyterLab serves a folder as ``make lab`` does (the lessons in ``notebooks/``, the manager's file
in ``我的数据/``); the lesson is opened from ``notebooks/`` and run (Run → Run All Cells). In the
own-data control the test types a path relative to the folder JupyterLab was started in: first a
wrong one, and the error must name the absolute path it tried; then the right one. The file has
one bad row: its problem is listed and the button for the other rows is pressed. Then the team
drop-down picks team A: the table shown must be A's slice of the file's company-wide count
(computed here with the same public functions, and different from a recount on A's rows), and
the chart, drawn live, must be titled with A. No request may leave the machine.
Screenshots: ``build/e2e/lab_own_data_*.png``.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

import devvolume as dv

if TYPE_CHECKING:
    from conftest import LabPage

LESSON = Path(__file__).resolve().parents[2] / "notebooks" / "01_what_counts.ipynb"
FOLDER, FILE = "我的数据", "三月工作日志.csv"
#: Two teams sharing customers (``shared_log`` of tests/conftest.py) and one impossible date.
CSV = """日期,销售员,团队,客户,阶段
2026-03-02,张,A,客户甲,首次接触
2026-03-03,李,B,客户乙,首次接触
2026-03-04,张,A,客户丙,首次接触
2026-03-10,李,B,客户甲,意向
2026-03-20,张,A,客户丙,流失
2026-03-24,李,B,客户甲,签约
2026-03-30,李,B,客户甲,成交
2026-04-01,李,B,客户丁,首次接触
2026-04-01,张,A,客户丁,首次接触
2026-04-06,张,A,客户乙,成交
2026-04-20,李,B,客户丁,首次接触
2026-04-31,李,B,客户戊,首次接触
"""
TEAM = "A"
OWN = ".dv-own-worklog"

#: The rows of the explorer's table in the own-data control, as text.
TABLE_ROWS = f"""() => [...document.querySelectorAll('{OWN} .dv-explorer-table tbody tr')]
    .map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))"""

#: The own-data control shows a chart (static image, or drawn live) whose title has ``title``.
CHART_TITLED = f"""title => {{
    const box = document.querySelector('{OWN} .dv-explorer');
    if (!box) {{ return false; }}
    const shown = e => e.getBoundingClientRect().width > 200;
    const live = [...box.querySelectorAll('.jp-RenderedVegaCommon5 svg')].filter(shown);
    const imgs = [...box.querySelectorAll('.devvolume-chart img')].filter(shown);
    return live.some(s => s.textContent.includes(title))
        || imgs.some(i => (i.alt || '').includes(title));
}}"""


def expected_new(team: str) -> list[str]:
    """The 新客户 column for ``team``: its slice of the file's company-wide result."""
    valid = dv.check_worklog(pd.read_csv(io.StringIO(CSV), dtype=str)).valid
    table = dv.teach.counting_comparison(valid, level="contacted", period="M", team=team)
    recount = dv.development_volume(valid[valid["team"] == team], level="contacted")
    assert recount["volume"].sum() != table["new"].sum()  # the data tell a slice from a recount
    return [str(v) for v in table["new"]]


def test_own_file_by_relative_path_then_a_team(lab_page: LabPage) -> None:
    root = lab_page.lab.root
    (root / "notebooks").mkdir(exist_ok=True)
    shutil.copy(LESSON, root / "notebooks" / LESSON.name)
    (root / FOLDER).mkdir(exist_ok=True)
    (root / FOLDER / FILE).write_text(CSV, encoding="utf-8")
    page = lab_page.page
    lab_page.open(f"notebooks/{LESSON.name}", workspace="own-data")
    assert lab_page.run_all() == "done"
    assert lab_page.error_outputs() == []

    control = page.locator(OWN)
    control.wait_for(timeout=60_000)
    control.scroll_into_view_if_needed()
    path_box = control.locator(".dv-worklog-path input")
    result = control.locator(".dv-worklog-result")

    # a wrong relative path: the error names the absolute path tried, under JupyterLab's folder
    path_box.fill(f"{FOLDER}/四月工作日志.csv")
    control.locator(".dv-worklog-load").click()
    result.filter(has_text="找不到文件").wait_for(timeout=60_000)
    assert str(root.resolve() / FOLDER / "四月工作日志.csv") in result.inner_text()

    # the right one, as JupyterLab's Copy Path gives it: one bad row listed, the rest offered
    path_box.fill(f"{FOLDER}/{FILE}")
    control.locator(".dv-worklog-load").click()
    result.filter(has_text="1 行数据有问题").wait_for(timeout=60_000)
    assert "2026-04-31" in result.inner_text()
    lab_page.screenshot("lab_own_data_problems")
    use_valid = control.locator(".dv-worklog-use-valid")
    assert "11" in use_valid.inner_text()
    use_valid.click()
    result.filter(has_text="没有算进来").wait_for(timeout=60_000)
    # the red message that offered the button went with it; the bad row stays listed
    assert "1 行数据有问题" not in result.inner_text()
    assert "点下面的按钮" not in result.inner_text()
    assert "2026-04-31" in result.inner_text()

    # the lesson's counting control on the file: the whole file first, then team A
    team = control.locator(".dv-control-team select")
    team.wait_for(timeout=60_000)
    assert team.locator("option").all_inner_texts() == ["全部团队", "A", "B"]
    page.wait_for_function(CHART_TITLED, arg="全部团队：三种数法的对比", timeout=60_000)
    team.select_option(label=TEAM)
    new = expected_new(TEAM)
    page.wait_for_function(f"""expected => {{
        const rows = ({TABLE_ROWS})();
        return rows.length === expected.length
            && rows.every((row, i) => row[row.length - 1] === expected[i]);
    }}""", arg=new, timeout=60_000)
    page.wait_for_function(CHART_TITLED, arg=f"{TEAM}：三种数法的对比（首次接触）", timeout=60_000)
    control.locator(".dv-explorer").scroll_into_view_if_needed()
    lab_page.screenshot("lab_own_data_team")

    assert lab_page.error_outputs() == []
    assert lab_page.watched.blocked == [], lab_page.watched.blocked
