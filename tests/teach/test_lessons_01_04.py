"""Lessons 01–04: annotated parameters an instructor can set, the sections every lesson has, and
the public API used the way the core means it (a team is a slice, never a log cut to one team)."""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ["01_what_counts", "02_calculation", "03_evaluation", "04_factors"]


@pytest.mark.parametrize("name", LESSONS)
def test_parameters_are_typed_and_explained(name: str) -> None:
    parameters = pm.inspect_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"))
    assert {"dataset", "team", "period"} <= set(parameters)
    for key, parameter in parameters.items():
        assert parameter["inferred_type_name"] in {"str", "int"}, key
        assert parameter["help"], key
    assert parameters["dataset"]["default"] == '"directsales"'
    assert parameters["team"]["default"] == '""'


@pytest.mark.parametrize("name", LESSONS)
def test_each_lesson_has_the_required_sections(name: str) -> None:
    source = (ROOT / "notebooks" / "source" / f"{name}.py").read_text(encoding="utf-8")
    for heading in ("学完这一课，你能够", "用你自己的数据", "小结"):
        assert heading in source, heading
    assert "dv.viz.setup()" in source
    assert "dv.teach.own_worklog(" in source
    assert "_explorer(" in source


#: Cutting a log to one team before counting: the recount the core's slices replace.
TEAM_CUT = re.compile(r"(log|worklog)\[[^\]]*\[\"team\"\]\s*==|select_team")


@pytest.mark.parametrize("name", LESSONS)
def test_teams_are_slices_of_company_results(name: str) -> None:
    cells = jupytext.read(ROOT / "notebooks" / "source" / f"{name}.py").cells
    code = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
    assert TEAM_CUT.findall(code) == [], name
    assert "team=team" in code


def test_lesson_01_shows_the_core_in_plain_pandas() -> None:
    cells = jupytext.read(ROOT / "notebooks" / "source" / "01_what_counts.py").cells
    code = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
    assert 'groupby("customer")["date"].min()' in code
    assert "dv.development_volume(toy" in code
    assert "assert " in code
    assert "一致" in code
