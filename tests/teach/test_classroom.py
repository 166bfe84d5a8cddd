"""The class page: a class of synthetic learners, collected every way, with a corrupt file.

The class (counted by hand below) is collected as an instructor would find it: a folder per
learner, a second copy of one folder (a learner handed in twice), a zip for one learner's other
lesson, a loose file whose records carry no name, a corrupt file and a broken zip.

====  ======================================================================================
who   records (minutes after 10:00, +08:00)
====  ======================================================================================
张三  01 q1: 0 wrong row_count, 2 wrong row_count, 4 hint, 6 right; 01 q2: 8 right
      (zip, name spelled "张三 "): 03 q1: 60/65 wrong period_not_cohort, 70 wrong
      (undiagnosed), 75 solution -> stuck on 03 q1; a 52-minute pause: 8 + 15 = 23 minutes
李四  01 q1: 0 wrong active_not_new, 1 right; 01 q2: 3/5/7 wrong row_count, 9 hint -> stuck;
      03 q1: 11 wrong period_not_cohort, 13 right; 13 minutes
王五  (loose file, no names) 01 q1: 0 right; 01 q2: 2 solution, 3 right; 03 q1: 5 hint
赵六  (corrupt file) 01 q1: 0 wrong row_count, 9 right; six bad lines, one blank line
====  ======================================================================================
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from devvolume.cli import main
from devvolume.inputs._excel_csv import csv_text
from devvolume.teach import _progress
from devvolume.teach._class_records import ReadProblem, learner_key, read_progress
from devvolume.teach._classroom import (
    CSV_FILES,
    MARKER,
    PAGE_FILE,
    build_class_report,
    class_tables,
    time_spent,
)
from devvolume.teach.exercises import lesson01, lesson02, lesson03, lesson04, lesson05, lesson06
from devvolume.teach.exercises._misconceptions import (
    GENERIC_CODES,
    LESSONS,
    MISCONCEPTIONS,
    misconception,
)
from devvolume.teach.exercises._question import answer_text

ROOT = Path(__file__).resolve().parents[2]


def at(minute: int) -> str:
    hour, minute = divmod(minute, 60)
    return f"2026-05-06T{10 + hour:02d}:{minute:02d}:00+08:00"


def rec(learner: str | None, lesson: str, question: str, outcome: str, minute: int,
        mistake: str | None = None) -> str:  # fmt: skip
    return json.dumps({"learner": learner, "lesson": lesson, "question": question,
                       "outcome": outcome, "mistake": mistake, "time": at(minute)},
                      ensure_ascii=False) + "\n"  # fmt: skip


ZHANG_01 = (rec("张三", "01", "q1", "incorrect", 0, "row_count")
            + rec("张三", "01", "q1", "incorrect", 2, "row_count")
            + rec("张三", "01", "q1", "hint", 4) + rec("张三", "01", "q1", "correct", 6)
            + rec("张三", "01", "q2", "correct", 8))
ZHANG_03 = (rec("张三 ", "03", "q1", "incorrect", 60, "period_not_cohort")
            + rec("张三 ", "03", "q1", "incorrect", 65, "period_not_cohort")
            + rec("张三 ", "03", "q1", "incorrect", 70) + rec("张三 ", "03", "q1", "solution", 75))
LI = (rec("李四", "01", "q1", "incorrect", 0, "active_not_new") + rec("李四", "01", "q1", "correct", 1)
      + "".join(rec("李四", "01", "q2", "incorrect", m, "row_count") for m in (3, 5, 7))
      + rec("李四", "01", "q2", "hint", 9)
      + rec("李四", "03", "q1", "incorrect", 11, "period_not_cohort")
      + rec("李四", "03", "q1", "correct", 13))
WANG = (rec(None, "01", "q1", "correct", 0) + rec(None, "01", "q2", "solution", 2)
        + rec(None, "01", "q2", "correct", 3) + rec("", "03", "q1", "hint", 5))
ZHAO = (rec("赵六", "01", "q1", "incorrect", 0, "row_count").encode()
        + b"not json at all\n"                                                  # line 2
        + rec("赵六", "01", "q1", "skipped", 1).encode()                         # line 3
        + rec("赵六", "01", "q1", "hint", 2).replace("+08:00", "").encode()      # line 4
        + b"[1, 2]\n"                                                            # line 5
        + b'{"learner": "\xff\xfe"}\n'                                           # line 6
        + b"\n"                                                                  # line 7
        + rec("赵六", "01", "q1", "correct", 9).encode()                         # line 8
        + b'{"learner": "\xe8\xb5\xb5\xe5\x85\xad", "lesson": "01", "qu')       # line 9


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


@pytest.fixture
def collected(tmp_path: Path) -> Path:
    """The class's workspaces as the instructor collected them."""
    root = tmp_path / "第一期"
    write(root / "张三" / ".devvolume" / "progress.jsonl", ZHANG_01)
    write(root / "备份" / "张三" / ".devvolume" / "progress.jsonl", ZHANG_01)   # handed in twice
    with zipfile.ZipFile(root / "张三-lesson03.zip", "w") as archive:
        archive.writestr("03_evaluation/.devvolume/progress.jsonl", ZHANG_03)
        archive.writestr("03_evaluation/03_evaluation.ipynb", "{}")
    write(root / "李四" / ".devvolume" / "progress.jsonl", LI)
    write(root / "王五_progress.jsonl", WANG)
    write(root / "赵六" / ".devvolume" / "progress.jsonl", ZHAO)
    write(root / "broken.zip", b"this is not a zip file")
    write(root / "李四" / "01_what_counts.ipynb", "{}")
    return root


# --- reading ------------------------------------------------------------------------------------

def test_every_file_is_read_and_the_bad_parts_listed(collected: Path) -> None:
    progress = read_progress(collected)
    assert progress.sources == (
        "张三-lesson03.zip!03_evaluation/.devvolume/progress.jsonl",
        "王五_progress.jsonl",
        "备份/张三/.devvolume/progress.jsonl",
        "张三/.devvolume/progress.jsonl",
        "李四/.devvolume/progress.jsonl",
        "赵六/.devvolume/progress.jsonl",
    )
    bad = [(p.source, p.line) for p in progress.problems]
    zhao = "赵六/.devvolume/progress.jsonl"
    assert bad == [("broken.zip", None), *((zhao, line) for line in (2, 3, 4, 5, 6, 9))]
    messages = {p.line: p.problem for p in progress.problems if p.source == zhao}
    assert "不是完整的 JSON" in messages[2]
    assert "skipped" in messages[3]
    assert "ISO 8601" in messages[4]
    assert "JSON 对象" in messages[5]
    assert "UTF-8" in messages[6]
    assert "一半" in messages[9]


def test_learners_are_merged_and_copies_counted_once(collected: Path) -> None:
    progress = read_progress(collected)
    records = progress.records
    assert sorted(records["learner"].unique()) == sorted(["张三", "李四", "王五", "赵六"])
    assert (records["learner"] == "张三").sum() == 5 + 4        # the second copy is not counted
    assert (records["learner"] == "王五").sum() == 4            # named after the loose file
    assert (records["learner"] == "赵六").sum() == 2
    assert progress.learner_files["张三"] == (
        "张三-lesson03.zip!03_evaluation/.devvolume/progress.jsonl",
        "备份/张三/.devvolume/progress.jsonl", "张三/.devvolume/progress.jsonl")
    assert records["time"].is_monotonic_increasing


def test_names_merge_across_widths_case_and_spaces() -> None:
    assert learner_key("Ｚｈang  San") == learner_key(" zhang san ")
    assert learner_key("张三") != learner_key("张 三")


def test_too_many_bad_lines_are_counted_not_listed(tmp_path: Path) -> None:
    write(tmp_path / "a" / "progress.jsonl", "garbage\n" * 50 + rec("甲", "01", "q1", "hint", 0))
    progress = read_progress(tmp_path)
    assert len(progress.records) == 1
    assert len(progress.problems) == 21
    assert progress.problems[-1] == ReadProblem("a/progress.jsonl", None,
                                                "另有 30 行也跳过了 / 30 more lines skipped")


def test_one_file_or_one_zip_can_be_given(collected: Path) -> None:
    single = read_progress(collected / "李四" / ".devvolume" / "progress.jsonl")
    assert set(single.records["learner"]) == {"李四"}
    zipped = read_progress(collected / "张三-lesson03.zip")
    assert set(zipped.records["learner"]) == {"张三"}


def test_a_missing_or_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="找不到文件夹"):
        read_progress(tmp_path / "nowhere")
    (tmp_path / "empty" / "张三").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match=r"没有找到任何 progress\.jsonl"):
        read_progress(tmp_path / "empty")


def test_real_checks_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the exercises write is what the class page reads."""
    workspace = tmp_path / "班级" / "孙八"
    monkeypatch.setenv(_progress.WORKSPACE_ENV, str(workspace))
    monkeypatch.setenv(_progress.LEARNER_ENV, "孙八")
    monkeypatch.setattr(_progress, "_session", _progress._Session())
    q = lesson01.q1
    wrong = next(m for m in q.mistakes if m.name == "row_count").answer()
    q.check(wrong)
    q.hint()
    q.check(q.expected())
    tables = class_tables(read_progress(tmp_path / "班级"))
    row = tables.learners.iloc[0]
    assert (row["learner"], row["attempted"], row["solved"], row["solved_without_hints"],
            row["incorrect"], row["hints"]) == ("孙八", 1, 1, 0, 1, 1)
    assert tables.mistakes.to_dict("records") == [
        {"lesson": "01", "question": "q1", "mistake": "row_count", "learners": 1, "attempts": 1,
         "answers": answer_text(wrong)}]


def test_a_class_that_made_issue_22_mistakes_shows_them_by_name(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                ) -> None:
    """Four learners answer as issue 22's learners did; the page names each mistake and counts
    only right answers as solved (a percent is asked again, neither right nor wrong)."""
    q2, q3 = lesson03.q2, lesson03.q3
    two = {m.name: m.answer() for m in q2.mistakes}
    three = {m.name: m.answer() for m in q3.mistakes}
    answers = {
        "甲": [(q2, two["row_count"]), (q2, q2.expected())],
        "乙": [(q2, two["mean_of_monthly_rates"]), (q2, 100 * q2.expected())],
        "丙": [(q3, three["filtered_first"]), (q3, 0.161)],
        "丁": [(q2, 0.294), (q3, 0.1610)],
    }
    for learner, checks in answers.items():
        monkeypatch.setenv(_progress.WORKSPACE_ENV, str(tmp_path / "班级" / learner))
        monkeypatch.setenv(_progress.LEARNER_ENV, learner)
        monkeypatch.setattr(_progress, "_session", _progress._Session())
        for question, answer in checks:
            question.check(answer)
    report = build_class_report(tmp_path / "班级", out=tmp_path / "out")
    learners = report.tables.learners.set_index("learner")
    assert learners["solved"].to_dict() == {"丁": 0, "丙": 0, "乙": 0, "甲": 1}
    assert learners["format"].to_dict() == {"丁": 0, "丙": 0, "乙": 1, "甲": 0}
    made = {(row.question, row.mistake) for row in report.tables.mistakes.itertuples()}
    assert made == {("q2", "row_count"), ("q2", "mean_of_monthly_rates"), ("q2", "whole_company"),
                    ("q3", "filtered_first"), ("q3", "wrong_group")}
    page = report.page.read_text(encoding="utf-8")
    for code in ("row_count", "mean_of_monthly_rates", "whole_company", "filtered_first",
                 "wrong_group"):
        assert misconception(code).name in page, code
    assert "0.161" in page                  # the answers given are on the page


# --- the tables ---------------------------------------------------------------------------------

def test_the_learner_table(collected: Path) -> None:
    learners = class_tables(read_progress(collected)).learners
    expected = pd.DataFrame({
        "learner": ["张三", "李四", "王五", "赵六"],
        "attempted": [3, 3, 2, 1],
        "solved": [2, 2, 2, 1],
        "solved_without_hints": [1, 2, 1, 1],
        "incorrect": [5, 5, 0, 1],
        "format": [0, 0, 0, 0],
        "hints": [1, 1, 1, 0],
        "solutions": [1, 0, 1, 0],
        "minutes": [23, 13, 5, 9],
        "stuck": [1, 1, 0, 0],
        "stuck_questions": ["03 q1", "01 q2", "", ""],
        "last_activity": [at(75), at(13), at(5), at(9)],
        "files": [3, 1, 1, 1],
    })
    pd.testing.assert_frame_equal(learners, expected)


def test_the_question_table(collected: Path) -> None:
    questions = class_tables(read_progress(collected)).questions
    assert list(zip(questions["lesson"], questions["question"], strict=True)) == [
        ("01", f"q{n}") for n in range(1, 5)] + [("03", f"q{n}") for n in range(1, 5)]
    assert questions["prompt"].iloc[0] == lesson01.q1.prompt
    figures = questions.set_index(["lesson", "question"]).drop(columns="prompt")
    assert figures.loc[("01", "q1")].to_dict() == {
        "learners": 4, "attempts": 8, "solved": 4, "success_rate": 1.0, "first_try": 1,
        "hints": 1, "hint_learners": 1, "solutions": 0, "stuck": 0}
    assert figures.loc[("01", "q2")].to_dict() == {
        "learners": 3, "attempts": 5, "solved": 2, "success_rate": 0.667, "first_try": 2,
        "hints": 1, "hint_learners": 1, "solutions": 1, "stuck": 1}
    assert figures.loc[("03", "q1")].to_dict() == {
        "learners": 3, "attempts": 5, "solved": 1, "success_rate": 0.333, "first_try": 0,
        "hints": 1, "hint_learners": 1, "solutions": 1, "stuck": 1}
    untouched = figures.loc[("01", "q3")]
    assert untouched["learners"] == 0
    assert pd.isna(untouched["success_rate"])


def test_the_mistakes_table(collected: Path) -> None:
    mistakes = class_tables(read_progress(collected)).mistakes
    # records written before answers were kept read as records without an answer
    assert mistakes.to_dict("records") == [
        {"lesson": "01", "question": "q1", "mistake": "row_count", "learners": 2, "attempts": 3,
         "answers": ""},
        {"lesson": "01", "question": "q1", "mistake": "active_not_new", "learners": 1,
         "attempts": 1, "answers": ""},
        {"lesson": "01", "question": "q2", "mistake": "row_count", "learners": 1, "attempts": 3,
         "answers": ""},
        {"lesson": "03", "question": "q1", "mistake": "period_not_cohort", "learners": 2,
         "attempts": 3, "answers": ""},
        {"lesson": "03", "question": "q1", "mistake": "undiagnosed", "learners": 1,
         "attempts": 1, "answers": ""},
    ]


def test_the_misconceptions_and_where_to_reteach_them(collected: Path) -> None:
    table = class_tables(read_progress(collected)).misconceptions
    assert table[["mistake", "learners", "share", "attempts", "questions"]].to_dict("records") == [
        {"mistake": "row_count", "learners": 3, "share": 0.75, "attempts": 6,
         "questions": "01 q1, 01 q2"},
        {"mistake": "period_not_cohort", "learners": 2, "share": 0.5, "attempts": 3,
         "questions": "03 q1"},
        {"mistake": "active_not_new", "learners": 1, "share": 0.25, "attempts": 1,
         "questions": "01 q1"},
    ]
    assert table["name"].iloc[0] == "数了行数，不是客户数"
    assert table["reteach"].iloc[1] == ("第三课 转化率、保留率与流失率（03_evaluation.ipynb）"
                                        " · 2. 转化率：跟踪同一批客户")


def test_the_next_session(collected: Path) -> None:
    plan = class_tables(read_progress(collected)).next_session
    assert len(plan) == 5
    assert plan[0].startswith("复习“数了行数，不是客户数”（row_count）：4 位学员中有 3 位犯过（01 q1, 01 q2）。")
    assert "3. 四条数数规则" in plan[0]
    assert plan[1].startswith("复习“用期间口径代替队列转化率”（period_not_cohort）")
    assert plan[2] == "一起讲解 03 q1：做过的 3 位中只有 1 位做对，1 位看了参考答案。"
    assert plan[3] == "课前先找卡住的学员聊几句：张三（03 q1）、李四（01 q2）。"
    assert plan[4].startswith("还没有人做过：01 q3、01 q4、03 q2、03 q3、03 q4。")


def test_a_class_without_trouble_moves_on(tmp_path: Path) -> None:
    write(tmp_path / "甲" / "progress.jsonl", rec("甲", "04", "q1", "correct", 0)
          + rec("甲", "04", "q2", "correct", 1) + rec("甲", "04", "q3", "correct", 2))
    assert class_tables(read_progress(tmp_path)).next_session == (
        "没有全班共同的难点，也没有卡住的学员：可以按计划进入下一课。",)


def test_a_class_with_only_bad_lines_still_gets_a_page(tmp_path: Path) -> None:
    write(tmp_path / "in" / "甲" / "progress.jsonl", "garbage\n")
    report = build_class_report(tmp_path / "in", out=tmp_path / "out")
    assert report.learners == 0
    assert report.tables.next_session[0].startswith("还没有任何有效的练习记录")
    assert "garbage" not in report.page.read_text(encoding="utf-8")
    assert "甲/progress.jsonl" in report.page.read_text(encoding="utf-8")


def test_time_spent_leaves_out_pauses() -> None:
    times = pd.Series(pd.to_datetime([at(0), at(10), at(41), at(45)], utc=True))
    assert time_spent(times) == 14                 # 10 + 4; the 31-minute pause is a break
    assert time_spent(times.iloc[:1]) == 0


# --- the catalogue of misconceptions ------------------------------------------------------------

def test_every_diagnosis_has_a_name_and_a_lesson_section() -> None:
    codes = {m.name for module in (lesson01, lesson02, lesson03, lesson04, lesson05, lesson06)
             for q in module.QUESTIONS for m in q.mistakes}
    assert codes <= set(MISCONCEPTIONS), codes - set(MISCONCEPTIONS)
    for code in codes:
        entry = misconception(code)
        assert entry.lesson in LESSONS, code
        source = next((ROOT / "notebooks" / "source").glob(f"{entry.lesson}_*.py"))
        headings = [line.lstrip("# ").strip() for line in source.read_text(encoding="utf-8")
                    .splitlines() if line.startswith(("# ## ", "# ### "))]
        assert entry.section in headings, (code, entry.section, source.name)


def test_the_diagnoses_every_question_makes_have_names() -> None:
    # wrong_type, empty_table, ...: given by any question after its own mistakes, no section.
    for code in GENERIC_CODES:
        assert code in MISCONCEPTIONS, code
        assert misconception(code).name != code


def test_lesson_notebooks_exist() -> None:
    for title, notebook in LESSONS.values():
        assert (ROOT / "notebooks" / notebook).is_file(), title


# --- the page, the CSV files and the output folder ----------------------------------------------

def test_the_report_writes_the_page_and_csvs(collected: Path, tmp_path: Path) -> None:
    report = build_class_report(collected, out=tmp_path / "out")
    assert report.learners == 4
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [MARKER, PAGE_FILE, *CSV_FILES.values()])
    mistakes = (tmp_path / "out" / "mistakes.csv").read_bytes().decode("utf-8")
    assert mistakes.startswith("\ufefflesson,question,mistake,learners,attempts,answers\r\n")
    assert "01,q1,row_count,2,3,\r\n" in mistakes
    learners = pd.read_csv(tmp_path / "out" / "learners.csv", encoding="utf-8-sig",
                           dtype={"stuck_questions": str}, keep_default_na=False)
    assert learners["learner"].tolist() == ["张三", "李四", "王五", "赵六"]
    page = report.page.read_text(encoding="utf-8")
    for text in ("班级练习进度", "下次课", "数了行数，不是客户数", "卡住 1", "03 q1", "赵六/.devvolume/progress.jsonl",
                 "broken.zip", "3. 四条数数规则：先在一张小表上练手"):
        assert text in page, text


def test_the_page_is_offline_and_escapes_names(tmp_path: Path) -> None:
    evil = '<img src=x onerror="alert(1)">'
    write(tmp_path / "in" / "x" / "progress.jsonl",
          rec(evil, "01", "q1", "incorrect", 0, "<b>code</b>") + rec("&amp;", "01", "q1", "hint", 1))
    write(tmp_path / "in" / "<i>.zip", b"no zip")
    page = build_class_report(tmp_path / "in", out=tmp_path / "out").page.read_text(
        encoding="utf-8")
    assert "<img" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "<b>code</b>" not in page
    assert "&amp;amp;" in page
    assert "<i>" not in page
    for external in ("<script", "http://", "https://", "src=", "@import", "url("):
        assert external not in page.replace("src=x", ""), external


def test_csv_cells_never_start_a_formula() -> None:
    text = csv_text(pd.DataFrame({"learner": ["=1+1", "@A", "-2+1", "张三"], "n": [1, 2, 3, 4]}))
    assert text.splitlines()[1:] == ["'=1+1,1", "'@A,2", "'-2+1,3", "张三,4"]


def test_a_foreign_folder_needs_force(collected: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    write(out / "notes.txt", "keep me")
    write(out / "learners.csv", "old")
    with pytest.raises(FileExistsError, match="--force"):
        build_class_report(collected, out=out)
    assert (out / "learners.csv").read_text(encoding="utf-8") == "old"
    build_class_report(collected, out=out, force=True)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (out / "learners.csv").read_text(encoding="utf-8-sig").startswith("learner,")
    build_class_report(collected, out=out)           # now it is devvolume's folder
    with pytest.raises(ValueError, match="not a folder"):
        build_class_report(collected, out=out / "notes.txt")


# --- the command --------------------------------------------------------------------------------

def test_the_command(collected: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["class", str(collected), "--out", str(tmp_path / "out")]) == 0
    shown = capsys.readouterr().out
    assert "6 个进度文件，4 位学员" in shown
    assert "跳过了 7 处" in shown
    assert (tmp_path / "out" / PAGE_FILE).as_uri() in shown
    assert main(["class", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o2")]) == 1
    assert "找不到文件夹" in capsys.readouterr().err


def test_the_command_end_to_end(collected: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run: Any = subprocess.run(
        [sys.executable, "-m", "devvolume", "class", str(collected), "--out", str(out)],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=300)
    assert run.returncode == 0, run.stderr
    assert (out / PAGE_FILE).is_file()
    again = subprocess.run(
        [sys.executable, "-m", "devvolume", "class", str(collected), "--out", str(collected)],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=300)
    assert again.returncode == 1
    assert "--force" in again.stderr
