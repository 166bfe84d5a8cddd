"""Exercises for lesson 04: the factors behind development volume (channel, people, training).

All questions use the ``directsales`` case: channels differ in quality, 张伟 is busy but
converts poorly, 刘洋 is a new hire who was trained on 2025-05-12. The mistakes are those that
make a factor look stronger or weaker than it is: row ratios, a mean of monthly rates, effort
divided by the wrong count, and a before/after comparison that mixes the two groups.
"""

from __future__ import annotations

import pandas as pd

from devvolume.teach._views import before_after, factor_view
from devvolume.teach.exercises._cases import worklog
from devvolume.teach.exercises._question import Mistake, Question
from devvolume.core import conversion_rate

__all__ = ["QUESTIONS", "q1", "q2", "q3"]

CHANNEL = "转介绍"


def _channel_row(column: str) -> float:
    table = factor_view(worklog(), factor="channel")
    return float(table.loc[table["channel"] == CHANNEL, column].iloc[0])


def _channel_rows_ratio() -> float:
    log = worklog()
    mine = log[log["channel"] == CHANNEL]
    return float((mine["stage"] == "won").sum() / (mine["stage"] == "contacted").sum())


def _channel_monthly_mean() -> float:
    table = conversion_rate(worklog(), start="contacted", end="won", period="M", by="channel")
    return float(table.loc[table["channel"] == CHANNEL, "rate"].mean())


q1 = Question(
    variable="referral_conversion",
    prompt=f"2025 年经“{CHANNEL}”来的客户，从首次接触到成交的转化率是多少？（全年合起来算的队列转化率，写成小数）",
    expected=lambda: _channel_row("conversion"),
    hints=[
        "一个客户属于哪个渠道，看第一次接触它的那一行写的渠道。",
        f"分母：2025 年第一次接触的“{CHANNEL}”客户数；分子：其中后来成交的客户数。都数客户，不数行；"
        "也不要把 12 个月的转化率取平均。",
        "factor_view(log, factor='channel') 的 conversion 列；或者 conversion_rate(log, period='Y', "
        "by='channel') 里那一行的 rate。",
    ],
    answer_code=(
        "channels = factor_view(log, factor='channel')\n"
        f"referral_conversion = channels.loc[channels['channel'] == '{CHANNEL}', 'conversion'].iloc[0]"
    ),
    mistakes=[
        Mistake("row_count",
                "你用的是行数之比（成交行 ÷ 首次接触行）。客户被联系几次就有几行，分母被放大了。要数客户。",
                _channel_rows_ratio),
        Mistake("mean_of_rates",
                "你把 12 个月各自的转化率取了平均。每个月接触的客户数不同，而且年底几个月的客户还没来得及成交，"
                "简单平均会失真。把全年的客户合起来算：全年成交 ÷ 全年接触。", _channel_monthly_mean),
        Mistake("win_rate_not_conversion",
                "你算的是赢单率（成交 ÷ (成交 + 流失)），题目问的是转化率：分母是所有接触过的客户，"
                "包括还在跟进的。", lambda: _channel_row("win_rate")),
    ],
)

BUSY_REP = "张伟"


def _rep_row(column: str, rep: str = BUSY_REP) -> float:
    table = factor_view(worklog(), factor="rep")
    return float(table.loc[table["rep"] == rep, column].iloc[0])


def _visits_per_new() -> float:
    log = worklog()
    visits = ((log["rep"] == BUSY_REP) & (log["activity"] == "拜访")).sum()
    return float(visits / _rep_row("converted"))


q2 = Question(
    variable="busy_effort_per_win",
    prompt=f"{BUSY_REP}是全公司最忙的人。2025 年他平均做多少次活动（工作日志的行数）才换来一个新成交客户？",
    expected=lambda: _rep_row("activities_per_new"),
    hints=[
        "这是“投入产出比”：投入是活动次数（每一行是一次活动），产出是新成交客户数。",
        "分母是新成交客户（去重、第一次成交），不是接触过的客户数。",
        "factor_view(log, factor='rep') 里张伟那一行的 activities_per_new；"
        "也就是 activities ÷ converted。",
    ],
    answer_code=(
        "reps = factor_view(log, factor='rep')\n"
        f"busy_effort_per_win = reps.loc[reps['rep'] == '{BUSY_REP}', 'activities_per_new'].iloc[0]"
    ),
    mistakes=[
        Mistake("per_contacted",
                "你除以的是他接触过的客户数，得到的是“每个客户联系了几次”。题目问的是每换来一个新成交客户"
                "要做多少次活动：分母是新成交客户。",
                lambda: _rep_row("activities") / _rep_row("contacted")),
        Mistake("visits_only",
                "你只数了“拜访”。电话、微信、演示……每一行都是一次活动，都要算进投入。", _visits_per_new),
    ],
)

NEW_HIRE = "刘洋"
TRAINED_ON = "2025-05-12"


def _split() -> pd.DataFrame:
    return before_after(worklog(), rep=NEW_HIRE, date=TRAINED_ON).set_index("when")


def _after_period_form() -> float:
    log = worklog()
    mine = log[(log["rep"] == NEW_HIRE) & (log["date"] >= pd.Timestamp(TRAINED_ON))]
    won = mine.loc[mine["stage"] == "won", "customer"].nunique()
    return float(won / _split().loc["之后", "cohort"])


q3 = Question(
    variable="after_training_conversion",
    prompt=f"新员工{NEW_HIRE}在 {TRAINED_ON} 参加了培训。培训当天及以后他第一次接触的客户，"
           "后来成交的比例是多少？（写成小数）",
    expected=lambda: float(_split().loc["之后", "rate"]),
    hints=[
        "把他的客户按“第一次接触的日期”分成两批：培训前接触的、培训后接触的。只看培训后那一批。",
        "分子是这一批客户里后来成交的人数。培训后才成交、但培训前就接触的客户，属于“之前”那一批。",
        f"before_after(log, rep='{NEW_HIRE}', date='{TRAINED_ON}') 的“之后”那一行的 rate。",
    ],
    answer_code=(
        f"split = before_after(log, rep='{NEW_HIRE}', date='{TRAINED_ON}')\n"
        "after_training_conversion = split.loc[split['when'] == '之后', 'rate'].iloc[0]"
    ),
    mistakes=[
        Mistake("period_not_cohort",
                "你的分子是“培训后成交的所有客户”，其中有培训前就接触的客户。分子和分母要是同一批人："
                "培训后第一次接触的客户里，后来成交了几位。", _after_period_form),
        Mistake("no_split",
                "你用的是他全年所有客户的转化率，没有按培训日期分开。要比较培训的效果，得只看培训后接触的那批客户。",
                lambda: _rep_row("conversion", NEW_HIRE)),
        Mistake("before_not_after", "你算的是培训之前那一批客户的转化率，题目问的是培训之后。",
                lambda: float(_split().loc["之前", "rate"])),
    ],
)

QUESTIONS = (q1, q2, q3)
