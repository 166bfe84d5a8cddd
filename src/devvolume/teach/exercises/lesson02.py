"""Exercises for lesson 02: counting development volume by period, collecting and adding it up.

q1 uses a small hand log of a team that works weekends (:func:`weekend_worklog`): the case data
has no weekend rows, so a week that starts on Sunday would count the same as the ISO week
there. q2–q4 use the ``directsales`` case. The mistakes are the ones people make with
calendars (a week from Sunday, a week read as "the 1st to the 7th", a month of 30 days), with
zero periods (left out of a table) and with sums (adding up monthly *active* customers
double-counts people).
Expected answers are the core's whole periods (:func:`development_volume`); row and active
counts come from :func:`activity_counts`; a mistaken calendar counts the core's first dates
inside the wrong window (:func:`~devvolume.teach.exercises._cases.new_between`). The period
next door, weekdays only (the weekend team) and a rep's "first time" recounted on his own rows
are mistakes of their own.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd

from devvolume.core import (
    activity_counts,
    development_volume,
    period_starts,
    period_window,
    reached_levels,
)
from devvolume.teach.exercises._cases import (
    new_between,
    reached,
    rows_of,
    value_of,
    weekend_worklog,
    worklog,
)
from devvolume.teach.exercises._question import Mistake, Question, numbered

__all__ = ["QUESTIONS", "q1", "q2", "q3", "q4", "weekend_worklog"]

ROW_COUNT = ("你数的是行数，不是客户数。一个客户在这段时间里被联系三次，就被算了三次。"
             "每个客户只算一次，而且只在第一次接触的那个时间段里算。")

#: The periods asked about, each named by its first day (week 14 of 2026 in the weekend log).
WEEK_14 = "2026-03-30"
JULY = "2025-07-01"
SECOND_QUARTER = "2025-04-01"


def _next_door(first_day: str, period: str) -> tuple[str, str]:
    """Return the first days of the periods before and after the one starting ``first_day``."""
    before = period_window(first_day, period, back=1).first
    after = period_window(period_window(first_day, period).last + dt.timedelta(days=1),
                          period).first  # fmt: skip
    return f"{before:%Y-%m-%d}", f"{after:%Y-%m-%d}"


def _new(period: str, first_day: str) -> float:
    """Return the new contacts of one whole period: the core's count at the period's first day."""
    table = development_volume(reached(), level="contacted", period=period)
    return value_of(table, "volume", first_day)


def _activity(period: str, column: str, first_day: str) -> float:
    """Contact rows (``level_rows``) or active customers (``active_customers``) in a period."""
    table = activity_counts(worklog(), period=period, level="contacted")
    return value_of(table, column, first_day)


def _mistake_new_between(first: str, last: str) -> float:
    """Count new contacts in a mistaken window (the core decides who is new; the window is wrong)."""
    return float(new_between(reached(), level="contacted", first=first, last=last))


def _weekend(column: str = "volume", week: str = WEEK_14, *, weekdays: bool = False) -> float:
    """Count the weekend team's new contacts (``volume``), contact rows, all rows or active customers.

    ``weekdays`` counts the mistaken way: on the log without its Saturday and Sunday rows.
    """
    log = weekend_worklog()
    if weekdays:
        log = log[log["date"].dt.day_of_week < 5]
    if column == "volume":
        table = development_volume(log, level="contacted", period="W")
    else:
        table = activity_counts(log, period="W", level="contacted")
    return value_of(table, column, week)


def _weekend_between(first: str, last: str) -> float:
    """Count the weekend team's new contacts in a mistaken window (the core decides who is new)."""
    return float(new_between(reached_levels(weekend_worklog()), level="contacted", first=first,
                             last=last))  # fmt: skip


q1 = Question(
    variable="week14_new",
    prompt="会展一组周末也在展会上接触客户（见上面的 17 行日志）。2026 年第 14 周"
           "（ISO 周：3 月 30 日星期一 至 4 月 5 日星期日），这个团队新接触了几位客户？",
    expected=_weekend,
    hints=[
        "本课程的“周”从星期一开始、到星期日结束（ISO 周）。这一周跨了两个月：3 月 30、31 日也在这一周里；"
        "3 月 29 日是星期日，属于上一周。",
        "看每个客户第一次接触的日期（流失、成交的行也算接触），落在 2026-03-30 到 2026-04-05 之间就算。"
        "周末的行也要算。",
        "dv.development_volume(weekend, level='contacted', period='W')，取 period 为 2026-03-30 的那一行。",
    ],
    answer_code=(
        "weekly = dv.development_volume(weekend, level='contacted', period='W')\n"
        "week14_new = weekly.loc[weekly['period'] == '2026-03-30', 'volume'].sum()"
    ),
    mistakes=[
        Mistake("sunday_week",
                "你用的是“从星期日开始”的周（3 月 29 日星期日到 4 月 4 日星期六）。本课程的周从星期一开始、"
                "到星期日结束：3 月 29 日属于上一周，4 月 5 日星期日属于这一周。",
                lambda: _weekend_between("2026-03-29", "2026-04-04")),
        Mistake("wrong_boundary",
                "你把这一周当成了 4 月 1 日到 4 月 7 日（按“每月 1 号起算”的周）。"
                "本课程的周从星期一开始：这一周的第一天是 3 月 30 日，最后一天是 4 月 5 日。",
                lambda: _weekend_between("2026-04-01", "2026-04-07")),
        Mistake("row_count", ROW_COUNT, lambda: _weekend("level_rows")),
        Mistake("row_count", ROW_COUNT, lambda: _weekend("activities")),
        Mistake("active_not_new",
                "你数的是这一周里有活动记录的客户（活跃客户），其中有的在这一周之前就接触过了。"
                "只数这一周里第一次被接触的客户。", lambda: _weekend("active_customers")),
        *(Mistake("weekdays_only",
                  "你只数了星期一到星期五。这个团队周末在展会上也接触客户：周六、周日的行一样是接触，"
                  "一周是星期一到星期日七天。", answer)
          for answer in (lambda: _weekend(weekdays=True),
                         lambda: _weekend_between(WEEK_14, "2026-04-03"))),
        *(Mistake("wrong_period",
                  "你数的是相邻那一周，题目问的是第 14 周：3 月 30 日星期一到 4 月 5 日星期日。",
                  partial(_weekend, week=week)) for week in _next_door(WEEK_14, "W")),
    ],
)


q2 = Question(
    variable="july_new",
    prompt="2025 年 7 月（自然月），全公司新接触了多少位客户？",
    expected=lambda: _new("M", JULY),
    hints=[
        "“月”是自然月：7 月有 31 天，7 月 31 日是星期四，那天也有销售员在工作。",
        "不要用“30 天”代替一个月；也不要数行数。",
        "dv.development_volume(log, level='contacted', period='M')，取 period 为 2025-07-01 的 volume。",
    ],
    answer_code=(
        "monthly = dv.development_volume(log, level='contacted', period='M')\n"
        "july_new = monthly.loc[monthly['period'] == '2025-07-01', 'volume'].sum()"
    ),
    mistakes=[
        Mistake("wrong_boundary",
                "你把一个月当成了 30 天，漏掉了 7 月 31 日。统计周期要用自然月：大月 31 天、小月 30 天、"
                "2 月 28 或 29 天。", lambda: _mistake_new_between("2025-07-01", "2025-07-30")),
        Mistake("row_count", ROW_COUNT, lambda: _activity("M", "level_rows", JULY)),
        Mistake("row_count", ROW_COUNT, lambda: _activity("M", "activities", JULY)),
        Mistake("active_not_new",
                "你数的是 7 月有活动记录的客户（活跃客户），其中不少在 6 月以前就接触过了。只数 7 月第一次接触的客户。",
                lambda: _activity("M", "active_customers", JULY)),
        *(Mistake("wrong_period", "你数的是相邻那个月，题目问的是 7 月：7 月 1 日到 7 月 31 日。",
                  partial(_new, "M", month)) for month in _next_door(JULY, "M")),
    ],
)

REP = "刘洋"
#: The months of q3: March to December 2025, each named by its first day.
MONTHS = [f"{day:%Y-%m-%d}" for day in period_starts("2025-03-01", "2025-12-31", "M")]


def _rep_monthly(level: str = "won") -> dict[str, float]:
    table = development_volume(reached(), level=level, period="M", by="rep")
    mine = rows_of(table, rep=REP).set_index("period")["volume"]
    return {month: float(mine.loc[pd.Timestamp(month)]) for month in MONTHS}


def _rep_monthly_work(column: str) -> dict[str, float]:
    """His 成交 rows (``level_rows``) or the customers on them (``active_customers``) per month."""
    table = activity_counts(worklog(), period="M", level="won", by="rep")
    mine = rows_of(table, rep=REP).set_index("period")[column]
    return {month: float(mine.get(pd.Timestamp(month), 0)) for month in MONTHS}


def _rep_monthly_recounted() -> dict[str, float]:
    """Count the mistaken way: his "first" 成交 on his own rows only.

    Repeat deals he took on with other reps' customers look new there.
    """
    log = worklog()
    table = development_volume(log[log["rep"] == REP], level="won", period="M")
    mine = table.set_index("period")["volume"]
    return {month: float(mine.get(pd.Timestamp(month), 0)) for month in MONTHS}


def _rep_monthly_without_zeros() -> dict[str, float]:
    return {month: value for month, value in _rep_monthly().items() if value != 0}


q3 = Question(
    variable="liu_monthly_won",
    prompt=f"新员工{REP}（2 月 17 日入职）：2025 年 3 月到 12 月，每个月各新成交了多少位客户？"
           "（一张表：月份第一天 → 新成交客户数，例如 {'2025-03-01': 几位, '2025-04-01': 几位, ...}，10 个月一个不少）",
    expected=_rep_monthly,
    kind="table",
    hints=[
        "每个月都要有一行。某个月一个客户也没成交，也要写 0：0 本身就是重要的信息。",
        "新成交客户 = 第一次达到“成交”的客户，记在写下那一行成交记录的销售员名下。",
        "dv.development_volume(log, level='won', period='M', by='rep')，筛出 rep 为刘洋、"
        "period 从 2025-03-01 到 2025-12-01 的行，取 period 和 volume 两列。",
    ],
    answer_code=(
        "won = dv.development_volume(log, level='won', period='M', by='rep')\n"
        "mine = won[(won['rep'] == '刘洋') & (won['period'] >= '2025-03-01')]\n"
        "liu_monthly_won = mine[['period', 'volume']]"
    ),
    mistakes=[
        Mistake("dropped_zero",
                "你的表里漏掉了新成交为 0 的月份。没有开发出客户的月份也要列出来、写 0，"
                "否则看趋势、算月平均都会出错。", _rep_monthly_without_zeros),
        Mistake("wrong_level", "你数的是新签约客户（signed），题目问的是新成交客户（won）。",
                lambda: _rep_monthly("signed")),
        Mistake("row_count",
                "你数的是他每个月写下的“成交”行数。老客户又下一单，也会写一行成交；新成交客户只数"
                "第一次成交的客户。", lambda: _rep_monthly_work("level_rows")),
        Mistake("active_not_new",
                "你数的是他每个月有成交记录的客户，其中有老客户的回头单：这些客户早就成交过了，不是新成交。",
                lambda: _rep_monthly_work("active_customers")),
        Mistake("filtered_first",
                "你先把他自己的行挑出来，再在这几行里找“第一次成交”。他接手的别人的老客户又下一单时，在他的"
                "行里看起来像第一次成交，其实这些客户早就是公司的客户了。“第一次”要在全公司的日志上定下来。",
                _rep_monthly_recounted),
    ],
)


q4 = Question(
    variable="q2_new_contacted",
    prompt="2025 年第二季度（4–6 月），全公司新接触了多少位客户？",
    expected=lambda: _new("Q", SECOND_QUARTER),
    hints=[
        "新客户数可以直接相加：季度的新客户 = 4 月 + 5 月 + 6 月的新客户，因为每个客户只在一个月里算“新”。",
        "但“每月活跃客户数”不能相加：一个客户 4、5、6 月都被联系，会被加三次。",
        "把 dv.development_volume(log, level='contacted', period='M') 中 4–6 月的 volume 相加，"
        "或者直接用 period='Q'。",
    ],
    answer_code=(
        "quarterly = dv.development_volume(log, level='contacted', period='Q')\n"
        "q2_new_contacted = quarterly.loc[quarterly['period'] == '2025-04-01', 'volume'].sum()"
    ),
    mistakes=[
        Mistake("summed_active",
                "你把 4、5、6 月每个月的活跃客户数加了起来。一个客户连续几个月都有联系，就被重复加了几次；"
                "而且活跃客户里有很多是老客户。",
                lambda: sum(_activity("M", "active_customers", month)
                            for month in ("2025-04-01", "2025-05-01", "2025-06-01"))),
        Mistake("active_not_new",
                "你数的是二季度有活动记录的不同客户，其中一部分在一季度就接触过了。只数二季度第一次接触的客户。",
                lambda: _activity("Q", "active_customers", SECOND_QUARTER)),
        Mistake("row_count", ROW_COUNT,
                lambda: _activity("Q", "level_rows", SECOND_QUARTER)),
        Mistake("row_count", ROW_COUNT,
                lambda: _activity("Q", "activities", SECOND_QUARTER)),
        *(Mistake("wrong_period", "你数的是相邻那个季度，题目问的是二季度：4 月 1 日到 6 月 30 日。",
                  partial(_new, "Q", quarter))
          for quarter in _next_door(SECOND_QUARTER, "Q")),
    ],
)

QUESTIONS = numbered("02", q1, q2, q3, q4)
