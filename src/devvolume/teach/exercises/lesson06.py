"""Exercises for lesson 06: the work log, the weekly meeting, targets and incentives (directsales).

Every expected answer is computed from the ``directsales`` case data with the metric engine,
:mod:`devvolume.meeting` and :mod:`devvolume.targets`; every question diagnoses the classic
mistakes.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from devvolume import core as metrics
from devvolume import core as targets
from devvolume.report import _meeting as meeting
from devvolume.teach import _whatif as whatif
from devvolume.sim._datasets import Dataset, load_dataset
from devvolume.teach.exercises._question import Mistake, Question
from devvolume.core import LEVELS

DATASET = "directsales"
#: The team and the week of the meeting in questions 1 and 2 (a Monday).
TEAM = "华东一组"
WEEK = pd.Timestamp("2025-06-09")
MEETING_DAY = pd.Timestamp("2025-06-16")
#: The team and quarter of question 3.
QUARTER_TEAM = "华北一组"
QUARTER = (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-07-01"))
BONUS = 500.0
ACCELERATOR = 1.5
STALLED_FROM = meeting.STALLED_FROM_LEVEL


@cache
def _data() -> Dataset:
    return load_dataset(DATASET)


def _team_log() -> pd.DataFrame:
    log = _data().worklog
    return log[log["team"] == TEAM]


def _week_rows(end: pd.Timestamp) -> pd.DataFrame:
    log = _team_log()
    return log[(log["date"] >= WEEK) & (log["date"] < end)]


def _new_contacted_in_week() -> int:
    volume = metrics.development_volume(_team_log(), level="contacted", period="W")
    return int(volume.loc[volume["period"] == WEEK, "volume"].sum())


def _first_contacts_between(first: pd.Timestamp, end: pd.Timestamp) -> int:
    firsts = _team_log().groupby("customer")["date"].min()
    return int(((firsts >= first) & (firsts < end)).sum())


_NEXT_MONDAY = WEEK + pd.Timedelta(days=7)

q1 = Question(
    variable="new_contacted_week",
    prompt=(f"{TEAM} 在 {WEEK:%Y-%m-%d}（周一）开始的那一周，新接触了多少个客户？"
            "（这是周会上“本周新客户”的数字）"),
    expected=_new_contacted_in_week,
    hints=[
        "“新接触”指客户第一次出现在工作日志里，这一周之前已经联系过的客户不算。",
        "一周从周一开始，到周日结束；下周一不属于这一周。",
        f"metrics.development_volume(team_log, level='contacted', period='W')，"
        f"取 period 等于 {WEEK:%Y-%m-%d} 的那一行。",
    ],
    answer_code=(
        f"team_log = data.worklog[data.worklog['team'] == '{TEAM}']\n"
        "weekly = metrics.development_volume(team_log, level='contacted', period='W')\n"
        f"new_contacted_week = weekly.loc[weekly['period'] == '{WEEK:%Y-%m-%d}', 'volume'].sum()"
    ),
    mistakes=[
        Mistake("row_count",
                "你数的是这一周里阶段为“首次接触”的行数。同一个客户被联系好几次会留下好几行，"
                "要数的是不重复的客户，而且只数第一次。",
                lambda: int((_week_rows(_NEXT_MONDAY)["stage"] == "contacted").sum())),
        Mistake("active_not_new",
                "你数的是这一周里有活动的客户，其中很多是以前就联系过的老面孔。"
                "新接触只数第一次出现在日志里的客户。",
                lambda: int(_week_rows(_NEXT_MONDAY)["customer"].nunique())),
        Mistake("wrong_boundary",
                "你的时间范围多算了一天：把下周一也包括进来了。一周是周一到周日，"
                "筛选时用“小于下周一”，不要用“小于等于下周一”。",
                lambda: _first_contacts_between(WEEK, _NEXT_MONDAY + pd.Timedelta(days=1))),
    ],
)


def _open_customers(*, low: str, exclude_closed: bool = True,
                    only_level: str | None = None) -> int:  # fmt: skip
    """Count quiet customers before the meeting under a (possibly mistaken) rule."""
    rows = _team_log()
    rows = rows[rows["date"] < MEETING_DAY]
    rank = rows["stage"].map({level: i for i, level in enumerate(LEVELS)}).fillna(-1)
    summary = rows.assign(_rank=rank, _lost=rows["stage"] == "lost").groupby("customer").agg(
        rank=("_rank", "max"), lost=("_lost", "any"), last=("date", "max"))  # fmt: skip
    idle = (MEETING_DAY - summary["last"]).dt.days >= meeting.STALLED_AFTER_DAYS
    keep = idle & (summary["rank"] >= LEVELS.index(low))
    if exclude_closed:
        keep &= (summary["rank"] < LEVELS.index("won")) & ~summary["lost"]
    if only_level is not None:
        keep &= summary["rank"] == LEVELS.index(only_level)
        keep &= ~summary["lost"]
    return int(keep.sum())


q2 = Question(
    variable="stalled_count",
    prompt=(f"周会定在 {MEETING_DAY:%Y-%m-%d}。截至开会前，{TEAM} 有多少个**停滞客户**？"
            f"（已进入意向或签约、还没成交也没流失、最近 {meeting.STALLED_AFTER_DAYS} 天以上没有任何活动）"),
    expected=lambda: len(meeting.stalled_customers(_data().worklog, as_of=MEETING_DAY,
                                                   team=TEAM)),
    hints=[
        "停滞客户是“卡在半路”的客户：已经有意向或已签约，但既没成交也没流失，而且很久没跟进了。",
        "只看开会日之前的记录；对每个客户找出达到的最高阶段、是否流失、最后一次活动的日期。",
        f"meeting.stalled_customers(data.worklog, as_of='{MEETING_DAY:%Y-%m-%d}', team='{TEAM}') "
        "返回这张名单，数一数有几行。",
    ],
    answer_code=(
        f"stalled = meeting.stalled_customers(data.worklog, as_of='{MEETING_DAY:%Y-%m-%d}',\n"
        f"                                    team='{TEAM}')\n"
        "stalled_count = len(stalled)"
    ),
    mistakes=[
        Mistake("included_closed",
                "你把已经成交或已经流失的客户也算进来了。他们的事情已经有了结果，不是停滞。",
                lambda: _open_customers(low=STALLED_FROM, exclude_closed=False)),
        Mistake("contacted_too",
                "你把只做过首次接触、还没有产生意向的客户也算进来了。停滞客户从“意向”阶段算起。",
                lambda: _open_customers(low="contacted")),
        Mistake("qualified_only",
                "你只数了停在“意向”阶段的客户，漏掉了已经签约但迟迟没有成交的客户。",
                lambda: _open_customers(low=STALLED_FROM, only_level=STALLED_FROM)),
    ],
)


@cache
def _quarter_rows() -> pd.DataFrame:
    data = _data()
    attained = targets.attainment(data.worklog, data.targets)
    team_reps = data.targets.loc[data.targets["team"] == QUARTER_TEAM, "rep"].unique()
    return attained[attained["rep"].isin(team_reps) & (attained["period"] >= QUARTER[0])
                    & (attained["period"] < QUARTER[1])]  # fmt: skip


def _quarter_by_rep() -> pd.DataFrame:
    return _quarter_rows().groupby("rep")[["target", "actual"]].sum()


def _quarter_signed() -> float:
    data = _data()
    attained = targets.attainment(data.worklog, data.targets, level="signed")
    team_reps = data.targets.loc[data.targets["team"] == QUARTER_TEAM, "rep"].unique()
    inside = attained[attained["rep"].isin(team_reps) & (attained["period"] >= QUARTER[0])
                      & (attained["period"] < QUARTER[1])]  # fmt: skip
    return float(inside["actual"].sum() / inside["target"].sum())


q3 = Question(
    variable="team_attainment_q2",
    prompt=(f"{QUARTER_TEAM} 2025 年第二季度（4–6 月）的新客户目标达成率是多少？"
            "（新成交客户 ÷ 目标，写成小数）"),
    expected=lambda: float(_quarter_by_rep()["actual"].sum() / _quarter_by_rep()["target"].sum()),
    hints=[
        "团队达成率 = 团队实际总数 ÷ 团队目标总数。",
        "这个组有一位新人，头三个月的目标减半，所以每个人的目标大小不一样。",
        "用 targets.attainment(data.worklog, data.targets) 得到每人每月的 target 和 actual，"
        "筛出这个组 4–6 月的行，actual 求和除以 target 求和。",
    ],
    answer_code=(
        "table = targets.attainment(data.worklog, data.targets)\n"
        f"reps = data.targets.loc[data.targets['team'] == '{QUARTER_TEAM}', 'rep'].unique()\n"
        "q2 = table[table['rep'].isin(reps) & (table['period'] >= '2025-04-01')\n"
        "           & (table['period'] < '2025-07-01')]\n"
        "team_attainment_q2 = q2['actual'].sum() / q2['target'].sum()"
    ),
    mistakes=[
        Mistake("mean_of_rates",
                "你把每位销售员的达成率取了平均。新人的目标只有别人的一半，直接平均会放大他的分量。"
                "团队达成率要先把实际数和目标数分别加总，再相除。",
                lambda: float((_quarter_by_rep()["actual"] / _quarter_by_rep()["target"]).mean())),
        Mistake("mean_of_monthly_rates",
                "你把每人每月的达成率直接取了平均。目标只有一两个的月份，达成率动不动就是 0% 或 "
                "200%，平均时却和目标大的月份一样重。要先把实际数和目标数分别加总，再相除。",
                lambda: float(_quarter_rows()["attainment"].mean())),
        Mistake("wrong_level",
                "你数的是签约客户（signed），而目标考核的是新成交客户（won）。",
                _quarter_signed),
    ],
)


@cache
def _team_months() -> pd.DataFrame:
    data = _data()
    attained = targets.attainment(data.worklog, data.targets)
    team_reps = data.targets.loc[data.targets["team"] == TEAM, "rep"].unique()
    return attained[attained["rep"].isin(team_reps)]


def _payout_when(rule: str) -> float:
    """Pay the team's rep-months under a (possibly mistaken) rule."""
    months = _team_months()
    actual, target = months["actual"].astype(float), months["target"].astype(float)
    if rule == "flat":
        return float(actual.sum() * BONUS)
    if rule == "all_accelerated":
        rate = (actual > target).map({True: BONUS * ACCELERATOR, False: BONUS})
        return float((actual * rate).sum())
    # swapped: the accelerator on the customers within target, the base rate above it
    within = pd.concat([actual, target], axis=1).min(axis=1)
    return float((within * BONUS * ACCELERATOR + (actual - within) * BONUS).sum())


q4 = Question(
    variable="team_bonus",
    prompt=(f"激励方案按月结算：每个新成交客户奖励 {BONUS:.0f} 元；当月超出目标的部分，"
            f"每个客户按 {ACCELERATOR} 倍发放。{TEAM} 全组 2025 年全年一共要发多少奖金（元）？"),
    expected=lambda: whatif.incentive_payouts(
        targets.attainment(_data().worklog, _data().targets), per_customer=BONUS,
        accelerator=ACCELERATOR,
    ).table.set_index("rep").loc[_team_months()["rep"].unique(), "payout"].sum(),
    hints=[
        "先找出组里每个人每个月的目标和实际新成交客户数；奖金按人、按月单独算，最后加总。",
        "每个月里，目标以内的客户按基础奖金算，超出目标的那几个客户才按加速倍数算。",
        f"每月奖金 = min(实际, 目标) × {BONUS:.0f} + max(实际 − 目标, 0) × {BONUS:.0f} × "
        f"{ACCELERATOR}；所有人、所有月份相加。也可以用 whatif.incentive_payouts。",
    ],
    answer_code=(
        "table = targets.attainment(data.worklog, data.targets)\n"
        f"reps = data.targets.loc[data.targets['team'] == '{TEAM}', 'rep'].unique()\n"
        "mine = table[table['rep'].isin(reps)]\n"
        f"base = mine[['actual', 'target']].min(axis=1) * {BONUS:.0f}\n"
        f"extra = (mine['actual'] - mine['target']).clip(lower=0) * {BONUS:.0f} * {ACCELERATOR}\n"
        "team_bonus = (base + extra).sum()"
    ),
    mistakes=[
        Mistake("no_accelerator",
                "你对所有客户都按基础奖金计算，忘了超出目标的部分要乘加速倍数。",
                lambda: _payout_when("flat")),
        Mistake("all_accelerated",
                "在超额的月份里，你把当月所有客户都按加速倍数计算了。加速只适用于超出目标的那几个客户。",
                lambda: _payout_when("all_accelerated")),
        Mistake("accelerator_swapped",
                "你把加速倍数用在了目标以内的客户上，超出目标的部分反而按基础奖金算，正好弄反了。",
                lambda: _payout_when("swapped")),
    ],
)

QUESTIONS: tuple[Question, ...] = (q1, q2, q3, q4)
