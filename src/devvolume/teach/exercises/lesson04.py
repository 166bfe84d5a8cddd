"""Exercises for lesson 04: the factors behind development volume (channel, people, training).

All questions use the ``directsales`` case (the exercise edition of its work log; 张伟's rows
are the lesson's): channels differ in quality, 张伟 is busy but converts poorly, 刘洋 is a new
hire who was trained on 2025-05-12. The mistakes are those that make a factor look stronger or
weaker than it is: row ratios, a mean of monthly rates, effort divided by the wrong count,
another channel or rep, and a before/after comparison that mixes the two groups.

Expected answers come from the core on the whole company's log: a channel's or a rep's cohort is
the customers credited to it at first contact, converted by anyone (:func:`conversion_rate`,
:func:`compare_periods` with ``where=``), and effort is :func:`activity_efficiency`. The lesson's
views (``dv.teach.factor_view``, ``dv.teach.before_after``) show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Literal

import pandas as pd

from devvolume.core import (
    PeriodComparison,
    activity_counts,
    activity_efficiency,
    compare_periods,
    conversion_rate,
    period_window,
    win_rate,
)
from devvolume.teach.exercises._cases import reached, rows_of, value_of, worklog
from devvolume.teach.exercises._question import Mistake, Question, numbered

__all__ = ["QUESTIONS", "q1", "q2", "q3"]

#: The year every question is about (its first day).
YEAR = "2025-01-01"
CHANNEL = "转介绍"
CHANNELS = ("展会", "电话营销", "线上", "老客户推荐", "转介绍", "陌拜")


def _channel_conversion(period: str) -> pd.DataFrame:
    """Contact → won cohorts by channel (the channel credited at first contact)."""
    return conversion_rate(reached(), start="contacted", end="won", period=period, by="channel")


def _channel_row_ratio() -> float:
    """Divide the mistaken way: the channel's 成交 rows over its 首次接触 rows."""
    log = worklog()
    won = activity_counts(log, period="Y", level="won", by="channel")
    contacted = activity_counts(log, period="Y", level="contacted", by="channel")
    return (value_of(won, "level_rows", YEAR, channel=CHANNEL)
            / value_of(contacted, "level_rows", YEAR, channel=CHANNEL))  # fmt: skip


def _channel_monthly_mean() -> float:
    """Average the mistaken way: the plain mean of the channel's monthly conversion rates."""
    return float(rows_of(_channel_conversion("M"), channel=CHANNEL)["conversion"].mean())


def _conversion_of(channel: str) -> float:
    return value_of(_channel_conversion("Y"), "conversion", YEAR, channel=channel)


q1 = Question(
    variable="referral_conversion",
    prompt=f"2025 年经“{CHANNEL}”来的客户，从首次接触到成交的转化率是多少？（全年合起来算的队列转化率，写成小数）",
    expected=lambda: value_of(_channel_conversion("Y"), "conversion", YEAR, channel=CHANNEL),
    unit="share",
    hints=[
        "一个客户属于哪个渠道，看第一次接触它的那一行写的渠道。",
        f"分母：2025 年第一次接触的“{CHANNEL}”客户数；分子：其中后来成交的客户数。都数客户，不数行；"
        "也不要把 12 个月的转化率取平均。",
        "dv.teach.factor_view(log, factor='channel') 的 conversion 列；或者 "
        "dv.conversion_rate(log, period='Y', by='channel') 里那一行的 conversion。",
    ],
    answer_code=(
        "channels = dv.teach.factor_view(log, factor='channel')\n"
        f"referral_conversion = channels.loc[channels['channel'] == '{CHANNEL}', 'conversion'].iloc[0]"
    ),
    mistakes=[
        Mistake("row_count",
                "你用的是行数之比（成交行 ÷ 首次接触行）。客户被联系几次就有几行，分母被放大了。要数客户。",
                _channel_row_ratio),
        Mistake("mean_of_rates",
                "你把 12 个月各自的转化率取了平均。每个月接触的客户数不同，而且年底几个月的客户还没来得及成交，"
                "简单平均会失真。把全年的客户合起来算：全年成交 ÷ 全年接触。", _channel_monthly_mean),
        Mistake("win_rate_not_conversion",
                "你算的是赢单率（成交 ÷ (成交 + 流失)），题目问的是转化率：分母是所有接触过的客户，"
                "包括还在跟进的。",
                lambda: value_of(win_rate(reached(), by="channel"), "win_rate", channel=CHANNEL)),
        Mistake("whole_company",
                f"你算的是全公司所有渠道合起来的转化率，题目只问“{CHANNEL}”来的客户。",
                lambda: value_of(conversion_rate(reached(), period="Y"), "conversion", YEAR)),
        *(Mistake("wrong_group", f"你算的是另一个渠道的转化率，题目问的是“{CHANNEL}”。检查筛选条件里的渠道名。",
                  partial(_conversion_of, channel))
          for channel in CHANNELS if channel != CHANNEL),
    ],
)

BUSY_REP = "张伟"
#: His team mates: a learner who picks the wrong row of the table picks one of them, or anyone.
TEAM_OF_BUSY_REP = ("程娟", "张伟", "沈志强", "宋霞", "邓文博", "黄浩")


def _effort(level: str, column: str, rep: str = BUSY_REP) -> float:
    """Return the rep's activities (or visits) per new customer at ``level`` in 2025 (core)."""
    table = activity_efficiency(worklog(), level=level, period="Y", by="rep")
    return value_of(table, column, YEAR, rep=rep)


q2 = Question(
    variable="busy_effort_per_win",
    prompt=f"{BUSY_REP}是全公司最忙的人。2025 年他平均做多少次活动（工作日志的行数）才换来一个新成交客户？"
           "（保留至少一位小数）",
    expected=lambda: _effort("won", "activities_per_new"),
    unit="tenth",
    hints=[
        "这是“投入产出比”：投入是活动次数（每一行是一次活动），产出是新成交客户数。",
        "分母是新成交客户（去重、第一次成交），不是接触过的客户数。",
        "dv.activity_efficiency(log, level='won', period='Y', by='rep') 里张伟那一行的 "
        "activities_per_new，也就是 activities ÷ new_customers。",
    ],
    answer_code=(
        "effort = dv.activity_efficiency(log, level='won', period='Y', by='rep')\n"
        f"busy_effort_per_win = effort.loc[effort['rep'] == '{BUSY_REP}', "
        "'activities_per_new'].iloc[0]"
    ),
    mistakes=[
        Mistake("per_contacted",
                "你除以的是他接触过的客户数，得到的是“每个客户联系了几次”。题目问的是每换来一个新成交客户"
                "要做多少次活动：分母是新成交客户。",
                lambda: _effort("contacted", "activities_per_new")),
        Mistake("visits_only",
                "你只数了“拜访”。电话、微信、演示……每一行都是一次活动，都要算进投入。",
                lambda: _effort("won", "visits_per_new")),
        Mistake("inverted_ratio",
                "你把比值倒过来了：算的是“每次活动换来几个新成交客户”。题目问的是每换来一个新成交客户"
                "要做多少次活动：活动次数 ÷ 新成交客户数。",
                lambda: 1 / _effort("won", "activities_per_new")),
        Mistake("whole_company",
                f"你算的是全公司平均每个新成交客户的活动次数，题目问的是{BUSY_REP}一个人的。",
                lambda: value_of(activity_efficiency(worklog(), level="won", period="Y"),
                                 "activities_per_new", YEAR)),
        *(Mistake("wrong_group", f"你算的是另一位销售员的数，题目问的是{BUSY_REP}。检查筛选条件里的名字。",
                  partial(_effort, "won", "activities_per_new", rep))
          for rep in TEAM_OF_BUSY_REP if rep != BUSY_REP),
    ],
)

NEW_HIRE = "刘洋"
TRAINED_ON = "2025-05-12"


def _windows(after_from: int = 0) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """Return 2025 up to the eve of the training, and from the training day to the year's end.

    ``after_from`` days later than the training day is a mistake's window.
    """
    year = period_window(TRAINED_ON, "Y")
    trained = dt.date.fromisoformat(TRAINED_ON)
    return ((year.first, trained - dt.timedelta(days=1)),
            (trained + dt.timedelta(days=after_from), year.last))  # fmt: skip


def _split(metric: Literal["volume", "conversion"] = "conversion", *,
           after_from: int = 0) -> PeriodComparison:  # fmt: skip
    """Compare the new hire's cohorts (or new wins) before and after the training (core).

    ``before`` and ``after`` are ``(converted, cohort)`` for conversion, ``(new wins, days)``
    for volume; the cohort is the customers credited to him at first contact, converted by anyone.
    """
    before, after = _windows(after_from)
    return compare_periods(reached(), before=before, after=after, metric=metric, level="won",
                           where={"rep": NEW_HIRE})  # fmt: skip


def _share(counts: tuple[int, int]) -> float:
    converted, cohort = counts
    return converted / cohort


def _recounted_after() -> float:
    """Compute the mistaken way: his cohort after the training, on his own rows only."""
    log = worklog()
    before, after = _windows()
    mine = compare_periods(log[log["rep"] == NEW_HIRE], before=before, after=after,
                           metric="conversion", level="won")  # fmt: skip
    return _share(mine.after)


def _mistake_period_form() -> float:
    """Divide the mistaken way: the rep's new wins after the training over his cohort after it."""
    return _split("volume").after[0] / _split().after[1]


q3 = Question(
    variable="after_training_conversion",
    prompt=f"新员工{NEW_HIRE}在 {TRAINED_ON} 参加了培训。培训当天及以后他第一次接触的客户，"
           "后来成交的比例是多少？（写成小数）",
    expected=lambda: _share(_split().after),
    unit="share",
    hints=[
        "把他的客户按“第一次接触的日期”分成两批：培训前接触的、培训后接触的。只看培训后那一批。",
        "分子是这一批客户里后来成交的人数。培训后才成交、但培训前就接触的客户，属于“之前”那一批。",
        f"dv.teach.before_after(log, rep='{NEW_HIRE}', date='{TRAINED_ON}') 的“之后”那一行："
        "converted ÷ cohort。",
    ],
    answer_code=(
        f"split = dv.teach.before_after(log, rep='{NEW_HIRE}', date='{TRAINED_ON}')\n"
        "after = split[split['when'] == '之后'].iloc[0]\n"
        "after_training_conversion = after['converted'] / after['cohort']"
    ),
    mistakes=[
        Mistake("period_not_cohort",
                "你的分子是“培训后成交的所有客户”，其中有培训前就接触的客户。分子和分母要是同一批人："
                "培训后第一次接触的客户里，后来成交了几位。", _mistake_period_form),
        Mistake("no_split",
                "你用的是他全年所有客户的转化率，没有按培训日期分开。要比较培训的效果，得只看培训后接触的那批客户。",
                lambda: value_of(conversion_rate(reached(), period="Y", by="rep"), "conversion",
                                 YEAR, rep=NEW_HIRE)),
        Mistake("before_not_after", "你算的是培训之前那一批客户的转化率，题目问的是培训之后。",
                lambda: _share(_split().before)),
        Mistake("wrong_boundary",
                f"你的“之后”从培训的第二天算起，漏掉了培训当天（{TRAINED_ON}）第一次接触的客户。"
                "题目问的是培训当天及以后。", lambda: _share(_split(after_from=1).after)),
        Mistake("filtered_first",
                "你先把他自己的行挑出来，再在这些行里找“第一次接触”。他接手的别人的老客户（回头单、再次接触），"
                "在他的行里看起来像他新接触的客户。“第一次”要在全公司的日志上定下来，队列只算记在他名下的客户。",
                _recounted_after),
    ],
)

QUESTIONS = numbered("04", q1, q2, q3)
