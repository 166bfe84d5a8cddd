"""A team's personalised lesson, opened from disk in a real browser with the network cut off.

``devvolume course`` (the command, end to end) runs lesson 01 on a small own work log with two
teams and a bad row (``--skip-invalid``). One team's page is opened in Debian's Chromium: every
request but the page itself is aborted and counted, and the count must be zero. The page must
name the team and the manager's own file, say that a row was left out, and draw its charts.
Screenshot: ``build/e2e/course_lesson01.png``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import BlockedPage

TEAM = "华东一组"
#: A small own log: two teams, a customer both worked on, and an empty 客户 on row 7.
LOG = """日期,销售员,团队,客户,阶段,渠道
2026-03-02,王磊,华东一组,恒达贸易,首次接触,转介绍
2026-03-04,李娜,华东一组,万通物流,首次接触,陌拜
2026-03-09,孙强,华南一组,恒达贸易,成交,转介绍
2026-03-16,孙强,华南一组,华联超市,首次接触,线上
2026-04-01,李娜,华东一组,万通物流,意向,陌拜
2026-04-02,王磊,华东一组,,首次接触,线上
2026-04-13,王磊,华东一组,金桥科技,首次接触,线上
2026-04-20,李娜,华东一组,万通物流,成交,陌拜
2026-05-06,孙强,华南一组,华联超市,流失,线上
2026-05-11,王磊,华东一组,宏远医疗,首次接触,转介绍
"""

@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The course folder, made by the command as an instructor would run it."""
    base = tmp_path_factory.mktemp("course")
    (base / "worklog.csv").write_text(LOG, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "devvolume", "course", "worklog.csv", "--by", "team",
                           "--out", "out", "--lessons", "01", "--skip-invalid", "--no-progress"],
                          cwd=base, capture_output=True, text=True, encoding="utf-8", check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "打开 / open: file://" in done.stdout
    return base / "out"


def test_a_personalised_lesson_opens_offline(course: Path, blocked_page: BlockedPage) -> None:
    from conftest import charts_loaded

    lesson = course / f"team_{TEAM}" / "01_what_counts.html"
    assert lesson.is_file(), sorted(p.name for p in course.iterdir())
    page = blocked_page.page
    blocked_page.goto(lesson.as_uri(), wait_until="load")
    page.wait_for_function(charts_loaded(), arg=1)

    banner = page.locator(".dv-lesson-note-own").first
    assert "这一课用的是你们自己的工作日志表：worklog.csv" in banner.inner_text()
    assert f"这一课看的范围：{TEAM}" in banner.inner_text()
    assert "其中 1 行有问题，没有算进来" in banner.inner_text()
    assert page.locator("h1").first.inner_text().startswith("第一课")
    assert f"这一课已经为 {TEAM} 运行好了" in page.locator("blockquote").first.inner_text()
    images = page.eval_on_selector_all(
        ".devvolume-chart img", "imgs => imgs.map(i => ({alt: i.alt, w: i.naturalWidth}))")
    assert any(image["alt"].startswith(TEAM) and image["w"] > 200 for image in images), images
    assert page.get_by_text("网页里用不了").count() >= 1  # where a control would be

    blocked_page.screenshot("course_lesson01")
    assert blocked_page.blocked == [], blocked_page.blocked
    assert blocked_page.requests == [lesson.as_uri()], blocked_page.requests
    assert blocked_page.console_errors == []

    index = course / "index.html"
    blocked_page.goto(index.as_uri(), wait_until="load")
    assert page.get_by_role("link", name="打开").count() == 2  # one lesson for each of two teams
    assert blocked_page.blocked == [], blocked_page.blocked
