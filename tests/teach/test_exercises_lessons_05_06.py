"""Every checker of lessons 05 and 06: its right answer is correct, and each known mistake's
answer gets that mistake's diagnosis, without revealing the expected value.

Each right answer is also recounted by an independent plain-pandas oracle (the first-time and
credit rule of ``firsts`` in ``test_exercises_lessons_01_04``), and each diagnosed mistake must
give another number than the right answer on the question's data.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from exercise_oracle import crm_deals, crm_win_rates
from test_exercises_lessons_01_04 import LADDER, firsts, new_in

import devvolume as dv
from devvolume.teach.exercises import Outcome, Question, ____, lesson05, lesson06
from devvolume.teach.exercises._cases import exercise_data
from devvolume.teach.exercises._question import UNITS, _normalise, _same

QUESTIONS: list[tuple[str, Question]] = [
    *((f"lesson05.{q.variable}", q) for q in lesson05.QUESTIONS),
    *((f"lesson06.{q.variable}", q) for q in lesson06.QUESTIONS),
]
MISTAKES = [(f"{name}:{m.name}", q, m) for name, q in QUESTIONS for m in q.mistakes]


def _shown(value: float) -> list[str]:
    """Ways an expected value could appear in a message."""
    forms = {f"{value:.0f}", f"{value:.1f}", f"{value:.2f}", f"{value:.1%}", f"{value:,.0f}"}
    return [f for f in forms if len(f.strip("0.%,")) >= 2]


# --- oracles: the definitions in plain pandas -------------------------------------------------------


def rep_months(log: pd.DataFrame, targets: pd.DataFrame, level: str = "won") -> pd.DataFrame:
    """Targets with each rep's new customers at ``level`` in the month (credited to the rep)."""
    new = firsts(log, level)
    month = new["date"].dt.to_period("M").dt.to_timestamp()
    counts = new.groupby([new["rep"], month]).size().rename("actual")
    frame = targets.merge(counts.rename_axis(["rep", "period"]).reset_index(),
                          on=["rep", "period"], how="left")  # fmt: skip
    return frame.fillna({"actual": 0})


def stalled(log: pd.DataFrame, *, as_of: str, idle_days: int = 14) -> pd.DataFrame:
    """Customers at 意向 or 签约, neither won nor lost, idle ``idle_days`` days on ``as_of``.

    Each is credited to the row that set the date of its highest level.
    """
    day = pd.Timestamp(as_of)
    rows = log[log["date"] <= day]
    rank = rows["stage"].map(LADDER)
    summary = rows.assign(_rank=rank).groupby("customer").agg(
        top=("_rank", "max"), last=("date", "max"),
        closed=("stage", lambda s: bool(s.isin(["won", "lost"]).any())))  # fmt: skip
    quiet = summary[(summary["top"] >= 1) & ~summary["closed"]
                    & ((day - summary["last"]).dt.days >= idle_days)]  # fmt: skip
    levels = {rank: level for level, rank in LADDER.items()}
    credit = [firsts(rows, levels[int(top)]).loc[customer, "team"]
              for customer, top in quiet["top"].items()]
    return quiet.assign(team=credit)


def whatif_extra(log: pd.DataFrame, **levels: float) -> tuple[float, Any]:
    """Extra new wins per month: the observed monthly mean of new wins times the model's lift."""
    months = firsts(log, "won")["date"].dt.to_period("M").value_counts()
    per_month = months.reindex(pd.period_range("2025-01", "2025-12", freq="M"), fill_value=0)
    projection = dv.project(dv.sim.CASES["directsales"].model, **levels)
    won = per_month.mean() * projection.won / projection.baseline_won
    return won - per_month.mean(), projection


def net_value(log: pd.DataFrame) -> float:
    """Net value per month of 数字营销: extra customers' value − running cost − setup ÷ 12."""
    extra, p = whatif_extra(log, digital=1.0)
    model = dv.sim.CASES["directsales"].model
    scale = log["rep"].nunique() / (model.teams * model.reps_per_team)
    return extra * p.value_per_customer - p.monthly_cost * scale - p.setup_cost * scale / 12


def team_payout(log: pd.DataFrame, targets: pd.DataFrame, team: str) -> float:
    months = rep_months(log, targets)
    mine = months[months["team"] == team]
    within = mine[["actual", "target"]].min(axis=1)
    return float((within * 500 + (mine["actual"] - within) * 750).sum())


def _oracles() -> dict[str, Callable[[], Any]]:
    data = dv.load_dataset("directsales")
    log, targets = data.worklog, data.targets
    exercise_log = exercise_data().worklog     # exercise 06's (exercise 05 uses the case as it is)

    def pooled(frame: pd.DataFrame) -> float:
        return float(frame["actual"].sum() / frame["target"].sum())

    def north_q2() -> float:
        months = rep_months(log, targets)
        inside = months["period"].between(pd.Timestamp("2025-04-01"), pd.Timestamp("2025-06-30"))
        return pooled(months[inside & (months["team"] == "华北一组")])

    return {
        "lesson05.attainment_2025": lambda: pooled(rep_months(log, targets)),
        "lesson05.extra_won_training": lambda: whatif_extra(log, training=1.0)[0],
        "lesson05.extra_won_all": lambda: whatif_extra(
            log, targeting=1.0, process=1.0, training=1.0, digital=1.0)[0],
        "lesson05.net_digital": lambda: net_value(log),
        "lesson06.new_contacted_week": lambda: new_in(exercise_log, "contacted", "2025-05-26",
                                                      "2025-06-01", team="华东一组"),
        "lesson06.stalled_count": lambda: int(
            (stalled(exercise_log, as_of="2025-04-07")["team"] == "华东一组").sum()),
        "lesson06.team_attainment_q2": north_q2,
        "lesson06.team_bonus": lambda: team_payout(log, targets, "华东一组"),
        "lesson06.win_rates_by_unit": lambda: crm_win_rates(crm_deals(
            *(pd.read_csv(path) for path in dv.teach.crm_example_files())), "Sergio Blanco"),
    }


ORACLES = _oracles()


def test_every_question_has_an_oracle() -> None:
    assert sorted(ORACLES) == sorted(name for name, _ in QUESTIONS)


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[n for n, _ in QUESTIONS])
def test_right_answer_matches_the_oracle(name: str, question: Question) -> None:
    oracle = ORACLES[name]()
    expected = _normalise(question.expected(), question.kind)
    assert _same(_normalise(oracle, question.kind), expected, UNITS[question.unit]), (name, oracle, expected)
    assert question.check(oracle).outcome is Outcome.CORRECT, name


@pytest.mark.parametrize(("name", "question", "mistake"), MISTAKES, ids=[n for n, _, _ in MISTAKES])
def test_each_mistake_differs_from_the_right_answer(name: str, question: Question,
                                                    mistake: Any) -> None:  # fmt: skip
    wrong = _normalise(mistake.answer(), question.kind)
    assert not _same(wrong, _normalise(question.expected(), question.kind),
                      UNITS[question.unit]), name


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[n for n, _ in QUESTIONS])
def test_the_mistakes_of_a_question_differ_from_each_other(name: str,
                                                           question: Question) -> None:
    answers = [(m.name, _normalise(m.answer(), question.kind)) for m in question.mistakes]
    unit = UNITS[question.unit]
    same = [(a, b) for (a, x), (b, y) in itertools.combinations(answers, 2)
            if a != b and _same(x, y, unit)]
    assert same == [], name


def test_the_stalled_oracle_credits_the_team_that_reached_the_level() -> None:
    # C1 was contacted by T1 and qualified by T2, then went quiet: T2's stalled customer.
    log = pd.DataFrame({
        "date": pd.to_datetime(["2025-05-01", "2025-05-05", "2025-05-06", "2025-05-30"]),
        "rep": ["A", "B", "A", "A"], "team": ["T1", "T2", "T1", "T1"],
        "customer": ["C1", "C1", "C2", "C2"], "stage": ["contacted", "qualified", "qualified",
                                                         "won"]})
    oracle = stalled(log, as_of="2025-06-16")
    assert oracle["team"].to_dict() == {"C1": "T2"}
    core = dv.stalled_customers(log, as_of="2025-06-16")
    assert core[["customer", "team"]].values.tolist() == [["C1", "T2"]]


# --- every checker ---------------------------------------------------------------------------------


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
    assert len(question.mistakes) >= 2, name


@pytest.mark.parametrize(("name", "question", "mistake"), MISTAKES, ids=[n for n, _, _ in MISTAKES])
def test_mistake_is_diagnosed(name: str, question: Question, mistake: object) -> None:
    answer = mistake.answer()  # type: ignore[attr-defined]
    feedback = question.check(answer)
    assert feedback.outcome is Outcome.INCORRECT, name
    assert feedback.mistake == mistake.name, name  # type: ignore[attr-defined]
    text = str(feedback)
    expected = _normalise(question.expected(), question.kind)
    for value in expected.values() if isinstance(expected, dict) else [expected]:
        for form in _shown(value):
            assert form not in text, (name, form)


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[n for n, _ in QUESTIONS])
def test_solution_code_computes_the_answer(name: str, question: Question) -> None:
    """The solution shown to a learner runs in the exercise notebook's setup and is right."""
    data = dv.load_dataset("directsales")
    baseline = dv.teach.baseline_from_worklog(data.worklog, targets=data.targets,
                                              model=dv.sim.CASES["directsales"].model)
    if question.lesson == "06":     # exercise 06 loads the exercise edition of the case
        data = exercise_data()
    export, roster = dv.teach.crm_example_files()   # and imports the kit's example CRM export
    crm_log = dv.import_crm(export, roster=roster).worklog
    scope = {"dv": dv, "data": data, "baseline": baseline, "crm_log": crm_log}
    exec(question.answer_code, scope)
    assert question.check(scope[question.variable]).outcome is Outcome.CORRECT, name


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[n for n, _ in QUESTIONS])
def test_texts_use_the_public_api(name: str, question: Question) -> None:
    """Solutions and hints name ``dv.…`` functions, never the old modules or private ones."""
    for text in (question.answer_code, *question.hints):
        for old in ("metrics.", "whatif.", "meeting.", "targets.attainment", "._"):
            assert old not in text, (name, old)


def test_a_team_question_names_the_company_figure() -> None:
    feedback = lesson06.q1.check(next(m for m in lesson06.q1.mistakes
                                      if m.name == "whole_company").answer())
    assert feedback.mistake == "whole_company"
    assert "全公司" in feedback.message


def test_a_wrong_answer_nobody_predicted_is_still_incorrect() -> None:
    feedback = lesson06.q1.check(-1)
    assert feedback.outcome is Outcome.INCORRECT
    assert feedback.mistake is None
