"""The evidence coaching stands on: a team (or rep) against the rest of the company, tested.

A gap is worth a manager's week only when it is **material** (big enough to matter) and **not
chance** (a test says so). :func:`gather` compares one group with the rest of the company, all
figures slices of company-wide core results:

- the funnel's step rates and the win rate, by cohort credit (``dv.funnel`` and
  ``dv.win_rate`` with ``by=``; the rest is the company minus the group), with Fisher's exact
  test;
- new contacts and activities per active rep in the last :data:`EVIDENCE_DAYS` days
  (``dv.compare_periods`` counts new customers in any window; ``dv.activity_counts`` on the log
  cut to the window counts rows), with the exact conditional test of two Poisson rates;
- the sales cycle (``dv.sales_cycle``), with the Mann-Whitney test;
- the share of open customers (意向 or later, neither won nor lost) that are stalled
  (``dv.stalled_customers``), with Fisher's test;
- the channel whose customers are won most often, company-wide, and how much of the group's
  new customers come from it.

The core tests a change between two windows (``dv.compare_periods``); a comparison of two
groups in the same window is not there yet, so the two tests live here (scipy, as the core uses).

The company-wide tables (the funnel and win rate by team or rep, the sales cycles, the stalled
customers…) come from :meth:`~devvolume.report.Company.result`: computed once for every report
of a batch, each report keeps its own rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from scipy import stats

from devvolume.core import (
    LEVELS,
    SIGNIFICANCE,
    Window,
    activity_counts,
    compare_periods,
    funnel,
    sales_cycle,
    stalled_customers,
    win_rate,
)
from devvolume.report._data import Company

#: Days of recent activity compared (new contacts and activities per rep), up to the report day.
EVIDENCE_DAYS = 90
#: A rate is materially different when it is at most this share of the rest's (or at least its
#: inverse) ...
MATERIAL_RATIO = 0.8
#: ... and, for shares, at least this many percentage points away.
MATERIAL_POINTS = 0.05
#: A sales cycle is materially longer when its median is this many days longer (and the ratio holds).
MATERIAL_DAYS = 7
#: Fewer cases than this in the group: too few to say anything.
MIN_CASES = 5
#: A channel is recommended when at least this many customers came from it, company-wide.
MIN_CHANNEL_CUSTOMERS = 20

Verdict = Literal["weaker", "stronger", "small", "similar", "too_few"]


@dataclass(frozen=True)
class GroupTest:
    """A group against the rest of the company on one measure, and what a test says about it.

    ``group`` and ``rest`` are the values (a share, a rate per rep, median days); ``counts`` are
    what they were computed from: ``(x, n)`` for each side. ``higher_is_better`` tells strengths
    from weaknesses.
    """

    measure: str
    group: float
    rest: float
    counts: tuple[tuple[float, float], tuple[float, float]]
    p_value: float
    material: bool
    higher_is_better: bool = True
    #: Whether a side with fewer than :data:`MIN_CASES` cases is too few (not for per-rep rates).
    needs_cases: bool = True

    @property
    def significant(self) -> bool:
        """The gap is unlikely to be chance (p below the core's :data:`SIGNIFICANCE`)."""
        return self.p_value < SIGNIFICANCE

    @property
    def verdict(self) -> Verdict:
        """``weaker`` / ``stronger`` only when material and significant.

        ``small``: significant but too small to matter; ``similar``: possibly chance;
        ``too_few``: too few cases to tell.
        """
        if self.needs_cases and (self.counts[0][1] < MIN_CASES or self.counts[1][1] < MIN_CASES):
            return "too_few"
        if not self.significant:
            return "similar"
        if not self.material:
            return "small"
        better = self.group > self.rest
        return "stronger" if better == self.higher_is_better else "weaker"


def compare_shares(measure: str, x1: int, n1: int, x2: int, n2: int, *,
                   higher_is_better: bool = True) -> GroupTest:  # fmt: skip
    """Compare two shares ``x1/n1`` (group) and ``x2/n2`` (rest) with Fisher's exact test.

    Examples
    --------
    >>> test = compare_shares("step", 10, 50, 90, 150)
    >>> round(test.group, 2), round(test.rest, 2), test.material, test.verdict
    (0.2, 0.6, True, 'weaker')
    >>> compare_shares("step", 3, 4, 50, 100).verdict
    'too_few'
    """
    group = x1 / n1 if n1 else math.nan
    rest = x2 / n2 if n2 else math.nan
    if not n1 or not n2:
        return GroupTest(measure, group, rest, ((x1, n1), (x2, n2)), 1.0, False, higher_is_better)
    p_value = float(stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue)
    low, high = sorted((group, rest))
    material = abs(group - rest) >= MATERIAL_POINTS and (low == 0 or low / high <= MATERIAL_RATIO
                                                         or (1 - high) / (1 - low) <= MATERIAL_RATIO)  # fmt: skip
    return GroupTest(measure, group, rest, ((x1, n1), (x2, n2)), p_value, material, higher_is_better)


def compare_rates(measure: str, x1: float, t1: float, x2: float, t2: float, *,
                  higher_is_better: bool = True) -> GroupTest:  # fmt: skip
    """Compare two Poisson rates ``x1/t1`` and ``x2/t2`` (counts per rep) exactly.

    Conditional on the total, the group's count is binomial with the group's share of the
    exposure: the test the core uses between two windows, here between two groups.

    Examples
    --------
    >>> test = compare_rates("contacts", 10, 5, 120, 15)
    >>> test.group, test.rest, test.verdict
    (2.0, 8.0, 'weaker')
    """
    group = x1 / t1 if t1 else math.nan
    rest = x2 / t2 if t2 else math.nan
    counts = ((x1, t1), (x2, t2))
    if not t1 or not t2 or x1 + x2 == 0:
        return GroupTest(measure, group, rest, counts, 1.0, False, higher_is_better, needs_cases=False)
    p_value = float(stats.binomtest(int(x1), int(x1 + x2), t1 / (t1 + t2)).pvalue)
    low, high = sorted((group, rest))
    material = high > 0 and low / high <= MATERIAL_RATIO
    return GroupTest(measure, group, rest, counts, p_value, material, higher_is_better, needs_cases=False)


def compare_days(measure: str, group: pd.Series, rest: pd.Series) -> GroupTest:
    """Compare two sets of durations (days) by their medians, with the Mann-Whitney test.

    Shorter is better. Examples
    --------
    >>> test = compare_days("cycle", pd.Series([40, 50, 60, 70, 80]), pd.Series([10, 12, 15, 20, 22, 25]))
    >>> test.group, test.rest, test.verdict
    (60.0, 17.5, 'weaker')
    """
    x1, x2 = float(group.median()) if len(group) else math.nan, float(rest.median()) if len(rest) else math.nan
    counts = ((x1, float(len(group))), (x2, float(len(rest))))
    if len(group) == 0 or len(rest) == 0 or (group.nunique() == 1 and rest.nunique() == 1 and x1 == x2):
        return GroupTest(measure, x1, x2, counts, 1.0, False, higher_is_better=False)
    p_value = float(stats.mannwhitneyu(group, rest, alternative="two-sided").pvalue)
    low, high = sorted((x1, x2))
    material = high - low >= MATERIAL_DAYS and (high == 0 or low / high <= MATERIAL_RATIO)
    return GroupTest(measure, x1, x2, counts, p_value, material, higher_is_better=False)


def holm(tests: dict[str, GroupTest]) -> dict[str, GroupTest]:
    """Adjust the p-values of one report's tests for their number (Holm's step-down method).

    A report tests eight or so measures; at p < 0.05 each, one of them would look "clear" by
    chance in about a third of all reports. Holm's adjustment keeps the chance of any false
    alarm in a report below 5 %.

    Examples
    --------
    >>> tests = {m: compare_shares(m, x, 100, 50, 100) for m, x in (("a", 30), ("b", 45), ("c", 35))}
    >>> {m: round(t.p_value, 3) for m, t in holm(tests).items()}
    {'a': 0.018, 'b': 0.571, 'c': 0.09}
    """
    ordered = sorted(tests, key=lambda measure: tests[measure].p_value)
    adjusted: dict[str, GroupTest] = {}
    running = 0.0
    for rank, measure in enumerate(ordered):
        test = tests[measure]
        running = max(running, min(1.0, test.p_value * (len(ordered) - rank)))
        adjusted[measure] = dataclasses.replace(test, p_value=running)
    return {measure: adjusted[measure] for measure in tests}


@dataclass(frozen=True)
class Stretch:
    """Periods in a row, up to the report day, in which the group developed no new customer."""

    level: str
    periods: int
    since: dt.date | None  # first day of the first empty period; None if never any
    last_new: dt.date | None  # first day of the last period with a new customer
    activities: int  # the group's activity rows in the stretch
    customers_worked: int  # distinct customers the group worked in the last period of it
    company_new: int  # new customers at this level the whole company found in the stretch


@dataclass(frozen=True)
class ChannelEvidence:
    """The channel whose customers are won most often, company-wide, and the group's use of it."""

    channel: str
    won_share: GroupTest  # customers from the channel won vs from the other channels (company)
    mix: GroupTest  # the group's share of new customers from it vs the rest's


@dataclass(frozen=True)
class Evidence:
    """Everything coaching may say about one team or rep, with the windows it covers."""

    who: str
    name: str
    day: dt.date
    history: Window  # first day of the log to the report day: funnel, win rate, cycle
    recent: Window  # the last EVIDENCE_DAYS days: contacts and activities per rep
    steps: dict[str, GroupTest]
    recorded: tuple[str, ...]  # levels some row of the log names (others are only implied)
    win_rate: GroupTest
    contacts: GroupTest
    activities: GroupTest
    cycle: GroupTest
    stalled: GroupTest
    stalled_list: pd.DataFrame
    channel: ChannelEvidence | None
    empty: tuple[Stretch, ...]
    reps: int  # active reps of the group in the recent window


def gather(company: Company, *, who: Literal["team", "rep"], name: str, period: str,
           stalled_days: int, volumes: pd.DataFrame) -> Evidence:  # fmt: skip
    """Compare one team or rep with the rest of the company on every measure coaching uses.

    ``volumes`` is the group's volume series (``period, level, volume``) from
    :func:`~devvolume.report.period_figures`, used for empty stretches.
    """
    reached, log, day = company.reached, company.log, company.day
    history = Window(company.once("first day", lambda: log["date"].min().date()), day)
    recent = Window(max(history.first, day - dt.timedelta(days=EVIDENCE_DAYS - 1)), day)
    where: dict[str, Any] = {who: name}

    group_funnel = _rows(company.result(funnel, by=who), where).set_index("level")["customers"]
    company_funnel = company.result(funnel).set_index("level")["customers"]
    recorded = company.once("recorded levels", lambda: tuple(
        level for level in LEVELS if (log["stage"] == level).any()))  # fmt: skip
    steps = {}
    for previous, level in itertools.pairwise(LEVELS):
        x1, n1 = int(group_funnel.get(level, 0)), int(group_funnel.get(previous, 0))
        x2, n2 = int(company_funnel[level]) - x1, int(company_funnel[previous]) - n1
        steps[level] = compare_shares(f"step:{level}", x1, n1, x2, n2)

    rates = company.result(win_rate, by=who)
    mine = _rows(rates, where)
    won1, lost1 = int(mine["won"].sum()), int(mine["lost"].sum())
    won2, lost2 = int(rates["won"].sum()) - won1, int(rates["lost"].sum()) - lost1
    outcome = compare_shares("win_rate", won1, won1 + lost1, won2, won2 + lost2)

    window = (recent.first, recent.last)
    new_group = compare_periods(reached, before=window, after=window, level="contacted",
                                where=where).before[0]  # fmt: skip
    new_company = company.result(compare_periods, before=window, after=window,
                                 level="contacted").before[0]  # fmt: skip
    work = company.once(f"activities per rep from {recent.first}",
                        lambda: _recent_work(log, recent.first))  # fmt: skip
    mine_work = work[work.index.get_level_values(who) == name]
    reps1, reps2 = len(mine_work), len(work) - len(mine_work)
    acts1, acts2 = int(mine_work.sum()), int(work.sum()) - int(mine_work.sum())
    contacts = compare_rates("contacts_per_rep", new_group, reps1, new_company - new_group, reps2)
    activities = compare_rates("activities_per_rep", acts1, reps1, acts2, reps2)

    cycles = company.result(sales_cycle, start="contacted", end="won")
    is_group = cycles[who] == name
    cycle = compare_days("cycle_days", cycles.loc[is_group, "days"], cycles.loc[~is_group, "days"])

    open_now = company.result(stalled_customers, as_of=day, idle_days=0, from_level="qualified")
    stalled_now = company.result(stalled_customers, as_of=day, idle_days=stalled_days,
                                 from_level="qualified")  # fmt: skip
    open1, stalled1 = int((open_now[who] == name).sum()), int((stalled_now[who] == name).sum())
    stalled = compare_shares("stalled_share", stalled1, open1, len(stalled_now) - stalled1,
                             len(open_now) - open1, higher_is_better=False)  # fmt: skip
    return Evidence(who, name, day, history, recent, steps, recorded, outcome, contacts,
                    activities, cycle, stalled, _rows(stalled_now, where), _channel(company, who, name),
                    _stretches(company, who, name, period, volumes), reps1)  # fmt: skip


def _recent_work(log: pd.DataFrame, first: dt.date) -> pd.Series:
    """Activities of every active (team, rep) from ``first`` to the end of the log."""
    cut = log[(log["date"] >= pd.Timestamp(first))]
    work = activity_counts(cut, period="Y", by=["team", "rep"]).groupby(["team", "rep"])[
        "activities"].sum()  # fmt: skip
    return work[work > 0]


def _rows(frame: pd.DataFrame, where: dict[str, Any]) -> pd.DataFrame:
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame.reset_index(drop=True)


def _channel(company: Company, who: str, name: str) -> ChannelEvidence | None:
    reached = company.reached
    if "channel" not in reached.columns or company.once(
            "no channels", lambda: bool(reached["channel"].isna().all())):  # fmt: skip
        return None
    by_channel = company.result(funnel, by="channel").dropna(subset=["channel"])
    table = by_channel.pivot_table(index="channel", columns="level", values="customers",
                                   aggfunc="sum").fillna(0)  # fmt: skip
    table = table[table["contacted"] >= MIN_CHANNEL_CUSTOMERS]
    if len(table) < 2:
        return None
    share = (table["won"] / table["contacted"]).sort_values(ascending=False, kind="stable")
    best = str(share.index[0])
    won, contacted = int(table.loc[best, "won"]), int(table.loc[best, "contacted"])
    others_won = int(table["won"].sum()) - won
    others = int(table["contacted"].sum()) - contacted
    won_share = compare_shares("channel_won", won, contacted, others_won, others)
    mix_frame = _rows(company.result(funnel, by=[who, "channel"]), {"level": "contacted"})
    mine = mix_frame[mix_frame[who] == name]
    x1, n1 = int(mine.loc[mine["channel"] == best, "customers"].sum()), int(mine["customers"].sum())
    x2 = int(mix_frame.loc[mix_frame["channel"] == best, "customers"].sum()) - x1
    n2 = int(mix_frame["customers"].sum()) - n1
    return ChannelEvidence(best, won_share, compare_shares("channel_mix", x1, n1, x2, n2))


def _stretches(company: Company, who: str, name: str, period: str, volumes: pd.DataFrame
               ) -> tuple[Stretch, ...]:  # fmt: skip
    from devvolume.core import development_volume

    found = []
    work = _rows(company.result(activity_counts, on="log", period=period, by=who), {who: name})
    for level in ("contacted", "won"):
        series = volumes[volumes["level"] == level].sort_values("period")
        values = series["volume"].tolist()
        empty = 0
        while empty < len(values) and values[len(values) - 1 - empty] == 0:
            empty += 1
        if empty < 2:
            continue
        periods = series["period"].tolist()
        since = periods[len(values) - empty].date()
        last_new = periods[len(values) - empty - 1].date() if empty < len(values) else None
        inside = work[work["period"] >= pd.Timestamp(since)]
        company_series = company.result(development_volume, level=level, period=period)
        company_new = int(company_series.loc[company_series["period"] >= pd.Timestamp(since),
                                              "volume"].sum())  # fmt: skip
        last = inside.sort_values("period").tail(1)
        found.append(Stretch(level, empty, since, last_new, int(inside["activities"].sum()),
                             int(last["active_customers"].sum()), company_new))  # fmt: skip
    return tuple(found)
