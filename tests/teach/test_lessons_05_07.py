"""Lessons 05–07: annotated parameters an instructor can set, the sections every lesson has, and
teams as slices of company results."""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = {
    "05_strategies": "dv.teach.StrategySimulator(",
    "06_team_management": "dv.teach.IncentivePlanner(",
    "07_cases": "dv.teach.ChangeChecker(",
}
#: Cutting a log to one team before counting: the recount the core's slices replace.
TEAM_CUT = re.compile(r"(log|worklog)\[[^\]]*\[\"team\"\]\s*==|select_team")


@pytest.mark.parametrize("name", LESSONS)
def test_parameters_are_typed_and_explained(name: str) -> None:
    parameters = pm.inspect_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"))
    assert {"dataset", "team", "period"} <= set(parameters)
    for key, parameter in parameters.items():
        assert parameter["inferred_type_name"] in {"str", "int"}, key  # as lessons 01–04
        assert parameter["help"], key
    assert parameters["dataset"]["default"] == '"directsales"'


@pytest.mark.parametrize(("name", "widget"), LESSONS.items())
def test_each_lesson_has_the_required_sections(name: str, widget: str) -> None:
    source = (ROOT / "notebooks" / "source" / f"{name}.py").read_text(encoding="utf-8")
    for heading in ("学完这一课，你能够", "用你自己的数据", "小结"):
        assert heading in source, heading
    assert "dv.viz.setup()" in source
    assert "dv.teach.own_worklog(" in source
    assert widget in source


@pytest.mark.parametrize("name", LESSONS)
def test_teams_are_slices_of_company_results(name: str) -> None:
    cells = jupytext.read(ROOT / "notebooks" / "source" / f"{name}.py").cells
    code = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
    assert TEAM_CUT.findall(code) == [], name
    assert 'groupby("customer")["date"].min()' not in code
    assert "to_period(" not in code


def test_partial_periods_say_which_comparison() -> None:
    sources = {name: (ROOT / "notebooks" / "source" / f"{name}.py").read_text(encoding="utf-8")
               for name in LESSONS}
    # lesson 07's own-data control compares a month the data stop inside day for day
    # (dv.teach.month_over_month through dv.like_for_like) and says so in its headline
    assert 'dv.teach.own_worklog("change")' in sources["07_cases"]
    assert "同样的前几天" in sources["07_cases"]
    # lesson 06's meeting reviews the last complete week; a running week is never compared whole
    assert "dv.report.meeting_weeks(" in sources["06_team_management"]
    assert "不和整周比" in sources["06_team_management"]


def test_lesson_07_closes_the_course() -> None:
    source = (ROOT / "notebooks" / "source" / "07_cases.py").read_text(encoding="utf-8")
    assert "总结与展望" in source
    assert "compare_periods" in source
