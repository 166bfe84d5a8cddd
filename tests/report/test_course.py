"""``devvolume course``: every lesson run for every team of an own work log, and its folder.

One batch runs all seven lessons for the two teams of a small own log with a bad row
(``skip_invalid``), as an instructor would: each lesson must run on an own log, say whose data it
is, skip or adapt what needs a case's data, and show the team's figures as slices of the whole
file. A folder of two tiny lessons (one of which fails) checks that a failure is isolated and the
rules of a rerun, and the folder rules are checked without running anything.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import nbformat
import pandas as pd
import pytest
from course_helpers import BAD_ROW, SHARED, TEAMS, course_log

from devvolume.inputs import WorklogError
from devvolume.report import CourseBatch, build_course
from devvolume.report._course import COURSE_MARKER, lesson_notebooks

LESSONS = sorted(lesson_notebooks())
#: What each lesson says on an own log where it quotes the case or skips a case-only part.
OWN_DATA_TEXT = {
    "01_what_counts": "“一整年、两万多行”说的是案例公司",
    "02_calculation": "课文里的刘洋是案例公司的新人",
    "03_evaluation": "要用成交客户以后的订单表：每下一次单记一行",
    "04_factors": "案例数据的销售员名单里有培训日期",
    "05_strategies": "用的是课程自带的一家直销公司的模型",
    "06_team_management": "3.1 达成率和 3.2 激励方案都要用每人每月的新客户目标",
    "07_cases": "第 1、2 节是课程大纲里的两个案例",
}


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return course_log(tmp_path_factory.mktemp("log") / "course.csv")


@pytest.fixture(scope="module")
def course(log: Path, tmp_path_factory: pytest.TempPathFactory) -> CourseBatch:
    """Every lesson for both teams, two at a time."""
    out = tmp_path_factory.mktemp("course") / "out"
    batch = build_course(log, out=out, by="team", jobs=2, skip_invalid=True, progress=False)
    assert batch.ok, [(r.team, r.lesson, r.error) for r in batch.failed]
    return batch


def valid_rows(log: Path) -> pd.DataFrame:
    frame = pd.read_csv(log, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame[frame["客户"] != ""]


def new_won_by_team(log: Path) -> dict[str, int]:
    """Oracle: a customer's first 成交 row credits its team (the log has no ties)."""
    rows = valid_rows(log)
    won = rows[rows["阶段"] == "成交"].sort_values("日期", kind="stable").groupby("客户").first()
    return {team: int((won["团队"] == team).sum()) for team in TEAMS}


def page(course: CourseBatch, team: str, lesson: str) -> str:
    result = next(r for r in course.results if r.team == team and r.lesson == lesson)
    assert result.html is not None
    return result.html.read_text(encoding="utf-8")


def test_every_team_gets_a_folder_of_executed_lessons_and_pages(course: CourseBatch,
                                                                log: Path) -> None:  # fmt: skip
    assert {(r.team, r.lesson) for r in course.results} == {
        (team, lesson) for team in TEAMS for lesson in LESSONS}
    folders = {r.html.parent for r in course.results if r.html is not None}
    assert len(folders) == len(TEAMS)
    for folder in folders:
        assert folder.parent == course.out
        assert folder.name.startswith("team_")
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            f"{lesson}.{suffix}" for lesson in LESSONS for suffix in ("html", "ipynb"))
    for result in course.results:
        assert result.ipynb is not None
        notebook = nbformat.read(result.ipynb, as_version=4)
        assert notebook.metadata.papermill.parameters == {"dataset": str(log.resolve()),
                                                          "team": result.team}  # fmt: skip
        assert notebook.cells[0].source.startswith(f"> **这一课已经为 {result.team} 运行好了**")
        outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
        assert outputs, result.lesson
        assert [o for o in outputs if o.output_type == "error"] == []
    assert course.skipped_rows == 1
    assert course.problems is not None
    assert course.problems.is_file()
    assert f">{BAD_ROW}<" in course.problems.read_text(encoding="utf-8")


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_runs_on_an_own_log_and_says_so(course: CourseBatch, lesson: str) -> None:
    for team in TEAMS:
        text = page(course, team, lesson)
        assert "这一课用的是你们自己的工作日志表：course.csv" in text
        assert f"这一课看的范围：{html.escape(team)}" in text
        assert "其中 1 行有问题，没有算进来" in text
        assert f"第 {BAD_ROW} 行" in text
        assert html.escape(OWN_DATA_TEXT[lesson]) in text, lesson
        assert "案例：directsales" not in text
        assert "<svg" in text or 'class="devvolume-chart"' in text, "a chart"
        # a control cannot work in a page: the page says where to use it
        assert "网页里用不了：用 JupyterLab 打开同一文件夹里的" in text
        assert "Traceback" not in text
        # the first cell says whose data the lesson ran on, not that its outputs are the case's
        assert f"这一课已经为 {html.escape(team)} 运行好了" in text
        assert "你们自己的工作日志表 course.csv" in text
        assert "先运行，再阅读" not in text


def test_team_figures_are_slices_of_the_whole_file(course: CourseBatch, log: Path) -> None:
    expected = new_won_by_team(log)
    rows = len(valid_rows(log))
    for team, won in expected.items():
        assert f"全公司共 {rows} 行活动记录" in page(course, team, "01_what_counts")
        text = page(course, team, "02_calculation")
        assert f"{html.escape(team)}：按销售员加总 {won}，直接数 {won}，按季度加总 {won}" in text
        assert f"各团队加起来：{sum(expected.values())}，直接数全公司：{sum(expected.values())}" in text
    # the shared customer counts once: for the team that won it, not for the one that contacted it
    assert sum(expected.values()) == valid_rows(log).query("阶段 == '成交'")["客户"].nunique()
    assert SHARED in set(valid_rows(log)["客户"])


def test_the_index_links_every_lesson_and_escapes_names(course: CourseBatch) -> None:
    index = course.index.read_text(encoding="utf-8")
    for team in TEAMS:
        assert f"<td>{html.escape(team)}</td>" in index
    assert "<B&C>" not in index
    for result in course.results:
        assert result.html is not None
        link = result.html.relative_to(course.out).as_posix()
        assert f'href="{html.escape(quote(link))}"' in index
    assert "第一课" in index
    assert "第七课" in index
    assert "problems.html" in index
    manifest = json.loads((course.out / ".devvolume-manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["reports"]) == len(TEAMS) * len(LESSONS)


# --- failures and reruns, with two tiny lessons ---------------------------------------------


def tiny_lessons(folder: Path) -> Path:
    """``01_ok`` prints its team; ``02_boom`` fails for every team."""
    folder.mkdir()
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
              "language_info": {"name": "python"}}  # fmt: skip
    for name, code in (("01_ok", 'print(f"团队：{team}")'),
                       ("02_boom", 'raise ValueError(f"坏了：{team}")')):  # fmt: skip
        parameters = nbformat.v4.new_code_cell('dataset: str = ""\nteam: str = ""')
        parameters.metadata["tags"] = ["parameters"]
        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_markdown_cell(f"# 第{name[1]}课 {name}"), parameters,
                   nbformat.v4.new_code_cell(code)], metadata=kernel)  # fmt: skip
        nbformat.write(notebook, folder / f"{name}.ipynb")
    return folder


def test_a_failing_lesson_is_isolated_and_a_rerun_keeps_what_has_not_changed(
        log: Path, tmp_path: Path) -> None:  # fmt: skip
    lessons = tiny_lessons(tmp_path / "lessons")
    out = tmp_path / "out"
    first = build_course(log, out=out, skip_invalid=True, notebooks=lessons, progress=False)
    assert not first.ok
    assert sorted((r.lesson, r.ok) for r in first.results) == [
        ("01_ok", True), ("01_ok", True), ("02_boom", False), ("02_boom", False)]
    for result in first.failed:
        assert result.error.startswith("ValueError: 坏了：")
        assert result.html is None
        assert result.ipynb is None
    for result in first.results:
        if result.ok:
            assert result.html is not None
            assert result.ipynb is not None
            assert f"团队：{html.escape(result.team)}" in result.html.read_text(encoding="utf-8")
    index = first.index.read_text(encoding="utf-8")
    assert "失败" in index
    assert html.escape("ValueError: 坏了：合作组 <B&C>/二") in index

    # the same lesson again: nothing has changed, nothing runs; the failures stay listed
    again = build_course(log, out=out, skip_invalid=True, notebooks=lessons, lessons=["1"],
                         progress=False)  # fmt: skip
    assert [r.unchanged for r in again.results] == [True, True]
    index = again.index.read_text(encoding="utf-8")
    assert "02_boom" in index
    assert "坏了" in index

    # force remakes them
    forced = build_course(log, out=out, skip_invalid=True, notebooks=lessons, lessons=["01_ok"],
                          force=True, progress=False)  # fmt: skip
    assert [(r.ok, r.unchanged) for r in forced.results] == [(True, False), (True, False)]


def test_bad_rows_are_refused_without_skip_invalid(log: Path, tmp_path: Path) -> None:
    with pytest.raises(WorklogError) as error:
        build_course(log, out=tmp_path / "out", progress=False)
    assert f"第 {BAD_ROW} 行" in str(error.value) or f"row {BAD_ROW}" in str(error.value)
    assert "--skip-invalid" in str(error.value)
    assert "生成课程" in str(error.value)
    assert not (tmp_path / "out").exists()


def test_folders_devvolume_course_did_not_make_are_refused(log: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="devvolume course"):
        build_course(log, out=foreign, skip_invalid=True, progress=False)
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / ".devvolume-reports").write_text("", encoding="utf-8")
    (reports / "index.html").write_text("", encoding="utf-8")
    with pytest.raises(FileExistsError):
        build_course(log, out=reports, skip_invalid=True, progress=False)
    assert not (foreign / COURSE_MARKER).exists()
    assert not (reports / COURSE_MARKER).exists()


def test_unknown_lessons_and_groups_are_refused(log: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="01_what_counts"):
        build_course(log, out=tmp_path / "a", lessons=["09"], skip_invalid=True)
    with pytest.raises(ValueError, match="--by team"):
        build_course(log, out=tmp_path / "b", by="rep", skip_invalid=True)
    assert not (tmp_path / "a").exists()
    assert not (tmp_path / "b").exists()


def test_the_command_refuses_bad_rows_with_the_hint(log: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "devvolume", "course", str(log), "--by", "team",
                           "--out", str(tmp_path / "out"), "--lessons", "01"],
                          capture_output=True, text=True, encoding="utf-8", check=False)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "--skip-invalid" in done.stderr
    assert str(BAD_ROW) in done.stderr
