"""Is this month's change real? A month against the one before, with an exact test (lesson 07).

A small team that wins a dozen new customers a month will see months of +30 % with nothing
changed at all. :func:`month_over_month` puts a month next to the one before it and asks
:func:`devvolume.stats.compare_periods` whether the difference is more than chance;
:class:`ChangeChecker` is its widget (a team and a month drop-down).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd

from devvolume.core import _significance as stats


@dataclass(frozen=True)
class MonthChange:
    """A month against the month before it, and whether the change is more than chance."""

    month: pd.Timestamp
    team: str
    before: int
    after: int
    growth: float
    comparison: stats.PeriodComparison

    @property
    def headline(self) -> str:
        """One line: the change in new customers and the verdict."""
        scope = self.team or "全公司"
        growth = "—" if pd.isna(self.growth) else f"{self.growth:+.0%}"
        return (f"{scope} {self.month:%Y-%m}：新成交客户 {self.before} → {self.after}（{growth}）。"
                + ("很可能是真实变化。" if self.comparison.significant else "可能只是随机波动。"))


def month_over_month(
    log: pd.DataFrame, *, month: str | pd.Timestamp, team: str = "", level: str = "won"
) -> MonthChange:
    """Compare a month's new customers with the month before, with an exact Poisson test.

    Parameters
    ----------
    log : pandas.DataFrame
        A canonical work log.
    month : str or Timestamp
        Any day of the month to check.
    team : str
        Keep only this team; ``""`` means the whole company.
    level : str
        The level that counts as a new customer.

    Returns
    -------
    MonthChange
        Counts, the growth and :func:`devvolume.stats.compare_periods`'s answer (per day, so
        months of different length compare fairly).

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2025-03-03", "2025-03-10", "2025-04-02", "2025-04-08",
    ...                             "2025-04-09"]),
    ...     "rep": ["A"] * 5, "team": ["T"] * 5, "customer": ["C1", "C2", "C3", "C4", "C5"],
    ...     "stage": ["won"] * 5})
    >>> change = month_over_month(log, month="2025-04-15")
    >>> change.before, change.after, round(change.growth, 2), change.comparison.significant
    (2, 3, 0.5, False)
    """
    if team:
        if team not in set(log["team"]):
            teams = "、".join(sorted(log["team"].dropna().unique()))
            msg = f"没有名为“{team}”的团队。/ no team named {team!r}. 现有团队 / teams: {teams}"
            raise ValueError(msg)
        log = log[log["team"] == team]
    first = pd.Timestamp(month).to_period("M").to_timestamp()
    previous = first - pd.DateOffset(months=1)
    last = first + pd.DateOffset(months=1) - pd.Timedelta(days=1)
    comparison = stats.compare_periods(
        log, level=level, before=(previous.date(), (first - pd.Timedelta(days=1)).date()),
        after=(first.date(), last.date()))  # fmt: skip
    before, after = comparison.before[0], comparison.after[0]
    growth = after / before - 1 if before else float("nan")
    return MonthChange(month=first, team=team, before=before, after=after, growth=growth,
                       comparison=comparison)  # fmt: skip


class ChangeChecker(widgets.VBox):
    """Pick a team and a month; see its change against the month before and the test's verdict.

    The callback calls :func:`month_over_month`.
    """

    def __init__(self, log: pd.DataFrame, *, team: str = "", level: str = "won") -> None:
        self.worklog = log
        self.level = level
        teams = sorted(log["team"].dropna().unique())
        months = pd.period_range(log["date"].min(), log["date"].max(), freq="M")[1:]
        self.team = widgets.Dropdown(options=[("全公司", ""), *((t, t) for t in teams)],
                                     value=team, description="团队",
                                     style={"description_width": "4em"})  # fmt: skip
        self.month = widgets.Dropdown(
            options=[(f"{m.start_time:%Y-%m}", m.start_time) for m in months],
            value=months[-1].start_time, description="月份",
            style={"description_width": "4em"})  # fmt: skip
        self.headline = widgets.HTML()
        self.headline.add_class("dv-month-change")
        self.details = widgets.HTML()
        for control in (self.team, self.month):
            control.observe(self._on_change, names="value")
        super().__init__([widgets.HBox([self.team, self.month]), self.headline, self.details])
        self.refresh()

    def refresh(self) -> MonthChange:
        """Recompute and update the text; returns the comparison."""
        change = month_over_month(self.worklog, month=self.month.value, team=self.team.value,
                                  level=self.level)  # fmt: skip
        self.headline.value = f"<h3 style='margin:4px 0'>{html.escape(change.headline)}</h3>"
        self.details.value = f"<p>{html.escape(change.comparison.message)}</p>"
        return change

    def _on_change(self, _change: Any) -> None:
        self.refresh()
