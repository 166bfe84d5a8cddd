"""Every checker of lessons 01–04 with its right answer and with each diagnosed wrong answer.

Each right answer is also recounted here by an independent plain-pandas oracle (the definition of
DESIGN.md written out: each customer's first row at a level, the credit on that row, cohorts
converted by anyone), and each diagnosed mistake must give another number than the right answer
on the question's data, or the diagnosis could never be told apart from a correct answer.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import devvolume as dv
from devvolume.teach.exercises import (
    Outcome,
    Question,
    ____,
    lesson01,
    lesson02,
    lesson03,
    lesson04,
)
from devvolume.teach.exercises._cases import exercise_data
from devvolume.teach.exercises._question import UNITS, _normalise, _same

LESSONS = {"lesson01": lesson01, "lesson02": lesson02, "lesson03": lesson03,
           "lesson04": lesson04}
QUESTIONS = [(f"{name}.{q.variable}", q) for name, module in LESSONS.items()
             for q in module.QUESTIONS]
MISTAKES = [(f"{label}:{m.name}", q, m) for label, q in QUESTIONS for m in q.mistakes]


def _ids(items: list[tuple]) -> list[str]:
    return [item[0] for item in items]


# --- the oracle: the definition in plain pandas ---------------------------------------------------

#: Order of the levels; a lost row is a contact and nothing more.
LADDER = {"contacted": 0, "qualified": 1, "signed": 2, "won": 3}
#: Credited columns, in the tie-break order of DESIGN.md (after the higher stage).
CREDIT = ("rep", "team", "channel")


def firsts(log: pd.DataFrame, level: str) -> pd.DataFrame:
    """Each customer's row that set the date it first reached ``level`` (index: customer).

    The earliest row at ``level`` or later; on the same day the higher stage, then the smaller
    rep, team and channel. A lost row reaches the contact level only.
    """
    rank = log["stage"].map(LADDER)
    reaches = rank.notna() | (log["stage"] == "lost") if level == "contacted" else (
        rank >= LADDER[level])
    rows = log[reaches].assign(_rank=rank[reaches].fillna(0))
    credit = [c for c in CREDIT if c in rows.columns]
    rows = rows.sort_values(["customer", "date", "_rank", *credit],
                            ascending=[True, True, False, *([True] * len(credit))])
    return rows.drop_duplicates("customer").set_index("customer")


def _inside(rows: pd.DataFrame, first: str, last: str, credit: dict[str, str]) -> pd.DataFrame:
    keep = (rows["date"] >= pd.Timestamp(first)) & (rows["date"] <= pd.Timestamp(last))
    for column, value in credit.items():
        keep &= rows[column] == value
    return rows[keep]


def new_in(log: pd.DataFrame, level: str, first: str, last: str, **credit: str) -> int:
    """New customers at ``level`` from ``first`` to ``last`` (inclusive), credited to ``credit``."""
    return len(_inside(firsts(log, level), first, last, credit))


def cohort(log: pd.DataFrame, first: str, last: str, **credit: str) -> tuple[int, int]:
    """(converted, cohort): customers first contacted in the window and credited, won by anyone."""
    members = _inside(firsts(log, "contacted"), first, last, credit).index
    won = firsts(log, "won").index
    return int(members.isin(won).sum()), len(members)


def share(counts: tuple[int, int]) -> float:
    return counts[0] / counts[1]


def win_rate_of_team(log: pd.DataFrame, team: str) -> float:
    """Won ÷ (won + lost) over the customers whose outcome row was the team's."""
    won_rows = firsts(log, "won")
    lost_rows = log[(log["stage"] == "lost") & ~log["customer"].isin(won_rows.index)]
    lost_rows = lost_rows.sort_values(["customer", "date", "rep"]).drop_duplicates("customer")
    won, lost = (won_rows["team"] == team).sum(), (lost_rows["team"] == team).sum()
    return float(won / (won + lost))


def month_last(first: str) -> str:
    return f"{pd.Timestamp(first) + pd.offsets.MonthEnd(0):%Y-%m-%d}"


def retention_june(orders: pd.DataFrame, *, inactive_after: int = 3) -> float:
    """(E − N) ÷ S for June 2025: a customer counts while it ordered in the last 3 months."""
    month = orders["date"].dt.year * 12 + orders["date"].dt.month
    june = 2025 * 12 + 6

    def alive(at: int) -> set[str]:
        return set(orders.loc[(month <= at) & (month > at - inactive_after), "customer"])

    first_month = month.groupby(orders["customer"]).min()
    new = set(first_month[first_month == june].index)
    return (len(alive(june)) - len(new)) / len(alive(june - 1))


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    return exercise_data().worklog


def _oracles(log: pd.DataFrame) -> dict[str, Callable[[], Any]]:
    practice = lesson01.practice_worklog()
    teams = sorted(log["team"].unique())
    months = [f"2025-{m:02d}-01" for m in range(3, 13)]
    zhang = log[log["rep"] == "张伟"]
    return {
        "lesson01.may_new_contacted": lambda: new_in(practice, "contacted", "2026-05-01",
                                                     "2026-05-31"),
        "lesson01.may_by_rep": lambda: {
            rep: new_in(practice, "contacted", "2026-05-01", "2026-05-31", rep=rep)
            for rep in ("陈晨", "赵敏")},
        "lesson01.march_new_contacted": lambda: new_in(log, "contacted", "2025-03-01",
                                                       "2025-03-31"),
        "lesson01.q2_signed_by_team": lambda: {
            team: new_in(log, "signed", "2025-04-01", "2025-06-30", team=team) for team in teams},
        "lesson02.week14_new": lambda: new_in(lesson02.weekend_worklog(), "contacted",
                                              "2026-03-30", "2026-04-05"),
        "lesson02.july_new": lambda: new_in(log, "contacted", "2025-07-01", "2025-07-31"),
        "lesson02.liu_monthly_won": lambda: {
            month: new_in(log, "won", month, month_last(month), rep="刘洋") for month in months},
        "lesson02.q2_new_contacted": lambda: new_in(log, "contacted", "2025-04-01", "2025-06-30"),
        "lesson03.q1_cohort_conversion": lambda: share(cohort(log, "2025-01-01", "2025-03-31")),
        "lesson03.team_win_rate": lambda: win_rate_of_team(log, "西南一组"),
        "lesson03.team_conversion": lambda: share(cohort(log, "2025-01-01", "2025-12-31",
                                                         team="华南一组")),
        "lesson03.june_retention": lambda: retention_june(dv.load_dataset("directsales").orders),
        "lesson04.referral_conversion": lambda: share(cohort(log, "2025-01-01", "2025-12-31",
                                                             channel="转介绍")),
        "lesson04.busy_effort_per_win": lambda: len(zhang) / new_in(log, "won", "2025-01-01",
                                                                    "2025-12-31", rep="张伟"),
        "lesson04.after_training_conversion": lambda: share(cohort(log, "2025-05-12",
                                                                   "2025-12-31", rep="刘洋")),
    }


def test_every_question_has_an_oracle(log: pd.DataFrame) -> None:
    assert sorted(_oracles(log)) == sorted(label for label, _ in QUESTIONS)


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_right_answer_matches_the_oracle(label: str, question: Question,
                                         log: pd.DataFrame) -> None:  # fmt: skip
    oracle = _oracles(log)[label]()
    expected = _normalise(question.expected(), question.kind)
    assert _same(_normalise(oracle, question.kind), expected, UNITS[question.unit]), (label, oracle, expected)
    assert question.check(oracle).outcome is Outcome.CORRECT, label


@pytest.mark.parametrize(("label", "question", "mistake"), MISTAKES, ids=_ids(MISTAKES))
def test_each_mistake_differs_from_the_right_answer(label: str, question: Question,
                                                    mistake: Any) -> None:  # fmt: skip
    wrong = _normalise(mistake.answer(), question.kind)
    assert not _same(wrong, _normalise(question.expected(), question.kind),
                      UNITS[question.unit]), label


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_the_mistakes_of_a_question_differ_from_each_other(label: str,
                                                           question: Question) -> None:
    """The question's data tell every diagnosed mistake apart: no two give the same answer."""
    answers = [(m.name, _normalise(m.answer(), question.kind)) for m in question.mistakes]
    unit = UNITS[question.unit]
    same = [(a, b) for (a, x), (b, y) in itertools.combinations(answers, 2)
            if a != b and _same(x, y, unit)]
    assert same == [], label


def test_the_oracle_follows_the_worked_example() -> None:
    # DESIGN.md's worked example: the oracle itself must count it right.
    example = pd.DataFrame({
        "date": pd.to_datetime(["2026-03-30", "2026-04-02", "2026-04-03", "2026-04-10",
                                "2026-05-06", "2026-05-07"]),
        "rep": ["A", "A", "B", "A", "A", "B"], "team": ["T1"] * 6,
        "customer": ["C1", "C1", "C2", "C1", "C1", "C3"],
        "stage": ["contacted", "contacted", "won", "signed", "won", "lost"]})
    assert [new_in(example, "contacted", f"2026-{m}-01", month_last(f"2026-{m}-01"))
            for m in ("03", "04", "05")] == [1, 1, 1]
    assert new_in(example, "signed", "2026-04-01", "2026-04-30", rep="B") == 1
    assert new_in(example, "signed", "2026-04-01", "2026-04-30", rep="A") == 1
    assert cohort(example, "2026-05-01", "2026-05-31") == (0, 1)


def test_the_oracle_credits_the_row_that_set_the_date() -> None:
    # A customer shared by two teams belongs to the team of its first row, won by the other.
    shared = pd.DataFrame({
        "date": pd.to_datetime(["2026-01-05", "2026-01-05", "2026-02-10"]),
        "rep": ["B", "A", "C"], "team": ["T2", "T1", "T2"], "customer": ["C1", "C1", "C1"],
        "stage": ["contacted", "contacted", "won"]})
    assert new_in(shared, "contacted", "2026-01-01", "2026-01-31", team="T1") == 1
    assert new_in(shared, "contacted", "2026-01-01", "2026-01-31", team="T2") == 0
    assert cohort(shared, "2026-01-01", "2026-12-31", team="T1") == (1, 1)


# --- every checker: right, blank, each mistake, never revealing the answer ------------------------


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_right_answer_is_correct(label: str, question: Question) -> None:
    feedback = question.check(question.expected())
    assert feedback.outcome is Outcome.CORRECT, label


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_blank_is_not_attempted(label: str, question: Question) -> None:
    assert question.check(____).outcome is Outcome.NOT_ATTEMPTED


@pytest.mark.parametrize(("label", "question", "mistake"), MISTAKES, ids=_ids(MISTAKES))
def test_each_mistake_is_diagnosed(label: str, question: Question, mistake: Any) -> None:
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
    assert len(question.mistakes) >= 2, label  # the likely wrong answers get a named diagnosis
    # a name given twice is one mistake with two answers (the month before and after): one message
    messages = {m.name: m.message for m in question.mistakes}
    assert all(m.message == messages[m.name] for m in question.mistakes), label


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_the_solution_code_gives_the_right_answer(label: str, question: Question) -> None:
    """The code q.solution() shows runs in the exercise notebook's setup (public names only)."""
    data = exercise_data()
    namespace = {"dv": dv, "data": data, "log": data.worklog,
                 "practice": lesson01.practice_worklog(), "weekend": lesson02.weekend_worklog()}
    exec(question.answer_code, namespace)
    assert question.check(namespace[question.variable]).outcome is Outcome.CORRECT, label


@pytest.mark.parametrize(("label", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_texts_use_the_public_api(label: str, question: Question) -> None:
    """Solutions and hints name ``dv.…`` functions, never the old modules or private ones."""
    for text in (question.answer_code, *question.hints):
        assert "metrics." not in text, label
        assert "._" not in text, label
        assert "'rate'" not in text, label  # renamed: conversion, win_rate, retention


def test_each_lesson_has_at_least_three_questions() -> None:
    for name, module in LESSONS.items():
        assert len(module.QUESTIONS) >= 3, name
        assert all(isinstance(q, Question) for q in module.QUESTIONS)


def test_the_toy_log_matches_the_lesson_text() -> None:
    # Lesson 01 counts the toy log by hand: 5 new contacts in April, 7 contact rows, 6 active.
    toy = lesson01.toy_worklog()
    work = dv.activity_counts(toy, period="M").set_index("period").loc["2026-04-01"]
    new = dv.development_volume(toy, level="contacted").set_index("period").loc["2026-04-01"]
    assert (work["level_rows"], work["active_customers"], new["volume"]) == (7, 6, 5)
    assert new_in(toy, "contacted", "2026-04-01", "2026-04-30") == 5


def test_the_practice_log_separates_every_mistake() -> None:
    # Exercise 01 asks the same question of another log; each trap gives its own number
    # (counted by hand: 嘉禾, 隆兴, 润达, 祥和, 安泰 and 富源 are new in May).
    assert lesson01.q1.expected() == 6
    answers = [(m.name, m.answer()) for m in lesson01.q1.mistakes]
    # 7 首次接触 rows, 15 rows in all; April (百川, 永安) and June (恒信, 瑞丰) have two each
    assert answers == [("row_count", 7), ("row_count", 15), ("active_not_new", 8),
                       ("ignored_implied", 4), ("lost_not_contact", 5),
                       ("contacted_rows_only", 3), ("wrong_period", 2), ("wrong_period", 2)]
    # 富源建材: contacted by 陈晨, taken on to 意向 by 赵敏; the contact is 陈晨's.
    assert lesson01.q2.expected() == {"陈晨": 3, "赵敏": 3}
    swapped = next(m for m in lesson01.q2.mistakes if m.name == "credit_swapped")
    assert swapped.answer() == {"陈晨": 2, "赵敏": 4}


def test_the_weekend_log_separates_every_week() -> None:
    # Exercise 02 q1, by hand: new contacts 华美 (Mon), 顺达 and 广利 (Thu, Fri), 金鼎 (Sat),
    # 恒通 and 百盛 (Sun) in ISO week 14; a week from Sunday takes 鼎盛 (Sun 03-29) and drops the
    # two of Sunday 04-05; "the 1st to the 7th" drops 华美 and adds 新华 and 天成; without the
    # weekend rows 鼎盛's first contact moves into the week (04-01) and 金鼎, 恒通, 百盛 go;
    # Monday to Friday keeps 华美, 顺达, 广利.
    weekend = lesson02.weekend_worklog()
    assert set(weekend["date"].dt.day_name()) >= {"Saturday", "Sunday"}
    assert lesson02.q1.expected() == 6
    answers = [(m.name, m.answer()) for m in lesson02.q1.mistakes]
    assert answers == [("sunday_week", 5), ("wrong_boundary", 7), ("row_count", 9),
                       ("row_count", 12), ("active_not_new", 8), ("weekdays_only", 4),
                       ("weekdays_only", 3), ("wrong_period", 1), ("wrong_period", 2)]
    # The case data has no weekend rows: a week from Sunday would count as the ISO week there.
    case = dv.load_dataset("directsales").worklog
    assert not case["date"].dt.day_name().isin(["Saturday", "Sunday"]).any()


def test_a_second_quarter_tells_active_from_new(log: pd.DataFrame) -> None:
    # In the data's first quarter every customer active at 签约 is new (nothing came before);
    # exercise 01 q4 asks about the second, where the two counts differ for most teams.
    active = next(m for m in lesson01.q4.mistakes if m.name == "active_not_new").answer()
    expected = lesson01.q4.expected()
    assert sum(active[t] != expected[t] for t in expected) >= 3


def test_rates_are_shares() -> None:
    for question in (*lesson03.QUESTIONS, lesson04.q1, lesson04.q3):
        value = question.expected()
        assert not math.isnan(value), question.variable
        assert 0 <= value <= 1, question.variable


def test_the_lesson_views_agree_with_the_expected_answers(log: pd.DataFrame) -> None:
    """A learner who answers with the lesson's views gets the core's answer."""
    channels = dv.teach.factor_view(log, factor="channel").set_index("channel")
    assert math.isclose(channels.loc["转介绍", "conversion"], lesson04.q1.expected())
    split = dv.teach.before_after(log, rep="刘洋", date="2025-05-12").set_index("when")
    after = split.loc["之后"]
    assert math.isclose(after["converted"] / after["cohort"], lesson04.q3.expected())
