"""The class's progress in a real browser: a learner signs in and answers, the class page shows it.

``test_learner_signs_in_and_is_recorded``: the learner copy of exercise 01 is opened in the
session's JupyterLab (loopback only; every other request is aborted and counted). The first
cell shows the name box; the learner types a name and presses Enter, gives the classic wrong
answer to q1 (a row count) and checks it. The workspace's ``.devvolume/progress.jsonl`` then
holds that line under that name, and ``devvolume class`` on the folder counts it. Screenshot:
``build/e2e/lab_sign_in.png``.

``test_class_page_opens_offline``: a small class is written as an instructor would collect it (a
folder per learner, one zip, one corrupt file, a learner whose name is HTML), ``devvolume class``
writes the page, and Chromium opens it with every request but the page itself aborted and
counted. Screenshot: ``build/e2e/class_page.png``.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from devvolume.cli import main
from devvolume.teach.exercises import lesson01

if TYPE_CHECKING:
    from conftest import BlockedPage, LabPage

EXERCISE = Path(__file__).resolve().parents[2] / "exercises" / "01_what_counts.ipynb"

EVIL = '<img src=x onerror="document.title=1">'


def rec(learner: str, lesson: str, question: str, outcome: str, minute: int,
        mistake: str | None = None) -> str:  # fmt: skip
    time = f"2026-05-06T{10 + minute // 60:02d}:{minute % 60:02d}:00+08:00"
    return json.dumps({"learner": learner, "lesson": lesson, "question": question,
                       "outcome": outcome, "mistake": mistake, "time": time},
                      ensure_ascii=False) + "\n"  # fmt: skip


def collect(root: Path) -> None:
    """Eight learners on lessons 01 and 03, as folders, a zip and a corrupt file."""
    wrong = {"01": ("q1", "row_count"), "03": ("q1", "period_not_cohort")}
    names = ["张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", EVIL]
    for number, name in enumerate(names):
        lines = []
        for lesson, (question, mistake) in wrong.items():
            for attempt in range(number % 4):
                lines.append(rec(name, lesson, question, "incorrect", attempt, mistake))
            if number % 3:
                lines.append(rec(name, lesson, question, "hint", 5))
            if number % 4 != 3:
                lines.append(rec(name, lesson, question, "correct", 9))
            lines.append(rec(name, lesson, "q2", "correct" if number % 2 else "incorrect", 12,
                             None if number % 2 else "mean_of_rates"))
        folder = root / f"learner{number}" / ".devvolume"
        folder.mkdir(parents=True)
        (folder / "progress.jsonl").write_text("".join(lines), encoding="utf-8")
    with zipfile.ZipFile(root / "郑十.zip", "w") as archive:
        archive.writestr("exercises/.devvolume/progress.jsonl",
                         rec("郑十", "01", "q1", "correct", 3) + rec("郑十", "01", "q2", "hint", 4))
    corrupt = root / "learner2" / ".devvolume" / "progress.jsonl"
    corrupt.write_text(corrupt.read_text(encoding="utf-8") + '{"learner": "王五", "les',
                       encoding="utf-8")


def test_class_page_opens_offline(tmp_path: Path, blocked_page: BlockedPage) -> None:
    collect(tmp_path / "class")
    assert main(["class", str(tmp_path / "class"), "--out", str(tmp_path / "out")]) == 0
    page_file = tmp_path / "out" / "class_progress.html"

    blocked_page.goto(page_file.as_uri())
    page = blocked_page.page
    page.wait_for_load_state("load")
    assert page.title() == "班级练习进度 · class"            # the name's markup did not run
    assert page.locator("h1").inner_text().startswith("班级练习进度")
    plan = page.locator("ol.plan li")
    assert plan.count() >= 2
    assert "数了行数，不是客户数" in plan.all_inner_texts()[1]
    body = page.locator("body").inner_text()
    assert EVIL in body                                    # shown as text, never as markup
    assert page.locator("img").count() == 0
    assert page.locator("tr.stuck").count() >= 1
    assert "learner2/.devvolume/progress.jsonl" in body  # the corrupt line is listed
    assert "郑十" in body                                  # read from the zip
    blocked_page.screenshot("class_page")

    assert blocked_page.blocked == []
    assert blocked_page.requests == [page_file.as_uri()]
    assert blocked_page.console_errors == []


def cell_index(source_start: str) -> int:
    """Index of the first cell of the exercise whose source starts with ``source_start``."""
    notebook = json.loads(EXERCISE.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        if "".join(cell["source"]).startswith(source_start):
            return index
    msg = f"no cell starting with {source_start!r} in {EXERCISE}"
    raise LookupError(msg)


def test_learner_signs_in_and_is_recorded(lab_page: LabPage, tmp_path: Path) -> None:
    workspace = lab_page.lab.root / "class" / "learner1"
    workspace.mkdir(parents=True)
    shutil.copy(EXERCISE, workspace / EXERCISE.name)
    setup, answer, check = (cell_index("import devvolume as dv"),
                            cell_index(f"{lesson01.q1.variable} = "), cell_index("q1.check()"))
    # the first of the row-count answers: the 首次接触 rows (the second is every row)
    mistake = next(m for m in lesson01.q1.mistakes if m.name == "row_count")
    wrong = int(mistake.answer())

    page = lab_page.page
    lab_page.open(f"class/learner1/{EXERCISE.name}", workspace="sign-in")
    cells = page.locator(".jp-Notebook .jp-Cell")

    def run(index: int) -> None:
        cells.nth(index).locator(".jp-InputPrompt").click()
        page.keyboard.press("Shift+Enter")

    run(setup)
    name_box = cells.nth(setup).locator(".widget-text input")
    name_box.wait_for(timeout=120_000)
    lab_page.wait_idle()
    name_box.fill("王小明")
    name_box.press("Enter")
    cells.nth(setup).get_by_text("「王小明」").wait_for(timeout=60_000)
    lab_page.screenshot("lab_sign_in")

    editor = cells.nth(answer).locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(f"{lesson01.q1.variable} = {wrong}")
    page.keyboard.press("Shift+Enter")       # runs the answer, then selects q1.check()
    page.keyboard.press("Shift+Enter")
    cells.nth(check).locator(".jp-OutputArea-output").filter(has_text="还不对").wait_for(
        timeout=60_000)
    lab_page.wait_idle()

    (line,) = (workspace / ".devvolume" / "progress.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert {k: v for k, v in record.items() if k != "time"} == {
        "learner": "王小明", "lesson": "01", "question": "q1", "outcome": "incorrect",
        "mistake": "row_count", "answer": str(wrong)}
    settings = json.loads((workspace / ".devvolume" / "settings.json").read_text(encoding="utf-8"))
    assert settings == {"learner": "王小明"}

    assert main(["class", str(lab_page.lab.root / "class"), "--out", str(tmp_path / "out")]) == 0
    mistakes = (tmp_path / "out" / "mistakes.csv").read_text(encoding="utf-8-sig")
    assert "01,q1,row_count,1,1" in mistakes
    assert lab_page.error_outputs() == []
    assert lab_page.watched.blocked == [], lab_page.watched.blocked
