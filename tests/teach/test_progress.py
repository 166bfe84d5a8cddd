"""The local progress record: real exercise checks, hints and solutions write the documented lines.

Every test points the workspace at a temporary folder (``DEVVOLUME_WORKSPACE``) and starts a
fresh session, so nothing is ever written into the repository.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from devvolume.teach import _progress
from devvolume.teach.exercises import (
    Outcome,
    ProgressWarning,
    Question,
    ____,
    lesson01,
    lesson02,
    lesson03,
    lesson04,
    lesson05,
    lesson06,
    sign_in,
)
from devvolume.teach.exercises._question import answer_text

LESSONS = {"01": lesson01, "02": lesson02, "03": lesson03, "04": lesson04, "05": lesson05,
           "06": lesson06}
QUESTIONS = [(f"{lesson} {q.name}", q) for lesson, module in LESSONS.items()
             for q in module.QUESTIONS]
MISTAKES = [(f"{label}:{m.name}", q, m) for label, q in QUESTIONS for m in q.mistakes]
TIME = "2026-05-06T10:12:03+08:00"


@pytest.fixture(autouse=True)
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary workspace, learner 张三, a fixed clock and a fresh session."""
    monkeypatch.setenv(_progress.WORKSPACE_ENV, str(tmp_path))
    monkeypatch.setenv(_progress.LEARNER_ENV, "张三")
    monkeypatch.delenv(_progress.RECORDING_ENV, raising=False)
    monkeypatch.setattr(_progress, "_session", _progress._Session())
    monkeypatch.setattr(_progress, "_now", lambda: TIME)
    return tmp_path


def lines(workspace: Path) -> list[dict[str, Any]]:
    path = workspace / ".devvolume" / "progress.jsonl"
    if not path.exists():
        return []
    # a blank line is possible (a writer that saw another's line half-written ends it first);
    # the class page skips blank lines
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def line(lesson: str, question: str, outcome: str, mistake: str | None = None,
         learner: str = "张三", answer: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"learner": learner, "lesson": lesson, "question": question, "outcome": outcome,
            "mistake": mistake, "answer": answer, "time": TIME}


# --- real exercise checks -----------------------------------------------------------------------

def test_every_lesson_question_is_named_in_order() -> None:
    for lesson, module in LESSONS.items():
        names = [(q.lesson, q.name) for q in module.QUESTIONS]
        assert names == [(lesson, f"q{n}") for n in range(1, len(names) + 1)]


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=[label for label, _ in QUESTIONS])
def test_a_right_answer_records_correct(workspace: Path, label: str, question: Question) -> None:
    assert question.check(question.expected()).outcome is Outcome.CORRECT
    assert lines(workspace) == [line(question.lesson, question.name, "correct",
                                     answer=answer_text(question.expected()))]


@pytest.mark.parametrize(("label", "question", "mistake"), MISTAKES,
                         ids=[label for label, _, _ in MISTAKES])
def test_each_diagnosis_is_recorded(workspace: Path, label: str, question: Question,
                                    mistake: Any) -> None:
    feedback = question.check(mistake.answer())
    assert feedback.mistake == mistake.name, label
    assert lines(workspace) == [line(question.lesson, question.name, "incorrect", mistake.name,
                                     answer=answer_text(mistake.answer()))]


def test_an_undiagnosed_and_a_wrongly_typed_answer(workspace: Path) -> None:
    q = lesson01.q1
    assert q.check(-1).mistake is None
    assert q.check({"a": 1}).mistake == "wrong_type"
    assert q.check("六个").mistake == "wrong_type"
    assert lines(workspace) == [line("01", "q1", "incorrect", answer="-1"),
                                line("01", "q1", "incorrect", "wrong_type", answer='{"a":1}'),
                                line("01", "q1", "incorrect", "wrong_type", answer="<str>")]


def test_a_format_reply_is_recorded_as_neither(workspace: Path) -> None:
    q = lesson03.q1
    value = float(q.expected())
    assert q.check(round(100 * value, 1)).outcome is Outcome.FORMAT
    assert q.check(round(value, 2)).outcome is Outcome.FORMAT
    assert lines(workspace) == [
        line("03", "q1", "format", "format_percent", answer=str(round(100 * value, 1))),
        line("03", "q1", "format", "format_decimals", answer=str(round(value, 2)))]


def test_an_answer_is_kept_short_and_never_as_text(workspace: Path) -> None:
    import pandas as pd

    q = lesson01.q4
    q.check({f"团队{k:03d}": k for k in range(100)})
    q.check(pd.DataFrame({"team": ["张三的客户名单"], "note": ["电话 138…"], "x": [1]}))
    first, second = lines(workspace)
    assert len(first["answer"]) <= _progress.MAX_ANSWER_CHARS
    assert first["answer"].endswith("…")
    assert second["answer"] == "<DataFrame 1×3>"


def test_hints_and_the_solution_are_recorded(workspace: Path) -> None:
    q = lesson03.q2
    q.hint()
    q.hint(3)
    q.solution()
    assert lines(workspace) == [line("03", "q2", "hint"), line("03", "q2", "hint"),
                                line("03", "q2", "solution")]
    assert _progress.record("03", "q2", "hint", "row_count", "0.3").answer is None


def test_a_blank_is_not_recorded(workspace: Path) -> None:
    assert lesson02.q1.check(____).outcome is Outcome.NOT_ATTEMPTED
    assert lesson02.q1.check().outcome is Outcome.NOT_ATTEMPTED   # no variable in this module
    assert lines(workspace) == []


def test_a_question_outside_a_lesson_records_nothing(workspace: Path) -> None:
    q = Question(variable="x", prompt="?", expected=lambda: 2, hints=["加法"], answer_code="x = 2")
    q.check(2)
    q.hint()
    q.solution()
    assert lines(workspace) == []


def test_lines_are_appended_in_the_documented_form(workspace: Path) -> None:
    lesson01.q1.check(-1)
    lesson01.q1.check(lesson01.q1.expected())
    text = (workspace / ".devvolume" / "progress.jsonl").read_text(encoding="utf-8")
    first, second = text.splitlines(keepends=True)
    assert first == ('{"learner": "张三", "lesson": "01", "question": "q1", "outcome": "incorrect", '
                     f'"mistake": null, "answer": "-1", "time": "{TIME}"}}\n')
    assert list(json.loads(second)) == list(_progress.FIELDS)


def test_the_time_is_iso_with_an_offset(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()   # the real clock, but keep the workspace and the name
    monkeypatch.setenv(_progress.WORKSPACE_ENV, str(workspace))
    monkeypatch.setenv(_progress.LEARNER_ENV, "张三")
    monkeypatch.setattr(_progress, "_session", _progress._Session())
    lesson01.q1.hint()
    (record,) = lines(workspace)
    time = dt.datetime.fromisoformat(record["time"])
    assert time.tzinfo is not None
    assert abs(time - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


# --- the learner's name -------------------------------------------------------------------------

def test_without_a_name_records_wait_until_sign_in(workspace: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_progress.LEARNER_ENV)
    lesson01.q1.check(-1)
    lesson01.q1.hint()
    assert lines(workspace) == []
    assert "「李四」" in _progress.set_learner("  李四 ")
    assert lines(workspace) == [line("01", "q1", "incorrect", learner="李四", answer="-1"),
                                line("01", "q1", "hint", learner="李四")]
    settings = json.loads((workspace / ".devvolume" / "settings.json").read_text(encoding="utf-8"))
    assert settings == {"learner": "李四"}
    # a new session in the same workspace knows the name
    monkeypatch.setattr(_progress, "_session", _progress._Session())
    lesson01.q2.hint()
    assert lines(workspace)[-1] == line("01", "q2", "hint", learner="李四")


def test_the_environment_name_comes_first(workspace: Path) -> None:
    _progress.set_learner("李四")
    lesson01.q1.hint()
    assert lines(workspace)[-1]["learner"] == "张三"


def test_an_empty_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_progress.LEARNER_ENV)
    assert "请先写上你的名字" in _progress.set_learner("  \n ")
    assert _progress.current_learner() is None


def test_names_are_cleaned() -> None:
    assert _progress.clean_name("王\x00 五\t") == "王 五"
    assert _progress.clean_name("长" * 100) == "长" * _progress.MAX_NAME_CHARS
    assert _progress.clean_name(42) is None


def test_a_broken_settings_file_is_ignored(workspace: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_progress.LEARNER_ENV)
    (workspace / ".devvolume").mkdir()
    (workspace / ".devvolume" / "settings.json").write_text("{not json", encoding="utf-8")
    assert _progress.current_learner() is None
    _progress.set_learner("赵六")
    assert _progress.current_learner() == "赵六"


def test_sign_in_shows_a_box_then_a_confirmation(workspace: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_progress.LEARNER_ENV)
    box = _progress.sign_in_view()
    assert isinstance(box, _progress.LearnerSignIn)
    assert repr(box) == "LearnerSignIn()"
    box.name.value = "<b>钱七</b>"         # typing and pressing Enter
    assert "&lt;b&gt;钱七&lt;/b&gt;" in box.status.value
    assert _progress.current_learner() == "<b>钱七</b>"
    shown = _progress.sign_in_view()
    assert "钱七" in shown.data
    assert "<b>" not in shown.data
    assert "钱七" in _progress.sign_in_view("钱七").data


def test_sign_in_displays_its_note(capsys: pytest.CaptureFixture[str]) -> None:
    assert sign_in() is None
    assert "IPython.core.display.HTML" in capsys.readouterr().out


# --- recording never gets in the way ------------------------------------------------------------

def test_recording_can_be_turned_off(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_progress.RECORDING_ENV, "off")
    assert lesson01.q1.check(lesson01.q1.expected()).outcome is Outcome.CORRECT
    assert lines(workspace) == []
    assert "已关闭" in _progress.sign_in_view().data


def test_an_unwritable_folder_warns_once_and_the_exercise_goes_on(workspace: Path) -> None:
    (workspace / ".devvolume").write_text("a file where the folder should be", encoding="utf-8")
    with pytest.warns(ProgressWarning, match="练习进度没能保存"):
        assert lesson01.q1.check(lesson01.q1.expected()).outcome is Outcome.CORRECT
    # warnings are errors in the tests: a second warning would raise here
    assert lesson01.q1.check(-1).outcome is Outcome.INCORRECT
    lesson01.q1.hint()


def test_a_read_only_folder_warns_once(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(_progress.os, "open", refuse)
    with pytest.warns(ProgressWarning, match="Permission denied"):
        lesson01.q1.hint()
    lesson01.q1.solution()          # no second warning (it would raise in the tests)
    assert "「张三」" in _progress.set_learner("张三")


def test_a_vanished_current_folder_warns_once(monkeypatch: pytest.MonkeyPatch) -> None:
    def gone() -> Path:
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(_progress, "workspace", gone)
    with pytest.warns(ProgressWarning, match="No such file"):
        assert lesson01.q1.check(lesson01.q1.expected()).outcome is Outcome.CORRECT
    assert "「李四」" not in _progress.set_learner("李四")   # the environment's 张三 still wins
    lesson01.q1.hint()


def test_a_line_cut_short_does_not_swallow_the_next(workspace: Path) -> None:
    path = workspace / ".devvolume" / "progress.jsonl"
    path.parent.mkdir()
    path.write_text('{"learner": "张三", "lesson": "01", "quest', encoding="utf-8")
    lesson01.q1.hint()
    assert path.read_text(encoding="utf-8").splitlines()[1:] == [
        json.dumps(line("01", "q1", "hint"), ensure_ascii=False)]


def test_concurrent_appends_never_interleave(workspace: Path) -> None:
    def write(n: int) -> None:
        for i in range(100):
            _progress.record("01", f"q{n}", "hint" if i % 2 else "solution")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = lines(workspace)
    assert len(records) == 800
    assert {r["question"] for r in records} == {f"q{n}" for n in range(8)}


def test_an_unknown_outcome_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown outcome"):
        _progress.record("01", "q1", "skipped")
