"""Exercises for lesson 05: improvement strategies and the what-if simulator (directsales).

q1's expected answer is the core's :func:`attainment` (new customers won, credited to the rep
who won them, against each rep's monthly target); q2–q4 come from the what-if projection
(:func:`devvolume.teach.project_strategies`) on the company's baseline. Every question diagnoses
the classic mistakes.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from devvolume.core import attainment
from devvolume.sim import CASES
from devvolume.teach import (
    STRATEGIES,
    Baseline,
    StrategyProjection,
    baseline_from_worklog,
    project_strategies,
)
from devvolume.teach.exercises._cases import DATASET, case, reached
from devvolume.teach.exercises._question import Mistake, Question, numbered

__all__ = ["QUESTIONS", "q1", "q2", "q3", "q4"]


@cache
def _baseline() -> Baseline:
    data = case()
    return baseline_from_worklog(data.worklog, targets=data.targets, model=CASES[DATASET].model)


def _attained(level: str = "won") -> pd.DataFrame:
    """Each rep's monthly target and actual new customers at ``level`` (the core's attainment)."""
    return attainment(reached(), case().targets, level=level, period="M", by="rep")


def _pooled_attainment(level: str = "won") -> float:
    frame = _attained(level)
    return float(frame["actual"].sum() / frame["target"].sum())


def _mean_of_rates(by: str) -> float:
    """Average the mistaken way: the plain mean of each rep's (or month's) own attainment."""
    frame = _attained().groupby(by)[["actual", "target"]].sum()
    return float((frame["actual"] / frame["target"]).mean())


q1 = Question(
    variable="attainment_2025",
    prompt="全公司 2025 年全年的新客户目标达成率是多少？（新成交客户 ÷ 目标，写成小数，如 0.85）",
    expected=_pooled_attainment,
    unit="share",
    hints=[
        "达成率 = 实际 ÷ 目标。全公司的达成率要先把全公司的实际数和目标数各自加总，再相除。",
        "实际数是每位销售员每月的**新成交客户**（level='won'），不是签约，也不是行数。",
        "dv.attainment(data.worklog, data.targets) 给出每人每月的 target 和 actual："
        "actual 的总和除以 target 的总和。",
    ],
    answer_code=(
        "attained = dv.attainment(data.worklog, data.targets)\n"
        "attainment_2025 = attained['actual'].sum() / attained['target'].sum()"
    ),
    mistakes=[
        Mistake("mean_of_rates",
                "你把每位销售员的达成率取了平均。人和人的目标大小不同，直接平均会让目标小的人"
                "和目标大的人分量一样。应该先把实际数和目标数分别加总，再相除。",
                lambda: _mean_of_rates("rep")),
        Mistake("mean_of_monthly_rates",
                "你把 12 个月各自的达成率取了平均。春节、国庆所在的月份目标小，平均时却和旺季"
                "一样重。全年达成率要用全年实际总数除以全年目标总数。",
                lambda: _mean_of_rates("period")),
        Mistake("wrong_level",
                "你数的是签约客户（signed），而目标考核的是新成交客户（won）。",
                lambda: _pooled_attainment("signed")),
    ],
)


def _projection(**levels: float) -> StrategyProjection:
    return project_strategies(_baseline(), **levels)


def _extra(**levels: float) -> float:
    return _projection(**levels).won - _baseline().won_per_month


q2 = Question(
    variable="extra_won_training",
    prompt="把“培训”开到 100%、其他策略不做，全公司每月能**比现状多**多少个新成交客户？（保留至少一位小数）",
    expected=lambda: _extra(training=1.0),
    unit="tenth",
    hints=[
        "问的是“多出来”的部分，不是方案下的总数。",
        "dv.teach.project_strategies(baseline, training=1.0) 返回的 .won 是方案下每月新成交客户；"
        "现状在 baseline.won_per_month。",
        "两者相减：方案的 won 减去现状的 won_per_month。",
    ],
    answer_code=(
        "plan = dv.teach.project_strategies(baseline, training=1.0)\n"
        "extra_won_training = plan.won - baseline.won_per_month"
    ),
    mistakes=[
        Mistake("total_not_extra",
                "你给的是方案下每月新成交客户的总数，题目问的是比现状多出来的部分。",
                lambda: _projection(training=1.0).won),
        Mistake("ratio_not_count",
                "你给的是增长的比例，题目要的是多出来的客户个数。",
                lambda: _extra(training=1.0) / _baseline().won_per_month),
        Mistake("percent_not_count",
                "你给的是增长的百分数，题目要的是多出来的客户个数。",
                lambda: 100 * _extra(training=1.0) / _baseline().won_per_month),
    ],
)


def _sum_of_single_extras() -> float:
    return sum(_extra(**{code: 1.0}) for code in STRATEGIES)


_ALL_FULL = dict.fromkeys(STRATEGIES, 1.0)

q3 = Question(
    variable="extra_won_all",
    prompt="四种策略（精准定位、优化流程、培训、数字营销）**同时**开到 100%，全公司每月比现状多多少个新成交客户？"
           "（保留至少一位小数）",
    expected=lambda: _extra(**_ALL_FULL),
    unit="tenth",
    hints=[
        "组合方案要一起算，不能把四个单项的结果直接相加。",
        "在 dv.teach.project_strategies 里把四个参数同时设为 1.0。",
        "dv.teach.project_strategies(baseline, targeting=1, process=1, training=1, digital=1).won "
        "减去 baseline.won_per_month。",
    ],
    answer_code=(
        "plan = dv.teach.project_strategies(baseline, targeting=1.0, process=1.0, training=1.0,\n"
        "                                   digital=1.0)\n"
        "extra_won_all = plan.won - baseline.won_per_month"
    ),
    mistakes=[
        Mistake("added_effects",
                "你把四种策略单独做时多出来的客户数直接相加了。策略之间会互相影响：更高的转化率"
                "作用在更多的线索上，效果是相乘而不是相加；精准定位减少线索，又会抵消一部分。"
                "把四个参数放进同一次计算。",
                _sum_of_single_extras),
        Mistake("total_not_extra",
                "你给的是方案下每月新成交客户的总数，题目问的是比现状多出来的部分。",
                lambda: _projection(**_ALL_FULL).won),
    ],
)


def _net(plan: StrategyProjection, *, setup_months: float | None) -> float:
    setup = 0.0 if setup_months is None else plan.setup_cost / setup_months
    return plan.extra_value_per_month - plan.monthly_cost - setup


q4 = Question(
    variable="net_digital",
    prompt=("只把“数字营销”开到 100%，每月的净收益是多少元？"
            "（净收益 = 新增客户价值 − 每月运行成本 − 一次性投入按 12 个月摊销）"),
    expected=lambda: _projection(digital=1.0).net_value_per_month,
    unit="yuan",
    hints=[
        "净收益要把所有成本都扣掉：每月的运行成本，以及一次性投入分摊到每个月的部分。",
        "方案对象里有 extra_value_per_month（新增客户价值）、monthly_cost（每月成本）和 "
        "setup_cost（一次性投入）。",
        "extra_value_per_month − monthly_cost − setup_cost / 12，或者直接读 net_value_per_month。",
    ],
    answer_code=(
        "plan = dv.teach.project_strategies(baseline, digital=1.0)\n"
        "net_digital = plan.extra_value_per_month - plan.monthly_cost - plan.setup_cost / 12"
    ),
    mistakes=[
        Mistake("cost_not_net",
                "你只算了新增客户带来的价值，没有扣掉策略本身的成本。",
                lambda: _projection(digital=1.0).extra_value_per_month),
        Mistake("setup_ignored",
                "你扣了每月运行成本，但漏掉了一次性投入（要按 12 个月摊到每个月）。",
                lambda: _net(_projection(digital=1.0), setup_months=None)),
        Mistake("setup_at_once",
                "你把一次性投入全部算在了一个月里。题目要求按 12 个月摊销。",
                lambda: _net(_projection(digital=1.0), setup_months=1)),
    ],
)

QUESTIONS: tuple[Question, ...] = numbered("05", q1, q2, q3, q4)
