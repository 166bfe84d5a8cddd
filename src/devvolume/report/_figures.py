"""The figures of a report: slices of company-wide core results, and how they are compared.

A team's (or rep's) figure is a row of a company-wide result: the core computes it on the whole
company's reached-levels table with ``by="team"`` (``"rep"``, ``["team", "rep"]``), and
:func:`pick` keeps the rows of one team. :func:`period_figures` gathers what the team and rep
reports and the meeting pack show about "this period": the volume at every level, the same
number of days of the period before when this one is still running (:func:`devvolume.like_for_like`),
the significance of each change, the target and, for a running period only, the forecast.
The same object gives the report's row of ``summary.csv`` (:meth:`PeriodFigures.summary`), so
the file and the page can never disagree.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from devvolume.core import (
    LEVELS,
    Comparison,
    Forecast,
    PeriodComparison,
    compare_periods,
    development_volume,
    forecast,
    like_for_like,
)
from devvolume.report._data import Company

#: The fields of a report's row in ``summary.csv`` (besides name, kind and status).
SUMMARY_FIELDS = ("period", "as_of", *LEVELS, "target", "attainment", "first_order_value",
                  "open_signed_value")


def pick(frame: pd.DataFrame, **where: Any) -> pd.DataFrame:
    """Keep the rows of a company-wide result that belong to one team, rep, period, level….

    Parameters
    ----------
    frame : pandas.DataFrame
        A core result computed on the whole company, e.g. ``dv.funnel(reached, by="team")``.
    **where
        Column = value; a ``datetime.date`` matches a ``period`` column's day.

    Examples
    --------
    >>> volumes = pd.DataFrame({"period": pd.to_datetime(["2026-04-01", "2026-04-01"]),
    ...                         "team": ["A", "B"], "volume": [2, 3]})
    >>> pick(volumes, team="B", period=dt.date(2026, 4, 1))
          period team  volume
    0 2026-04-01    B       3
    """
    rows = frame
    for column, value in where.items():
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = pd.Timestamp(value)
        rows = rows[rows[column] == value]
    return rows.reset_index(drop=True)


def roster(company: Company, team: str) -> list[str]:
    """List the reps who have a row for ``team`` in the log (a rep with no credit is still on it).

    Examples
    --------
    >>> from devvolume.report._data import load_company
    >>> roster(load_company("software", as_of="2025-03-31"), "华东一组")[:3]
    ['任凯', '何芳', '叶嘉伟']
    """
    return list(company.once("roster", lambda: _rosters(company.log)).get(team, []))


def home_team(company: Company, rep: str) -> str:
    """Name the team on most of a rep's rows (ties: the first name).

    Examples
    --------
    >>> from devvolume.report._data import load_company
    >>> home_team(load_company("software", as_of="2025-03-31"), "任凯")
    '华东一组'
    """
    teams = company.once("home teams", lambda: _home_teams(company.log))
    if rep not in teams:
        msg = f"销售员“{rep}”截至 {company.day} 没有任何记录 / rep {rep!r} has no rows up to {company.day}."
        raise ValueError(msg)
    return teams[rep]


def _rosters(log: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Every team's reps: those with a row for the team, in name order."""
    pairs = log[["team", "rep"]].dropna().drop_duplicates()
    return {str(team): tuple(sorted(reps)) for team, reps in pairs.groupby("team")["rep"]}


def _home_teams(log: pd.DataFrame) -> dict[str, str]:
    """Every rep's team: the one on most of the rep's rows (ties: the first name)."""
    counts = log.groupby(["rep", "team"]).size().rename("rows").reset_index()
    counts = counts.sort_values(["rep", "rows", "team"], ascending=[True, False, True], kind="stable")
    first = counts.drop_duplicates("rep")
    return dict(zip(first["rep"].astype(str), first["team"].astype(str), strict=True))


@dataclass(frozen=True)
class PeriodFigures:
    """One team's or rep's development volume this period, against the comparison window.

    ``volumes`` is the slice's series (``period, level, volume``) at every level; ``now`` the
    volume of this period up to the report day; ``before`` the volume of ``comparison.previous``
    (the same number of days of the period before when this one is partial, else the whole
    period before); ``changes`` the significance test of each change; ``outlook`` the forecast
    of ``won`` (``None`` when the period is over).
    """

    where: dict[str, str]
    period: str
    comparison: Comparison
    volumes: pd.DataFrame
    now: dict[str, int]
    before: dict[str, int]
    changes: dict[str, PeriodComparison]
    target: int | None
    outlook: Forecast | None

    @property
    def attainment(self) -> float | None:
        """Won so far ÷ target (``None`` without a target)."""
        return self.now["won"] / self.target if self.target else None

    def summary(self) -> dict[str, Any]:
        """Give the report's row of ``summary.csv`` (the numbers the page shows)."""
        attainment = self.attainment
        return {
            "period": self.comparison.period.first.isoformat(),
            "as_of": self.comparison.current.last.isoformat(),
            **self.now,
            "target": self.target,
            "attainment": None if attainment is None else round(attainment, 4),
        }


def period_figures(
    company: Company, *, period: str, target: int | None = None, **where: str
) -> PeriodFigures:
    """Compute one team's (``team=``) or rep's (``rep=``) figures for the report day's period.

    Every count is a slice of a company-wide core result: the volumes come from
    ``dv.development_volume(company.reached, by=[*where])`` (computed once for every report on
    the company: :meth:`~devvolume.report.Company.result`), the comparison window and its
    test from ``dv.compare_periods(..., where=where)`` and the forecast from
    ``dv.forecast(..., where=where)``. Without ``where`` the figures are the company's.

    Examples
    --------
    >>> from devvolume.report._data import load_company
    >>> company = load_company("software", as_of="2025-03-18")
    >>> figures = period_figures(company, period="M", team="华东一组")
    >>> figures.comparison.basis, str(figures.comparison.previous)
    ('same_days', '2025-02-01 – 2025-02-18')
    >>> sorted(figures.summary())[:3]
    ['as_of', 'attainment', 'contacted']
    """
    comparison = like_for_like(company.day, period)
    first = comparison.period.first
    series = []
    for level in LEVELS:
        volume = company.result(development_volume, level=level, period=period, by=[*where])
        series.append(pick(volume, **where)[["period", "volume"]].assign(level=level))
    volumes = pd.concat(series, ignore_index=True)[["period", "level", "volume"]]
    now = {level: int(pick(volumes, level=level, period=first)["volume"].sum())
           for level in LEVELS}  # fmt: skip
    changes = {
        level: compare_periods(company.reached, before=comparison.previous,
                               after=comparison.current, metric="volume", level=level,
                               where=where or None)
        for level in LEVELS
    }  # fmt: skip
    outlook = None
    if comparison.partial:
        outlook = forecast(company.reached, period_start=first, period_end=comparison.period.last,
                           as_of=company.day, level="won", target=target, where=where or None)  # fmt: skip
    before = {level: change.before[0] for level, change in changes.items()}
    return PeriodFigures(dict(where), period, comparison, volumes, now, before, changes, target,
                         outlook)  # fmt: skip


# --- wording -----------------------------------------------------------------------------------

_NOUNS = {"zh": {"W": ("本周", "上周")}, "en": {"W": ("week", "week")}}


def _nouns(period: str, lang: str) -> tuple[str, str]:
    default = ("本期", "上期") if lang == "zh" else ("period", "period")
    return _NOUNS[lang].get(period, default)


def _zh_day(day: dt.date, *, year: bool) -> str:
    return f"{day.year} 年 {day.month} 月 {day.day} 日" if year else f"{day.month} 月 {day.day} 日"


def _en_day(day: dt.date, *, year: bool) -> str:
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


def _en_days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def window_labels(comparison: Comparison, *, period: str, lang: str = "zh") -> tuple[str, str]:
    """Column labels for the two windows: ``("本期至今", "上期同样天数")`` or ``("本期", "上期")``.

    Examples
    --------
    >>> from devvolume.core import like_for_like
    >>> window_labels(like_for_like("2026-06-18", "M"), period="M")
    ('本期至今', '上期同样天数')
    >>> window_labels(like_for_like("2026-06-21", "W"), period="W", lang="en")
    ('This week', 'Last week')
    """
    this, last = _nouns(period, lang)
    if lang == "zh":
        return (f"{this}至今", f"{last}同样天数") if comparison.partial else (this, last)
    if comparison.partial:
        return f"This {this} so far", f"Same days of last {last}"
    return f"This {this}", f"Last {last}"


def describe_comparison(comparison: Comparison, *, period: str, lang: str = "zh") -> str:
    """Say on the page which two windows are compared, and why.

    Examples
    --------
    >>> from devvolume.core import like_for_like
    >>> describe_comparison(like_for_like("2026-06-18", "M"), period="M")
    '本期至今（6 月 1 日–6 月 18 日，18 天）与上期同样天数（5 月 1 日–5 月 18 日）比较。'
    >>> describe_comparison(like_for_like("2026-06-30", "M"), period="M", lang="en")
    'The whole period (1 Jun – 30 Jun) is compared with the whole period before (1 May – 31 May).'
    """
    now, before = comparison.current, comparison.previous
    year = now.first.year != before.first.year
    this, last = _nouns(period, lang)
    if lang == "zh":
        now_text = f"{_zh_day(now.first, year=year)}–{_zh_day(now.last, year=False)}"
        before_text = f"{_zh_day(before.first, year=year)}–{_zh_day(before.last, year=False)}"
        if not comparison.partial:
            return f"{this}（{now_text}）与{last}（{before_text}）整期比较。"
        if before.days == now.days:
            return f"{this}至今（{now_text}，{now.days} 天）与{last}同样天数（{before_text}）比较。"
        return (f"{this}至今（{now_text}，{now.days} 天）与{last}全部 {before.days} 天"
                f"（{before_text}）比较：{last}没有更多天。")  # fmt: skip
    now_text = f"{_en_day(now.first, year=year)} – {_en_day(now.last, year=False)}"
    before_text = f"{_en_day(before.first, year=year)} – {_en_day(before.last, year=False)}"
    if not comparison.partial:
        return (f"The whole {this} ({now_text}) is compared with the whole {last} before "
                f"({before_text}).")  # fmt: skip
    if before.days == now.days:
        return (f"This {this} so far ({now_text}, {_en_days(now.days)}) is compared with the "
                f"same {_en_days(now.days)} of the {last} before ({before_text}).")  # fmt: skip
    return (f"This {this} so far ({now_text}, {_en_days(now.days)}) is compared with all "
            f"{_en_days(before.days)} of the {last} before ({before_text}), which had no more "
            "days.")


def outlook_text(figures: PeriodFigures, *, lang: str = "zh") -> str:
    """Say the forecast of ``won`` in words, or, for a period that is over, its final count."""
    end = figures.comparison.period.last
    won, target = figures.now["won"], figures.target
    outlook = figures.outlook
    this, _ = _nouns(figures.period, lang)
    if outlook is None:
        if lang == "zh":
            goal = f"，目标 {target} 个，达成率 {won / target:.0%}" if target else ""
            return f"{this}已于 {end} 结束：新成交客户 {won} 个{goal}。期末不再预测。"
        goal = f" against a target of {target} ({won / target:.0%})" if target else ""
        return (f"The {this} ended on {end}: {won} new customers won{goal}. Nothing left to "
                "forecast.")
    if lang == "zh":
        return outlook.message
    chance = ("" if outlook.probability is None
              else f" Chance of reaching the target {target}: {outlook.probability:.0%}.")  # fmt: skip
    return (f"{outlook.so_far} new customers won so far ({_en_days(outlook.elapsed_days)}); at this "
            f"pace about {outlook.projected:.0f} by {end} (95% interval {outlook.low} to "
            f"{outlook.high}).{chance}")


def change_text(change: PeriodComparison, *, what: str, lang: str = "zh") -> str:
    """Say a volume change and its significance in words (``what``: e.g. "new customers won")."""
    if lang == "zh":
        return change.message
    (x1, t1), (x2, t2) = change.before, change.after
    if math.isnan(change.effect):
        return f"No {what} in either window: nothing to compare."
    verdict = "a real change" if change.significant else "possibly just chance"
    if math.isinf(change.effect):  # none before: a rate ratio says nothing
        return (f"{what.capitalize()}: none in {_en_days(t1)} before, {x2} in {_en_days(t2)} "
                f"now (p = {change.p_value:.3f}); {verdict}.")
    return (f"{what.capitalize()}: {x1} in {_en_days(t1)} before, {x2} in {_en_days(t2)} now: "
            f"×{change.effect:.2f} per day (95% CI {change.ci_low:.2f} to {change.ci_high:.2f}, "
            f"p = {change.p_value:.3f}); {verdict}.")
