"""The pipeline of a weekly meeting: customers at each stage today, and who to call first.

Two lists a manager goes through after the numbers:

- **the pipeline by stage** (:func:`pipeline`): the open customers (neither won nor lost) at
  each stage on the report day, each credited to the team and rep that brought it to that
  stage; where the log has deals (商机), the open deals at each stage beside them, and where it
  has amounts (金额), the amount on the row that set each customer's stage. Customers and deals
  are counted in separate columns whose names say the unit.
- **the call list** (:func:`call_list`): stalled customers as DESIGN.md lists them, the latest
  stage and the most recently active first (still warm, worth a call), and those idle
  :data:`CLOSE_AS_LOST_DAYS` days or more set apart: suggest closing them as lost rather than
  putting them at the top of the calls.

Both are slices of company-wide core results (``dv.stalled_customers``, ``dv.open_deals``),
computed once for every team's pack (:meth:`~devvolume.report.Company.result`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from devvolume.core import LEVELS, open_deals, stalled_customers
from devvolume.report._data import Company
from devvolume.report._deals import has_deals
from devvolume.report._figures import pick

#: A stalled customer idle this many days or more is suggested to be closed as lost (流失)
#: instead of being called: three months without a word from anyone.
CLOSE_AS_LOST_DAYS = 90
#: The stages of the open pipeline (won and lost customers are out of it).
PIPELINE_LEVELS = LEVELS[:-1]


def pipeline(company: Company, **where: str) -> pd.DataFrame:
    """Count one team's (``team=``) or rep's open customers at each stage on the report day.

    Returns
    -------
    pandas.DataFrame
        One row per stage of :data:`PIPELINE_LEVELS` (``level``) with ``customers``; where the
        log has deals, ``open_deals`` (deals, not customers); where some open customer's
        stage row carries an amount, ``valued`` (customers whose stage row carries one) and
        ``value`` (their sum, 元).

    Examples
    --------
    >>> from devvolume.report._data import load_company
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-03-02", "2026-03-09", "2026-03-10",
    ...                                             "2026-03-11"]),
    ...                     "rep": ["A", "A", "B", "A"], "team": ["T", "T", "U", "T"],
    ...                     "customer": ["C1", "C2", "C3", "C4"],
    ...                     "stage": ["qualified", "signed", "signed", "won"]})
    >>> pipeline(load_company(log), team="T")
           level  customers
    0  contacted          0
    1  qualified          1
    2     signed          1
    """
    day = company.day
    open_now = pick(company.result(stalled_customers, as_of=day, idle_days=0,
                                   from_level=LEVELS[0]), **where)  # fmt: skip
    counts = open_now.groupby("level").size()
    table = pd.DataFrame({"level": list(PIPELINE_LEVELS)})
    table["customers"] = [int(counts.get(level, 0)) for level in PIPELINE_LEVELS]
    if has_deals(company.log):
        deals = pick(company.result(open_deals, on="log", as_of=day), **where).groupby("level").size()
        table["open_deals"] = [int(deals.get(level, 0)) for level in PIPELINE_LEVELS]
    if _open_amounts(company):
        amounts = company.reached[["customer", "level", "amount"]]
        valued = open_now[["customer", "level"]].merge(amounts, on=["customer", "level"], how="left")
        sums = valued.dropna(subset=["amount"]).groupby("level")["amount"].agg(["size", "sum"])
        table["valued"] = [int(sums["size"].get(level, 0)) for level in PIPELINE_LEVELS]
        table["value"] = [float(sums["sum"].get(level, 0.0)) for level in PIPELINE_LEVELS]
    return table


def _open_amounts(company: Company) -> bool:
    """Say whether any open customer's stage row, in the whole company, carries an amount.

    Many logs put the 金额 on 成交 rows only: then the pipeline has no amount columns at all
    (rather than columns of zeros), for every team alike.
    """
    if not company.once("has amounts", lambda: company.has_amounts):
        return False

    def any_valued() -> bool:
        open_now = company.result(stalled_customers, as_of=company.day, idle_days=0,
                                  from_level=LEVELS[0])  # fmt: skip
        amounts = company.reached[["customer", "level", "amount"]].dropna(subset=["amount"])
        return not open_now[["customer", "level"]].merge(amounts, on=["customer", "level"]).empty

    return bool(company.once("open amounts", any_valued))


@dataclass(frozen=True)
class CallList:
    """Stalled customers to call (warm first) and to close as lost (idle past the threshold)."""

    call: pd.DataFrame
    close: pd.DataFrame
    idle_days: int
    close_after_days: int


def call_list(company: Company, *, idle_days: int, close_after_days: int = CLOSE_AS_LOST_DAYS,
              **where: str) -> CallList:  # fmt: skip
    """Split one team's stalled customers into a call list and a close-as-lost list.

    Both keep the core's order (``dv.stalled_customers(..., close_after_days=...)``): the latest
    stage first, then the most recently active.

    Examples
    --------
    >>> from devvolume.report._data import load_company
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-01-05", "2026-05-20", "2026-05-30",
    ...                                             "2026-06-30"]),
    ...                     "rep": ["A", "A", "B", "B"], "team": ["T"] * 4,
    ...                     "customer": ["C1", "C2", "C3", "C4"],
    ...                     "stage": ["signed", "qualified", "qualified", "contacted"]})
    >>> calls = call_list(load_company(log), idle_days=14, team="T")
    >>> calls.call["customer"].tolist(), calls.close["customer"].tolist()
    (['C3', 'C2'], ['C1'])
    """
    stalled = pick(company.result(stalled_customers, as_of=company.day, idle_days=idle_days,
                                  close_after_days=close_after_days), **where)  # fmt: skip
    close = stalled["suggest_close"].astype(bool)
    return CallList(stalled[~close].reset_index(drop=True), stalled[close].reset_index(drop=True),
                    idle_days, close_after_days)  # fmt: skip
