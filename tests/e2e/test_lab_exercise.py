"""Exercise 06 in JupyterLab, answered through the browser as a participant would.

A copy of the learner copy ``exercises/06_team_management.ipynb`` is opened in the session's JupyterLab (loopback,
token; every other request is aborted and counted, and the count must be zero). The setup cell
is run, then the answer cell of question 1 is edited in the page (click, select all, type): first
the classic wrong answer, a row count, and ``q1.check()`` must name that mistake; then the right
answer, and it must say "正确！". Both answers come from :mod:`devvolume.teach.exercises.lesson06`
in the test process, so the test follows the case data. Screenshots:
``build/e2e/lab_exercise06_*.png``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from devvolume.teach.exercises import lesson06

if TYPE_CHECKING:
    from conftest import LabPage

EXERCISE = Path(__file__).resolve().parents[2] / "exercises" / "06_team_management.ipynb"


def cell_index(source_start: str, *, tag: str | None = None) -> int:
    """Index of the first cell whose source starts with ``source_start`` (and has ``tag``)."""
    notebook = json.loads(EXERCISE.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        source = "".join(cell["source"])
        if source.startswith(source_start) and (
                tag is None or tag in cell.get("metadata", {}).get("tags", [])):
            return index
    msg = f"no cell starting with {source_start!r} in {EXERCISE}"
    raise LookupError(msg)


def row_count_answer() -> int:
    """What a learner who counts 首次接触 rows instead of new customers gives for q1."""
    # the first of the row-count answers: the 首次接触 rows (the second is every row)
    mistake = next(m for m in lesson06.q1.mistakes if m.name == "row_count")
    return int(mistake.answer())


def test_exercise06_diagnoses_a_row_count_then_accepts_the_answer(lab_page: LabPage) -> None:
    shutil.copy(EXERCISE, lab_page.lab.root / EXERCISE.name)
    variable = lesson06.q1.variable
    setup = cell_index("# 答题时要用到的模块")
    answer = cell_index(f"{variable} = ", tag="answer")
    check = cell_index("q1.check()")
    wrong, right = row_count_answer(), int(lesson06.q1.expected())
    assert wrong != right
    diagnosis = next(m.message for m in lesson06.q1.mistakes if m.name == "row_count")

    page = lab_page.page
    lab_page.open(EXERCISE.name, workspace="exercise06")
    cells = page.locator(".jp-Notebook .jp-Cell")
    check_output = cells.nth(check).locator(".jp-OutputArea-output")

    def run(index: int) -> None:
        """Select cell ``index`` (command mode) and run it with Shift+Enter."""
        cells.nth(index).locator(".jp-InputPrompt").click()
        page.keyboard.press("Shift+Enter")

    def type_answer(value: object) -> None:
        """Replace the answer cell's source by typing into its editor."""
        editor = cells.nth(answer).locator(".cm-content")
        editor.click()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(f"{variable} = {value!r}")
        assert editor.inner_text() == f"{variable} = {value!r}"

    # the setup cell loads the case data; the answer cell still holds the blank
    run(setup)
    cells.nth(setup).locator(".jp-OutputArea-output").first.wait_for(timeout=120_000)
    lab_page.wait_idle()
    run(check)
    check_output.filter(has_text="还没有作答").wait_for(timeout=60_000)

    # the classic mistake: a row count of 首次接触 rows
    type_answer(wrong)
    page.keyboard.press("Shift+Enter")  # runs the answer cell, then selects q1.check()
    page.keyboard.press("Shift+Enter")
    check_output.filter(has_text=diagnosis).wait_for(timeout=60_000)
    assert check_output.inner_text().startswith("❌ 还不对")
    assert str(right) not in check_output.inner_text()  # a message never gives the answer away
    cells.nth(answer).scroll_into_view_if_needed()
    lab_page.screenshot("lab_exercise06_wrong_answer")

    # the right answer
    type_answer(right)
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    check_output.filter(has_text="正确！").wait_for(timeout=60_000)
    assert check_output.inner_text().startswith("✅ 正确！")
    lab_page.wait_idle()
    cells.nth(answer).scroll_into_view_if_needed()
    lab_page.screenshot("lab_exercise06_right_answer")

    assert lab_page.error_outputs() == []
    assert lab_page.watched.blocked == [], lab_page.watched.blocked
