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
from devvolume.core._significance import p_text
from devvolume.report._data import Company

#: The deal columns of ``summary.csv``: deals (商机) won and lost this period, the deal win rate,
#: open deals on the report day, won revenue and first-deal revenue (元); empty without deals.
DEAL_FIELDS = ("deals_won", "deals_lost", "deal_win_rate", "open_deals", "won_revenue",
               "first_deal_revenue")
#: The fields of a report's row in ``summary.csv`` (besides name, kind and status).
SUMMARY_FIELDS = ("period", "as_of", *LEVELS, "target", "attainment", "first_order_value",
                  "open_signed_value", *DEAL_FIELDS)


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
    volume of this period up to the report day; ``comparison`` the report's two windows (the
    same number of days of the period before when this one is partial, else the whole period
    before). The data may cover the period before only in part, and differently per level (an
    export whose first 成交 comes months after its first contact; a rep who joined mid-period):
    ``comparisons`` holds each level's own windows (:func:`devvolume.like_for_like` with the day
    its data start), ``before`` the count of the period before where it is comparable with
    ``now`` as it stands (``None`` where it is not), ``changes`` the test of each level's change
    on its own windows (``None``: no fair comparison). ``outlook`` is the forecast of ``won``
    (``None`` when the period is over).
    """

    where: dict[str, str]
    period: str
    comparison: Comparison
    volumes: pd.DataFrame
    now: dict[str, int]
    before: dict[str, int | None]
    changes: dict[str, PeriodComparison | None]
    target: int | None
    outlook: Forecast | None
    comparisons: dict[str, Comparison]

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


def coverage_start(company: Company, level: str, **where: str) -> dt.date:
    """Say from which day the data can show ``level`` for a team or rep (or the company).

    The later of the first row that can set the level (any row for 首次接触; a 意向 or later row
    for 意向, and so on: a 流失 row sets only a contact) and the team's or rep's first activity.
    Before that day a count of 0 means "no data", not "none developed".

    Examples
    --------
    >>> from devvolume.report._data import load_company
    >>> company = load_company("software", as_of="2025-03-31")
    >>> coverage_start(company, "won"), coverage_start(company, "contacted", rep="任凯")
    (datetime.date(2025, 1, 2), datetime.date(2025, 1, 2))
    """
    starts = company.once("level starts", lambda: _level_starts(company.log))
    day = starts.get(level, company.day)
    for column, name in where.items():
        firsts: pd.Series = company.once(f"first activity by {column}",
                                         lambda column=column: company.log.groupby(column)["date"].min())  # type: ignore[misc]
        if name in firsts.index:
            day = max(day, firsts[name].date())
    return day


def _level_starts(log: pd.DataFrame) -> dict[str, dt.date]:
    from devvolume.core import STAGE_RANK

    rank = log["stage"].map(STAGE_RANK)
    starts = {}
    for level in LEVELS:
        rows = log["date"] if level == "contacted" else log.loc[rank >= STAGE_RANK[level], "date"]
        if not rows.empty:
            starts[level] = rows.min().date()
    return starts


def period_figures(
    company: Company, *, period: str, target: int | None = None, **where: str
) -> PeriodFigures:
    """Compute one team's (``team=``) or rep's (``rep=``) figures for the report day's period.

    Every count is a slice of a company-wide core result: the volumes come from
    ``dv.development_volume(company.reached, by=[*where])`` (computed once for every report on
    the company: :meth:`~devvolume.report.Company.result`), each level's change and its test
    from ``dv.compare_periods(..., where=where)`` on windows the data cover
    (:func:`coverage_start`) and the forecast from ``dv.forecast(..., where=where)``. Without
    ``where`` the figures are the company's.

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
    comparisons = {level: like_for_like(company.day, period,
                                        covered_from=coverage_start(company, level, **where))
                   for level in LEVELS}  # fmt: skip
    changes: dict[str, PeriodComparison | None] = {
        level: compare_periods(company.reached, before=windows.previous, after=windows.current,
                               metric="volume", level=level, where=where or None)
        if windows.fair else None
        for level, windows in comparisons.items()
    }  # fmt: skip
    outlook = None
    if comparison.partial:
        outlook = forecast(company.reached, period_start=first, period_end=comparison.period.last,
                           as_of=company.day, level="won", target=target, where=where or None)  # fmt: skip
    before = {level: change.before[0] if change is not None and comparisons[level] == comparison
              else None for level, change in changes.items()}  # fmt: skip
    return PeriodFigures(dict(where), period, comparison, volumes, now, before, changes, target,
                         outlook, comparisons)  # fmt: skip


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


def change_text(figures: PeriodFigures, *, level: str = "won", what: str, lang: str = "zh") -> str:
    """Say a level's change and its significance in words (``what``: e.g. "new customers won").

    On the level's own windows (:attr:`PeriodFigures.comparisons`): when the data cover the
    period before only in part, the sentence says which days were compared; when they do not
    cover it, that there is no fair comparison, and why.
    """
    change, _windows = figures.changes[level], figures.comparisons[level]
    intro = coverage_note(figures, level, lang=lang)
    if change is None:
        return intro
    if lang == "zh":
        return (intro + change.message) if intro else change.message
    (x1, t1), (x2, t2) = change.before, change.after
    if math.isnan(change.effect):
        return intro + f"No {what} in either window: nothing to compare."
    verdict = "a real change" if change.significant else "possibly just chance"
    if math.isinf(change.effect):  # none before: a rate ratio says nothing
        return intro + (f"{what.capitalize()}: none in {_en_days(t1)} before, {x2} in {_en_days(t2)} "
                        f"now ({p_text(change.p_value)}); {verdict}.")  # fmt: skip
    return intro + (f"{what.capitalize()}: {x1} in {_en_days(t1)} before, {x2} in {_en_days(t2)} "
                    f"now: ×{change.effect:.2f} per day (95% CI {change.ci_low:.2f} to "
                    f"{change.ci_high:.2f}, {p_text(change.p_value)}); {verdict}.")  # fmt: skip


def coverage_note(figures: PeriodFigures, level: str, *, lang: str = "zh") -> str:
    r"""Say why a level is compared on fewer days than the report's, or not at all (else ``""``).

    Examples
    --------
    >>> import datetime as dt
    >>> from devvolume.core import like_for_like
    >>> windows = like_for_like("2017-12-31", "Y", covered_from="2016-10-20")
    >>> change = PeriodComparison("volume", (8, 73), (5, 73), 0.6, 0.2, 1.9, 0.58, False, "")
    >>> figures = PeriodFigures({}, "Y", like_for_like("2017-12-31", "Y"), pd.DataFrame(), {}, {},
    ...                         {"contacted": change}, None, None, {"contacted": windows})
    >>> print(coverage_note(figures, "contacted").replace("：", "：\n"))
    首次接触：
    上期的数据从 2016-10-20 才开始，所以两期都只比较这一段日子：
    本期 2017-10-20 – 2017-12-31 5 个，上期 2016-10-20 – 2016-12-31 8 个。
    """
    from devvolume.viz import label

    windows, change = figures.comparisons[level], figures.changes[level]
    name = label(level, lang)  # type: ignore[arg-type]
    if windows.basis == "covered_days":
        (before, _), (now, _) = (change.before, change.after) if change is not None else ((0, 0), (0, 0))
        if lang == "zh":
            return (f"{name}：上期的数据从 {windows.covered_from} 才开始，所以两期都只比较这一段日子："
                    f"本期 {windows.current} {now} 个，上期 {windows.previous} {before} 个。")  # fmt: skip
        return (f"{name}: the data of the period before start only on {windows.covered_from}, so both "
                f"periods are compared on those days only: {now} now ({windows.current}), {before} "
                f"before ({windows.previous}). ")  # fmt: skip
    if windows.basis == "none":
        if lang == "zh":
            return (f"{name}：数据里从 {windows.covered_from} 起才有能算出{name}的记录，上期"
                    f"（{windows.previous}）没有数据，无法和上期公平比较，这里不作比较。")  # fmt: skip
        return (f"{name}: the data hold nothing that could show {name.lower()} before "
                f"{windows.covered_from}, so the period before ({windows.previous}) cannot be "
                "compared fairly; no comparison is made. ")  # fmt: skip
    return ""
