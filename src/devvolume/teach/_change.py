"""Is this month's change real? A month against the one before, with an exact test (lesson 07).

A small team that wins a dozen new customers a month will see months of +30 % with nothing
changed at all. :func:`month_over_month` puts a month next to the one before it and asks
:func:`devvolume.compare_periods` whether the difference is more than chance; a team's counts
are its slice of the company's (``where={"team": ...}``). A month the data stop inside is
compared day for day with the same days of the month before (:func:`devvolume.like_for_like`),
and the headline says so. :class:`ChangeChecker` is its widget (team, month and level
drop-downs).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd

from devvolume.core import (
    LEVELS,
    STAGE_LABELS,
    Comparison,
    PeriodComparison,
    compare_periods,
    like_for_like,
    period_starts,
    period_window,
    reached_levels,
)
from devvolume.core._schema import NEW_CUSTOMERS
from devvolume.teach._views import check_team
from devvolume.teach._widgets import Described


@dataclass(frozen=True)
class MonthChange:
    """A month against the month before it, and whether the change is more than chance.

    ``windows`` says which days were compared: two whole months (``basis == "complete"``), or,
    for a month the data stop inside, its first days against the same days of the month before
    (``"same_days"``).
    """

    month: pd.Timestamp
    team: str
    before: int
    after: int
    growth: float
    comparison: PeriodComparison
    windows: Comparison
    level: str = "won"
    everyone: str = "全公司"

    @property
    def basis(self) -> str:
        """How the two windows were chosen: ``"complete"`` or ``"same_days"``."""
        return self.windows.basis

    @property
    def headline(self) -> str:
        """One line: the change in new customers, the days compared, and the verdict."""
        scope = self.team or self.everyone
        growth = "—" if pd.isna(self.growth) else f"{self.growth:+.0%}"
        days = ""
        if self.windows.partial:
            days = (f"（本月数据只到 {self.windows.current.last:%m-%d}，"
                    f"与上月同样的前 {self.windows.current.days} 天比较）")
        return (f"{scope} {self.month:%Y-%m}：{NEW_CUSTOMERS[self.level]} {self.before} → "
                f"{self.after}（{growth}）"
                f"{days}。"
                + ("很可能是真实变化。" if self.comparison.significant else "可能只是随机波动。"))


def _day(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


def month_over_month(
    log: pd.DataFrame,
    *,
    month: str | dt.date | pd.Timestamp,
    team: str = "",
    level: str = "won",
    reached: pd.DataFrame | None = None,
) -> MonthChange:
    """Compare a month's new customers with the month before, with an exact Poisson test.

    Parameters
    ----------
    log : pandas.DataFrame
        The company's canonical work log.
    month : str, date or Timestamp
        Any day of the month to check.
    team : str
        Count this team's slice of the company's new customers; ``""`` means the whole company.
    level : str
        The level that counts as a new customer.
    reached : pandas.DataFrame, optional
        ``dv.reached_levels(log)``, when the caller has it already.

    Returns
    -------
    MonthChange
        Counts, the growth and :func:`devvolume.compare_periods`'s answer (per day, so months
        of different length compare fairly). If the data stop inside ``month``, its days so far
        are compared with the same number of days of the month before.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2025-03-03", "2025-03-10", "2025-04-02", "2025-04-08",
    ...                             "2025-04-30"]),
    ...     "rep": ["A"] * 5, "team": ["T"] * 5, "customer": ["C1", "C2", "C3", "C4", "C5"],
    ...     "stage": ["won"] * 5})
    >>> change = month_over_month(log, month="2025-04-15")
    >>> change.before, change.after, round(change.growth, 2), change.comparison.significant
    (2, 3, 0.5, False)
    >>> change.basis, month_over_month(log.iloc[:4], month="2025-04-15").basis
    ('complete', 'same_days')
    """
    check_team(log, team)
    table = reached_levels(log) if reached is None else reached
    whole = period_window(month, "M")
    last = _day(table["last_date"].max())
    # a month the data stop inside is compared day for day; otherwise two whole months
    as_of = last if whole.first <= last < whole.last else whole.last
    windows = like_for_like(as_of, "M")
    comparison = compare_periods(table, level=level, before=windows.previous,
                                 after=windows.current, where={"team": team} if team else None)
    before, after = comparison.before[0], comparison.after[0]
    growth = after / before - 1 if before else float("nan")
    return MonthChange(month=pd.Timestamp(whole.first), team=team, before=before, after=after,
                       growth=growth, comparison=comparison, windows=windows,
                       level=level)  # fmt: skip


class ChangeChecker(Described, widgets.VBox):
    """Pick a team, a month and a level; see the change against the month before and the verdict.

    The company's reached-levels table is computed once; the callback calls
    :func:`month_over_month` with it. ``everyone`` names the whole log in the team drop-down and
    the headline (全公司 for a case, 全部团队 for a manager's own file).
    """

    what = "环比检验小工具"

    def __init__(self, log: pd.DataFrame, *, team: str = "", level: str = "won",
                 everyone: str = "全公司") -> None:
        self.worklog = log
        self.reached = reached_levels(log)
        self.everyone = everyone
        teams = sorted(log["team"].dropna().unique())
        starts = period_starts(log["date"].min(), log["date"].max(), "M")
        months = starts[1:] or starts  # a log of one month has no month before: compare with 0
        style = {"description_width": "4em"}
        self.team = widgets.Dropdown(options=[(everyone, ""), *((t, t) for t in teams)],
                                     value=check_team(log, team), description="团队",
                                     style=style)  # fmt: skip
        self.month = widgets.Dropdown(options=[(f"{m:%Y-%m}", m) for m in months],
                                      value=months[-1], description="月份", style=style)
        self.level_choice = widgets.Dropdown(
            options=[(f"{STAGE_LABELS[c]}（{c}）", c) for c in LEVELS], value=level,
            description="阶段", style=style)  # fmt: skip
        self.headline = widgets.HTML()
        self.headline.add_class("dv-month-change")
        self.details = widgets.HTML()
        for control in (self.team, self.month, self.level_choice):
            control.observe(self._on_change, names="value")
        super().__init__([widgets.HBox([self.team, self.month, self.level_choice]), self.headline,
                          self.details])
        self.refresh()

    @property
    def level(self) -> str:
        """The level chosen."""
        return str(self.level_choice.value)

    def refresh(self) -> MonthChange:
        """Recompute and update the text; returns the comparison."""
        change = month_over_month(self.worklog, month=self.month.value, team=self.team.value,
                                  level=self.level, reached=self.reached)  # fmt: skip
        change = dataclasses.replace(change, everyone=self.everyone)
        self.headline.value = f"<h3 style='margin:4px 0'>{html.escape(change.headline)}</h3>"
        self.details.value = f"<p>{html.escape(change.comparison.message)}</p>"
        return change

    def _on_change(self, _change: Any) -> None:
        self.refresh()
