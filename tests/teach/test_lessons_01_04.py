"""Lessons 01–04: each notebook declares annotated parameters an instructor can set."""

from __future__ import annotations

from pathlib import Path

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
    assert "display.setup()" in source
    assert "worklog_picker()" in source
    assert "_explorer(" in source
