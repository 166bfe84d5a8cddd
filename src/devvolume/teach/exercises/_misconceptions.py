"""What each diagnosed mistake means, in the instructor's words, and where a lesson re-teaches it.

The exercises diagnose an incorrect answer by a short code (``row_count``, ``active_not_new``,
``period_not_cohort``, …; :class:`~devvolume.teach.exercises.Mistake`). The class page turns the
codes the class made most often into a review plan: each code's Chinese name, and the lesson
section (its heading in ``notebooks/NN_*.ipynb``) to go back to. A test keeps this catalogue in
step with the lessons: every code a question can give has an entry, and every section named here
is a heading of that lesson.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The lessons, as an instructor names them, and their notebooks.
LESSONS: dict[str, tuple[str, str]] = {
    "01": ("第一课 什么才算“开发了一个客户”", "01_what_counts.ipynb"),
    "02": ("第二课 客户开发量怎么算", "02_calculation.ipynb"),
    "03": ("第三课 转化率、保留率与流失率", "03_evaluation.ipynb"),
    "04": ("第四课 推动或拖累开发量的因素", "04_factors.ipynb"),
    "05": ("第五课 提升开发量的四种策略", "05_strategies.ipynb"),
    "06": ("第六课 工作日志、周会、目标与激励", "06_team_management.ipynb"),
    "07": ("第七课 案例复盘", "07_cases.ipynb"),
}

#: The code of an incorrect answer no known mistake matched.
UNDIAGNOSED = "undiagnosed"
#: The codes every question can give after its own known mistakes (no lesson section of their own).
#: ``percent_not_share`` is only in records of versions that called a percent incorrect; a
#: percent now gets the format reply (:data:`FORMAT_CODES`).
GENERIC_CODES = ("wrong_type", "empty_table", "empty_selection", "not_a_number",
                 "percent_not_share")
#: The codes of a format reply (neither correct nor incorrect): the form the answer was asked in.
FORMAT_CODES = {"format_percent": "比率写成了百分数，请写成小数",
                "format_decimals": "小数位数太少，看不出用的是哪种算法"}


@dataclass(frozen=True)
class Misconception:
    """A diagnosis code, its Chinese name, and the lesson section that re-teaches it."""

    code: str
    name: str
    lesson: str | None = None
    section: str | None = None

    @property
    def reteach(self) -> str:
        """Where to go back to, e.g. ``第三课 …（03_evaluation.ipynb）· 2. 转化率：跟踪同一批客户``."""
        if self.lesson is None:
            return ""
        title, notebook = LESSONS[self.lesson]
        where = f"{title}（{notebook}）"
        return f"{where} · {self.section}" if self.section else where


_S01_RULES = "3. 四条数数规则：先在一张小表上练手"
_S01_SCALE = "4. 恍然大悟的时刻：在真实规模的数据上比一比"
_S02_PERIOD = "边界上的两个坑"
_S02_SLICES = "为什么新客户数可以放心地相加"
_S03_CONVERSION = "2. 转化率：跟踪同一批客户"
_S03_RATES = "3. 赢单率，以及“把比率平均”的陷阱"
_S03_RETENTION = "4. 保留率与流失率：开发来的客户留得住吗"
_S04_TEAM = "2. 团队能力：同样的市场，不同的人"
_S04_TRAINING = "培训有没有用？按批次比较"
_S05_EXAMPLE = "2. 示例：每种策略单独做到 100%，结果怎样？"
_S05_COMBINED = "3. 组合起来：四个滑块的模拟器"
_S06_MEETING = "2. 周会：用日志做一页周会材料"
_S06_POOLED = "3.1 团队达成率：先加总，再相除"
_S06_BONUS = "3.2 激励方案：每个新客户的奖金，加上超额加速"
_S06_DEALS = "5.1 客户赢单率和商机赢单率：两个数都对，回答的问题不同"

_ALL = (
    Misconception("row_count", "数了行数，不是客户数", "01", _S01_RULES),
    Misconception("active_not_new", "把活跃客户当成新客户", "01", _S01_SCALE),
    Misconception("ignored_implied", "漏掉了隐含的阶段（签约、成交也代表接触过）", "01", _S01_RULES),
    Misconception("lost_not_contact", "流失行没有算作一次接触", "01", _S01_RULES),
    Misconception("contacted_rows_only", "只看了写着“首次接触”的行", "01", _S01_RULES),
    Misconception("distinct_not_first", "去了重，却没看是不是第一次", "01", _S01_SCALE),
    Misconception("wrong_level", "数错了阶段（签约、成交混淆）", "01", "1. 一句话定义"),
    Misconception("credit_swapped", "功劳记错了人（没有记在定下日期那一行的销售员名下）", "01",
                  _S01_RULES),
    Misconception("wrong_boundary", "周期的边界算错（周从周一开始，月是自然月）", "02", _S02_PERIOD),
    Misconception("wrong_period", "取错了时间段（相邻的周、月或季度）", "02", _S02_PERIOD),
    Misconception("weekdays_only", "只数了工作日，漏掉了周末", "02", _S02_PERIOD),
    Misconception("wrong_group", "取错了团队、渠道或销售员", "02", _S02_SLICES),
    Misconception("filtered_first", "先把日志筛成一个团队（或一个人、一段时间）再数“第一次”", "02",
                  _S02_SLICES),
    Misconception("sunday_week", "把周日当成一周的第一天（本课程的周从周一开始）", "02", _S02_PERIOD),
    Misconception("whole_company", "交了全公司的数，没有取出所问团队或个人的那一份", "02", _S02_SLICES),
    Misconception("dropped_zero", "漏掉了开发量为 0 的周期", "02", "别漏掉为 0 的周期"),
    Misconception("summed_active", "把各月的活跃客户数相加", "02", _S02_SLICES),
    Misconception("period_not_cohort", "用期间口径代替队列转化率", "03", _S03_CONVERSION),
    Misconception("conversion_not_win_rate", "把转化率当成赢单率", "03", _S03_RATES),
    Misconception("win_rate_not_conversion", "把赢单率当成转化率", "03", _S03_RATES),
    Misconception("mean_of_rates", "把各组的比率直接平均，没有合并计算", "03", _S03_RATES),
    Misconception("loss_rate", "算成了输单的比例（流失 ÷ 有结果的客户）", "03", _S03_RATES),
    Misconception("won_over_lost", "赢单率算成了成交 ÷ 流失", "03", _S03_RATES),
    Misconception("part_of_cohort", "只跟踪了队列里的一部分客户（一个月，而不是整个季度）", "03",
                  _S03_CONVERSION),
    Misconception("mean_of_monthly_rates", "把各月的比率直接平均", "06", _S06_POOLED),
    Misconception("ignored_new", "算保留率时没有减去新客户", "03", _S03_RETENTION),
    Misconception("churn_not_retention", "把流失率当成保留率", "03", _S03_RETENTION),
    Misconception("wrong_denominator", "保留率的分母用错（应是期初客户数 S）", "03", _S03_RETENTION),
    Misconception("per_contacted", "投入产出比用错了分母（接触客户而非新成交客户）", "04", _S04_TEAM),
    Misconception("visits_only", "只把拜访算作投入", "04", _S04_TEAM),
    Misconception("inverted_ratio", "投入产出比算反了（新客户 ÷ 活动，而不是活动 ÷ 新客户）", "04",
                  _S04_TEAM),
    Misconception("no_split", "比较培训效果时没有按培训日期分批", "04", _S04_TRAINING),
    Misconception("before_not_after", "比较前后时取错了那一批客户", "04", _S04_TRAINING),
    Misconception("total_not_extra", "给了方案的总数，而不是比现状多出的部分", "05", _S05_EXAMPLE),
    Misconception("ratio_not_count", "给了增长比例，而不是多出的客户数", "05", _S05_EXAMPLE),
    Misconception("percent_not_count", "给了增长百分数，而不是多出的客户数", "05", _S05_EXAMPLE),
    Misconception("added_effects", "把几种策略的效果直接相加", "05", _S05_COMBINED),
    Misconception("cost_not_net", "只看新增价值，没有扣成本", "05", _S05_EXAMPLE),
    Misconception("setup_ignored", "漏掉了一次性投入的摊销", "05", _S05_EXAMPLE),
    Misconception("setup_at_once", "一次性投入没有按月摊销", "05", _S05_EXAMPLE),
    Misconception("included_closed", "把已成交、已流失的客户算成停滞", "06", _S06_MEETING),
    Misconception("contacted_too", "把只做过首次接触的客户算成停滞", "06", _S06_MEETING),
    Misconception("qualified_only", "停滞客户只数了意向阶段，漏了已签约的", "06", _S06_MEETING),
    Misconception("no_accelerator", "超额部分忘了乘加速倍数", "06", _S06_BONUS),
    Misconception("all_accelerated", "超额月份把所有客户都按加速倍数算", "06", _S06_BONUS),
    Misconception("accelerator_swapped", "把加速倍数用反了", "06", _S06_BONUS),
    Misconception("customer_for_deal", "把客户赢单率当成商机赢单率", "06", _S06_DEALS),
    Misconception("deal_for_customer", "把商机赢单率当成客户赢单率", "06", _S06_DEALS),
    Misconception("units_swapped", "客户赢单率和商机赢单率填反了", "06", _S06_DEALS),
    Misconception("open_included", "赢单率的分母放进了还没有结果的（在谈的）商机或客户", "03", _S03_RATES),
    Misconception("wrong_type", "答案的格式不对（要数字却交了表，或反过来）"),
    Misconception("empty_table", "交了一张空表（筛选条件一行也没选中）"),
    Misconception("empty_selection", "答案是 0：筛选条件一行也没选中"),
    Misconception("not_a_number", "答案是 NaN（除以 0，或筛选结果为空）"),
    Misconception("percent_not_share", "写成了百分数，题目要小数"),
    Misconception(UNDIAGNOSED, "未识别的错误（没有匹配任何已知错误）"),
)

#: Every diagnosis code the exercises give, and :data:`UNDIAGNOSED`.
MISCONCEPTIONS: dict[str, Misconception] = {item.code: item for item in _ALL}


def misconception(code: str) -> Misconception:
    """Return the catalogue entry of ``code`` (an unknown code names itself).

    Examples
    --------
    >>> misconception("row_count").name
    '数了行数，不是客户数'
    >>> misconception("new_code").name
    'new_code'
    """
    return MISCONCEPTIONS.get(code, Misconception(code, code))
