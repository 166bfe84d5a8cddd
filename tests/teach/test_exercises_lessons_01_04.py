"""Every checker of lessons 01–04 with its right answer and with each diagnosed wrong answer."""

from __future__ import annotations

import math

import pytest

from devvolume.sim._datasets import load_dataset
from devvolume.teach.exercises import Outcome, Question, ____, lesson01, lesson02, lesson03, lesson04
from devvolume.core import conversion_rate, development_volume, win_rate
from devvolume.core import retention_rate
from devvolume.teach._widgets import before_after, counting_comparison, factor_view

LESSONS = {"lesson01": lesson01, "lesson02": lesson02, "lesson03": lesson03,
           "lesson04": lesson04}
QUESTIONS = [(f"{name}.{q.variable}", q) for name, module in LESSONS.items()
             for q in module.QUESTIONS]
MISTAKES = [(f"{label}:{m.name}", q, m) for label, q in QUESTIONS for m in q.mistakes]


def _ids(items: list[tuple]) -> list[str]:
    return [item[0] for item in items]


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_right_answer_is_correct(label: str, question: Question) -> None:
    feedback = question.check(question.expected())
    assert feedback.outcome is Outcome.CORRECT, label


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_blank_is_not_attempted(label: str, question: Question) -> None:
    assert question.check(____).outcome is Outcome.NOT_ATTEMPTED


@pytest.mark.parametrize(("label", "question", "mistake"), MISTAKES, ids=_ids(MISTAKES))
def test_each_mistake_is_diagnosed(label: str, question: Question, mistake) -> None:
    feedback = question.check(mistake.answer())
    assert feedback.outcome is Outcome.INCORRECT, label
    assert feedback.mistake == mistake.name, (label, feedback.message)
    assert feedback.message == mistake.message


def _revealing_texts(expected: object) -> list[str]:
    """Ways the expected value could be written in a message."""
    if isinstance(expected, dict):
        return [t for value in expected.values() for t in _revealing_texts(value)]
    value = float(expected)  # type: ignore[arg-type]
    if value.is_integer():
        # Small counts collide with dates ("4 月 1 日"); only longer numbers can give it away.
        return [str(int(value))] if abs(value) >= 10 else []
    return [f"{value:.3f}", f"{value:.2f}", f"{value:.1%}", f"{value:.0%}"]


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_messages_never_reveal_the_answer(label: str, question: Question) -> None:
    texts = _revealing_texts(question.expected())
    messages = [m.message for m in question.mistakes]
    messages += [question.check(-12345).message, question.check(____).message]
    for message in messages:
        for text in texts:
            assert text not in message, (label, text, message)


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_every_question_has_a_three_step_ladder_and_a_named_mistake(
        label: str, question: Question) -> None:
    assert len(question.hints) == 3, label
    assert question.mistakes, label
    names = [m.name for m in question.mistakes]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_the_solution_code_gives_the_right_answer(label: str, question: Question) -> None:
    data = load_dataset("directsales")
    namespace = {
        "data": data, "log": data.worklog, "practice": lesson01.practice_worklog(),
        "development_volume": development_volume, "conversion_rate": conversion_rate,
        "win_rate": win_rate, "retention_rate": retention_rate, "factor_view": factor_view,
        "before_after": before_after,
    }
    exec(question.answer_code, namespace)  # the code shown by q.solution()
    assert question.check(namespace[question.variable]).outcome is Outcome.CORRECT, label


def test_each_lesson_has_at_least_three_questions() -> None:
    for name, module in LESSONS.items():
        assert len(module.QUESTIONS) >= 3, name
        assert all(isinstance(q, Question) for q in module.QUESTIONS)


def test_the_toy_log_matches_the_lesson_text() -> None:
    # Lesson 01 counts the toy log by hand: 5 new contacts in April, 7 contact rows, 6 active.
    table = counting_comparison(lesson01.toy_worklog(), level="contacted", period="M")
    april = table[table["period"] == "2026-04-01"].iloc[0]
    assert (april["rows"], april["active"], april["new"]) == (7, 6, 5)


def test_the_practice_log_separates_every_mistake() -> None:
    # Exercise 01 asks the same question of another log; each trap gives its own number.
    assert lesson01.q1.expected() == 5
    answers = {m.name: m.answer() for m in lesson01.q1.mistakes}
    assert answers == {"row_count": 6, "active_not_new": 7, "ignored_implied": 3,
                       "lost_not_contact": 4, "contacted_rows_only": 2}


def test_rates_are_shares() -> None:
    for question in (*lesson03.QUESTIONS, lesson04.q1, lesson04.q3):
        value = question.expected()
        assert not math.isnan(value), question.variable
        assert 0 <= value <= 1, question.variable
