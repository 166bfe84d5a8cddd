"""Exercises for lesson 03: judging development with conversion, win rate, retention and churn.

All questions use the ``directsales`` case (the exercise edition of its work log, and its
orders). The mistakes are the ones that make rates look better or worse than they are: dividing
this period's deals by this period's contacts (period instead of cohort), conversion called win
rate, averaging rates instead of pooling the counts, rows instead of customers, won ÷ lost,
another team's or month's figure, a team's log cut out before "first time" is decided, and the
classic retention formula without taking the new customers out.

The teams are chosen so that every one of these lands outside the rounding a learner may use
(three decimals), and the right answer with two decimals is no mistake's: for the company as a
whole the mean of the monthly win rates is the pooled rate to four decimals, and the conversions
of 华东一组, 华东二组 and 华中一组 are 0.160–0.161, so q2 asks about 西南一组 and q3 about
华南一组.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

import pandas as pd

from devvolume.core import (
    INACTIVE_AFTER,
    activity_counts,
    conversion_rate,
    retention_rate,
    win_rate,
)
from devvolume.teach.exercises._cases import case, reached, rows_of, value_of, worklog
from devvolume.teach.exercises._question import Mistake, Question, numbered

__all__ = ["QUESTIONS", "q1", "q2", "q3", "q4"]

MEAN_OF_RATES = ("你把几个组各自的比率取了平均。各组人数不同，简单平均让小组和大组分量一样。"
                 "应该把分子加总、分母加总，再相除（合并计算）。")
ROW_RATIO = ("你用的是行数之比。一个客户被联系多次就有多行，老客户的回头单、流失后再试一次也各有一行。"
             "比率的分子、分母都要数客户，每个客户只算一次。")
FILTERED_FIRST = ("你先把日志筛成这个团队的行，再在这些行里算。可是别的团队接手跟进过的客户（回头单、"
                  "再次接触），在这个团队的行里看起来像是它自己的新客户、新结果。先在全公司的日志上算，"
                  "再取记在这个团队名下的那一份。")
WRONG_TEAM = "你算的是另一个团队的数，题目问的是{team}。检查筛选条件里的团队名。"
#: The quarter of q1 and the year of q3 (first days).
FIRST_QUARTER = "2025-01-01"
YEAR = "2025-01-01"


def _conversion(period: str, *, by: str | list[str] | None = None,
                form: Literal["cohort", "period"] = "cohort") -> pd.DataFrame:  # fmt: skip
    """Company-wide contact → won conversion; a team's is a slice of it (cohort credit)."""
    return conversion_rate(reached(), start="contacted", end="won", period=period, by=by,
                           form=form)  # fmt: skip


def _row_ratio(period: str, first_day: str, **groups: str) -> float:
    """Divide the mistaken way: 成交 rows over 首次接触 rows in the period."""
    by = list(groups) or None
    won = activity_counts(worklog(), period=period, level="won", by=by)
    contacted = activity_counts(worklog(), period=period, level="contacted", by=by)
    return (value_of(won, "level_rows", first_day, **groups)
            / value_of(contacted, "level_rows", first_day, **groups))  # fmt: skip


def _cohort_share(first_day: str, period: str = "Q") -> float:
    """Return the company's cohort conversion of the period starting ``first_day``."""
    return value_of(_conversion(period), "conversion", first_day)


def _first_quarter_monthly_mean() -> float:
    """Average the mistaken way: the plain mean of January's, February's and March's cohort rates."""
    monthly = _conversion("M")
    inside = monthly["period"] < pd.Timestamp("2025-04-01")
    return float(monthly.loc[inside, "conversion"].mean())


q1 = Question(
    variable="q1_cohort_conversion",
    prompt="2025 年一季度第一次接触的客户，最后有多大比例成交了（首次接触 → 成交的队列转化率，写成小数）？",
    expected=lambda: value_of(_conversion("Q"), "conversion", FIRST_QUARTER),
    hints=[
        "先圈定一群人：一季度第一次被接触的客户，这就是“队列”。再看这群人里后来有多少成交（哪怕成交在二季度以后）。",
        "不要用“一季度的成交数 ÷ 一季度的新接触数”：一季度成交的客户，有些是去年就接触的；"
        "一季度接触的客户，有些到二季度才成交。",
        "dv.conversion_rate(log, start='contacted', end='won', period='Q') 默认就是队列口径，"
        "取 period 为 2025-01-01 那一行的 conversion。",
    ],
    answer_code=(
        "conv = dv.conversion_rate(log, start='contacted', end='won', period='Q')\n"
        "q1_cohort_conversion = conv.loc[conv['period'] == '2025-01-01', 'conversion'].iloc[0]"
    ),
    unit="share",
    mistakes=[
        Mistake("period_not_cohort",
                "你只算了一季度之内就成交的客户（“同一季度的成交数 ÷ 同一季度的新接触数”，或者先把日志筛到"
                "一季度再算）。一季度接触的客户里，很多到二季度以后才成交；队列转化率要跟踪这同一批客户，"
                "一直到数据结束。",
                lambda: value_of(_conversion("Q", form="period"), "throughput", FIRST_QUARTER)),
        Mistake("row_count", ROW_RATIO, lambda: _row_ratio("Q", FIRST_QUARTER)),
        Mistake("mean_of_monthly_rates",
                "你把 1、2、3 月各自的队列转化率取了平均。每个月接触的客户数不同，简单平均让小月和大月"
                "分量一样。把一季度的客户合起来算：这批人里后来成交的 ÷ 这批人。",
                _first_quarter_monthly_mean),
        Mistake("win_rate_not_conversion",
                "你算的是一季度的赢单率（成交 ÷ (成交 + 流失)），题目问的是转化率：分母是这一季度第一次接触的"
                "所有客户，包括还在跟进、没有结果的。",
                lambda: value_of(win_rate(reached(), period="Q"), "win_rate", FIRST_QUARTER)),
        Mistake("part_of_cohort",
                "你只跟踪了 1 月第一次接触的客户。题目问的队列是整个一季度（1–3 月）第一次接触的客户，"
                "把三个月的客户合在一起算。", lambda: _cohort_share("2025-01-01", "M")),
        Mistake("wrong_period",
                "你算的是相邻那个季度的队列，题目问的是 2025 年一季度（1–3 月）第一次接触的客户。",
                lambda: _cohort_share("2025-04-01")),
    ],
)

WIN_TEAM = "西南一组"
TEAMS = ("先锋队", "华东一组", "华东二组", "华中一组", "华北一组", "华南一组", "西南一组")


def _team_win_rate(team: str = WIN_TEAM) -> float:
    return value_of(win_rate(reached(), by="team"), "win_rate", team=team)


def _team_outcomes(team: str = WIN_TEAM) -> tuple[float, float]:
    """(won, lost) customers credited to the team: its slice of the company's win rate."""
    table = win_rate(reached(), by="team")
    return value_of(table, "won", team=team), value_of(table, "lost", team=team)


def _outcome_rows(team: str = WIN_TEAM) -> float:
    """Divide the mistaken way: the team's 成交 rows over its 成交 and 流失 rows.

    The core counts customers, not outcome rows; this mistake's rows are counted here.
    """
    log = worklog()
    mine = log[log["team"] == team]
    won, lost = (mine["stage"] == "won").sum(), (mine["stage"] == "lost").sum()
    return float(won / (won + lost))


def _mean_win_rate(by: str) -> float:
    """Average the mistaken way: the plain mean of the team's reps' or months' win rates."""
    table = (win_rate(reached(), by=["team", "rep"]) if by == "rep"
             else win_rate(reached(), period="M", by="team"))
    return float(rows_of(table, team=WIN_TEAM)["win_rate"].mean())


def _filtered_win_rate() -> float:
    """Compute the mistaken way: the win rate of the team's rows alone."""
    log = worklog()
    return float(win_rate(log[log["team"] == WIN_TEAM])["win_rate"].iloc[0])


def _won_over_lost() -> float:
    """Divide the mistaken way: won ÷ lost (the odds, not the share)."""
    won, lost = _team_outcomes()
    return won / lost


q2 = Question(
    variable="team_win_rate",
    prompt=f"{WIN_TEAM} 2025 年的赢单率是多少？（赢单率 = 成交客户 ÷ (成交客户 + 流失客户)，写成小数）",
    expected=_team_win_rate,
    unit="share",
    hints=[
        "赢单率只看“已经有结果”的客户：成交了的，和流失了的。还在跟进中的客户不算进分母。"
        "成交、流失都数客户（去重），不数行。",
        f"团队的赢单率要把全团队合起来算：{WIN_TEAM}的成交客户 ÷ (成交客户 + 流失客户)。"
        "不要把 6 个人或 12 个月的赢单率取平均。",
        f"在全公司的日志上算 dv.win_rate(log, by='team')，取 team 为{WIN_TEAM}的那一行的 "
        "win_rate（不要先把日志筛成这个组再算）。",
    ],
    answer_code=(
        "rates = dv.win_rate(log, by='team')\n"
        f"team_win_rate = rates.loc[rates['team'] == '{WIN_TEAM}', 'win_rate'].iloc[0]"
    ),
    mistakes=[
        Mistake("row_count", ROW_RATIO, _outcome_rows),
        Mistake("mean_of_rates", MEAN_OF_RATES + "（这里是 6 位销售员的赢单率被平均了：有结果的客户"
                "少的人，平均时和多的人一样重。）", lambda: _mean_win_rate("rep")),
        Mistake("mean_of_monthly_rates",
                "你把 12 个月各自的赢单率取了平均。每个月有结果的客户数不同，简单平均让小月和大月分量一样。"
                "把全年的成交客户和流失客户各自加总，再相除。", lambda: _mean_win_rate("month")),
        Mistake("won_over_lost",
                "你用的是“成交 ÷ 流失”。赢单率的分母是所有有结果的客户：成交的加上流失的。",
                _won_over_lost),
        Mistake("loss_rate",
                "你算的是输单的比例（流失 ÷ (成交 + 流失)），题目问的是赢下来的比例：分子是成交客户。",
                lambda: 1 - _team_win_rate()),
        Mistake("conversion_not_win_rate",
                "你用的是“成交客户 ÷ 所有接触过的客户”，那是接触→成交的转化率。赢单率的分母只包括"
                "已有结果（成交或流失）的客户，还在跟进的客户不算。",
                lambda: value_of(_conversion("Y", by="team"), "conversion", YEAR, team=WIN_TEAM)),
        Mistake("whole_company",
                f"你算的是全公司的赢单率，题目问的是{WIN_TEAM}：从按团队拆开的结果里取这个团队的那一行。",
                lambda: float(win_rate(reached())["win_rate"].iloc[0])),
        *(Mistake("wrong_group", WRONG_TEAM.format(team=WIN_TEAM),
                  partial(_team_win_rate, team)) for team in TEAMS if team != WIN_TEAM),
        Mistake("filtered_first", FILTERED_FIRST, _filtered_win_rate),
    ],
)


TEAM = "华南一组"


def _team_reps() -> pd.DataFrame:
    """Return the team's reps' 2025 cohorts: a slice of the company's conversion by team and rep."""
    return rows_of(_conversion("Y", by=["team", "rep"]), YEAR, team=TEAM)


def _team_conversion(team: str) -> float:
    return value_of(_conversion("Y", by="team"), "conversion", YEAR, team=team)


q3 = Question(
    variable="team_conversion",
    prompt=f"{TEAM}有 6 位销售员。2025 年这个团队“首次接触 → 成交”的队列转化率是多少？"
           "（全团队合起来算，写成小数）",
    expected=lambda: value_of(_conversion("Y", by="team"), "conversion", YEAR, team=TEAM),
    unit="share",
    hints=[
        "团队的比率 ≠ 6 个人比率的平均数。有人接触了很多客户、转化很低，有人接触很少、转化很高："
        "简单平均会让两个人分量一样。",
        "把 6 个人的“2025 年新接触客户数”加起来做分母，“其中后来成交的客户数”加起来做分子。",
        "在全公司的日志上算 dv.conversion_rate(log, start='contacted', end='won', period='Y', "
        f"by=['team', 'rep'])，取 team 为{TEAM}的行，converted 求和 ÷ cohort 求和"
        "（不要先把日志筛成这个组再算）。",
    ],
    answer_code=(
        "conv = dv.conversion_rate(log, start='contacted', end='won', period='Y', "
        "by=['team', 'rep'])\n"
        f"team = conv[conv['team'] == '{TEAM}']\n"
        "team_conversion = team['converted'].sum() / team['cohort'].sum()"
    ),
    mistakes=[
        Mistake("mean_of_rates", MEAN_OF_RATES + "（这里是 6 位销售员的转化率被平均了。）",
                lambda: float(_team_reps()["conversion"].mean())),
        Mistake("row_count", ROW_RATIO, lambda: _row_ratio("Y", YEAR, team=TEAM)),
        Mistake("whole_company",
                f"你算的是全公司的转化率，题目问的是{TEAM}：从全公司按团队拆开的结果里，取这个团队的那一行"
                "（或这个团队 6 位销售员的行）。",
                lambda: value_of(_conversion("Y"), "conversion", YEAR)),
        *(Mistake("wrong_group", WRONG_TEAM.format(team=TEAM),
                  partial(_team_conversion, team)) for team in TEAMS if team != TEAM),
        Mistake("filtered_first", FILTERED_FIRST,
                lambda: value_of(conversion_rate(worklog()[worklog()["team"] == TEAM],
                                                 start="contacted", end="won", period="Y"),
                                 "conversion", YEAR)),
        Mistake("win_rate_not_conversion",
                "你算的是这个团队的赢单率（成交 ÷ (成交 + 流失)），题目问的是转化率：分母是 2025 年第一次"
                "接触的所有客户，包括还在跟进、没有结果的。",
                lambda: _team_win_rate(TEAM)),
    ],
)

JUNE = "2025-06-01"


def _june(month: str = JUNE) -> pd.Series:
    """June's (or ``month``'s) S (start), N (new), E (end), retention and churn, from the core."""
    table = retention_rate(case().orders, period="M", inactive_after=INACTIVE_AFTER)
    return rows_of(table, month).iloc[0]


def _retention(month: str) -> float:
    return float(_june(month)["retention"])


q4 = Question(
    variable="june_retention",
    prompt="用经典公式 (E − N) ÷ S 算 2025 年 6 月的客户保留率（写成小数）。"
           f"客户连续 {INACTIVE_AFTER} 个月没有下单就算流失；S、E、N 见课上的表。",
    expected=lambda: float(_june()["retention"]),
    unit="share",
    hints=[
        "S 是 5 月底还在的客户数，E 是 6 月底还在的客户数，N 是 6 月新来的客户数。",
        "E 里面包括了 6 月新来的客户，他们不是“留下来”的，所以要先减掉 N。",
        "dv.retention_rate(data.orders, period='M') 的 6 月那一行：(end − new) ÷ start，"
        "也就是 retention 列。",
    ],
    answer_code=(
        "rates = dv.retention_rate(data.orders, period='M')\n"
        "june = rates[rates['period'] == '2025-06-01'].iloc[0]\n"
        "june_retention = (june['end'] - june['new']) / june['start']"
    ),
    mistakes=[
        Mistake("ignored_new",
                "你没有从期末客户数 E 里减去本月新客户 N。新客户不是“留下来”的老客户，不减掉会让保留率偏高"
                "（甚至超过 100%）。", lambda: float(_june()["end"] / _june()["start"])),
        Mistake("churn_not_retention",
                "你算出来的是流失率（1 − 保留率），题目问的是保留率。",
                lambda: float(_june()["churn"])),
        Mistake("wrong_denominator",
                "分母用错了：你除以的是期末客户数 E。保留率问的是“期初的老客户留下了多少”，"
                "分母是期初客户数 S：(E − N) ÷ S。",
                lambda: float((_june()["end"] - _june()["new"]) / _june()["end"])),
        *(Mistake("wrong_period", "你算的是相邻那个月的保留率，题目问的是 2025 年 6 月：S 是 5 月底的客户，"
                  "E 是 6 月底的客户，N 是 6 月新来的客户。",
                  partial(_retention, month))
          for month in ("2025-05-01", "2025-07-01")),
    ],
)

QUESTIONS = numbered("03", q1, q2, q3, q4)
