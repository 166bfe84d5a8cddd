"""Exercises for lesson 06: the work log, the weekly meeting, targets and incentives (directsales).

Every expected answer is a core result on the whole company's log, sliced to one team: new
customers (:func:`development_volume` with ``by="team"``), the stalled list
(:func:`stalled_customers`, each customer credited to the team that brought it to its level),
attainment (:func:`attainment`) and the tiered payout (:func:`incentive_payout`). Row and active
counts come from :func:`activity_counts`. Two bonus mistakes (the accelerator on every customer,
the accelerator swapped) have no core function: they are priced here, named as the mistakes
they are. Another team's figure, the week or quarter next door, and "first time" (or a
customer's last activity) decided on the team's own rows are mistakes of their own: the
exercise edition of the case has customers that two teams worked on.

The week of q1 and the meeting day of q2 are chosen so that every one of these gives its own
number (with seven teams of similar size, on most days another team has the same count).

Question 5 reads the kit's example CRM export as ``dv.import_crm`` makes it a work log
(:func:`~devvolume.teach.exercises._cases.crm_worklog`): the customer win rate and the deal win
rate of one team, both slices of the company's :func:`win_rate` (``unit="customer"`` and
``unit="deal"``). One number given for the other, either way, is the mistake it asks about; a
customer's outcome decided on the team's own rows is another (a customer another team won looks
lost there).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd

from devvolume.core import (
    LOST,
    STALLED_AFTER_DAYS,
    STALLED_FROM_LEVEL,
    activity_counts,
    attainment,
    development_volume,
    incentive_payout,
    open_deals,
    period_window,
    reached_levels,
    stalled_customers,
    win_rate,
)
from devvolume.teach.exercises._cases import (
    case,
    crm_worklog,
    new_between,
    reached,
    value_of,
    worklog,
)
from devvolume.teach.exercises._question import Mistake, Question, numbered

__all__ = ["QUESTIONS", "q1", "q2", "q3", "q4", "q5"]

#: The team of questions 1, 2 and 4; the week of question 1 (a Monday: the week's first day) and
#: the day of question 2's meeting.
TEAM = "华东一组"
WEEK = "2025-05-26"
MEETING_DAY = "2025-04-07"
TEAMS = ("先锋队", "华东一组", "华东二组", "华中一组", "华北一组", "华南一组", "西南一组")
WRONG_TEAM = "你算的是另一个团队的数，题目问的是{team}。检查筛选条件里的团队名。"
#: The team and the quarter of question 3 (the quarter's first day).
QUARTER_TEAM = "华北一组"
QUARTER = "2025-04-01"
BONUS = 500.0
ACCELERATOR = 1.5
#: The bonus rule of question 4: one tier, above 100 % of the month's target.
TIERS: tuple[tuple[float, float], ...] = ((1.0, ACCELERATOR),)


def _week_activity(column: str) -> float:
    """Return the team's contact rows (``level_rows``), rows or active customers in the week."""
    table = activity_counts(worklog(), period="W", level="contacted", by="team")
    return value_of(table, column, WEEK, team=TEAM)


def _week_new(week: str = WEEK, team: str = TEAM) -> float:
    table = development_volume(reached(), level="contacted", period="W", by="team")
    return value_of(table, "volume", week, team=team)


def _week_recounted() -> float:
    """Count the mistaken way: "first contact" decided on the team's own rows."""
    log = worklog()
    table = development_volume(log[log["team"] == TEAM], level="contacted", period="W")
    return value_of(table, "volume", WEEK)


FILTERED_FIRST = ("你先把日志筛成这个团队的行，再在这些行里找“第一次”。可是别的团队早就接触过的客户"
                  "（这个团队接手跟进的老客户），在这些行里看起来也像第一次。“第一次”要在全公司的日志上"
                  "定下来，再取记在这个团队名下的那一份。")

def _mistake_week_into_next_monday() -> float:
    """Count the mistaken way: the team's new contacts from Monday to the *next* Monday."""
    next_monday = period_window(WEEK, "W").last + dt.timedelta(days=1)
    return float(new_between(reached(), level="contacted", first=WEEK, last=f"{next_monday}",
                             team=TEAM))  # fmt: skip


q1 = Question(
    variable="new_contacted_week",
    prompt=(f"{TEAM} 在 {WEEK}（周一）开始的那一周，新接触了多少个客户？"
            "（这是周会上“本周新客户”的数字）"),
    expected=_week_new,
    hints=[
        "“新接触”指客户第一次出现在工作日志里，这一周之前已经联系过的客户不算。",
        "一周从周一开始，到周日结束；下周一不属于这一周。",
        "在全公司的日志上算 dv.development_volume(data.worklog, level='contacted', period='W', "
        f"by='team')，取 team 为{TEAM}、period 等于 {WEEK} 的那一行"
        "（不要先把日志筛成这个组：别的组接触过的客户，不是这个组的新客户）。",
    ],
    answer_code=(
        "weekly = dv.development_volume(data.worklog, level='contacted', period='W', by='team')\n"
        f"mine = weekly[(weekly['team'] == '{TEAM}') & (weekly['period'] == '{WEEK}')]\n"
        "new_contacted_week = mine['volume'].sum()"
    ),
    mistakes=[
        Mistake("row_count",
                "你数的是这一周里阶段为“首次接触”的行数。同一个客户被联系好几次会留下好几行，"
                "要数的是不重复的客户，而且只数第一次。",
                lambda: _week_activity("level_rows")),
        Mistake("row_count",
                "你数的是这一周这个团队的全部行数。同一个客户被联系好几次会留下好几行，"
                "要数的是不重复的客户，而且只数第一次。", lambda: _week_activity("activities")),
        Mistake("active_not_new",
                "你数的是这一周里有活动的客户，其中很多是以前就联系过的老面孔。"
                "新接触只数第一次出现在日志里的客户。",
                lambda: _week_activity("active_customers")),
        Mistake("wrong_boundary",
                "你的时间范围多算了一天：把下周一也包括进来了。一周是周一到周日，"
                "筛选时用“小于下周一”，不要用“小于等于下周一”。",
                _mistake_week_into_next_monday),
        Mistake("whole_company",
                f"你数的是全公司这一周的新接触客户，题目问的是{TEAM}：在按团队拆开的结果里取这个团队的那一行。",
                lambda: value_of(development_volume(reached(), level="contacted", period="W"),
                                 "volume", WEEK)),
        *(Mistake("wrong_group", WRONG_TEAM.format(team=TEAM),
                  partial(_week_new, team=team)) for team in TEAMS if team != TEAM),
        *(Mistake("wrong_period", f"你数的是相邻那一周，题目问的是 {WEEK}（周一）到这一周的周日。",
                  partial(_week_new, week))
          for week in (f"{period_window(WEEK, 'W', back=1).first}",
                       f"{period_window(WEEK, 'W').last + dt.timedelta(days=1)}")),
        Mistake("filtered_first", FILTERED_FIRST, _week_recounted),
    ],
)


def _team_stalled(from_level: str = STALLED_FROM_LEVEL, team: str = TEAM) -> pd.DataFrame:
    """Return the team's slice of the company's stalled list on the meeting day."""
    stalled = stalled_customers(worklog(), as_of=MEETING_DAY, idle_days=STALLED_AFTER_DAYS,
                                from_level=from_level)  # fmt: skip
    return stalled[stalled["team"] == team]


def _stalled_recounted() -> float:
    """Count the mistaken way: the stalled list of the team's own rows (others' calls unseen)."""
    log = worklog()
    stalled = stalled_customers(log[log["team"] == TEAM], as_of=MEETING_DAY,
                                idle_days=STALLED_AFTER_DAYS)  # fmt: skip
    return float(len(stalled))


def _mistake_closed_included() -> float:
    """Count the mistaken way: quiet customers at 意向 or later, won and lost ones included.

    The outcome rows (won, lost) are taken out of the reached-levels table, so the core's
    stalled list no longer knows who has closed: what a learner who ignores outcomes counts.
    """
    log = worklog()
    table = reached_levels(log[log["date"] <= pd.Timestamp(MEETING_DAY)])
    no_outcomes = table[~table["level"].isin(["won", LOST])]
    stalled = stalled_customers(no_outcomes, as_of=MEETING_DAY, idle_days=STALLED_AFTER_DAYS)
    return float((stalled["team"] == TEAM).sum())


def _stalled_count(team: str) -> float:
    return float(len(_team_stalled(team=team)))


q2 = Question(
    variable="stalled_count",
    prompt=(f"周会定在 {MEETING_DAY}。按开会当天算，{TEAM} 有多少个**停滞客户**？"
            f"（已进入意向或签约、还没成交也没流失、最近 {STALLED_AFTER_DAYS} 天以上没有任何活动）"),
    expected=lambda: float(len(_team_stalled())),
    hints=[
        "停滞客户是“卡在半路”的客户：已经有意向或已签约，但既没成交也没流失，而且很久没跟进了。",
        "只看截至开会当天的记录；对每个客户找出达到的最高阶段、是否成交或流失、最后一次活动的日期。",
        f"dv.stalled_customers(data.worklog, as_of='{MEETING_DAY}') 是全公司的名单，"
        f"每个客户记在把它带到当前阶段的团队名下；取 team 为{TEAM}的行，数一数有几行。",
    ],
    answer_code=(
        f"stalled = dv.stalled_customers(data.worklog, as_of='{MEETING_DAY}')\n"
        f"stalled_count = len(stalled[stalled['team'] == '{TEAM}'])"
    ),
    mistakes=[
        Mistake("included_closed",
                "你把已经成交或已经流失的客户也算进来了。他们的事情已经有了结果，不是停滞。",
                _mistake_closed_included),
        Mistake("contacted_too",
                "你把只做过首次接触、还没有产生意向的客户也算进来了。停滞客户从“意向”阶段算起。",
                lambda: float(len(_team_stalled(from_level="contacted")))),
        Mistake("qualified_only",
                "你只数了停在“意向”阶段的客户，漏掉了已经签约但迟迟没有成交的客户。",
                lambda: float((_team_stalled()["level"] == STALLED_FROM_LEVEL).sum())),
        *(Mistake("wrong_group", WRONG_TEAM.format(team=TEAM),
                  partial(_stalled_count, team))
          for team in TEAMS if team != TEAM),
        Mistake("filtered_first",
                "你先把日志筛成这个团队的行，再找停滞客户。可是别的团队的同事最近联系过其中一些客户，"
                "这些联系不在这个团队的行里，于是这些客户看起来很久没人跟进。停滞看的是“任何人”最后一次"
                "活动：在全公司的日志上算，再取记在这个团队名下的客户。", _stalled_recounted),
    ],
)


def _roster(team: str) -> list[str]:
    """Return the team's reps, as the targets table lists them."""
    targets = case().targets
    return sorted(targets.loc[targets["team"] == team, "rep"].unique())


def _attained(level: str = "won") -> pd.DataFrame:
    """Every rep's monthly target and actual: the core's attainment on the company's log."""
    table: pd.DataFrame = attainment(reached(), case().targets, level=level, period="M",
                                     by="rep")  # fmt: skip
    return table


def _quarter_rows(level: str = "won", *, team: str = QUARTER_TEAM,
                  quarter_of: str = QUARTER) -> pd.DataFrame:  # fmt: skip
    """Return the team's reps' months in the quarter: a slice of the company's attainment."""
    table = _attained(level)
    quarter = period_window(quarter_of, "Q")
    inside = table["period"].between(pd.Timestamp(quarter.first), pd.Timestamp(quarter.last))
    return table[inside & table["rep"].isin(_roster(team))]


def _pooled(rows: pd.DataFrame) -> float:
    return float(rows["actual"].sum() / rows["target"].sum())


def _company_quarter() -> float:
    """Return the whole company's attainment in the quarter (a mistake: a team is asked)."""
    table = _attained()
    quarter = period_window(QUARTER, "Q")
    inside = table["period"].between(pd.Timestamp(quarter.first), pd.Timestamp(quarter.last))
    return _pooled(table[inside])


def _mean_of_rep_rates() -> float:
    per_rep = _quarter_rows().groupby("rep")[["target", "actual"]].sum()
    return float((per_rep["actual"] / per_rep["target"]).mean())


def _quarter_attainment(*, team: str = QUARTER_TEAM, quarter_of: str = QUARTER) -> float:
    return _pooled(_quarter_rows(team=team, quarter_of=quarter_of))


q3 = Question(
    variable="team_attainment_q2",
    prompt=(f"{QUARTER_TEAM} 2025 年第二季度（4–6 月）的新客户目标达成率是多少？"
            "（新成交客户 ÷ 目标，写成小数）"),
    expected=lambda: _pooled(_quarter_rows()),
    unit="share",
    hints=[
        "团队达成率 = 团队实际总数 ÷ 团队目标总数。",
        "这个组有一位新人，头三个月的目标减半，所以每个人的目标大小不一样。",
        "用 dv.attainment(data.worklog, data.targets) 得到每人每月的 target 和 actual，"
        "筛出这个组 4–6 月的行，actual 求和除以 target 求和。",
    ],
    answer_code=(
        "table = dv.attainment(data.worklog, data.targets)\n"
        f"reps = data.targets.loc[data.targets['team'] == '{QUARTER_TEAM}', 'rep'].unique()\n"
        "q2 = table[table['rep'].isin(reps) & table['period'].between('2025-04-01', '2025-06-30')]\n"
        "team_attainment_q2 = q2['actual'].sum() / q2['target'].sum()"
    ),
    mistakes=[
        Mistake("mean_of_rates",
                "你把每位销售员的达成率取了平均。新人的目标只有别人的一半，直接平均会放大他的分量。"
                "团队达成率要先把实际数和目标数分别加总，再相除。",
                _mean_of_rep_rates),
        Mistake("mean_of_monthly_rates",
                "你把每人每月的达成率直接取了平均。目标只有一两个的月份，达成率动不动就是 0% 或 "
                "200%，平均时却和目标大的月份一样重。要先把实际数和目标数分别加总，再相除。",
                lambda: float(_quarter_rows()["attainment"].mean())),
        Mistake("wrong_level",
                "你数的是签约客户（signed），而目标考核的是新成交客户（won）。",
                lambda: _pooled(_quarter_rows("signed"))),
        Mistake("whole_company",
                f"你算的是全公司二季度的达成率，题目问的是{QUARTER_TEAM}：只取这个组的销售员那几行。",
                _company_quarter),
        *(Mistake("wrong_group", WRONG_TEAM.format(team=QUARTER_TEAM),
                  partial(_quarter_attainment, team=team))
          for team in TEAMS if team != QUARTER_TEAM),
        *(Mistake("wrong_period", "你算的是相邻那个季度，题目问的是二季度：4、5、6 三个月。",
                  partial(_quarter_attainment, quarter_of=quarter))
          for quarter in ("2025-01-01", "2025-07-01")),
    ],
)


def _team_months(team: str = TEAM) -> pd.DataFrame:
    """Return the team's reps' months of 2025: a slice of the company's attainment."""
    table = _attained()
    return table[table["rep"].isin(_roster(team))]


def _payout(tiers: tuple[tuple[float, float], ...] = TIERS, team: str = TEAM) -> float:
    """Price the team's bonus with the core's tiered payout (no tiers: one flat rate)."""
    paid = incentive_payout(_team_months(team), per_customer=BONUS, tiers=tiers)
    return float(paid["payout"].sum())


def _mistaken_payout(mistake: str) -> float:
    """Price the team's months under a mistaken reading of the rule (no core function has these).

    ``"all_accelerated"``: in a month above target, every customer at the accelerated rate;
    ``"swapped"``: the accelerator on the customers within target, the base rate above it.
    """
    months = _team_months()
    actual, target = months["actual"].astype(float), months["target"].astype(float)
    if mistake == "all_accelerated":
        rate = (actual > target).map({True: BONUS * ACCELERATOR, False: BONUS})
        return float((actual * rate).sum())
    within = pd.concat([actual, target], axis=1).min(axis=1)
    return float((within * BONUS * ACCELERATOR + (actual - within) * BONUS).sum())


q4 = Question(
    variable="team_bonus",
    prompt=(f"激励方案按月结算：每个新成交客户奖励 {BONUS:.0f} 元；当月超出目标的部分，"
            f"每个客户按 {ACCELERATOR} 倍发放。{TEAM} 全组 2025 年全年一共要发多少奖金（元）？"),
    expected=_payout,
    unit="yuan",
    hints=[
        "先找出组里每个人每个月的目标和实际新成交客户数；奖金按人、按月单独算，最后加总。",
        "每个月里，目标以内的客户按基础奖金算，超出目标的那几个客户才按加速倍数算。",
        f"每月奖金 = min(实际, 目标) × {BONUS:.0f} + max(实际 − 目标, 0) × {BONUS:.0f} × "
        f"{ACCELERATOR}；所有人、所有月份相加。也可以用 dv.incentive_payout(表, "
        f"per_customer={BONUS:.0f}, tiers=[(1.0, {ACCELERATOR})])。",
    ],
    answer_code=(
        "table = dv.attainment(data.worklog, data.targets)\n"
        f"reps = data.targets.loc[data.targets['team'] == '{TEAM}', 'rep'].unique()\n"
        "mine = table[table['rep'].isin(reps)]\n"
        f"base = mine[['actual', 'target']].min(axis=1) * {BONUS:.0f}\n"
        f"extra = (mine['actual'] - mine['target']).clip(lower=0) * {BONUS:.0f} * {ACCELERATOR}\n"
        "team_bonus = (base + extra).sum()"
    ),
    mistakes=[
        Mistake("no_accelerator",
                "你对所有客户都按基础奖金计算，忘了超出目标的部分要乘加速倍数。",
                lambda: _payout(tiers=())),
        Mistake("all_accelerated",
                "在超额的月份里，你把当月所有客户都按加速倍数计算了。加速只适用于超出目标的那几个客户。",
                lambda: _mistaken_payout("all_accelerated")),
        Mistake("accelerator_swapped",
                "你把加速倍数用在了目标以内的客户上，超出目标的部分反而按基础奖金算，正好弄反了。",
                lambda: _mistaken_payout("swapped")),
        *(Mistake("wrong_group", WRONG_TEAM.format(team=TEAM),
                  partial(_payout, team=team)) for team in TEAMS if team != TEAM),
    ],
)

#: The team of question 5, in the kit's example CRM export; the keys of its answer.
CRM_TEAM = "Sergio Blanco"
CUSTOMER, DEAL = "客户", "商机"


def _win_rates(team: str | None = CRM_TEAM) -> dict[str, float]:
    """Return the customer and the deal win rate of a team (None: the company), company-wide slices."""
    log = crm_worklog()
    by = ["team"] if team else []
    customers = win_rate(log, by=by)
    deals = win_rate(log, by=by, unit="deal")
    if team:
        customers, deals = customers[customers["team"] == team], deals[deals["team"] == team]
    return {CUSTOMER: float(customers["win_rate"].iloc[0]), DEAL: float(deals["deal_win_rate"].iloc[0])}


def _team_rows_customer_rate() -> float:
    """Return the mistaken customer win rate: outcomes decided on the team's own rows only."""
    log = crm_worklog()
    return float(win_rate(log[log["team"] == CRM_TEAM])["win_rate"].iloc[0])


def _deal_counts() -> tuple[int, int, int]:
    """Return the team's deals won, lost and still open (each credited as the core credits it)."""
    deals = win_rate(crm_worklog(), by="team", unit="deal")
    mine = deals[deals["team"] == CRM_TEAM]
    still_open = open_deals(crm_worklog())
    return (int(mine["deals_won"].iloc[0]), int(mine["deals_lost"].iloc[0]),
            int((still_open["team"] == CRM_TEAM).sum()))


def _deal_mistake(how: str) -> dict[str, float]:
    won, lost, still_open = _deal_counts()
    deal = won / lost if how == "won_over_lost" else won / (won + lost + still_open)
    return {CUSTOMER: _win_rates()[CUSTOMER], DEAL: deal}


CRM_TEAMS = ("Dana Whitfield", "Helen Oduya", "Marcus Ohlsen", "Priya Raman", "Sergio Blanco",
             "Tomas Varga")

q5 = Question(
    variable="win_rates_by_unit",
    prompt=(f"把课程自带的示例 CRM 导出（examples/crm/pipeline）导入成工作日志以后，{CRM_TEAM} 团队的"
            "**客户赢单率**和**商机赢单率**各是多少？写成一个 dict："
            f"{{'{CUSTOMER}': 客户赢单率, '{DEAL}': 商机赢单率}}，比率写成小数。"),
    expected=_win_rates,
    kind="table",
    unit="share",
    hints=[
        "客户赢单率数的是客户：一个客户只要有一个商机成交，就算赢下了这个客户。商机赢单率数的是商机："
        "成交的商机 ÷（成交的商机 + 流失的商机），还没有结果的商机不算。",
        "两个数都是全公司结果里记在这个团队名下的那一份：在全公司的日志上按 by='team' 算，"
        "不要先把日志筛成这个团队的行。",
        "dv.win_rate(crm_log, by='team') 给客户赢单率（win_rate 列），"
        "dv.win_rate(crm_log, by='team', unit='deal') 给商机赢单率（deal_win_rate 列）；"
        f"各取 team 为 {CRM_TEAM} 的那一行。",
    ],
    answer_code=(
        "customers = dv.win_rate(crm_log, by='team').set_index('team')\n"
        "deals = dv.win_rate(crm_log, by='team', unit='deal').set_index('team')\n"
        f"win_rates_by_unit = {{'{CUSTOMER}': customers.loc['{CRM_TEAM}', 'win_rate'],\n"
        f"                     '{DEAL}': deals.loc['{CRM_TEAM}', 'deal_win_rate']}}"
    ),
    mistakes=[
        Mistake("customer_for_deal",
                f"“{DEAL}”那一项你填的是客户赢单率。一个客户有好几个商机，只要其中一个成交就算赢下这个客户，"
                "所以按客户算的赢单率往往很高；商机赢单率要一个商机一个商机地数：成交的商机 ÷ 成交与流失的商机"
                "（dv.win_rate 加 unit='deal'）。",
                lambda: {CUSTOMER: _win_rates()[CUSTOMER], DEAL: _win_rates()[CUSTOMER]}),
        Mistake("deal_for_customer",
                f"“{CUSTOMER}”那一项你填的是商机赢单率。客户赢单率数的是客户：一个客户只要有一个商机成交就算"
                "赢下，不管它还丢过几个商机（dv.win_rate 默认按客户算）。",
                lambda: {CUSTOMER: _win_rates()[DEAL], DEAL: _win_rates()[DEAL]}),
        Mistake("units_swapped",
                "两个数填反了：按客户算的放进了“商机”，按商机算的放进了“客户”。",
                lambda: {CUSTOMER: _win_rates()[DEAL], DEAL: _win_rates()[CUSTOMER]}),
        Mistake("filtered_first",
                "客户赢单率你是在这个团队自己的行里算的。别的团队赢下的客户，在这个团队的行里只剩下丢掉的"
                "商机，看起来就像流失了。客户的结果要在全公司的日志上定下来，再取记在这个团队名下的那一份"
                "（by='team'）。",
                lambda: {CUSTOMER: _team_rows_customer_rate(), DEAL: _win_rates()[DEAL]}),
        Mistake("won_over_lost",
                "商机赢单率你算的是成交 ÷ 流失。赢单率的分母是成交加流失：成交 ÷（成交 + 流失）。",
                lambda: _deal_mistake("won_over_lost")),
        Mistake("open_included",
                "商机赢单率你把还在谈、没有结果的商机也放进了分母。赢单率只看已经有结果（成交或流失）的商机。",
                lambda: _deal_mistake("open_included")),
        Mistake("whole_company",
                f"你算的是全公司的赢单率，题目问的是 {CRM_TEAM} 团队：在按团队拆开的结果里取这个团队的那一行。",
                lambda: _win_rates(None)),
        *(Mistake("wrong_group", f"你算的是另一个团队的数，题目问的是 {CRM_TEAM}。检查筛选条件里的团队名。",
                  partial(_win_rates, team)) for team in CRM_TEAMS if team != CRM_TEAM),
    ],
)

QUESTIONS: tuple[Question, ...] = numbered("06", q1, q2, q3, q4, q5)
