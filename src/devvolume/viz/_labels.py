"""Chart labels in Chinese and English, and the date formats of each period.

The chart builders in :mod:`devvolume.viz._charts` take ``lang="zh"`` (the default) or ``lang="en"``;
every title, axis and legend text they show comes from :data:`LABELS`, so a report in English
needs no other change.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "period": "周期", "W": "周", "M": "月份", "Q": "季度", "Y": "年份",
        "volume": "新客户数", "volume_title": "{every}客户开发量", "every_W": "每周",
        "every_M": "每月", "every_Q": "每季度", "every_Y": "每年",
        "contacted": "首次接触", "qualified": "意向", "signed": "签约", "won": "成交",
        "lost": "流失", "level": "阶段", "customers": "客户数", "share": "占首次接触",
        "funnel_title": "客户开发漏斗", "cohort": "批次（{start}月份）", "rate": "转化率",
        "conversion": "转化率", "converted": "已转化", "cohort_size": "批次客户数",
        "conversion_title": "按批次的转化率（{start} → {end}）",
        "offset": "距首单的周期数", "first_order": "首单周期", "retention": "留存率",
        "retained": "仍在下单", "retention_title": "客户留存（按首单批次）",
        "rep": "销售员", "team": "团队", "target": "目标", "leaderboard_title": "销售员开发量排行",
        "attainment": "目标达成率", "attainment_title": "目标达成率（实际 ÷ 目标）",
        "reached": "达标", "not_reached": "未达标", "status": "状态",
        "series": "情景", "baseline": "现状", "scenario": "改进方案",
        "whatif_title": "改进方案与现状的开发量预测",
        "typical_peer": "同行典型水平", "funnel_plot_size": "规模（客户数；每周类指标为在岗天数）",
        "funnel_plot_title": "与同行比较：点在实线（99.8%）之外才算明显不同",
    },
    "en": {
        "period": "Period", "W": "Week", "M": "Month", "Q": "Quarter", "Y": "Year",
        "volume": "New customers", "volume_title": "{every} development volume",
        "every_W": "Weekly", "every_M": "Monthly", "every_Q": "Quarterly", "every_Y": "Yearly",
        "contacted": "Contacted", "qualified": "Qualified", "signed": "Signed", "won": "Won",
        "lost": "Lost", "level": "Stage", "customers": "Customers", "share": "Share of contacted",
        "funnel_title": "Development funnel", "cohort": "Cohort ({start} month)",
        "rate": "Conversion rate", "conversion": "Conversion rate", "converted": "Converted",
        "cohort_size": "Cohort size",
        "conversion_title": "Conversion by cohort ({start} → {end})",
        "offset": "Periods since first order", "first_order": "First-order cohort",
        "retention": "Retention", "retained": "Retained",
        "retention_title": "Customer retention by first-order cohort",
        "rep": "Rep", "team": "Team", "target": "Target", "leaderboard_title": "Rep leaderboard",
        "attainment": "Target attainment", "attainment_title": "Target attainment (actual ÷ target)",
        "reached": "Reached", "not_reached": "Not reached", "status": "Status",
        "series": "Scenario", "baseline": "Baseline", "scenario": "With changes",
        "whatif_title": "Projected development volume: changes vs baseline",
        "typical_peer": "Typical peer", "funnel_plot_size": "Size (customers; days at work for weekly figures)",
        "funnel_plot_title": "Against peers: only a dot outside the solid lines (99.8 %) is clearly different",
    },
}

#: Vega time formats for a period's first day, by period code.
TIME_FORMATS: dict[str, dict[str, str]] = {
    "zh": {"W": "%Y-%m-%d", "M": "%Y年%-m月", "Q": "%Y年第%q季度", "Y": "%Y年"},
    "en": {"W": "%Y-%m-%d", "M": "%b %Y", "Q": "Q%q %Y", "Y": "%Y"},
}


def label(key: str, lang: Lang = "zh", **fields: str) -> str:
    """Return the chart label ``key`` in ``lang``, with ``{fields}`` filled in.

    Examples
    --------
    >>> label("volume_title", every=label("every_M"))
    '每月客户开发量'
    >>> label("won", "en")
    'Won'
    """
    if lang not in LABELS:
        msg = f"不支持的语言 {lang!r} / unsupported lang; use one of: {', '.join(LABELS)}"
        raise ValueError(msg)
    return LABELS[lang][key].format(**fields)
