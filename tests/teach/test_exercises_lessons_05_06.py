"""Every checker of lessons 05 and 06: its right answer is correct, and each known mistake's
answer gets that mistake's diagnosis, without revealing the expected value."""

from __future__ import annotations

import pytest

from devvolume.teach.exercises import Outcome, Question, ____, lesson05, lesson06

QUESTIONS: list[tuple[str, Question]] = [
    *((f"lesson05.{q.variable}", q) for q in lesson05.QUESTIONS),
    *((f"lesson06.{q.variable}", q) for q in lesson06.QUESTIONS),
]
MISTAKES = [(f"{name}:{m.name}", q, m) for name, q in QUESTIONS for m in q.mistakes]


def _shown(value: float) -> list[str]:
    """Ways an expected value could appear in a message."""
    forms = {f"{value:.0f}", f"{value:.1f}", f"{value:.2f}", f"{value:.1%}", f"{value:,.0f}"}
    return [f for f in forms if len(f.strip("0.%,")) >= 2]


def test_each_lesson_has_at_least_three_questions() -> None:
    assert len(lesson05.QUESTIONS) >= 3
    assert len(lesson06.QUESTIONS) >= 3
    assert [q.variable for q in lesson05.QUESTIONS] == [
        lesson05.q1.variable, lesson05.q2.variable, lesson05.q3.variable, lesson05.q4.variable]


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[n for n, _ in QUESTIONS])
def test_right_answer_is_correct(name: str, question: Question) -> None:
    assert question.check(question.expected()).outcome is Outcome.CORRECT, name
    assert question.check(____).outcome is Outcome.NOT_ATTEMPTED


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[n for n, _ in QUESTIONS])
def test_question_has_a_hint_ladder_a_solution_and_a_mistake(name: str, question: Question) -> None:
    assert len(question.hints) == 3, name
    assert question.variable in question.answer_code
    assert question.mistakes


@pytest.mark.parametrize(("name", "question", "mistake"), MISTAKES, ids=[n for n, _, _ in MISTAKES])
def test_mistake_is_diagnosed(name: str, question: Question, mistake: object) -> None:
    answer = mistake.answer()  # type: ignore[attr-defined]
    feedback = question.check(answer)
    assert feedback.outcome is Outcome.INCORRECT, name
    assert feedback.mistake == mistake.name, name  # type: ignore[attr-defined]
    text = str(feedback)
    for form in _shown(float(question.expected())):
        assert form not in text, (name, form)


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[n for n, _ in QUESTIONS])
def test_solution_code_computes_the_answer(name: str, question: Question) -> None:
    """The solution shown to a learner runs in the exercise notebook's setup and is right."""
    from devvolume import meeting, metrics, targets, whatif
    from devvolume.sim._datasets import CASES, load_dataset

    data = load_dataset("directsales")
    baseline = whatif.baseline_from_worklog(data.worklog, targets=data.targets,
                                            model=CASES["directsales"].model)
    scope = {"data": data, "metrics": metrics, "targets": targets, "whatif": whatif,
             "meeting": meeting, "baseline": baseline}
    exec(question.answer_code, scope)
    assert question.check(scope[question.variable]).outcome is Outcome.CORRECT, name


def test_a_wrong_answer_nobody_predicted_is_still_incorrect() -> None:
    feedback = lesson06.q1.check(-1)
    assert feedback.outcome is Outcome.INCORRECT
    assert feedback.mistake is None
