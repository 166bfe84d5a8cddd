"""Coaching: turn a team's or a rep's numbers into what to do next week.

The reports compare a funnel (:func:`devvolume.core.funnel`) with the company's. The step
where it falls furthest behind is the **bottleneck**, and each bottleneck maps to the syllabus's
improvement strategies (四、客户开发量的提升策略): 精准定位 (precise targeting), 优化流程
(a leaner sales process), 培训 (training) and 数字营销 (digital marketing tools). The advice is
concrete: it names the step, the gap and a first action. Peers in a personal report are shown as
同事A, 同事B… (:func:`anonymise`).
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from devvolume.core import LEVELS

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


_SUBJECT = {"team": ("团队", "team"), "rep": ("销售员", "rep")}


def select(
    worklog: pd.DataFrame, *, column: str, name: str, until: pd.Timestamp, parameter: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the company's log up to ``until`` and the rows of one team or rep in it.

    A report must fail clearly, naming what exists, rather than print empty tables.

    Parameters
    ----------
    worklog : pandas.DataFrame
        The whole company's work log.
    column : {"team", "rep"}
        Which column ``name`` is found in.
    name : str
        The team or rep the report is about.
    until : pandas.Timestamp
        The last day the report may see.
    parameter : str
        The report parameter that set ``until`` (named in the hint).

    Returns
    -------
    tuple of pandas.DataFrame
        ``(company, log)``: every row up to ``until``, and ``name``'s rows among them.

    Examples
    --------
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-01-05", "2026-02-02"]),
    ...                     "team": ["一组", "二组"]})
    >>> company, mine = select(log, column="team", name="一组",
    ...                        until=pd.Timestamp("2026-01-31"), parameter="as_of")
    >>> len(company), len(mine)
    (1, 1)
    """
    zh, en = _SUBJECT[column]
    if name not in set(worklog[column]):
        names = "、".join(sorted(worklog[column].unique()))
        msg = f"没有名为“{name}”的{zh} / no {en} named {name!r}. 现有{zh} / {en}s: {names}"
        raise ValueError(msg)
    company = worklog[worklog["date"] <= until]
    log = company[company[column] == name]
    if log.empty:
        msg = (f"{zh}“{name}”在 {until:%Y-%m-%d} 之前没有任何记录 / {en} {name!r} has no activity "
               f"up to {until:%Y-%m-%d}. Hint: 检查 {parameter} 参数或工作日志表的日期 / "
               f"check {parameter} or the work log's dates.")
        raise ValueError(msg)
    return company, log


def period_target(targets: pd.DataFrame | None, *, start: pd.Timestamp, end: pd.Timestamp
                  ) -> int | None:
    """Sum the targets whose period starts inside ``[start, end]``; None when there are none.

    Examples
    --------
    >>> plan = pd.DataFrame({"period": pd.to_datetime(["2026-03-01", "2026-04-01"]),
    ...                      "target": [5, 7]})
    >>> period_target(plan, start=pd.Timestamp("2026-04-01"), end=pd.Timestamp("2026-04-30"))
    7
    """
    if targets is None:
        return None
    inside = targets[(targets["period"] >= start) & (targets["period"] <= end)]
    return int(inside["target"].sum()) if not inside.empty else None


def volume_table(
    volumes: dict[str, pd.DataFrame],
    *,
    start: pd.Timestamp,
    previous_start: pd.Timestamp,
    target: int | None,
    text: dict[str, str],
    lang: Literal["zh", "en"] = "zh",
) -> pd.DataFrame:
    """Tabulate each level's volume this period against the one before, and won against target.

    ``volumes`` maps a level to its :func:`~devvolume.core.development_volume` frame; ``text``
    holds the report's column labels (keys ``level, now, before, delta, target, attain``).

    Examples
    --------
    >>> won = pd.DataFrame({"period": pd.to_datetime(["2026-03-01", "2026-04-01"]),
    ...                     "volume": [4, 6]})
    >>> labels = {k: k for k in ("level", "now", "before", "delta", "target", "attain")}
    >>> table = volume_table({"won": won}, start=pd.Timestamp("2026-04-01"),
    ...                      previous_start=pd.Timestamp("2026-03-01"), target=8, text=labels)
    >>> table.index.tolist(), [str(value) for value in table.iloc[0]]
    (['成交'], ['6', '4', '2', '8', '75%'])
    """
    from devvolume.viz._charts import label

    def in_period(frame: pd.DataFrame, first: pd.Timestamp) -> int:
        return int(frame.loc[frame["period"] == first, "volume"].sum())

    rows = []
    for level, frame in volumes.items():
        now, before = in_period(frame, start), in_period(frame, previous_start)
        goal = target if level == "won" else None
        rows.append({
            text["level"]: label(level, lang), text["now"]: now, text["before"]: before,
            text["delta"]: now - before, text["target"]: "—" if goal is None else goal,
            text["attain"]: "—" if not goal else f"{now / goal:.0%}",
        })
    return pd.DataFrame(rows).set_index(text["level"])

