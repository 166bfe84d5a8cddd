"""The month's pace in a weekly meeting: won so far against the target, or against last month.

With a target for the month (the targets file, summed over the team's reps:
:func:`~devvolume.report.period_target`), the meeting sees the new customers won so far, the
share of the target, the share of the month gone, and the core's forecast
(:func:`devvolume.forecast`). Without a target there is nothing to pace against, so the month so
far is compared with the same days of last month (:func:`devvolume.like_for_like`), and the
page says so. Every count comes from :func:`~devvolume.report.period_figures`, a slice of
company-wide results.
"""

from __future__ import annotations

from dataclasses import dataclass

from devvolume.report._data import Company
from devvolume.report._figures import (
    PeriodFigures,
    change_text,
    describe_comparison,
    outlook_text,
    period_figures,
)
from devvolume.report._tables import period_target


@dataclass(frozen=True)
class MonthPace:
    """One team's (or rep's) month up to the report day, with its target when there is one."""

    figures: PeriodFigures

    @property
    def target(self) -> int | None:
        """The month's target of new customers won (``None``: no target)."""
        return self.figures.target

    @property
    def elapsed(self) -> int:
        """Days of the month up to the report day."""
        return self.figures.comparison.current.days

    @property
    def days(self) -> int:
        """Days in the month."""
        return self.figures.comparison.period.days

    def text(self, *, lang: str = "zh") -> list[str]:
        r"""Say the pace in plain words, one sentence (or two) per item.

        Examples
        --------
        >>> import pandas as pd
        >>> from devvolume.report._data import load_company
        >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-11-03", "2026-12-02", "2026-12-09"]),
        ...                     "rep": ["A"] * 3, "team": ["T"] * 3,
        ...                     "customer": ["C1", "C2", "C3"], "stage": ["won"] * 3})
        >>> pace = month_pace(load_company(log, as_of="2026-12-09"), team="T")
        >>> print(pace.text()[0].replace("：", "：\n", 1))
        本月没有目标，所以与上个月比较：
        本期至今（12 月 1 日–12 月 9 日，9 天）与上期同样天数（11 月 1 日–11 月 9 日）比较。
        """
        figures, target = self.figures, self.target
        won, first = figures.now["won"], figures.comparison.period.first
        if target and not figures.comparison.partial:  # the month is over: its final count
            return [outlook_text(figures, lang=lang)]
        if target:
            share, gone = won / target, self.elapsed / self.days
            if lang == "zh":
                ahead = "快于" if share >= gone else "慢于"
                head = (f"{first.month} 月到 {figures.comparison.current.last} 已过 "
                        f"{self.elapsed}/{self.days} 天（{gone:.0%}）：新成交客户 {won} 个，"
                        f"目标 {target} 个，完成 {share:.0%}，{ahead}时间进度。")  # fmt: skip
            else:
                ahead = "ahead of" if share >= gone else "behind"
                head = (f"{first:%B} to {figures.comparison.current.last}: {self.elapsed} of {self.days} days "
                        f"({gone:.0%}) gone; {won} new customers won against a target of {target} "
                        f"({share:.0%}), {ahead} the calendar.")  # fmt: skip
            return [head, outlook_text(figures, lang=lang)]
        intro = ("本月没有目标，所以与上个月比较：" if lang == "zh"
                 else "No target for this month, so it is compared with last month: ")  # fmt: skip
        what = {"won": "新成交客户" if lang == "zh" else "new customers won",
                "contacted": "新接触客户" if lang == "zh" else "new customers contacted"}
        return [intro + describe_comparison(figures.comparison, period="M", lang=lang),
                *(change_text(figures, level=level, what=words, lang=lang)
                  for level, words in what.items())]  # fmt: skip


def month_pace(company: Company, **where: str) -> MonthPace:
    """Gather one team's (``team=``) or rep's month so far, with its target if the company has one."""
    target = period_target(company.targets, day=company.day, period="M", **where)
    return MonthPace(period_figures(company, period="M", target=target, **where))
