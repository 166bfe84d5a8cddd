"""The catalogue of wrong methods: every way a learner is likely to get each exercise wrong.

For every question, each wrong method of issue 22's list that applies (rows instead of
customers, active instead of new, a log filtered first, an average of rates, the period next
door, another team, weekdays only, won ÷ lost, a percent for a share, the period form for the
cohort form, and what else the question invites) is computed here independently, in plain
pandas (:mod:`exercise_oracle`), never with the checker's own code, and the checker's reply to it
is pinned: the named diagnosis (a mistake code), the generic reply (``None``), or the format reply
(``format_percent``, ``format_decimals``: neither right nor wrong). No wrong answer may be
accepted, also when rounded or cut as a learner would write it; answers whose diagnoses differ
must differ as written. The methods that do not apply to a question are listed in
:data:`NOT_APPLICABLE` with the reason, and checked where the reason is a fact about the data.
"""

from __future__ import annotations

import decimal
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
import pytest
from exercise_oracle import (
    ANY_STAGE,
    active_in,
    cohort,
    crm_deal_counts,
    crm_deals,
    crm_win_rates,
    firsts,
    inside,
    month_last,
    monthly_actuals,
    new_in,
    outcomes,
    quarter_last,
    retention,
    rows_in,
    share,
    stalled,
    win_counts,
    win_share,
)

import devvolume as dv
from devvolume.teach.exercises import (
    Outcome,
    Question,
    lesson01,
    lesson02,
    lesson03,
    lesson04,
    lesson05,
    lesson06,
)
from devvolume.teach.exercises._cases import exercise_data
from devvolume.teach.exercises._question import UNITS, _normalise, decimals_shown

FORMAT = ("format_percent", "format_decimals")


@dataclass(frozen=True)
class Wrong:
    """A wrong method: what the learner did, the answer it gives, and the reply it must get."""

    method: str
    answer: Callable[[], Any]
    reply: str | None


@cache
def log() -> pd.DataFrame:
    """The exercises' work log (what ``exercise_data()`` gives the learner)."""
    return exercise_data().worklog


@cache
def case() -> dv.sim.Dataset:
    """The lessons' data (exercise 05 uses it as it is)."""
    return dv.load_dataset("directsales")


def practice() -> pd.DataFrame:
    return lesson01.practice_worklog()


def weekend() -> pd.DataFrame:
    return lesson02.weekend_worklog()


def teams() -> list[str]:
    return sorted(log()["team"].unique())


def team_reps(team: str) -> list[str]:
    return sorted(case().targets.loc[case().targets["team"] == team, "rep"].unique())


MAY = ("2026-05-01", "2026-05-31")
APRIL_2026 = ("2026-04-01", "2026-04-30")
JUNE_2026 = ("2026-06-01", "2026-06-30")
PRACTICE_REPS = ("陈晨", "赵敏")


def _per_rep(count: Callable[[str], int]) -> dict[str, int]:
    return {rep: count(rep) for rep in PRACTICE_REPS}


def _furthest_credit() -> dict[str, int]:
    """May's new contacts credited to the rep who took each customer furthest."""
    new = inside(firsts(practice(), "contacted"), *MAY).index
    credit = {}
    for customer in new:
        for level in ("won", "signed", "qualified", "contacted"):
            top = firsts(practice(), level)
            if customer in top.index:
                credit[customer] = top.loc[customer, "rep"]
                break
    return {rep: sum(r == rep for r in credit.values()) for rep in PRACTICE_REPS}


def _only_stages(frame: pd.DataFrame, stages: tuple[str, ...]) -> pd.DataFrame:
    return frame[frame["stage"].isin(stages)]


MARCH = ("2025-03-01", "2025-03-31")
SECOND_QUARTER = ("2025-04-01", "2025-06-30")


def _signed_by_team(first: str, last: str, level: str = "signed",
                    frame: Callable[[str], pd.DataFrame] | None = None) -> dict[str, int]:  # fmt: skip
    return {team: new_in(frame(team) if frame else log(), level, first, last,
                         **({} if frame else {"team": team})) for team in teams()}  # fmt: skip


LESSON01 = {
    "q1": [
        Wrong("首次接触 rows in May", lambda: rows_in(practice(), ("contacted",), *MAY),
              "row_count"),
        Wrong("every row of May", lambda: len(inside(practice(), *MAY)), "row_count"),
        Wrong("customers active in May", lambda: active_in(practice(), ANY_STAGE, *MAY),
              "active_not_new"),
        Wrong("log cut to May first, then first contacts",
              lambda: new_in(inside(practice(), *MAY), "contacted", *MAY), "active_not_new"),
        Wrong("首次接触 and 流失 rows only (implied stages missed)",
              lambda: new_in(_only_stages(practice(), ("contacted", "lost")), "contacted", *MAY),
              "ignored_implied"),
        Wrong("流失 rows left out",
              lambda: new_in(_only_stages(practice(), ("contacted", "qualified", "signed", "won")),
                             "contacted", *MAY), "lost_not_contact"),
        Wrong("首次接触 rows only", lambda: new_in(_only_stages(practice(), ("contacted",)),
                                               "contacted", *MAY), "contacted_rows_only"),
        Wrong("April", lambda: new_in(practice(), "contacted", *APRIL_2026), "wrong_period"),
        Wrong("June", lambda: new_in(practice(), "contacted", *JUNE_2026), "wrong_period"),
        Wrong("every customer of the log", lambda: practice()["customer"].nunique(), None),
    ],
    "q2": [
        Wrong("首次接触 rows per rep", lambda: _per_rep(
            lambda rep: rows_in(practice(), ("contacted",), *MAY, rep=rep)), "row_count"),
        Wrong("customers each rep worked on in May", lambda: _per_rep(
            lambda rep: active_in(practice(), ANY_STAGE, *MAY, rep=rep)), "active_not_new"),
        Wrong("credit to the rep who took the customer furthest", _furthest_credit,
              "credit_swapped"),
        Wrong("each rep's rows counted on their own", lambda: _per_rep(
            lambda rep: new_in(practice()[practice()["rep"] == rep], "contacted", *MAY)),
            "filtered_first"),
        Wrong("implied stages missed", lambda: _per_rep(lambda rep: new_in(
            _only_stages(practice(), ("contacted", "lost")), "contacted", *MAY, rep=rep)),
            "ignored_implied"),
        Wrong("流失 rows left out", lambda: _per_rep(lambda rep: new_in(
            _only_stages(practice(), ("contacted", "qualified", "signed", "won")), "contacted",
            *MAY, rep=rep)), "lost_not_contact"),
        Wrong("首次接触 rows only", lambda: _per_rep(lambda rep: new_in(
            _only_stages(practice(), ("contacted",)), "contacted", *MAY, rep=rep)),
            "contacted_rows_only"),
        Wrong("April", lambda: _per_rep(
            lambda rep: new_in(practice(), "contacted", *APRIL_2026, rep=rep)), "wrong_period"),
        Wrong("June", lambda: _per_rep(
            lambda rep: new_in(practice(), "contacted", *JUNE_2026, rep=rep)), "wrong_period"),
    ],
    "q3": [
        Wrong("首次接触 rows in March", lambda: rows_in(log(), ("contacted",), *MARCH),
              "row_count"),
        Wrong("every row of March", lambda: len(inside(log(), *MARCH)), "row_count"),
        Wrong("customers active in March", lambda: active_in(log(), ANY_STAGE, *MARCH),
              "active_not_new"),
        Wrong("log cut to March first", lambda: new_in(inside(log(), *MARCH), "contacted",
                                                       *MARCH), "active_not_new"),
        Wrong("different customers with a 首次接触 row in March",
              lambda: active_in(log(), ("contacted",), *MARCH), "distinct_not_first"),
        Wrong("February", lambda: new_in(log(), "contacted", "2025-02-01", "2025-02-28"),
              "wrong_period"),
        Wrong("April", lambda: new_in(log(), "contacted", "2025-04-01", "2025-04-30"),
              "wrong_period"),
        Wrong("a month of 30 days", lambda: new_in(log(), "contacted", "2025-03-01",
                                                   "2025-03-30"), "wrong_boundary"),
    ],
    "q4": [
        Wrong("customers with a 签约 or 成交 row in the quarter", lambda: {
            team: active_in(log(), ("signed", "won"), *SECOND_QUARTER, team=team)
            for team in teams()}, "active_not_new"),
        Wrong("签约 and 成交 rows", lambda: {
            team: rows_in(log(), ("signed", "won"), *SECOND_QUARTER, team=team)
            for team in teams()}, "row_count"),
        Wrong("new 成交 instead of 签约", lambda: _signed_by_team(*SECOND_QUARTER, level="won"),
              "wrong_level"),
        Wrong("first quarter", lambda: _signed_by_team("2025-01-01", "2025-03-31"),
              "wrong_period"),
        Wrong("third quarter", lambda: _signed_by_team("2025-07-01", "2025-09-30"),
              "wrong_period"),
        Wrong("each team's log cut out first", lambda: _signed_by_team(
            *SECOND_QUARTER, frame=lambda team: log()[log()["team"] == team]), "filtered_first"),
        Wrong("a team left out", lambda: {
            team: n for team, n in _signed_by_team(*SECOND_QUARTER).items() if team != "西南一组"},
            None),
    ],
}

WEEK_14 = ("2026-03-30", "2026-04-05")
JULY = ("2025-07-01", "2025-07-31")
LIU = "刘洋"
LIU_MONTHS = [f"2025-{m:02d}-01" for m in range(3, 13)]


def _liu(count: Callable[[str, str], int], months: list[str] = LIU_MONTHS) -> dict[str, int]:
    return {month: count(month, month_last(month)) for month in months}


def _weekdays(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["date"].dt.day_of_week < 5]


LESSON02 = {
    "q1": [
        Wrong("a week from Sunday", lambda: new_in(weekend(), "contacted", "2026-03-29",
                                                   "2026-04-04"), "sunday_week"),
        Wrong("the 1st to the 7th", lambda: new_in(weekend(), "contacted", "2026-04-01",
                                                   "2026-04-07"), "wrong_boundary"),
        Wrong("首次接触 rows", lambda: rows_in(weekend(), ("contacted",), *WEEK_14), "row_count"),
        Wrong("every row of the week", lambda: len(inside(weekend(), *WEEK_14)), "row_count"),
        Wrong("customers active in the week", lambda: active_in(weekend(), ANY_STAGE, *WEEK_14),
              "active_not_new"),
        Wrong("log cut to the week first", lambda: new_in(inside(weekend(), *WEEK_14),
                                                          "contacted", *WEEK_14), "active_not_new"),
        Wrong("weekend rows dropped first", lambda: new_in(_weekdays(weekend()), "contacted",
                                                           *WEEK_14), "weekdays_only"),
        Wrong("Monday to Friday", lambda: new_in(weekend(), "contacted", "2026-03-30",
                                                 "2026-04-03"), "weekdays_only"),
        Wrong("week 13", lambda: new_in(weekend(), "contacted", "2026-03-23", "2026-03-29"),
              "wrong_period"),
        Wrong("week 15", lambda: new_in(weekend(), "contacted", "2026-04-06", "2026-04-12"),
              "wrong_period"),
    ],
    "q2": [
        Wrong("a month of 30 days", lambda: new_in(log(), "contacted", "2025-07-01",
                                                   "2025-07-30"), "wrong_boundary"),
        Wrong("首次接触 rows", lambda: rows_in(log(), ("contacted",), *JULY), "row_count"),
        Wrong("every row of July", lambda: len(inside(log(), *JULY)), "row_count"),
        Wrong("customers active in July", lambda: active_in(log(), ANY_STAGE, *JULY),
              "active_not_new"),
        Wrong("log cut to July first", lambda: new_in(inside(log(), *JULY), "contacted", *JULY),
              "active_not_new"),
        Wrong("June", lambda: new_in(log(), "contacted", "2025-06-01", "2025-06-30"),
              "wrong_period"),
        Wrong("August", lambda: new_in(log(), "contacted", "2025-08-01", "2025-08-31"),
              "wrong_period"),
    ],
    "q3": [
        Wrong("months without a new customer left out", lambda: {
            m: n for m, n in _liu(lambda a, b: new_in(log(), "won", a, b, rep=LIU)).items() if n},
            "dropped_zero"),
        Wrong("new 签约 instead of 成交", lambda: _liu(lambda a, b: new_in(log(), "signed", a, b,
                                                                       rep=LIU)), "wrong_level"),
        Wrong("成交 rows", lambda: _liu(lambda a, b: rows_in(log(), ("won",), a, b, rep=LIU)),
              "row_count"),
        Wrong("customers with a 成交 row", lambda: _liu(
            lambda a, b: active_in(log(), ("won",), a, b, rep=LIU)), "active_not_new"),
        Wrong("his own rows counted on their own", lambda: _liu(
            lambda a, b: new_in(log()[log()["rep"] == LIU], "won", a, b)), "filtered_first"),
        Wrong("the whole year, January and February too", lambda: _liu(
            lambda a, b: new_in(log(), "won", a, b, rep=LIU),
            [f"2025-{m:02d}-01" for m in range(1, 13)]), None),
    ],
    "q4": [
        Wrong("monthly active customers added up", lambda: sum(
            active_in(log(), ANY_STAGE, f"2025-{m:02d}-01", month_last(f"2025-{m:02d}-01"))
            for m in (4, 5, 6)), "summed_active"),
        Wrong("customers active in the quarter", lambda: active_in(log(), ANY_STAGE,
                                                                   *SECOND_QUARTER),
              "active_not_new"),
        Wrong("log cut to the quarter first", lambda: new_in(inside(log(), *SECOND_QUARTER),
                                                             "contacted", *SECOND_QUARTER),
              "active_not_new"),
        Wrong("首次接触 rows", lambda: rows_in(log(), ("contacted",), *SECOND_QUARTER),
              "row_count"),
        Wrong("every row of the quarter", lambda: len(inside(log(), *SECOND_QUARTER)),
              "row_count"),
        Wrong("first quarter", lambda: new_in(log(), "contacted", "2025-01-01", "2025-03-31"),
              "wrong_period"),
        Wrong("third quarter", lambda: new_in(log(), "contacted", "2025-07-01", "2025-09-30"),
              "wrong_period"),
    ],
}

Q1_2025 = ("2025-01-01", "2025-03-31")
YEAR = ("2025-01-01", "2025-12-31")
WIN_TEAM = lesson03.WIN_TEAM
CONVERSION_TEAM = lesson03.TEAM


def _rows_ratio(won_stages: tuple[str, ...], base_stages: tuple[str, ...], first: str,
                last: str, **on_row: str) -> float:  # fmt: skip
    """Rows over rows: the ratio a learner who counts rows, not customers, gets."""
    return (rows_in(log(), won_stages, first, last, **on_row)
            / rows_in(log(), base_stages, first, last, **on_row))  # fmt: skip


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _team_win_rate_monthly(team: str) -> float:
    months = [f"2025-{m:02d}-01" for m in range(1, 13)]
    return _mean([win_share(win_counts(log(), m, month_last(m), team=team)) for m in months])


def _retention(month: str) -> float:
    counts = retention(case().orders, month)
    return (counts["E"] - counts["N"]) / counts["S"]


def _cohort_in(frame: pd.DataFrame, first: str, last: str) -> float:
    return share(cohort(frame, first, last))


def _win_rate_of(frame: pd.DataFrame) -> float:
    return win_share(win_counts(frame))


LESSON03 = {
    "q1": [
        Wrong("the quarter's new wins ÷ its new contacts (period form)",
              lambda: new_in(log(), "won", *Q1_2025) / new_in(log(), "contacted", *Q1_2025),
              "period_not_cohort"),
        Wrong("log cut to the quarter first", lambda: _cohort_in(inside(log(), *Q1_2025),
                                                                 *Q1_2025), "period_not_cohort"),
        Wrong("成交 rows ÷ 首次接触 rows", lambda: _rows_ratio(("won",), ("contacted",), *Q1_2025),
              "row_count"),
        Wrong("mean of the three monthly cohorts", lambda: _mean([
            share(cohort(log(), m, month_last(m))) for m in ("2025-01-01", "2025-02-01",
                                                             "2025-03-01")]),
              "mean_of_monthly_rates"),
        Wrong("the quarter's win rate", lambda: win_share(win_counts(log(), *Q1_2025)),
              "win_rate_not_conversion"),
        Wrong("January's cohort only", lambda: share(cohort(log(), "2025-01-01", "2025-01-31")),
              "part_of_cohort"),
        Wrong("second quarter's cohort", lambda: share(cohort(log(), "2025-04-01", "2025-06-30")),
              "wrong_period"),
    ],
    "q2": [
        Wrong("成交 rows ÷ (成交 + 流失 rows)", lambda: _rows_ratio(
            ("won",), ("won", "lost"), *YEAR, team=WIN_TEAM), "row_count"),
        Wrong("mean of the team's reps' win rates", lambda: _mean([
            win_share(win_counts(log(), rep=rep)) for rep in team_reps(WIN_TEAM)]),
            "mean_of_rates"),
        Wrong("mean of the 12 monthly win rates", lambda: _team_win_rate_monthly(WIN_TEAM),
              "mean_of_monthly_rates"),
        Wrong("won ÷ lost", lambda: (lambda c: c[0] / c[1])(win_counts(log(), team=WIN_TEAM)),
              "won_over_lost"),
        Wrong("lost ÷ (won + lost)", lambda: 1 - win_share(win_counts(log(), team=WIN_TEAM)),
              "loss_rate"),
        Wrong("won ÷ every customer contacted (a conversion)",
              lambda: share(cohort(log(), *YEAR, team=WIN_TEAM)), "conversion_not_win_rate"),
        Wrong("the whole company", lambda: win_share(win_counts(log())), "whole_company"),
        *(Wrong(f"team {team}", lambda team=team: win_share(win_counts(log(), team=team)),
                "wrong_group") for team in sorted(set(case().worklog["team"]) - {WIN_TEAM})),
        Wrong("the team's log cut out first", lambda: _win_rate_of(
            log()[log()["team"] == WIN_TEAM]), "filtered_first"),
    ],
    "q3": [
        Wrong("mean of the six reps' conversions", lambda: _mean([
            share(cohort(log(), *YEAR, rep=rep)) for rep in team_reps(CONVERSION_TEAM)]),
            "mean_of_rates"),
        Wrong("成交 rows ÷ 首次接触 rows", lambda: _rows_ratio(
            ("won",), ("contacted",), *YEAR, team=CONVERSION_TEAM), "row_count"),
        Wrong("the whole company", lambda: share(cohort(log(), *YEAR)), "whole_company"),
        *(Wrong(f"team {team}", lambda team=team: share(cohort(log(), *YEAR, team=team)),
                "wrong_group")
          for team in sorted(set(case().worklog["team"]) - {CONVERSION_TEAM})),
        Wrong("the team's log cut out first", lambda: _cohort_in(
            log()[log()["team"] == CONVERSION_TEAM], *YEAR), "filtered_first"),
        Wrong("the team's win rate", lambda: win_share(win_counts(log(), team=CONVERSION_TEAM)),
              "win_rate_not_conversion"),
    ],
    "q4": [
        Wrong("E ÷ S (new customers kept in)", lambda: (lambda c: c["E"] / c["S"])(
            retention(case().orders, "2025-06-01")), "ignored_new"),
        Wrong("churn", lambda: 1 - _retention("2025-06-01"), "churn_not_retention"),
        Wrong("(E − N) ÷ E", lambda: (lambda c: (c["E"] - c["N"]) / c["E"])(
            retention(case().orders, "2025-06-01")), "wrong_denominator"),
        Wrong("May", lambda: _retention("2025-05-01"), "wrong_period"),
        Wrong("July", lambda: _retention("2025-07-01"), "wrong_period"),
    ],
}

CHANNEL = lesson04.CHANNEL
BUSY = lesson04.BUSY_REP
TRAINED = lesson04.TRAINED_ON


def _effort(rep: str | None) -> float:
    rows = log() if rep is None else log()[log()["rep"] == rep]
    won = new_in(log(), "won", *YEAR, **({} if rep is None else {"rep": rep}))
    return len(rows) / won


LESSON04 = {
    "q1": [
        Wrong("成交 rows ÷ 首次接触 rows of the channel", lambda: _rows_ratio(
            ("won",), ("contacted",), *YEAR, channel=CHANNEL), "row_count"),
        Wrong("mean of the channel's 12 monthly cohorts", lambda: _mean([
            share(cohort(log(), m, month_last(m), channel=CHANNEL))
            for m in (f"2025-{k:02d}-01" for k in range(1, 13))]), "mean_of_rates"),
        Wrong("the channel's win rate", lambda: win_share(win_counts(log(), channel=CHANNEL)),
              "win_rate_not_conversion"),
        Wrong("every channel together", lambda: share(cohort(log(), *YEAR)), "whole_company"),
        *(Wrong(f"channel {other}", lambda other=other: share(cohort(log(), *YEAR,
                                                                     channel=other)),
                "wrong_group")
          for other in sorted(set(case().worklog["channel"]) - {CHANNEL})),
    ],
    "q2": [
        Wrong("rows ÷ customers he first contacted", lambda: len(log()[log()["rep"] == BUSY])
              / new_in(log(), "contacted", *YEAR, rep=BUSY), "per_contacted"),
        Wrong("visits only", lambda: len(log()[(log()["rep"] == BUSY)
                                               & (log()["activity"] == "拜访")])
              / new_in(log(), "won", *YEAR, rep=BUSY), "visits_only"),
        Wrong("new customers ÷ rows", lambda: 1 / _effort(BUSY), "inverted_ratio"),
        Wrong("the whole company", lambda: _effort(None), "whole_company"),
        *(Wrong(f"rep {rep}", lambda rep=rep: _effort(rep), "wrong_group")
          for rep in team_reps("华东二组") if rep != BUSY),
        Wrong("rounded to a whole number", lambda: round(_effort(BUSY)), "format_decimals"),
    ],
    "q3": [
        Wrong("his new wins after the training ÷ his cohort after it",
              lambda: new_in(log(), "won", TRAINED, "2025-12-31", rep=LIU)
              / cohort(log(), TRAINED, "2025-12-31", rep=LIU)[1], "period_not_cohort"),
        Wrong("his whole year", lambda: share(cohort(log(), *YEAR, rep=LIU)), "no_split"),
        Wrong("before the training", lambda: share(cohort(log(), "2025-01-01", "2025-05-11",
                                                          rep=LIU)), "before_not_after"),
        Wrong("from the day after", lambda: share(cohort(log(), "2025-05-13", "2025-12-31",
                                                         rep=LIU)), "wrong_boundary"),
        Wrong("his own rows counted on their own", lambda: _cohort_in(
            log()[log()["rep"] == LIU], TRAINED, "2025-12-31"), "filtered_first"),
    ],
}


@cache
def _baseline() -> Any:
    data = case()
    return dv.teach.baseline_from_worklog(data.worklog, targets=data.targets,
                                          model=dv.sim.CASES["directsales"].model)


def _plan(**levels: float) -> Any:
    return dv.teach.project_strategies(_baseline(), **levels)


def _attainment_rows(level: str = "won") -> pd.DataFrame:
    return monthly_actuals(case().worklog, case().targets, level)


def _pooled(rows: pd.DataFrame) -> float:
    return rows["actual"].sum() / rows["target"].sum()


def _mean_by(rows: pd.DataFrame, key: str) -> float:
    grouped = rows.groupby(key)[["actual", "target"]].sum()
    return float((grouped["actual"] / grouped["target"]).mean())


ALL_FULL = {"targeting": 1.0, "process": 1.0, "training": 1.0, "digital": 1.0}

LESSON05 = {
    "q1": [
        Wrong("mean of the reps' attainments", lambda: _mean_by(_attainment_rows(), "rep"),
              "mean_of_rates"),
        Wrong("mean of the 12 months' attainments", lambda: _mean_by(_attainment_rows(),
                                                                     "period"),
              "mean_of_monthly_rates"),
        Wrong("new 签约 instead of 成交", lambda: _pooled(_attainment_rows("signed")),
              "wrong_level"),
    ],
    "q2": [
        Wrong("the plan's total", lambda: _plan(training=1.0).won, "total_not_extra"),
        Wrong("the growth as a ratio",
              lambda: (_plan(training=1.0).won - _baseline().won_per_month)
              / _baseline().won_per_month, "ratio_not_count"),
        Wrong("the growth as a percent",
              lambda: 100 * (_plan(training=1.0).won - _baseline().won_per_month)
              / _baseline().won_per_month, "percent_not_count"),
        Wrong("rounded to whole customers",
              lambda: round(_plan(training=1.0).won - _baseline().won_per_month),
              "format_decimals"),
    ],
    "q3": [
        Wrong("the four strategies' extras added up", lambda: sum(
            _plan(**{code: 1.0}).won - _baseline().won_per_month for code in ALL_FULL),
            "added_effects"),
        Wrong("the plan's total", lambda: _plan(**ALL_FULL).won, "total_not_extra"),
        Wrong("rounded to whole customers",
              lambda: round(_plan(**ALL_FULL).won - _baseline().won_per_month),
              "format_decimals"),
    ],
    "q4": [
        Wrong("extra value only", lambda: _plan(digital=1.0).extra_value_per_month,
              "cost_not_net"),
        Wrong("setup cost left out", lambda: _plan(digital=1.0).extra_value_per_month
              - _plan(digital=1.0).monthly_cost, "setup_ignored"),
        Wrong("setup cost in one month", lambda: _plan(digital=1.0).extra_value_per_month
              - _plan(digital=1.0).monthly_cost - _plan(digital=1.0).setup_cost,
              "setup_at_once"),
    ],
}

MEETING_TEAM = lesson06.TEAM
WEEK = (lesson06.WEEK, f"{pd.Timestamp(lesson06.WEEK) + pd.Timedelta(days=6):%Y-%m-%d}")
MEETING_DAY = lesson06.MEETING_DAY
IDLE = 14      # STALLED_AFTER_DAYS: the idle days of a stalled customer
QUARTER_TEAM = lesson06.QUARTER_TEAM
BONUS, ACCELERATOR = lesson06.BONUS, lesson06.ACCELERATOR


def _week(offset: int) -> tuple[str, str]:
    first = pd.Timestamp(WEEK[0]) + pd.Timedelta(days=7 * offset)
    return f"{first:%Y-%m-%d}", f"{first + pd.Timedelta(days=6):%Y-%m-%d}"


def _stalled_count(frame: pd.DataFrame, team: str, **options: Any) -> int:
    table = stalled(frame, MEETING_DAY, IDLE, **options)
    return int((table["team"] == team).sum())


def _closed_included() -> int:
    """Quiet customers at 意向 or later, won and lost ones too: the outcome rows ignored.

    Each is credited to the row that set the date of its highest level short of 成交 (a won
    customer signed, even when only a 成交 row says so).
    """
    seen = log()[log()["date"] <= pd.Timestamp(MEETING_DAY)]
    last_day = seen.groupby("customer")["date"].max()
    top = pd.concat([firsts(seen, level) for level in ("signed", "qualified")])
    top = top[~top.index.duplicated(keep="first")]
    idle = (pd.Timestamp(MEETING_DAY) - last_day.reindex(top.index)).dt.days
    return int(((idle >= IDLE) & (top["team"] == MEETING_TEAM)).sum())


def _quarter(first: str, team: str | None = QUARTER_TEAM, level: str = "won") -> pd.DataFrame:
    rows = _attainment_rows(level)
    rows = rows[rows["period"].between(pd.Timestamp(first), pd.Timestamp(quarter_last(first)))]
    return rows if team is None else rows[rows["team"] == team]


@cache
def crm() -> pd.DataFrame:
    """The deals of the kit's example CRM export, read from the files themselves (exercise 06 q5)."""
    export, roster = dv.teach.crm_example_files()
    return crm_deals(pd.read_csv(export), pd.read_csv(roster))


CRM_TEAM = lesson06.CRM_TEAM


def _crm_rates(**changes: float) -> dict[str, float]:
    """The team's right rates, with some changed (the wrong methods)."""
    return {**crm_win_rates(crm(), CRM_TEAM), **changes}


def _bonus(team: str, how: str = "right") -> float:
    months = _attainment_rows()
    months = months[months["team"] == team]
    actual, target = months["actual"].astype(float), months["target"].astype(float)
    within = actual.where(actual < target, target)
    above = actual - within
    if how == "flat":
        return float((actual * BONUS).sum())
    if how == "all":
        return float((actual * BONUS * (1 + (ACCELERATOR - 1) * (actual > target))).sum())
    if how == "swapped":
        return float((within * BONUS * ACCELERATOR + above * BONUS).sum())
    return float((within * BONUS + above * BONUS * ACCELERATOR).sum())


LESSON06 = {
    "q1": [
        Wrong("首次接触 rows", lambda: rows_in(log(), ("contacted",), *WEEK, team=MEETING_TEAM),
              "row_count"),
        Wrong("every row of the team that week", lambda: len(inside(log(), *WEEK,
                                                                    team=MEETING_TEAM)),
              "row_count"),
        Wrong("customers active that week", lambda: active_in(log(), ANY_STAGE, *WEEK,
                                                              team=MEETING_TEAM),
              "active_not_new"),
        Wrong("Monday to next Monday", lambda: new_in(
            log(), "contacted", WEEK[0],
            f"{pd.Timestamp(WEEK[1]) + pd.Timedelta(days=1):%Y-%m-%d}", team=MEETING_TEAM),
            "wrong_boundary"),
        Wrong("the whole company", lambda: new_in(log(), "contacted", *WEEK), "whole_company"),
        *(Wrong(f"team {team}", lambda team=team: new_in(log(), "contacted", *WEEK, team=team),
                "wrong_group")
          for team in sorted(set(case().worklog["team"]) - {MEETING_TEAM})),
        Wrong("the week before", lambda: new_in(log(), "contacted", *_week(-1),
                                                team=MEETING_TEAM), "wrong_period"),
        Wrong("the week after", lambda: new_in(log(), "contacted", *_week(1),
                                               team=MEETING_TEAM), "wrong_period"),
        Wrong("the team's log cut out first", lambda: new_in(
            log()[log()["team"] == MEETING_TEAM], "contacted", *WEEK), "filtered_first"),
    ],
    "q2": [
        Wrong("won and lost customers too", _closed_included, "included_closed"),
        Wrong("from 首次接触 on", lambda: _stalled_count(log(), MEETING_TEAM,
                                                     from_level="contacted"), "contacted_too"),
        Wrong("意向 only", lambda: int(((stalled(log(), MEETING_DAY, IDLE)["level"] == "qualified")
                                      & (stalled(log(), MEETING_DAY, IDLE)["team"]
                                         == MEETING_TEAM)).sum()), "qualified_only"),
        *(Wrong(f"team {team}", lambda team=team: _stalled_count(log(), team), "wrong_group")
          for team in sorted(set(case().worklog["team"]) - {MEETING_TEAM})),
        Wrong("the team's log cut out first", lambda: _stalled_count(
            log()[log()["team"] == MEETING_TEAM], MEETING_TEAM), "filtered_first"),
    ],
    "q3": [
        Wrong("mean of the reps' attainments", lambda: _mean_by(_quarter("2025-04-01"), "rep"),
              "mean_of_rates"),
        Wrong("mean of every rep's monthly attainment", lambda: float(
            (_quarter("2025-04-01")["actual"] / _quarter("2025-04-01")["target"]).mean()),
            "mean_of_monthly_rates"),
        Wrong("new 签约 instead of 成交", lambda: _pooled(_quarter("2025-04-01", level="signed")),
              "wrong_level"),
        Wrong("the whole company", lambda: _pooled(_quarter("2025-04-01", team=None)),
              "whole_company"),
        *(Wrong(f"team {team}", lambda team=team: _pooled(_quarter("2025-04-01", team=team)),
                "wrong_group")
          for team in sorted(set(case().worklog["team"]) - {QUARTER_TEAM})),
        Wrong("first quarter", lambda: _pooled(_quarter("2025-01-01")), "wrong_period"),
        Wrong("third quarter", lambda: _pooled(_quarter("2025-07-01")), "wrong_period"),
    ],
    "q4": [
        Wrong("no accelerator", lambda: _bonus(MEETING_TEAM, "flat"), "no_accelerator"),
        Wrong("every customer accelerated in a month above target",
              lambda: _bonus(MEETING_TEAM, "all"), "all_accelerated"),
        Wrong("accelerator on the customers within target",
              lambda: _bonus(MEETING_TEAM, "swapped"), "accelerator_swapped"),
        *(Wrong(f"team {team}", lambda team=team: _bonus(team), "wrong_group")
          for team in sorted(set(case().worklog["team"]) - {MEETING_TEAM})),
    ],
    "q5": [
        Wrong("the customer win rate for the deal one", lambda: _crm_rates(
            商机=crm_win_rates(crm(), CRM_TEAM)["客户"]), "customer_for_deal"),
        Wrong("the deal win rate for the customer one", lambda: _crm_rates(
            客户=crm_win_rates(crm(), CRM_TEAM)["商机"]), "deal_for_customer"),
        Wrong("the two swapped", lambda: {"客户": crm_win_rates(crm(), CRM_TEAM)["商机"],
                                          "商机": crm_win_rates(crm(), CRM_TEAM)["客户"]},
              "units_swapped"),
        Wrong("customers' outcomes on the team's own deals", lambda: _crm_rates(
            客户=crm_win_rates(crm()[crm()["team"] == CRM_TEAM])["客户"]), "filtered_first"),
        Wrong("deals won ÷ lost", lambda: _crm_rates(
            商机=crm_deal_counts(crm(), CRM_TEAM)[0] / crm_deal_counts(crm(), CRM_TEAM)[1]),
            "won_over_lost"),
        Wrong("open deals in the denominator", lambda: _crm_rates(
            商机=crm_deal_counts(crm(), CRM_TEAM)[0] / sum(crm_deal_counts(crm(), CRM_TEAM))),
            "open_included"),
        Wrong("the whole company", lambda: crm_win_rates(crm()), "whole_company"),
        *(Wrong(f"team {team}", lambda team=team: crm_win_rates(crm(), team), "wrong_group")
          for team in sorted(set(crm()["team"]) - {CRM_TEAM})),
        Wrong("a percent", lambda: {k: round(100 * v, 1) for k, v in _crm_rates().items()},
              "format_percent"),
        Wrong("deals won ÷ all deals, two decimals", lambda: _crm_rates(
            商机=round(crm_deal_counts(crm(), CRM_TEAM)[0] / sum(crm_deal_counts(crm(), CRM_TEAM)), 2)),
            "format_decimals"),
    ],
}

CATALOGUE: dict[str, dict[str, list[Wrong]]] = {
    "01": LESSON01, "02": LESSON02, "03": LESSON03, "04": LESSON04, "05": LESSON05,
    "06": LESSON06}
MODULES = {"01": lesson01, "02": lesson02, "03": lesson03, "04": lesson04, "05": lesson05,
           "06": lesson06}

#: The methods of issue 22's list a question leaves out, and why.
NOT_APPLICABLE = {
    "weekdays only": "every log but exercise 02 q1's has weekday rows only (checked below)",
    "won ÷ lost": "only the win rates (03 q2, 06 q5) have won and lost parts",
    "period form for cohort form": "03 q1 and 04 q3 have it; over one whole year (03 q3, 04 q1) "
                                   "every customer won in the data was contacted in it, so the "
                                   "period form is the cohort itself",
    "another channel's log cut out first (04 q1)": "a customer keeps one channel on every row",
    "percent for share": "only the shares (03, 04 q1 and q3, 05 q1, 06 q3 and q5) have it",
}


def _question(lesson: str, name: str) -> Question:
    module = MODULES[lesson]
    return next(q for q in module.QUESTIONS if q.name == name)


ENTRIES = [(f"{lesson}.{name}:{wrong.method}", lesson, name, wrong)
           for lesson, questions in CATALOGUE.items() for name, wrongs in questions.items()
           for wrong in wrongs]
QUESTIONS = [(f"{lesson}.{q.name}", lesson, q) for lesson, module in MODULES.items()
             for q in module.QUESTIONS]


def _ids(items: list[tuple[Any, ...]]) -> list[str]:
    return [item[0] for item in items]


def _share_forms(question: Question) -> list[Wrong]:
    """A share's right answer as a percent and with two decimals: the format replies.

    For a table of shares, every value as a percent (its two-decimal form is left out where it
    is the value itself, as in 06 q5).
    """
    if not UNITS[question.unit].share:
        return []
    if question.kind == "table":
        table = _normalise(question.expected(), "table")
        return [Wrong("a percent", lambda: {k: round(100 * v, 2) for k, v in table.items()},
                      "format_percent")]
    value = float(question.expected())
    return [Wrong("a percent", lambda: round(100 * value, 2), "format_percent"),
            Wrong("two decimals", lambda: round(value, 2), "format_decimals")]


def written(value: float, places: int, least: int) -> set[float]:
    """``value`` as a learner writes it with ``places`` decimals: rounded either way, or cut.

    A cut that ends in zeros (74.08 cut to 74.0) reads as fewer than ``least`` decimals once it
    is a float, which the checker cannot tell from a coarser rounding: it is left out.
    """
    step = decimal.Decimal(1).scaleb(-places)
    exact = decimal.Decimal(repr(float(value)))
    rounded = {float(exact.quantize(step, rounding=mode))
               for mode in (decimal.ROUND_HALF_UP, decimal.ROUND_HALF_EVEN)}
    cut = float(exact.quantize(step, rounding=decimal.ROUND_DOWN))
    return rounded | ({cut} if decimals_shown(cut) >= least else set())


def _forms(answer: Any, question: Question) -> list[Any]:
    """The answer itself and, for a rounded unit, every way to write it down to its decimals."""
    unit = UNITS[question.unit]
    if unit.decimals is None:
        return [answer]
    if question.kind == "table":  # each value written to the same decimals, rounded or cut
        table = _normalise(answer, "table")
        keys = list(table)
        forms = [answer]
        for places in range(unit.decimals, 7):
            options = [sorted(written(table[k], places, unit.decimals) | ({table[k]} if
                              decimals_shown(table[k]) < places else set())) for k in keys]  # fmt: skip
            forms += [dict(zip(keys, values, strict=True)) for values in itertools.product(*options)]
        return forms
    if question.kind != "number":
        return [answer]
    return [answer, *sorted({f for places in range(unit.decimals, 7)
                             for f in written(float(answer), places, unit.decimals)})]


# --- the tests --------------------------------------------------------------------------------------


def test_every_question_has_a_catalogue() -> None:
    assert {label for label, _, _ in QUESTIONS} == {
        f"{lesson}.{name}" for lesson, questions in CATALOGUE.items() for name in questions}


@pytest.mark.parametrize(("label", "lesson", "name", "wrong"), ENTRIES, ids=_ids(ENTRIES))
def test_each_wrong_method_gets_its_reply(label: str, lesson: str, name: str,
                                          wrong: Wrong) -> None:  # fmt: skip
    question = _question(lesson, name)
    answer = wrong.answer()
    for form in _forms(answer, question):
        feedback = question.check(form)
        assert feedback.outcome is not Outcome.CORRECT, (label, form)
        expected_outcome = Outcome.FORMAT if wrong.reply in FORMAT else Outcome.INCORRECT
        assert feedback.outcome is expected_outcome, (label, form, feedback.message)
        assert feedback.mistake == wrong.reply, (label, form, feedback.message)


@pytest.mark.parametrize(("label", "lesson", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_a_share_as_a_percent_or_with_two_decimals_is_asked_again(label: str, lesson: str,
                                                                  question: Question) -> None:
    for wrong in _share_forms(question):
        feedback = question.check(wrong.answer())
        assert feedback.outcome is Outcome.FORMAT, (label, wrong.method)
        assert feedback.mistake == wrong.reply, label


@pytest.mark.parametrize(("label", "lesson", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_answers_with_other_replies_differ_as_written(label: str, lesson: str,
                                                      question: Question) -> None:
    """No two wrong methods whose replies differ give the same answer, rounded or not.

    The right answer is one of the "methods" here, so nothing wrong is ever within its rounding.
    """
    lesson_name, name = label.split(".")
    entries = [("right", "correct", question.expected()),
               *((w.method, w.reply, w.answer()) for w in CATALOGUE[lesson_name][name]
                 if w.reply not in FORMAT)]
    clashes = []
    for (m1, r1, a1), (m2, r2, a2) in itertools.combinations(entries, 2):
        if r1 == r2 or ((r1 is None or r2 is None) and "correct" not in (r1, r2)):
            continue
        forms1 = {str(_normalise(f, question.kind)) for f in _forms(a1, question)}
        forms2 = {str(_normalise(f, question.kind)) for f in _forms(a2, question)}
        if forms1 & forms2:
            clashes.append((m1, m2, a1, a2))
    assert clashes == [], label


@pytest.mark.parametrize(("label", "lesson", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_every_named_mistake_is_in_the_catalogue(label: str, lesson: str,
                                                 question: Question) -> None:
    """The catalogue reaches every diagnosis the checker can give."""
    replies = {w.reply for w in CATALOGUE[lesson][question.name]}
    assert {m.name for m in question.mistakes} <= replies, label


@pytest.mark.parametrize(("label", "lesson", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_a_count_one_off_is_rejected(label: str, lesson: str, question: Question) -> None:
    expected = question.expected()
    if question.unit != "count":
        return
    if question.kind == "number":
        for wrong in (expected + 1, expected - 1):
            assert question.check(wrong).outcome is Outcome.INCORRECT, (label, wrong)
        return
    table = _normalise(expected, "table")
    for key in table:
        for step in (1, -1):
            assert question.check({**table, key: table[key] + step}).outcome is Outcome.INCORRECT


@pytest.mark.parametrize(("label", "lesson", "question"), QUESTIONS, ids=_ids(QUESTIONS))
def test_the_right_answer_as_a_learner_writes_it_is_correct(label: str, lesson: str,
                                                           question: Question) -> None:
    for form in _forms(question.expected(), question):
        assert question.check(form).outcome is Outcome.CORRECT, (label, form)


# --- the seven answers of issue 22, and the data facts behind NOT_APPLICABLE -----------------------


@pytest.mark.parametrize(("lesson", "name", "answer", "reply"), [
    ("03", "q2", 0.294, "whole_company"),          # the old question's row-count rate
    ("03", "q2", 0.2936, "whole_company"),         # the old question's mean of monthly rates
    ("03", "q3", 0.161, "wrong_group"),            # 华东一组 (or 华中一组) instead of 华东二组
    ("03", "q3", 0.16102, "wrong_group"),          # 华中一组 to five decimals
    ("01", "q3", 524, None),                       # 523 + 1
    ("02", "q2", 553, None),                       # 552 + 1
    ("02", "q4", 1450, None),                      # 1,449 + 1
])
def test_the_answers_that_passed_before_are_rejected(lesson: str, name: str, answer: float,
                                                     reply: str | None) -> None:  # fmt: skip
    feedback = _question(lesson, name).check(answer)
    assert feedback.outcome is Outcome.INCORRECT
    assert feedback.mistake == reply


def test_the_old_methods_of_issue_22_are_diagnosed() -> None:
    """The methods behind those answers, on today's questions: a row-count win rate, a mean of
    monthly win rates, a log cut to the team first."""
    q2, q3 = lesson03.q2, lesson03.q3
    assert q2.check(_rows_ratio(("won",), ("won", "lost"), *YEAR, team=WIN_TEAM)).mistake == (
        "row_count")
    assert q2.check(_team_win_rate_monthly(WIN_TEAM)).mistake == "mean_of_monthly_rates"
    assert q3.check(_cohort_in(log()[log()["team"] == CONVERSION_TEAM], *YEAR)).mistake == (
        "filtered_first")


def test_a_missing_team_is_not_called_a_zero_period() -> None:
    table = dict(lesson01.q4.expected())
    del table["西南一组"]
    message = lesson01.q4.check(table).message
    assert "西南一组" in message
    assert "为 0" not in message


def test_only_the_weekend_log_has_weekend_rows() -> None:
    for frame in (log(), practice(), case().worklog):
        assert (frame["date"].dt.day_of_week < 5).all()
    assert (weekend()["date"].dt.day_of_week >= 5).any()


def test_a_customer_keeps_its_channel() -> None:
    assert (log().groupby("customer")["channel"].nunique() == 1).all()


def test_the_exercise_log_keeps_every_first_date_and_outcome() -> None:
    """The follow-up rows change no number the lessons quote about new customers."""
    for level in ("contacted", "qualified", "signed", "won"):
        before, after = firsts(case().worklog, level), firsts(log(), level)
        assert before[["date", "rep", "team"]].equals(after[["date", "rep", "team"]]), level
    assert outcomes(case().worklog)[["outcome", "date"]].sort_index().equals(
        outcomes(log())[["outcome", "date"]].sort_index())
    assert len(log()) > len(case().worklog)
    assert (log().groupby("customer")["team"].nunique() > 1).any()   # teams share customers


def test_over_the_whole_year_the_period_form_is_the_cohort() -> None:
    """Why 03 q3 and 04 q1 catalogue no period form: over 2025 it is the same number."""
    for credit in ({"team": CONVERSION_TEAM}, {"channel": CHANNEL}):
        period_form = new_in(log(), "won", *YEAR, **credit) / new_in(log(), "contacted", *YEAR,
                                                                      **credit)
        assert period_form == share(cohort(log(), *YEAR, **credit)), credit
