"""Coaching: turn a team's or a rep's numbers into what to do next week.

The reports compare a team's (or rep's) funnel with the company's: both rows of
:func:`devvolume.funnel` on the whole company's reached levels, by cohort credit, so they are
like with like (:func:`step_table`). The step where the team falls furthest behind is the
**bottleneck**, and each bottleneck maps to the syllabus's improvement strategies
(四、客户开发量的提升策略): 精准定位 (precise targeting), 优化流程 (a leaner sales process),
培训 (training) and 数字营销 (digital marketing tools). The advice is concrete: it names the
step, the gap and a first action. Peers in a personal report are shown as 同事A, 同事B…
(:func:`anonymise`).
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from devvolume.core import LEVELS, period_window
from devvolume.report._figures import PeriodFigures, window_labels

#: A team whose new contacts per rep are below this share of the company's lacks leads: the
#: bottleneck is the top of the funnel, whatever the step rates say.
LOW_CONTACTS_SHARE = 0.8

_STEP_NAMES = {
    "zh": {"contacted": "获取新客户（首次接触）", "qualified": "首次接触 → 意向",
           "signed": "意向 → 签约", "won": "签约 → 成交"},
    "en": {"contacted": "finding new customers (first contacts)",
           "qualified": "contacted → qualified", "signed": "qualified → signed",
           "won": "signed → won"},
}  # fmt: skip

_ADVICE = {
    "zh": {
        "contacted": [
            ("数字营销", "新客户来源不足。用企业微信、线上表单和行业社群先把潜在客户聚起来，"
                         "每人每周至少新增 {goal} 个首次接触。"),
            ("精准定位", "把陌拜的时间转到转化最好的渠道“{channel}”，"
                         "先列出 20 家最像已成交客户的公司。"),
        ],
        "qualified": [
            ("精准定位", "接触了却没有意向：名单不够准。对照已成交客户的行业和规模重写目标客户画像，"
                         "优先跟进“{channel}”来的线索。"),
            ("数字营销", "首次接触前先发一份案例或产品短视频，电话里就有话题，意向率更高。"),
        ],
        "signed": [
            ("培训", "有意向却签不下来：安排一次需求挖掘和方案演示的专项培训，"
                     "每周例会做一轮角色演练。"),
            ("优化流程", "客户表示意向后 48 小时内给出方案和报价，减少等待中流失的客户。"),
        ],
        "won": [
            ("优化流程", "签约后迟迟不成交：理清从签约到交付、回款的每一步，签约后 7 天内必须回访；"
                         "现在有 {stalled} 个签约客户停滞。"),
            ("培训", "练习促成与异议处理，特别是价格和付款条件的谈判。"),
        ],
    },
    "en": {
        "contacted": [
            ("Digital marketing", "Too few new leads. Gather prospects through WeChat Work, web "
                                  "forms and trade groups; aim for at least {goal} first contacts "
                                  "per rep per week."),
            ("Precise targeting", "Move cold-call time to the channel that converts best "
                                  "(\u201c{channel}\u201d); list 20 companies that look like "
                                  "customers already won."),
        ],
        "qualified": [
            ("Precise targeting", "Contacts do not become interested: the list is off. Redraw the "
                                  "ideal-customer profile from the customers won, and follow up "
                                  "leads from \u201c{channel}\u201d first."),
            ("Digital marketing", "Send a case study or a short product video before the first "
                                  "call, so the call has something to talk about."),
        ],
        "signed": [
            ("Training", "Interest does not become contracts: run a training on needs discovery "
                         "and demos, with a role-play round in every weekly meeting."),
            ("Streamlined process", "Send the proposal and quote within 48 hours of a customer "
                                    "showing interest."),
        ],
        "won": [
            ("Streamlined process", "Signed customers do not close: map every step from contract "
                                    "to delivery and payment, and call back within 7 days of "
                                    "signing; {stalled} signed customers are stalled now."),
            ("Training", "Practise closing and objection handling, especially on price and "
                         "payment terms."),
        ],
    },
}  # fmt: skip


@dataclass(frozen=True)
class Bottleneck:
    """The funnel step where a team (or rep) falls furthest behind the company.

    ``level`` is the level the step leads to (``"qualified"`` is contacted → qualified);
    ``"contacted"`` means too few new contacts. ``rate`` and ``company_rate`` are the step's
    conversion (for ``"contacted"``: new contacts per rep), ``ratio`` is rate ÷ company_rate.
    """

    level: str
    rate: float
    company_rate: float
    ratio: float

    def step_name(self, lang: str = "zh") -> str:
        """Name the step in words."""
        return _STEP_NAMES[lang][self.level]


def find_bottleneck(
    funnel: pd.DataFrame,
    company_funnel: pd.DataFrame,
    *,
    reps: int = 1,
    company_reps: int = 1,
) -> Bottleneck:
    """Find the step where ``funnel`` falls furthest behind ``company_funnel``.

    Parameters
    ----------
    funnel, company_funnel : pandas.DataFrame
        :func:`devvolume.core.funnel` results (``level``, ``customers``).
    reps, company_reps : int
        Reps behind each funnel, to compare new contacts per rep.

    Returns
    -------
    Bottleneck
        Too few contacts per rep (below :data:`LOW_CONTACTS_SHARE` of the company's) comes
        first; otherwise the step with the lowest ratio of step conversions.

    Examples
    --------
    >>> team = pd.DataFrame({"level": ["contacted", "qualified", "signed", "won"],
    ...                      "customers": [100, 40, 10, 8]})
    >>> company = pd.DataFrame({"level": ["contacted", "qualified", "signed", "won"],
    ...                         "customers": [500, 200, 100, 80]})
    >>> find_bottleneck(team, company, reps=2, company_reps=10)
    Bottleneck(level='signed', rate=0.25, company_rate=0.5, ratio=0.5)
    """
    counts = _counts(funnel)
    company = _counts(company_funnel)
    per_rep = counts["contacted"] / max(reps, 1)
    company_per_rep = company["contacted"] / max(company_reps, 1)
    if company_per_rep and per_rep < LOW_CONTACTS_SHARE * company_per_rep:
        return Bottleneck("contacted", per_rep, company_per_rep, per_rep / company_per_rep)
    worst: Bottleneck | None = None
    for previous, level in itertools.pairwise(LEVELS):
        rate = counts[level] / counts[previous] if counts[previous] else 0.0
        company_rate = company[level] / company[previous] if company[previous] else 0.0
        ratio = rate / company_rate if company_rate else 1.0
        if worst is None or ratio < worst.ratio:
            worst = Bottleneck(level, rate, company_rate, ratio)
    assert worst is not None
    return worst


def _counts(funnel: pd.DataFrame) -> dict[str, int]:
    table = funnel.set_index("level")["customers"]
    return {level: int(table.get(level, 0)) for level in LEVELS}


def recommendations(
    bottleneck: Bottleneck,
    *,
    best_channel: str = "",
    stalled: int = 0,
    weekly_contacts_goal: int = 5,
    lang: str = "zh",
) -> list[tuple[str, str]]:
    """Turn a bottleneck into two concrete actions: ``(strategy, action)`` pairs.

    Parameters
    ----------
    bottleneck : Bottleneck
        From :func:`find_bottleneck`.
    best_channel : str
        The channel whose contacts convert best, named in targeting advice.
    stalled : int
        Stalled signed customers, named in process advice.
    weekly_contacts_goal : int
        First contacts per rep per week to aim for.
    lang : {"zh", "en"}
        Language.

    Examples
    --------
    >>> advice = recommendations(Bottleneck("won", 0.5, 0.8, 0.625), stalled=3)
    >>> [strategy for strategy, _ in advice]
    ['优化流程', '培训']
    >>> "3 个签约客户停滞" in advice[0][1]
    True
    """
    channel = best_channel or ("转介绍" if lang == "zh" else "referrals")
    return [
        (strategy, text.format(channel=channel, stalled=stalled, goal=weekly_contacts_goal))
        for strategy, text in _ADVICE[lang][bottleneck.level]
    ]


def anonymise(names: Sequence[str], *, keep: str = "", lang: str = "zh") -> dict[str, str]:
    """Map peers to 同事A, 同事B… (in name order); ``keep`` keeps its own name.

    Examples
    --------
    >>> anonymise(["王芳", "李强", "陈静"], keep="陈静")
    {'李强': '同事A', '王芳': '同事B', '陈静': '陈静'}
    >>> anonymise(["b", "a"], lang="en")
    {'a': 'Peer A', 'b': 'Peer B'}
    """
    prefix = "同事" if lang == "zh" else "Peer "
    letters = string.ascii_uppercase
    mapping = {}
    peers = sorted(name for name in set(names) if name != keep)
    for number, name in enumerate(peers):
        suffix = letters[number % 26] + (str(number // 26) if number >= 26 else "")
        mapping[name] = f"{prefix}{suffix}"
    if keep in set(names):
        mapping[keep] = keep
    return mapping


def period_target(targets: pd.DataFrame | None, *, day: Any, period: str, **where: str
                  ) -> int | None:  # fmt: skip
    """Sum the targets of one team or rep (``where``) whose period lies in the report period.

    Targets are set per rep and month: a team's target is the sum of its reps' targets, a
    quarter's the sum of its months'. A week has no target (a monthly target cannot be cut into
    weeks), and neither has a period with no target rows: both give ``None``.

    Examples
    --------
    >>> plan = pd.DataFrame({"rep": ["A", "B", "A"], "team": ["T", "T", "T"],
    ...                      "period": pd.to_datetime(["2026-03-01", "2026-04-01", "2026-04-01"]),
    ...                      "target": [5, 7, 2]})
    >>> period_target(plan, day="2026-04-18", period="M", team="T")
    9
    >>> period_target(plan, day="2026-04-18", period="Q", rep="A"), period_target(plan, day="2026-04-18", period="W")
    (2, None)
    """
    if targets is None or period == "W":
        return None
    window = period_window(day, period)
    inside = targets[(targets["period"] >= pd.Timestamp(window.first))
                     & (targets["period"] <= pd.Timestamp(window.last))]  # fmt: skip
    for column, value in where.items():
        inside = inside[inside[column] == value]
    return int(inside["target"].sum()) if not inside.empty else None


def volume_table(figures: PeriodFigures, *, text: dict[str, str], lang: Literal["zh", "en"] = "zh",
                 levels: Sequence[str] = LEVELS) -> pd.DataFrame:  # fmt: skip
    """Tabulate each level's volume this period against the comparison window, and won against target.

    The two window columns are labelled by :func:`~devvolume.report.window_labels`: "本期至今"
    and "上期同样天数" while the period is running, "本期" and "上期" once it is over. ``text``
    holds the other column labels (keys ``level, delta, target, attain``).

    Examples
    --------
    >>> from devvolume.report._data import load_company
    >>> from devvolume.report._figures import period_figures
    >>> figures = period_figures(load_company("software", as_of="2025-03-18"), period="M",
    ...                          team="华东一组", target=8)
    >>> labels = {key: key for key in ("level", "delta", "target", "attain")}
    >>> list(volume_table(figures, text=labels, levels=["won"]).columns)
    ['本期至今', '上期同样天数', 'delta', 'target', 'attain']
    """
    from devvolume.viz import label

    now_label, before_label = window_labels(figures.comparison, period=figures.period, lang=lang)
    rows = []
    for level in levels:
        now, before = figures.now[level], figures.before[level]
        goal = figures.target if level == "won" else None
        rows.append({
            text["level"]: label(level, lang), now_label: now, before_label: before,
            text["delta"]: now - before, text["target"]: "—" if goal is None else goal,
            text["attain"]: "—" if not goal else f"{now / goal:.0%}",
        })  # fmt: skip
    return pd.DataFrame(rows).set_index(text["level"])


def step_table(funnels: Mapping[str, pd.DataFrame], win_rates: Mapping[str, float | None], *,
               step: str, win_rate: str, lang: Literal["zh", "en"] = "zh") -> pd.DataFrame:  # fmt: skip
    """Tabulate the funnel's step rates (and the win rate) side by side, one column per funnel.

    ``funnels`` maps a column label to a :func:`devvolume.funnel` result (one group's rows, or
    the company's); ``win_rates`` the same labels to a win rate. ``step`` and ``win_rate`` are
    the labels of the first column and of the last row.

    Examples
    --------
    >>> company = pd.DataFrame({"level": ["contacted", "qualified", "signed", "won"],
    ...                         "from_previous": [None, 0.5, 0.5, 0.8]})
    >>> table = step_table({"全公司": company}, {"全公司": 0.3}, step="环节", win_rate="赢单率")
    >>> table["全公司"].to_dict()
    {'首次接触 → 意向': '50.0%', '意向 → 签约': '50.0%', '签约 → 成交': '80.0%', '赢单率': '30.0%'}
    """
    def share(value: Any) -> str:
        return "—" if value is None or pd.isna(value) else f"{value:.1%}"

    names = [_STEP_NAMES[lang][level] for level in LEVELS[1:]]
    table = pd.DataFrame({step: [*names, win_rate]})
    for column, frame in funnels.items():
        rates = frame.set_index("level")["from_previous"]
        table[column] = [*(share(rates.get(level)) for level in LEVELS[1:]),
                         share(win_rates.get(column))]  # fmt: skip
    return table.set_index(step)
