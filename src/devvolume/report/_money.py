"""Money, where the work log has a 金额 (amount) column: what new customers and open deals are worth.

Two figures a sales manager asks about:

- the **first-order value** of the new customers won in a window: the 金额 on the row that made
  each customer won for the first time (the core's reached-levels table carries each level's
  amount, credited like a name: :func:`devvolume.report.load_company`);
- the **value of signed customers not yet won**: customers at 签约 (neither won nor lost,
  ``dv.stalled_customers(..., idle_days=0, from_level="signed")``) and the 金额 on the row that
  made them signed, when the log records one there (many logs put the amount on 成交 rows only;
  the figure then says how many signed customers have no amount).

Both are slices of company-wide tables. The core has no money metric yet; these read its
reached-levels table (who first reached a level, and when, decided there) and never recount.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from devvolume.core import Window, stalled_customers
from devvolume.report._data import Company


@dataclass(frozen=True)
class Money:
    """First-order value of new customers in ``window``, and signed customers not yet won."""

    window: Window
    new_won: int
    valued: int  # of them, with an amount on the first 成交 row
    first_order_total: float
    company_mean: float | None  # the company's mean first order in the same window
    open_signed: int
    open_valued: int
    open_value: float

    @property
    def first_order_mean(self) -> float | None:
        """Mean first order of the new customers with an amount (``None`` if none has one)."""
        return self.first_order_total / self.valued if self.valued else None

    def text(self, lang: str = "zh") -> str:
        """Say both figures in a sentence, with the window and what is unknown.

        Examples
        --------
        >>> import datetime as dt
        >>> money = Money(Window(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), 4, 3, 30000.0,
        ...               8000.0, 2, 1, 12000.0)
        >>> text = money.text()
        >>> text.split("，平均")[0]
        '3 月 1 日至 3 月 31 日新成交客户 4 个，其中 3 个记录了首单金额，合计 30,000 元'
        >>> text.split("。")[1]
        '目前已签约、尚未成交的客户 2 个，其中 1 个记录了金额，合计 12,000 元'
        """
        first, last = self.window.first, self.window.last
        mean, company = self.first_order_mean, self.company_mean
        if lang == "zh":
            span = f"{first.month} 月 {first.day} 日至 {last.month} 月 {last.day} 日"
            if self.new_won == 0:
                won = f"{span}没有新成交客户。"
            elif not self.valued:
                won = f"{span}新成交客户 {self.new_won} 个，都没有记录首单金额。"
            else:
                part = "" if self.valued == self.new_won else f"，其中 {self.valued} 个记录了首单金额"
                ref = "" if company is None else f"（全公司平均 {company:,.0f} 元）"
                won = (f"{span}新成交客户 {self.new_won} 个{part}，合计 {self.first_order_total:,.0f} 元，"
                       f"平均每个 {mean:,.0f} 元{ref}。")  # fmt: skip
            if self.open_signed == 0:
                return won + "目前没有已签约、尚未成交的客户。"
            if not self.open_valued:
                return won + f"目前已签约、尚未成交的客户 {self.open_signed} 个，签约行没有记录金额。"
            part = ("" if self.open_valued == self.open_signed
                    else f"，其中 {self.open_valued} 个记录了金额")  # fmt: skip
            return won + (f"目前已签约、尚未成交的客户 {self.open_signed} 个{part}，"
                          f"合计 {self.open_value:,.0f} 元。")  # fmt: skip
        span = f"{first:%d %b} to {last:%d %b %Y}"
        if self.new_won == 0:
            won = f"No new customers won from {span}."
        elif not self.valued:
            won = f"{self.new_won} new customers won from {span}; none has a first-order amount."
        else:
            part = "" if self.valued == self.new_won else f" ({self.valued} with an amount)"
            ref = "" if company is None else f" (company average {company:,.0f})"
            won = (f"{self.new_won} new customers won from {span}{part}: first orders worth "
                   f"{self.first_order_total:,.0f} in all, {mean:,.0f} each on average{ref}.")
        if self.open_signed == 0:
            return won + " No signed customer is waiting to be won."
        if not self.open_valued:
            return won + (f" Signed customers not won yet: {self.open_signed}; their signed rows "
                          "carry no amount.")
        return won + (f" Signed customers not won yet: {self.open_signed}; {self.open_valued} of "
                      f"them carry amounts worth {self.open_value:,.0f}.")


def money_figures(company: Company, window: Window, **where: str) -> Money | None:
    """Compute :class:`Money` for one team or rep (``where``), or ``None`` without amounts.

    Examples
    --------
    >>> import datetime as dt
    >>> from devvolume.report._data import load_company
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-03-02", "2026-03-09", "2026-03-10"]),
    ...                     "rep": ["A", "A", "B"], "team": ["T", "T", "U"],
    ...                     "customer": ["C1", "C2", "C3"], "stage": ["won", "signed", "won"],
    ...                     "amount": [5000.0, 8000.0, None]})
    >>> money = money_figures(load_company(log), Window(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), team="T")
    >>> money.new_won, money.first_order_total, money.open_signed, money.open_value
    (1, 5000.0, 1, 8000.0)
    """
    if not company.once("has amounts", lambda: company.has_amounts):
        return None
    reached = company.reached
    won = company.once(f"won from {window.first} to {window.last}", lambda: _won(reached, window))
    company_values = won["amount"].dropna()
    mine = _slice(won, where)
    values = mine["amount"].dropna()
    open_signed = _slice(company.result(stalled_customers, as_of=company.day, idle_days=0,
                                        from_level="signed"), where)  # fmt: skip
    signed_amounts = company.once("signed amounts", lambda: reached.loc[
        reached["level"] == "signed", ["customer", "amount"]])  # fmt: skip
    open_values = open_signed[["customer"]].merge(signed_amounts, on="customer", how="left")["amount"]
    open_values = open_values.dropna()
    company_mean = float(company_values.mean()) if len(company_values) else None
    return Money(window, len(mine), len(values), float(values.sum()),
                 None if company_mean is None or math.isnan(company_mean) else company_mean,
                 len(open_signed), len(open_values), float(open_values.sum()))  # fmt: skip


def _won(reached: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Keep the company's rows of customers first won in ``window`` (with their first 金额)."""
    inside = (reached["date"] >= pd.Timestamp(window.first)) & (
        reached["date"] < pd.Timestamp(window.last) + pd.Timedelta(days=1))
    return reached[(reached["level"] == "won") & inside]


def _slice(frame: pd.DataFrame, where: dict[str, str]) -> pd.DataFrame:
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame
