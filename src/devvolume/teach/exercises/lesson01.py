"""Exercises for lesson 01: what counts as a newly developed customer.

q1 and q2 use the 20-row practice log (:func:`practice_worklog`), small enough to count by hand;
the lesson works through the toy log (:func:`toy_worklog`) with the same traps. q3 and q4 use
the ``directsales`` case. Expected answers come from the core (:func:`development_volume`);
the row count and the active-customer count come from :func:`activity_counts`. The other
mistakes look at the wrong rows (only 首次接触 rows, no 流失 rows, …): their answers are the
core's count on the rows that mistake looks at, so the module never decides "first time" itself.
A credit mistake (the rep who took the customer furthest instead of the first contact) reads
the core's reached-levels table.

Every question's data separate its mistakes: each gives another answer than the right one and
than each other (q4 asks about the second quarter: in the data's first quarter every customer
active at 签约 is new, so that mistake could not be told apart there). The month or quarter
next door is a mistake of its own; so is recounting "first time" on each rep's or team's rows
alone (the exercise edition of the case, :func:`~devvolume.teach.exercises.exercise_data`,
has customers that two teams worked on).
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from devvolume.core import STAGE_RANK, activity_counts, development_volume, reached_levels
from devvolume.teach.exercises._cases import (
    new_between,
    per_group,
    practice_worklog,
    reached,
    toy_worklog,
    value_of,
    worklog,
)
from devvolume.teach.exercises._question import Mistake, Question, numbered

__all__ = ["QUESTIONS", "practice_worklog", "q1", "q2", "q3", "q4", "toy_worklog"]

#: The month the practice-log questions ask about (its first day), and the months next door.
MONTH = "2026-05-01"
MONTHS_NEXT_DOOR = ("2026-04-01", "2026-06-01")
#: The month and quarter of q3 and q4 (first days), and the ones next door.
MARCH = "2025-03-01"
MARCH_NEXT_DOOR = ("2025-02-01", "2025-04-01")
SECOND_QUARTER = "2025-04-01"
QUARTERS_NEXT_DOOR = ("2025-01-01", "2025-07-01")

WRONG_MONTH = ("你数的是相邻那个月的新客户，题目问的是 5 月。先确认筛选的日期范围：5 月 1 日到 5 月 31 日。")
FILTERED_FIRST = ("你先把每个人（或每个团队）自己的行挑出来，再在这几行里找“第一次”。可是别人先接触过的客户，"
                  "在他的行里看起来也像第一次，于是同一个客户被算成了两个人的新客户。“第一次”要在整张日志上"
                  "定下来，再按定下日期的那一行记在谁名下。")

ROW_COUNT = ("你数的是行数（活动记录的条数），不是客户数。同一个客户被联系了好几次，就被你算了好几次。"
             "客户开发量要数“人头”，每个客户只算一次。")
ACTIVE_NOT_NEW = ("你数的是这个月“有动静”的客户（活跃客户），其中有些客户在更早的月份就已经接触过了，"
                  "不算这个月新开发的。只数第一次达到这个阶段的客户。")


def _new_contacted(month: str = MONTH) -> float:
    table = development_volume(practice_worklog(), level="contacted", period="M")
    return value_of(table, "volume", month)


def _practice_activity(by: str | None = None) -> pd.DataFrame:
    """Rows and merely active customers per month: the two classic mistakes."""
    return activity_counts(practice_worklog(), period="M", level="contacted", by=by)


def _mistake_new_on_rows(stages: tuple[str, ...]) -> float:
    """Count new contacts the mistaken way: looking only at rows whose stage is in ``stages``.

    A learner who skips the rows that imply a contact (a 签约 row, a 流失 row) finds the first
    contact of fewer customers; the core counts exactly the rows that learner looked at.
    """
    log = practice_worklog()
    seen = log[log["stage"].isin(stages)]
    return value_of(development_volume(seen, level="contacted", period="M"), "volume", MONTH)


q1 = Question(
    variable="may_new_contacted",
    prompt="看练习用的 20 行小工作日志：2026 年 5 月，这个团队新接触了几位客户？",
    expected=_new_contacted,
    hints=[
        "“新接触”指客户第一次被接触的那一天落在 5 月。4 月就接触过的客户，5 月再联系也不算新。",
        "阶段写着意向、签约、成交的行，说明那天（最晚当天）一定接触过；写着流失的行，也说明接触过。",
        "逐个客户看：找出它最早的一行（任何阶段都算接触），再看那一天是不是在 5 月。"
        "也可以用 dv.development_volume(practice, level='contacted', period='M')。",
    ],
    answer_code=(
        "new = dv.development_volume(practice, level='contacted', period='M')\n"
        "may_new_contacted = new.loc[new['period'] == '2026-05-01', 'volume'].sum()"
    ),
    mistakes=[
        Mistake("row_count", ROW_COUNT,
                lambda: value_of(_practice_activity(), "level_rows", MONTH)),
        Mistake("row_count", ROW_COUNT,
                lambda: value_of(_practice_activity(), "activities", MONTH)),
        Mistake("active_not_new", ACTIVE_NOT_NEW,
                lambda: value_of(_practice_activity(), "active_customers", MONTH)),
        Mistake("ignored_implied",
                "你漏掉了没有“首次接触”行、直接写着签约或成交的客户。能签约、成交，说明当天（最晚当天）"
                "已经接触过，这些更早的阶段是“隐含”的，也要算上。",
                lambda: _mistake_new_on_rows(("contacted", "lost"))),
        Mistake("lost_not_contact",
                "你漏掉了写着“流失”的客户。第一次见面就流失，也说明接触过了：流失行要算一次接触。",
                lambda: _mistake_new_on_rows(("contacted", "qualified", "signed", "won"))),
        Mistake("contacted_rows_only",
                "你只看了阶段写着“首次接触”的行，漏掉了两类客户：直接写着签约、成交的（接触是隐含的），"
                "和接触后当场流失的（流失行也是一次接触）。",
                lambda: _mistake_new_on_rows(("contacted",))),
        *(Mistake("wrong_period", WRONG_MONTH, partial(_new_contacted, month))
          for month in MONTHS_NEXT_DOOR),
    ],
)


def _by_rep_new(month: str = MONTH) -> dict[str, float]:
    table = development_volume(practice_worklog(), level="contacted", period="M", by="rep")
    counts = per_group(table, "rep", "volume", month)
    return {rep: counts.get(rep, 0.0) for rep in sorted(set(practice_worklog()["rep"]))}


def _by_rep_recounted() -> dict[str, float]:
    """Count each rep's new contacts the mistaken way: on that rep's own rows only."""
    log = practice_worklog()
    counts = {}
    for rep in sorted(set(log["rep"])):
        table = development_volume(log[log["rep"] == rep], level="contacted", period="M")
        counts[rep] = value_of(table, "volume", MONTH)
    return counts


def _by_rep_mistake(column: str) -> dict[str, float]:
    """Rows (``level_rows``) or merely active customers per rep in May, for the same reps."""
    counts = per_group(_practice_activity(by="rep"), "rep", column, MONTH)
    return {rep: counts.get(rep, 0.0) for rep in _by_rep_new()}


def _by_rep_on_rows(stages: tuple[str, ...]) -> dict[str, float]:
    """Count new contacts per rep the mistaken way: only rows whose stage is in ``stages``."""
    log = practice_worklog()
    seen = log[log["stage"].isin(stages)]
    table = development_volume(seen, level="contacted", period="M", by="rep")
    counts = per_group(table, "rep", "volume", MONTH)
    return {rep: counts.get(rep, 0.0) for rep in _by_rep_new()}


def _by_rep_furthest() -> dict[str, float]:
    """Credit May's new contacts the mistaken way: to the rep who took each customer furthest.

    The core's reached-levels table says who set each level's date; this mistake reads the
    credit of each new customer's highest level instead of its contact level.
    """
    table = reached_levels(practice_worklog())
    table = table[table["level"] != "lost"]
    ranked = table.assign(rank=table["level"].map(STAGE_RANK))
    furthest = ranked.sort_values(["customer", "rank"]).drop_duplicates("customer", keep="last")
    contacted = table[table["level"] == "contacted"]
    in_may = contacted["date"].between(pd.Timestamp(MONTH), pd.Timestamp("2026-05-31"))
    new = furthest[furthest["customer"].isin(contacted.loc[in_may, "customer"])]
    counts = new["rep"].value_counts()
    return {rep: float(counts.get(rep, 0)) for rep in _by_rep_new()}


q2 = Question(
    variable="may_by_rep",
    prompt="还是这份练习日志：5 月的新接触客户，分别记在陈晨和赵敏名下各几位？"
           "（写成 dict：{'陈晨': 人数, '赵敏': 人数}）",
    expected=_by_rep_new,
    kind="table",
    hints=[
        "先按第 1 题找出 5 月的新接触客户，再看每个客户记在谁名下。",
        "一个新客户记在“定下那个日期的那一行”的销售员名下，也就是这个客户最早那一行的销售员。",
        "dv.development_volume(practice, level='contacted', period='M', by='rep') 会按销售员拆开，"
        "取 5 月那几行即可。",
    ],
    answer_code=(
        "by_rep = dv.development_volume(practice, level='contacted', period='M', by='rep')\n"
        "may = by_rep[by_rep['period'] == '2026-05-01']\n"
        "may_by_rep = dict(zip(may['rep'], may['volume']))"
    ),
    mistakes=[
        Mistake("row_count", "你按销售员数的是“首次接触”的行数。一个客户被同一个人联系了几次，"
                "就被算了几次；要数每人名下第一次被接触的客户。",
                lambda: _by_rep_mistake("level_rows")),
        Mistake("active_not_new", "你按销售员数的是 5 月有动静的客户，把 4 月就接触过的老客户也算进来了。",
                lambda: _by_rep_mistake("active_customers")),
        Mistake("credit_swapped",
                "功劳记错了人：你把客户记在了把他推进到最远一步的销售员名下。新接触客户记在第一次接触他的"
                "那一行的销售员名下，哪怕后来是别人接手、把他推进到了意向。",
                _by_rep_furthest),
        Mistake("ignored_implied",
                "你漏掉了没有“首次接触”行、直接写着签约或成交的客户，这些客户的接触是隐含的，"
                "也要记在那一行的销售员名下。",
                lambda: _by_rep_on_rows(("contacted", "lost"))),
        Mistake("lost_not_contact",
                "你漏掉了第一次见面就流失的客户。流失行也是一次接触，要记在写下它的销售员名下。",
                lambda: _by_rep_on_rows(("contacted", "qualified", "signed", "won"))),
        Mistake("contacted_rows_only",
                "你只看了阶段写着“首次接触”的行，漏掉了直接写着签约、成交的客户（接触是隐含的），"
                "和第一次见面就流失的客户（流失行也是一次接触）。",
                lambda: _by_rep_on_rows(("contacted",))),
        Mistake("filtered_first", FILTERED_FIRST, _by_rep_recounted),
        *(Mistake("wrong_period", WRONG_MONTH, partial(_by_rep_new, month))
          for month in MONTHS_NEXT_DOOR),
    ],
)


def _march_new(month: str = MARCH) -> float:
    table = development_volume(reached(), level="contacted", period="M")
    return value_of(table, "volume", month)


def _march_activity(column: str) -> float:
    return value_of(activity_counts(worklog(), period="M", level="contacted"), column, MARCH)


def _mistake_distinct_contact_rows() -> float:
    """Count the mistaken way: distinct customers with a 首次接触 row in March, old ones too."""
    log = worklog()
    contact_rows = log[log["stage"] == "contacted"]
    table = activity_counts(contact_rows, period="M", level="contacted")
    return value_of(table, "active_customers", MARCH)


q3 = Question(
    variable="march_new_contacted",
    prompt="现在换成真实规模的数据（directsales，全公司）：2025 年 3 月新接触了多少位客户？",
    expected=_march_new,
    hints=[
        "和第 1 题是同一个定义，只是数据有两万多行，要让电脑来数。",
        "每个客户只看它最早的那一行（任何阶段都算接触），最早那一天落在 3 月才算 3 月的新客户。",
        "new = dv.development_volume(log, level='contacted', period='M')，"
        "取 period 为 2025-03-01 的 volume。",
    ],
    answer_code=(
        "new = dv.development_volume(log, level='contacted', period='M')\n"
        "march_new_contacted = new.loc[new['period'] == '2025-03-01', 'volume'].sum()"
    ),
    mistakes=[
        Mistake("row_count", ROW_COUNT, lambda: _march_activity("level_rows")),
        Mistake("row_count", ROW_COUNT, lambda: _march_activity("activities")),
        Mistake("active_not_new", ACTIVE_NOT_NEW, lambda: _march_activity("active_customers")),
        Mistake("distinct_not_first",
                "你去掉了重复，数的是 3 月有“首次接触”记录的不同客户。可是其中一些客户在 1、2 月就已经"
                "接触过了，3 月只是再次联系。要看每个客户第一次接触是不是在 3 月。",
                _mistake_distinct_contact_rows),
        *(Mistake("wrong_period", "你数的是相邻那个月的新客户，题目问的是 2025 年 3 月：3 月 1 日到 3 月 31 日。",
                  partial(_march_new, month)) for month in MARCH_NEXT_DOOR),
        Mistake("wrong_boundary",
                "你把 3 月当成了 30 天，漏掉了 3 月 31 日。月要按自然月算：3 月有 31 天。",
                lambda: float(new_between(reached(), level="contacted", first=MARCH,
                                          last="2025-03-30"))),
    ],
)


def _second_quarter_by_team(level: str, quarter: str = SECOND_QUARTER) -> dict[str, float]:
    table = development_volume(reached(), level=level, period="Q", by="team")
    return per_group(table, "team", "volume", quarter)


def _active_signed_by_team() -> dict[str, float]:
    """Count the mistaken way: customers with a 签约 or 成交 row in the quarter, old ones too."""
    table = activity_counts(worklog(), period="Q", level="signed", by="team")
    counts = per_group(table, "team", "active_customers", SECOND_QUARTER)
    return {team: counts.get(team, 0.0) for team in _second_quarter_by_team("signed")}


def _signed_rows_by_team() -> dict[str, float]:
    """Count the mistaken way: the 签约 and 成交 rows each team wrote in the quarter."""
    rows = dict.fromkeys(_second_quarter_by_team("signed"), 0.0)
    for level in ("signed", "won"):
        table = activity_counts(worklog(), period="Q", level=level, by="team")
        for team, count in per_group(table, "team", "level_rows", SECOND_QUARTER).items():
            rows[team] += count
    return rows


def _signed_recounted_by_team() -> dict[str, float]:
    """Count the mistaken way: each team's "first" 签约 on that team's own rows only."""
    log = worklog()
    counts = {}
    for team in _second_quarter_by_team("signed"):
        table = development_volume(log[log["team"] == team], level="signed", period="Q")
        counts[team] = value_of(table, "volume", SECOND_QUARTER)
    return counts


q4 = Question(
    variable="q2_signed_by_team",
    prompt="2025 年第二季度（4–6 月），每个团队各新签约了多少位客户？（一张表：团队 → 新签约客户数）",
    expected=lambda: _second_quarter_by_team("signed"),
    kind="table",
    hints=[
        "“新签约”：客户第一次达到签约这一级的日期落在二季度（4 月 1 日到 6 月 30 日）。"
        "一季度就签了约、二季度才成交的客户，不是二季度的新签约客户。",
        "有的客户签约当天就成交，日志里只写了一行“成交”：他也签了约。达到签约“或更后面”的阶段都算。",
        "dv.development_volume(log, level='signed', period='Q', by='team')，"
        "取 period 为 2025-04-01 的行。",
    ],
    answer_code=(
        "signed = dv.development_volume(log, level='signed', period='Q', by='team')\n"
        "second_quarter = signed[signed['period'] == '2025-04-01']\n"
        "q2_signed_by_team = dict(zip(second_quarter['team'], second_quarter['volume']))"
    ),
    mistakes=[
        Mistake("active_not_new",
                "你数的是二季度里有签约或成交记录的客户，其中有些在一季度就已经签了约，二季度只是成交。"
                "只数第一次达到签约的日期落在二季度的客户。", _active_signed_by_team),
        Mistake("wrong_level", "你数的是新成交客户（won），题目问的是新签约客户（signed）。",
                lambda: _second_quarter_by_team("won")),
        Mistake("row_count",
                "你数的是每个团队二季度写下的“签约”“成交”行数。同一个客户签约、成交各有一行，老客户的回头单"
                "也有一行；要数的是第一次达到签约的客户，每人只算一次。", _signed_rows_by_team),
        Mistake("filtered_first",
                "你先把每个团队自己的行挑出来，再在这几行里找“第一次签约”。可是别的团队早就签下的客户"
                "（例如这个团队接手的老客户又下了一单），在这几行里看起来也像第一次。“第一次”要在全公司的"
                "日志上定下来，再记在定下日期那一行的团队名下。", _signed_recounted_by_team),
        *(Mistake("wrong_period", "你数的是相邻那个季度，题目问的是二季度：4 月 1 日到 6 月 30 日。",
                  partial(_second_quarter_by_team, "signed", quarter))
          for quarter in QUARTERS_NEXT_DOOR),
    ],
)

QUESTIONS = numbered("01", q1, q2, q3, q4)
