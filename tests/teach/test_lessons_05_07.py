"""Lessons 05–07: annotated parameters an instructor can set, and the sections every lesson has."""

from __future__ import annotations

from pathlib import Path

import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = {
    "05_strategies": "whatif.StrategySimulator(",
    "06_team_management": "whatif.IncentivePlanner(",
    "07_cases": "change.ChangeChecker(",
}


@pytest.mark.parametrize("name", LESSONS)
def test_parameters_are_typed_and_explained(name: str) -> None:
    parameters = pm.inspect_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"))
    assert {"dataset", "team", "period"} <= set(parameters)
    for key, parameter in parameters.items():
        assert parameter["inferred_type_name"] == "str", key
        assert parameter["help"], key
    assert parameters["dataset"]["default"] == '"directsales"'


@pytest.mark.parametrize(("name", "widget"), LESSONS.items())
def test_each_lesson_has_the_required_sections(name: str, widget: str) -> None:
    source = (ROOT / "notebooks" / "source" / f"{name}.py").read_text(encoding="utf-8")
    for heading in ("学完这一课，你能够", "用你自己的数据", "小结"):
        assert heading in source, heading
    assert "display.setup()" in source
    assert "worklog_picker()" in source
    assert widget in source


def test_lesson_07_closes_the_course() -> None:
    source = (ROOT / "notebooks" / "source" / "07_cases.py").read_text(encoding="utf-8")
    assert "总结与展望" in source
    assert "compare_periods" in source
