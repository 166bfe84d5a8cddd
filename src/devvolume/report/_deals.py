"""Deals on a report page, where the work log has a 商机 (deal) column, as a CRM export's does.

客户开发量 counts customers; a CRM counts deals, many per customer. Where the log carries deal ids,
a team or rep report adds what a manager of such a business asks about (DESIGN.md, "Accounts and
deals"), every figure with its unit (个商机, 位客户, 元) so that a deal figure is never read as a
customer figure:

- this period's won and lost deals and the deal win rate, beside the customer win rate of the
  same days (an account is won once any deal is: both true, for different questions);
- the split of won deals and their revenue between **first deals** (the deal that made an
  account a customer: development) and **repeat deals** with existing customers;
- the open deals on the report day, the stalled ones (the latest stage and the most recently
  active first: still warm, worth a call) and those idle so long that closing them as lost is
  suggested (:data:`~devvolume.core._deals.SUGGEST_CLOSE_CYCLES` times the median deal cycle).

Every figure is a slice (:func:`~devvolume.report.pick`) of a company-wide core result
(:func:`devvolume.won_deals`, :func:`devvolume.win_rate`, :func:`devvolume.open_deals`,
:func:`devvolume.stalled_customers` with ``unit="deal"``), computed once per company
(:meth:`~devvolume.report.Company.result`). A business whose won deals are mostly repeat deals
(:data:`MOSTLY_REPEAT`) is told so, and coaching reads that context before it speaks about new
customers (:func:`context_note`, :func:`development_advice`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from devvolume.core import (
    STALLED_AFTER_DAYS,
    SUGGEST_CLOSE_CYCLES,
    Window,
    development_volume,
    open_deals,
    period_window,
    stalled_customers,
    win_rate,
    won_deals,
)
from devvolume.report._data import Company
from devvolume.report._figures import pick

if TYPE_CHECKING:
    from devvolume.inputs import ImportSummary

#: A business is "mostly repeat deals" when more than this share of its won deals are repeat
#: deals with existing customers; coaching then reads new-customer advice in that light.
MOSTLY_REPEAT = 0.5
#: Fewer won deals than this say too little about the mix to call a business anything.
MIN_DEALS_FOR_MIX = 10
#: Stalled deals listed on a page (the warmest first); the rest are counted.
LISTED_DEALS = 15
#: Stalled deals named in the follow-up advice.
NAMED_DEALS = 3

_T: dict[str, dict[str, Any]] = {
    "zh": {
        "measure": "指标", "unit": "单位",
        "deals_won": "成交的商机", "first_deals": "　其中首单（客户的第一单：客户开发）",
        "repeat_deals": "　其中复购（已有客户的又一单）", "new_won": "新成交的客户（客户开发量）",
        "deals_lost": "流失的商机",
        "deal_win_rate": "商机赢单率（成交 ÷ 成交与流失）",
        "customer_win_rate": "客户赢单率（同一时期，对照）",
        "won_revenue": "成交金额", "first_deal_revenue": "　其中首单金额",
        "repeat_deal_revenue": "　其中复购金额", "open_deals": "在谈的商机（截至 {day}）",
        "stalled": "　其中停滞（{days} 天以上没有活动）",
        "to_close": "　其中建议按流失关闭（停滞 {after} 天以上）",
        "u_deals": "个商机", "u_customer_count": "位客户", "u_customers": "按客户", "u_deal_share": "按商机",
        "u_yuan": "元",
        "no_amount": "无金额", "none": "—",
        "mix": "{span}，{who_sp}成交的 {won} 个商机里，{first} 个是首单（让一个客户第一次成交的那一单，"
               "也就是客户开发），其余 {repeat} 个是老客户的复购{money}；同一时期新接触的客户 {new} 个。",
        "mix_money": "；首单金额 {first_money} 元，占成交金额 {won_money} 元的 {share}",
        "mix_none": "{span}，{who_sp}没有成交的商机；同一时期新接触的客户 {new} 个。",
        "mostly_repeat": "{who_sp}的生意主要来自已有客户：成交的商机里 {share} 是复购。客户开发量（新客户）"
                         "只是这份工作的一小部分。",
        "short": "{span}成交的 {won} 个商机里 {first} 个是首单，其余 {repeat} 个是老客户的复购",
        "rates": "客户赢单率和商机赢单率回答的是两个问题：一个客户只要有一个商机成交就算赢下了这个客户，"
                 "所以客户赢单率可以是 {customer}，而按商机算，成交与流失的商机里赢下的是 {deal}。两个数都对。",
        "whole": {"W": "{d} 那一周", "M": "{y} 年 {m} 月", "Q": "{y} 年第 {q} 季度", "Y": "{y} 年"},
        "days": "{first}至 {last}",
        "a_stretch": ("精准定位", "{n}没有新接触的客户，而 {short}：时间主要花在老客户身上，生意也正是从老客户来的，"
                              "不必为了开发量放下他们。如果公司要的是更多客户，就和{who}商量一个小而明确的开发"
                              "目标（例如每月新接触几个客户{hint}），周会上和复购放在一起看。"),
        "a_saturated": ("精准定位", "日志里的客户早已全部接触过，生意靠老客户的复购在做（{short}）。要增加客户数"
                                "，只能靠一份新的目标客户名单（新行业、新区域或新渠道）：先定一个小的每月新接触数，"
                                "周会上和复购放在一起看，不要挤掉老客户的跟进。"),
        "a_contacts_focus": ("精准定位", "活动不少（每人每周 {ag} 次，{company} {ar} 次），新接触却少；"
                                     "{short}：时间主要用在已有客户身上，这本身不是问题。要增加客户数，就单独定一个"
                                     "小目标（例如每月新接触几个客户{hint}），不要挤掉老客户的跟进。"),
        "a_contacts_effort": ("优化流程", "新接触少，活动也少（每人每周 {ag} 次，{company} {ar} 次）；{short}。"
                                      "先看活动少是不是老客户的单子也少了：复购照常跟进，再给新客户定一个小而明确的"
                                      "目标（例如每月新接触几个客户），周会上一起看。"),
        "a_follow_up": ("优化流程", "{n} 个在谈的商机已 {days} 天以上没有活动。先跟进其中最近还有动静的：{names}"
                                "{close}"),
        "close": "；停滞 {after} 天以上（商机从首次接触到成交天数中位数的 {k} 倍）的 {m} 个，建议在 CRM 里按流失"
                 "关闭，不必再打电话。",
        "no_close": "。",
        "close_rule": "停滞 {after} 天以上（商机从首次接触到成交天数中位数的 {k} 倍）的，建议在 CRM 里按流失关闭。",
        "listed": "{customer}（{deal}）",
        "imported": "这份工作日志由 CRM 导出的 {source} 导入：{deals_in} 个商机中写入 {written} 个。",
        "not_counted": "这些商机不在本报告的任何数字里（全公司的导出合计，不分团队）。",
    },
    "en": {
        "measure": "Measure", "unit": "Unit",
        "deals_won": "Deals won", "first_deals": "  of which first deals (an account's first: development)",
        "repeat_deals": "  of which repeat deals (existing customers)",
        "new_won": "New customers won (development volume)", "deals_lost": "Deals lost",
        "deal_win_rate": "Deal win rate (won ÷ won and lost)",
        "customer_win_rate": "Customer win rate (same days, for contrast)",
        "won_revenue": "Won revenue", "first_deal_revenue": "  of which first deals",
        "repeat_deal_revenue": "  of which repeat deals", "open_deals": "Open deals (on {day})",
        "stalled": "  of which stalled (no activity for {days}+ days)",
        "to_close": "  of which to close as lost (stalled {after}+ days)",
        "u_deals": "deals", "u_customer_count": "customers", "u_customers": "by customer",
        "u_deal_share": "by deal", "u_yuan": "yuan",
        "no_amount": "no amounts", "none": "—",
        "mix": "Of the {won} {deals} {who} won {span}, {first} (the deal that made an account a "
               "customer: development) and {repeat} with existing customers{money}; {new} new "
               "customers were contacted in the same time.",
        "mix_money": "; first deals brought {first_money} of the {won_money} won ({share})",
        "mix_none": "{who_cap} won no deal {span}; {new} new customers were contacted in the same time.",
        "mostly_repeat": "{who_cap}'s business comes mostly from existing customers: {share} of the deals "
                         "won are repeat deals. Developing new customers is a small part of the work.",
        "short": "of the {won} {deals} won {span}, {first} and {repeat}",
        "rates": "The customer and the deal win rate answer two questions: an account is won once any "
                 "of its deals is, so the customer win rate can be {customer}, while of the deals won or "
                 "lost, {deal} were won. Both are true.",
        "whole": {"W": "in the week of {d}", "M": "in {mon} {y}", "Q": "in Q{q} {y}", "Y": "in {y}"},
        "days": "from {first} to {last}",
        "a_stretch": ("Precise targeting", "No new contacts {n}, and {short}: the time goes to existing "
                      "customers, and so does the business; no need to drop them for volume. If "
                      "the company wants more customers, agree with {who} on a small, explicit goal (say a "
                      "few new contacts a month{hint}) and look at it beside the repeat business in the "
                      "weekly meeting."),
        "a_saturated": ("Precise targeting", "Every customer in the log was contacted long ago, and the "
                        "business runs on repeat deals ({short}). More customers can only come from a new "
                        "list of prospects (new industries, regions or channels): set a small monthly "
                        "number of first contacts, reviewed beside the repeat business, without "
                        "squeezing out the existing customers."),
        "a_contacts_focus": ("Precise targeting", "Plenty of activity ({ag} per rep per week, {company} {ar}) "
                             "but few new contacts; {short}: the time goes to existing customers, which is "
                             "not a problem in itself. For more customers, set a separate small goal (a few "
                             "new contacts a month{hint}) without squeezing out existing customers."),
        "a_contacts_effort": ("Streamlined process", "Few new contacts and few activities ({ag} per rep "
                              "per week, {company} {ar}); {short}. First check whether the repeat business "
                              "has slowed too: keep following up existing customers, then set a small, "
                              "explicit goal for new ones (a few new contacts a month), reviewed weekly."),
        "a_follow_up": ("Streamlined process", "{n} open deals have had no activity for {days}+ days. "
                        "Follow up the most recently active first: {names}{close}"),
        "close": "; the {m} stalled {after}+ days ({k} times the median days from first contact to a won "
                 "deal) are better closed as lost in the CRM than called again.",
        "no_close": ".",
        "close_rule": "Deals stalled {after}+ days ({k} times the median days from first contact to a won deal) "
                      "are better closed as lost in the CRM.",
        "listed": "{customer} ({deal})",
        "imported": "This work log was imported from the CRM export {source}: {written} of its "
                    "{deals_in} deals were written.",
        "not_counted": "They are in none of this report's figures (the whole export, all teams).",
    },
}  # fmt: skip


def import_text(summary: ImportSummary, *, lang: str = "zh") -> str:
    r"""Say on a page what the import left out: every deal no measure counts, and why.

    Examples
    --------
    >>> from devvolume.inputs import ImportSummary
    >>> summary = ImportSummary("sales_pipeline.csv", "pipeline", None, None, "YMD", 8800, 7212, 13923,
    ...                         {"no_date": 500, "no_account": 1088}, ())
    >>> print(import_text(summary).replace("。", "。\n"))
    这份工作日志由 CRM 导出的 sales_pipeline.csv 导入：8,800 个商机中写入 7,212 个。
    另有 500 个没有任何日期的商机未计入。
    另有 1,088 个没有客户名的商机未计入。
    这些商机不在本报告的任何数字里（全公司的导出合计，不分团队）。
    <BLANKLINE>
    """
    t = _T[lang]
    head = t["imported"].format(source=summary.source, deals_in=f"{summary.deals_in:,}",
                                written=f"{summary.deals_written:,}")  # fmt: skip
    notices = summary.notice(lang)
    if not notices:
        return head
    joiner = "" if lang == "zh" else " "
    return joiner.join([head, *notices, t["not_counted"]])


def has_deals(log: pd.DataFrame) -> bool:
    """Whether a work log carries deal ids (a 商机 column with at least one id).

    Examples
    --------
    >>> has_deals(pd.DataFrame({"deal": [None, "D1"]})), has_deals(pd.DataFrame({"deal": [None]}))
    (True, False)
    """
    if "deal" not in log.columns:
        return False
    ids = log["deal"].dropna().astype(str)
    return bool((ids != "").any())


@dataclass(frozen=True)
class DealMix:
    """Won deals in a window, split between first deals (development) and repeat deals.

    ``period`` names a whole period (``"Y"``: the window is 2017) or is ``None`` (the window's
    days are named). ``new_contacted`` counts customers first contacted in the window (customers,
    not deals). Revenue is ``None`` when the log records no 金额.
    """

    window: Window
    period: str | None
    deals_won: int
    first_deals: int
    won_revenue: float | None
    first_deal_revenue: float | None
    new_contacted: int

    @property
    def repeat_deals(self) -> int:
        """Won deals with customers won before (every won deal but the first deals)."""
        return self.deals_won - self.first_deals

    @property
    def repeat_deal_revenue(self) -> float | None:
        """Revenue of the repeat deals (``None`` without amounts)."""
        if self.won_revenue is None or self.first_deal_revenue is None:
            return None
        return self.won_revenue - self.first_deal_revenue

    @property
    def repeat_share(self) -> float | None:
        """Repeat deals ÷ deals won (``None`` with too few won deals to say: :data:`MIN_DEALS_FOR_MIX`)."""
        return self.repeat_deals / self.deals_won if self.deals_won >= MIN_DEALS_FOR_MIX else None

    @property
    def mostly_repeat(self) -> bool:
        """More than :data:`MOSTLY_REPEAT` of the won deals are repeat deals."""
        share = self.repeat_share
        return share is not None and share > MOSTLY_REPEAT

    def span(self, lang: str = "zh") -> str:
        """Name the window: "2017 年" for a whole period, else its first and last day.

        Examples
        --------
        >>> import datetime as dt
        >>> year = DealMix(Window(dt.date(2017, 1, 1), dt.date(2017, 12, 31)), "Y", 0, 0, None, None, 0)
        >>> year.span(), year.span("en")
        ('2017 年', 'in 2017')
        >>> DealMix(Window(dt.date(2016, 10, 20), dt.date(2017, 12, 18)), None, 0, 0, None, None, 0).span()
        '2016 年 10 月 20 日至 2017 年 12 月 18 日'
        >>> DealMix(Window(dt.date(2017, 12, 1), dt.date(2017, 12, 18)), None, 0, 0, None, None, 0).span()
        '2017 年 12 月 1 日至 12 月 18 日'
        """
        first, last = self.window.first, self.window.last
        t = _T[lang]
        if self.period is None:
            if lang == "zh":
                same = first.year == last.year
                return t["days"].format(first=f"{first.year} 年 {first.month} 月 {first.day} 日",
                                           last=("" if same else f"{last.year} 年 ")
                                           + f"{last.month} 月 {last.day} 日")  # fmt: skip
            return t["days"].format(first=f"{first.day} {first:%b %Y}", last=f"{last.day} {last:%b %Y}")
        whole: Mapping[str, str] = t["whole"]
        return whole[self.period].format(d=first.isoformat(), y=first.year, m=first.month,
                                         q=(first.month - 1) // 3 + 1, mon=f"{first:%B}")  # fmt: skip

    def text(self, *, lang: str = "zh", who: str = "") -> str:
        """Say how the won deals split between first deals and repeat deals, with the money."""
        t = _T[lang]
        words = _who(who, lang)
        if not self.deals_won:
            return t["mix_none"].format(span=self.span(lang), new=f"{self.new_contacted:,}", **words)
        money = ""
        if self.won_revenue and self.first_deal_revenue:
            money = t["mix_money"].format(first_money=_yuan(self.first_deal_revenue),
                                          won_money=_yuan(self.won_revenue),
                                          share=_share(self.first_deal_revenue / self.won_revenue))  # fmt: skip
        return t["mix"].format(span=self.span(lang), won=f"{self.deals_won:,}", **self.split(lang),
                               money=money, new=f"{self.new_contacted:,}", **words)  # fmt: skip

    def short(self, lang: str = "zh") -> str:
        """Say the split in a clause, for advice."""
        return _T[lang]["short"].format(span=self.span(lang), won=f"{self.deals_won:,}", **self.split(lang))

    def split(self, lang: str) -> dict[str, str]:
        """Word the first and repeat deal counts (English needs singulars)."""
        first, repeat = self.first_deals, self.repeat_deals
        if lang == "zh":
            return {"first": f"{first:,}", "repeat": f"{repeat:,}", "deals": "个商机"}
        return {"first": "1 was a first deal" if first == 1 else f"{first:,} were first deals",
                "repeat": "1 a repeat deal" if repeat == 1 else f"{repeat:,} repeat deals",
                "deals": "deal" if self.deals_won == 1 else "deals"}


@dataclass(frozen=True)
class DealFigures:
    """One team's or rep's (or the company's) deals: this period so far, the whole data, open deals.

    ``mix`` holds this period's won deals (the page's table), ``history`` the won deals from the
    data's first day to the report day (what coaching reads, as it reads the funnel and win rate
    over that span). Counts are deals (商机) unless named otherwise: ``customers_won`` and
    ``customers_lost`` (this period) are customers, for the contrast of the two win rates.
    ``stalled`` lists the group's stalled deals as the core sorts them (the latest stage, then the
    most recently active first), with ``suggest_close`` from ``close_after_days`` idle days.
    """

    where: dict[str, str]
    mix: DealMix
    history: DealMix
    deals_lost: int
    customers_won: int
    customers_lost: int
    open_deals: int
    stalled_days: int
    close_after_days: int | None
    stalled: pd.DataFrame = field(repr=False, compare=False)

    @property
    def deal_win_rate(self) -> float | None:
        """Deals won ÷ deals won and lost this period (``None`` when none closed)."""
        closed = self.mix.deals_won + self.deals_lost
        return self.mix.deals_won / closed if closed else None

    @property
    def customer_win_rate(self) -> float | None:
        """Customers won ÷ customers won and lost this period (``None`` when none)."""
        closed = self.customers_won + self.customers_lost
        return self.customers_won / closed if closed else None

    @property
    def to_close(self) -> int:
        """Stalled deals idle so long that closing them as lost is suggested."""
        return int(self.stalled["suggest_close"].sum()) if len(self.stalled) else 0

    def summary(self) -> dict[str, Any]:
        """Give the deal columns of the report's row of ``summary.csv`` (this period, open deals)."""
        rate, mix = self.deal_win_rate, self.mix
        return {"deals_won": mix.deals_won, "deals_lost": self.deals_lost,
                "deal_win_rate": None if rate is None else round(rate, 4),
                "open_deals": self.open_deals,
                "won_revenue": None if mix.won_revenue is None else round(mix.won_revenue, 2),
                "first_deal_revenue": (None if mix.first_deal_revenue is None
                                       else round(mix.first_deal_revenue, 2))}  # fmt: skip

    def close_rule(self, lang: str = "zh") -> str:
        """Say from how many idle days closing a stalled deal as lost is suggested ("" before any win)."""
        if self.close_after_days is None:
            return ""
        return _T[lang]["close_rule"].format(after=self.close_after_days, k=SUGGEST_CLOSE_CYCLES)

    def rates_text(self, *, lang: str = "zh") -> str:
        """Say why the customer and the deal win rates differ ("" when either is missing)."""
        customer, deal = self.customer_win_rate, self.deal_win_rate
        if customer is None or deal is None:
            return ""
        return _T[lang]["rates"].format(customer=_share(customer), deal=_share(deal))


def deal_figures(company: Company, *, period: str, stalled_days: int = STALLED_AFTER_DAYS,
                 **where: str) -> DealFigures | None:  # fmt: skip
    """Compute one team's (``team=``) or rep's (``rep=``) deal figures, or ``None`` without deals.

    This period is the report day's period up to the report day; the history runs from the
    data's first day. Every number is a slice of a company-wide core result on the company's log
    (deals need the log's 商机 column, which the reached-levels table does not carry); without
    ``where`` the figures are the company's.

    Examples
    --------
    >>> from devvolume.report._data import load_company
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-02", "2026-03-20", "2026-03-24", "2026-03-25"]),
    ...     "rep": ["A", "A", "A", "B"], "team": ["T", "T", "T", "U"],
    ...     "customer": ["C1", "C1", "C1", "C2"], "deal": ["D1", "D1", "D2", "D3"],
    ...     "stage": ["contacted", "won", "won", "lost"], "amount": [None, 500.0, 800.0, None]})
    >>> figures = deal_figures(load_company(log), period="M", team="T")
    >>> figures.mix.deals_won, figures.mix.first_deals, figures.mix.repeat_deals, figures.deal_win_rate
    (2, 1, 1, 1.0)
    >>> deal_figures(load_company(log), period="M").deal_win_rate  # the company's: 2 of 3
    0.6666666666666666
    >>> deal_figures(load_company(log.drop(columns="deal")), period="M") is None
    True
    """
    if not company.once("has deals", lambda: has_deals(company.log)):
        return None
    day = company.day
    whole = period_window(day, period)
    by = [*where]
    money = company.once("has amounts", lambda: company.has_amounts)

    def this_period(frame: pd.DataFrame) -> pd.DataFrame:
        return pick(frame, period=whole.first, **where)

    contacted = pick(company.result(development_volume, level="contacted", period=period, by=by), **where)
    now = this_period(company.result(won_deals, on="log", period=period, by=by))
    mix = _mix(now, Window(whole.first, day), period if day == whole.last else None, money,
               int(contacted.loc[contacted["period"] == pd.Timestamp(whole.first), "volume"].sum()))
    first_day = company.once("first day", lambda: company.log["date"].min().date())
    history = _mix(pick(company.result(won_deals, on="log", by=by), **where), Window(first_day, day),
                   None, money, int(contacted["volume"].sum()))  # fmt: skip
    deals = this_period(company.result(win_rate, on="log", period=period, by=by, unit="deal"))
    customers = this_period(company.result(win_rate, period=period, by=by))
    opened = pick(company.result(open_deals, on="log", as_of=day), **where)
    stalled = company.result(stalled_customers, on="log", as_of=day, idle_days=stalled_days, unit="deal")
    after = stalled["close_after_days"].dropna()
    return DealFigures(dict(where), mix, history, _total(deals, "deals_lost"), _total(customers, "won"),
                       _total(customers, "lost"), len(opened), stalled_days,
                       int(after.iloc[0]) if len(after) else None, pick(stalled, **where))  # fmt: skip


def _total(frame: pd.DataFrame, column: str) -> int:
    return int(frame[column].sum()) if len(frame) else 0


def _mix(won: pd.DataFrame, window: Window, period: str | None, money: bool, new: int) -> DealMix:
    def revenue(column: str) -> float | None:
        return (float(won[column].sum()) if len(won) else 0.0) if money else None

    return DealMix(window, period, _total(won, "deals_won"), _total(won, "first_deals"),
                   revenue("won_revenue"), revenue("first_deal_revenue"), new)  # fmt: skip


def deal_table(columns: Mapping[str, DealFigures], *, lang: str = "zh") -> pd.DataFrame:
    """Tabulate deal figures side by side (one column per group), each row with its unit.

    Examples
    --------
    >>> import datetime as dt
    >>> year = DealMix(Window(dt.date(2017, 1, 1), dt.date(2017, 12, 31)), "Y", 10, 2, 1000.0, 300.0, 0)
    >>> figures = DealFigures({}, year, year, 5, 2, 0, 4, 14, 90, pd.DataFrame({"suggest_close": [True, False]}))
    >>> table = deal_table({"全公司": figures})
    >>> table.loc["成交的商机"].tolist(), table.loc["商机赢单率（成交 ÷ 成交与流失）"].tolist()
    (['个商机', '10'], ['按商机', '66.7%'])
    """
    t = _T[lang]
    first = next(iter(columns.values()))
    day = first.mix.window.last.isoformat()
    after = first.close_after_days
    rows: list[tuple[str, str, Any]] = [
        (t["deals_won"], t["u_deals"], lambda f: _count(f.mix.deals_won)),
        (t["first_deals"], t["u_deals"], lambda f: _count(f.mix.first_deals)),
        (t["repeat_deals"], t["u_deals"], lambda f: _count(f.mix.repeat_deals)),
        (t["new_won"], t["u_customer_count"], lambda f: _count(f.customers_won)),
        (t["deals_lost"], t["u_deals"], lambda f: _count(f.deals_lost)),
        (t["deal_win_rate"], t["u_deal_share"], lambda f: _rate(f.deal_win_rate, t)),
        (t["customer_win_rate"], t["u_customers"], lambda f: _rate(f.customer_win_rate, t)),
        (t["won_revenue"], t["u_yuan"], lambda f: _money(f.mix.won_revenue, t)),
        (t["first_deal_revenue"], t["u_yuan"], lambda f: _money(f.mix.first_deal_revenue, t)),
        (t["repeat_deal_revenue"], t["u_yuan"], lambda f: _money(f.mix.repeat_deal_revenue, t)),
        (t["open_deals"].format(day=day), t["u_deals"], lambda f: _count(f.open_deals)),
        (t["stalled"].format(days=first.stalled_days), t["u_deals"], lambda f: _count(len(f.stalled))),
    ]  # fmt: skip
    if after is not None:
        rows.append((t["to_close"].format(after=after), t["u_deals"], lambda f: _count(f.to_close)))
    table = pd.DataFrame({t["measure"]: [row[0] for row in rows], t["unit"]: [row[1] for row in rows]})
    for label, figures in columns.items():
        table[label] = [row[2](figures) for row in rows]
    return table.set_index(t["measure"])


def stalled_deal_rows(figures: DealFigures, *, labels: Mapping[str, str], lang: str = "zh",
                      rep: bool = True) -> pd.DataFrame:  # fmt: skip
    """Give the first :data:`LISTED_DEALS` stalled deals as a page shows them (warmest first).

    ``labels`` names the columns (keys ``customer, deal, rep, stage, last, idle, action``).
    """
    from devvolume.viz import label

    action = {"zh": ("跟进", "按流失关闭"), "en": ("follow up", "close as lost")}[lang]
    listed = figures.stalled.head(LISTED_DEALS)
    table = pd.DataFrame({
        labels["customer"]: listed["customer"].astype(str), labels["deal"]: listed["deal"].astype(str),
        **({labels["rep"]: listed["rep"].astype(str)} if rep else {}),
        labels["stage"]: [label(level, lang) for level in listed["level"]],  # type: ignore[arg-type]
        labels["last"]: listed["last_date"].dt.strftime("%Y-%m-%d"), labels["idle"]: listed["idle_days"],
        labels["action"]: [action[bool(close)] for close in listed["suggest_close"]],
    })  # fmt: skip
    return table.set_index(labels["customer"])


# --- coaching: the context a mostly-repeat business needs ---------------------------------------


def context_note(deals: DealFigures, *, lang: str = "zh", who: str = "") -> tuple[str, ...]:
    """Say what the won deals show (first day of the data to the report day), and mostly repeat.

    The first sentence splits the won deals between first and repeat deals; the second, for a
    business of mostly repeat deals (:data:`MOSTLY_REPEAT`), says so.
    """
    history = deals.history
    notes = [history.text(lang=lang, who=who)]
    if history.mostly_repeat:
        share = history.repeat_share
        assert share is not None
        notes.append(_T[lang]["mostly_repeat"].format(share=_share(share), **_who(who, lang)))
    return tuple(notes)


def development_advice(deals: DealFigures, kind: str, *, lang: str = "zh", **words: Any
                       ) -> tuple[str, str]:  # fmt: skip
    """Advise a mostly-repeat business on new customers, quoting what its won deals show.

    ``kind`` is the finding: ``stretch`` (no new contacts for a while), ``saturated`` (nobody in
    the company finds new ones), ``contacts_focus`` or ``contacts_effort`` (few new contacts, with
    many or few activities). ``words`` fills the advice (``n``, ``hint``, ``ag``, ``ar``,
    ``company``, ``who``).
    """
    strategy, action = _T[lang][f"a_{kind}"]
    filled = {"hint": "", **words, **_who(words.get("who", ""), lang)}
    return strategy, action.format(short=deals.history.short(lang), **filled)


def follow_up_advice(deals: DealFigures, *, lang: str = "zh") -> tuple[str, str] | None:
    """Advise on the stalled deals: call the warm ones, close the long-dead ones (``None``: none)."""
    if deals.stalled.empty:
        return None
    t = _T[lang]
    warm = deals.stalled[~deals.stalled["suggest_close"].astype(bool)].head(NAMED_DEALS)
    if warm.empty:
        warm = deals.stalled.head(NAMED_DEALS)
    joiner = "、" if lang == "zh" else ", "
    names = joiner.join(t["listed"].format(customer=row.customer, deal=row.deal)
                        for row in warm.itertuples(index=False))  # fmt: skip
    close = t["no_close"]
    if deals.to_close and deals.close_after_days is not None:
        close = t["close"].format(after=deals.close_after_days, k=SUGGEST_CLOSE_CYCLES, m=f"{deals.to_close:,}")
    strategy, action = t["a_follow_up"]
    return strategy, action.format(n=f"{len(deals.stalled):,}", days=deals.stalled_days, names=names,
                                   close=close)  # fmt: skip


def _who(who: str, lang: str) -> dict[str, str]:
    """Name the group in a sentence; in Chinese a Latin name is set off by spaces."""
    name = who or ("本团队" if lang == "zh" else "the team")
    latin = lang == "zh" and name.isascii()
    return {"who": f" {name} " if latin else name, "who_sp": f"{name} " if latin else name,
            "who_cap": name[:1].upper() + name[1:]}


def _count(value: int) -> str:
    return f"{value:,}"


def _share(value: float) -> str:
    return f"{value:.1%}"


def _rate(value: float | None, t: Mapping[str, Any]) -> str:
    return str(t["none"]) if value is None or math.isnan(value) else _share(value)


def _yuan(value: float) -> str:
    return f"{value:,.0f}"


def _money(value: float | None, t: Mapping[str, Any]) -> str:
    return str(t["no_amount"]) if value is None else _yuan(value)
