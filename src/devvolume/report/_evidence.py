"""The evidence coaching stands on: a team (or rep) against its peers, judged as funnel plots do.

A gap is worth a manager's week only when it is **material** (big enough to matter) and **beyond
the usual spread** between people. Reps differ from each other far more than coin flips do, so
every comparison here allows for that spread (:mod:`devvolume.core._peers`, after Spiegelhalter
2005): a rep is judged against the spread of all the company's reps, a team against the spread
its reps imply (a team pools its reps, so their differences partly average out).

:func:`peer_cases` counts, once per company (and batch), every rep's cases on every measure, all
slices of company-wide core results:

- the funnel's step rates and the win rate by cohort credit (``dv.funnel`` and ``dv.win_rate``
  by team and rep);
- new contacts (the company's reached-levels table) and activities (log rows) in the last
  :data:`EVIDENCE_DAYS` days, per **active day**: from the later of the window's start and the
  rep's first activity to the earlier of the report day and the rep's last activity, so a rep
  who joined or left inside the window is compared on the days they worked;
- the sales cycle (``dv.sales_cycle``), compared on the log of the days;
- the share of open customers (意向 or later, neither won nor lost) that are stalled
  (``dv.stalled_customers``);
- the share of new customers from the channel whose customers are won most often;
- won against target in the report period, when there are targets.

:func:`gather` then compares one team or rep on every measure and gives each comparison its
verdict (:func:`devvolume.core._peers.judge`, with Holm's control across the report's measures).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from devvolume.core import (
    LEVELS,
    Window,
    activity_counts,
    funnel,
    period_window,
    sales_cycle,
    stalled_customers,
    win_rate,
)
from devvolume.core._peers import (
    CLEAR_BELOW,
    Kind,
    PeerTest,
    Spread,
    estimate_spread,
    judge,
    peer_test,
)
from devvolume.report._data import Company
from devvolume.report._deals import has_deals
from devvolume.report._pipeline import CLOSE_AS_LOST_DAYS
from devvolume.report._tables import recorded_levels

#: Days of recent activity compared (new contacts and activities per active day), up to the report day.
EVIDENCE_DAYS = 90
#: A channel is recommended when at least this many customers came from it, company-wide ...
MIN_CHANNEL_CUSTOMERS = 20
#: ... and its customers are won more often than the other channels' beyond this p-value.
CHANNEL_SIGNIFICANCE = 0.01

#: The measures compared, in the order a manager should tackle a weakness, and whether a higher
#: value is better.
MEASURES: dict[str, bool] = {
    "contacts": True, "attainment": True, "step:qualified": True, "step:signed": True,
    "step:won": True, "win_rate": True, "cycle_days": False, "stalled_share": False,
    "channel_mix": True, "activities": True,
}  # fmt: skip
_KIND: dict[str, Kind] = {"contacts": "rate", "activities": "rate", "attainment": "rate", "cycle_days": "days"}


@dataclass(frozen=True)
class PeerCases:
    """Every rep's cases on every measure, company-wide, and each measure's spread among reps.

    ``cases`` has ``team, rep, measure, x, n``: successes and cases for a share, events and
    active days (or target) for a rate, and for the sales cycle the sum of ``log(1 + days)`` and
    the number of customers. ``durations`` has each won customer's ``team, rep, days`` (for
    medians). ``spreads["rep"]`` holds each measure's :class:`~devvolume.core._peers.Spread` among
    the company's reps (for rep reports); ``spreads["team"]`` the spread of reps around their own
    team's centre (for team reports: what a team's reps imply, whatever the teams' own differences).
    ``units["team"]`` and ``units["rep"]`` hold every team's and rep's ``x, n, value, clustering`` per
    measure (``value`` as shown: a share, a rate per day, median days).
    """

    cases: pd.DataFrame
    durations: pd.DataFrame
    spreads: dict[str, dict[str, Spread]]
    units: dict[str, dict[str, pd.DataFrame]]
    recent: Window
    channel: ChannelEvidence | None
    recorded: tuple[str, ...]


@dataclass(frozen=True)
class Stretch:
    """Periods in a row, up to the report day, in which the group developed no new customer."""

    level: str
    periods: int
    since: dt.date | None  # first day of the first empty period (or of the data, if later)
    last_new: dt.date | None  # first day of the last period with a new customer; None if never any
    activities: int  # the group's activity rows in the stretch
    customers_worked: int  # distinct customers the group worked in the last period of it
    company_new: int  # new customers at this level the whole company found in the stretch


@dataclass(frozen=True)
class ChannelEvidence:
    """The channel whose customers are won most often, company-wide (a fact about channels).

    ``won``/``contacted`` are the channel's customers won and first contacted (cohort credit),
    ``others_won``/``others`` the same for every other channel; ``p_value`` is Fisher's exact
    test of the two shares. The channel is worth recommending only when ``better``.
    """

    channel: str
    won: int
    contacted: int
    others_won: int
    others: int
    p_value: float

    @property
    def share(self) -> float:
        """Share of the channel's customers that were won."""
        return self.won / self.contacted

    @property
    def others_share(self) -> float:
        """Share of the other channels' customers that were won."""
        return self.others_won / self.others if self.others else math.nan

    @property
    def better(self) -> bool:
        """Won more often than the other channels, beyond :data:`CHANNEL_SIGNIFICANCE`."""
        return self.share > self.others_share and self.p_value < CHANNEL_SIGNIFICANCE


@dataclass(frozen=True)
class Evidence:
    """Everything coaching may say about one team or rep, with the windows it covers.

    ``tests`` holds one judged :class:`~devvolume.core._peers.PeerTest` per measure the report
    compares, in :data:`MEASURES` order; steps the log never records are left out.
    """

    who: str
    name: str
    day: dt.date
    history: Window  # first day of the log to the report day: funnel, win rate, cycle
    recent: Window  # the last EVIDENCE_DAYS days: contacts and activities per active day
    tests: dict[str, PeerTest]
    recorded: tuple[str, ...]  # levels some row of the log names (others are only implied)
    stalled_list: pd.DataFrame  # in the call list's order, with suggest_close
    channel: ChannelEvidence | None
    empty: tuple[Stretch, ...]
    reps: int  # reps of the group active in the recent window
    peers: int  # units of the same kind (teams, or reps) with activity up to the report day
    total_customers: int  # customers in the company's log
    cases: PeerCases = field(repr=False, compare=False)  # every unit's cases (for funnel plots)
    deals: bool = False  # the log has deals: the win rate is named the customer win rate


def gather(company: Company, *, who: Literal["team", "rep"], name: str, period: str = "M",
           stalled_days: int = 14, volumes: pd.DataFrame | None = None) -> Evidence:  # fmt: skip
    """Compare one team or rep with its peers on every measure coaching uses, and judge it.

    ``volumes`` is the group's volume series (``period, level, volume``) from
    :func:`~devvolume.report.period_figures`, used for empty stretches (none looked for
    without it: a lesson that only compares with peers leaves it out).
    """
    day = company.day
    cases = company.once(f"peer cases, {stalled_days} days idle, period {period}",
                         lambda: peer_cases(company, stalled_days=stalled_days, period=period))  # fmt: skip
    history = Window(company.once("first day", lambda: company.log["date"].min().date()), day)
    tests = judge(compare(cases, who=who, name=name))
    stalled_now = company.result(stalled_customers, as_of=day, idle_days=stalled_days, from_level="qualified",
                                 close_after_days=CLOSE_AS_LOST_DAYS)  # the call list's order  # fmt: skip
    mine = cases.cases[(cases.cases[who] == name) & (cases.cases["measure"] == "contacts")]
    units = cases.cases.loc[cases.cases["measure"] == "contacts", who].nunique()
    total = int(company.once("customers", lambda: company.log["customer"].nunique()))
    return Evidence(who, name, day, history, cases.recent, {t.measure: t for t in tests},
                    cases.recorded, _rows(stalled_now, {who: name}), cases.channel,
                    () if volumes is None else _stretches(company, who, name, period, volumes),
                    int((mine["n"] > 0).sum()),
                    int(units), total, cases,
                    company.once("has deals", lambda: has_deals(company.log)))  # fmt: skip


def compare(cases: PeerCases, *, who: Literal["team", "rep"], name: str) -> list[PeerTest]:
    """Compare one team or rep with its peers on every measure (not yet judged).

    A rep is a unit of the company's reps; a team pools its reps, so the reps' spread enters its
    limits divided by their effective number (``Σ n_r² / (Σ n_r)²``).
    """
    tests = []
    recorded = set(cases.recorded) | {"contacted"}
    for measure, higher_is_better in MEASURES.items():
        if measure.startswith("step:"):
            level = measure.split(":")[1]
            if level not in recorded or LEVELS[LEVELS.index(level) - 1] not in recorded:
                continue
        if measure == "channel_mix" and not (cases.channel is not None and cases.channel.better):
            continue
        units = cases.units[who].get(measure)
        if units is None or measure not in cases.spreads[who]:
            continue
        if name in units.index:
            x, n, value, clustering = (float(v) for v in units.loc[name, ["x", "n", "value", "clustering"]])
        else:
            x, n, value, clustering = 0.0, 0.0, math.nan, 1.0
        tests.append(peer_test(measure, cases.spreads[who][measure], x=x, n=n, value=value,
                               peer_values=units["value"].tolist(), clustering=clustering,
                               higher_is_better=higher_is_better))  # fmt: skip
    return tests


def _units(cases: pd.DataFrame, durations: pd.DataFrame, who: str) -> dict[str, pd.DataFrame]:
    """Give every team's (or rep's) ``x, n``, shown ``value`` and ``clustering`` on each measure."""
    found = {}
    medians = durations.groupby(who)["days"].median()
    for measure, rows in cases.groupby("measure", sort=True):
        units = rows.groupby(who, sort=True).agg(x=("x", "sum"), n=("n", "sum"))
        squares = (rows["n"] ** 2).groupby(rows[who]).sum()
        units["clustering"] = (squares / units["n"] ** 2).where(units["n"] > 0, 1.0)
        if _KIND.get(str(measure)) == "days":
            units["value"] = medians.reindex(units.index).astype("float64")
        else:
            units["value"] = units["x"] / units["n"]
        units.loc[units["n"] <= 0, "value"] = math.nan
        units.index = units.index.astype(str)
        found[str(measure)] = units
    return found


def peer_cases(company: Company, *, stalled_days: int, period: str) -> PeerCases:
    """Count every rep's cases on every measure, company-wide, and each measure's spread."""
    log, reached, day = company.log, company.reached, company.day
    recent = Window(max(log["date"].min().date(), day - dt.timedelta(days=EVIDENCE_DAYS - 1)), day)
    frames = [_steps(company), _outcomes(company), _recent(log, reached, recent),
              _stalled(company, stalled_days), _attainment(company, period)]
    cycles = company.result(sales_cycle, start="contacted", end="won")
    durations = cycles[["team", "rep", "days"]].dropna(subset=["team", "rep"]).reset_index(drop=True)
    logged = np.log1p(durations["days"].astype("float64"))
    by_pair = durations.assign(log=logged).groupby(["team", "rep"], sort=True)["log"]
    frames.append(pd.DataFrame({"measure": "cycle_days", "x": by_pair.sum(), "n": by_pair.size()})
                  .reset_index())  # fmt: skip
    channel = _channel(company)
    if channel is not None:
        frames.append(_channel_mix(company, channel.channel))
    cases = pd.concat([frame for frame in frames if not frame.empty], ignore_index=True)
    cases = cases[["team", "rep", "measure", "x", "n"]].astype({"x": "float64", "n": "float64"})
    within = _within_variance(durations.assign(log=logged))
    target = float(durations["days"].median()) if len(durations) else math.nan
    spreads: dict[str, dict[str, Spread]] = {"rep": {}, "team": {}}
    for measure, rows in cases.groupby("measure", sort=True):
        kind: Kind = _KIND.get(str(measure), "share")
        days = kind == "days"
        reps = rows.groupby("rep")[["x", "n"]].sum()
        spreads["rep"][str(measure)] = estimate_spread(
            kind, reps["x"].tolist(), reps["n"].tolist(), within=within if days else None,
            target=target if days else None)  # fmt: skip
        # A team is judged against the spread of reps around their own team's centre.
        spreads["team"][str(measure)] = estimate_spread(
            kind, rows["x"].tolist(), rows["n"].tolist(), within=within if days else None,
            target=target if days else None, groups=rows["team"].tolist())  # fmt: skip
    recorded = recorded_levels(company)
    units = {who: _units(cases, durations, who) for who in ("team", "rep")}
    return PeerCases(cases, durations, spreads, units, recent, channel, recorded)


def _within_variance(durations: pd.DataFrame) -> float:
    """Pooled variance of ``log(1 + days)`` within reps: the chance variance of one customer."""
    groups = durations.groupby("rep")["log"]
    sizes = groups.size()
    if int(sizes.sum()) - len(sizes) <= 0:
        return 0.0
    squares = groups.apply(lambda s: float(((s - s.mean()) ** 2).sum())).sum()
    return float(squares / (sizes.sum() - len(sizes)))


def _steps(company: Company) -> pd.DataFrame:
    table = company.result(funnel, by=["team", "rep"]).pivot_table(
        index=["team", "rep"], columns="level", values="customers", aggfunc="sum").fillna(0)  # fmt: skip
    frames = []
    for previous, level in itertools.pairwise(LEVELS):
        if level in table.columns and previous in table.columns:
            frames.append(pd.DataFrame({"measure": f"step:{level}", "x": table[level],
                                        "n": table[previous]}).reset_index())  # fmt: skip
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _outcomes(company: Company) -> pd.DataFrame:
    rates = company.result(win_rate, by=["team", "rep"])
    return pd.DataFrame({"team": rates["team"], "rep": rates["rep"], "measure": "win_rate",
                         "x": rates["won"], "n": rates["won"] + rates["lost"]})  # fmt: skip


def _recent(log: pd.DataFrame, reached: pd.DataFrame, recent: Window) -> pd.DataFrame:
    """Count new contacts and activities in the window per (team, rep), over their active days."""
    first, last = pd.Timestamp(recent.first), pd.Timestamp(recent.last)
    spans = log.groupby(["team", "rep"], sort=True)["date"].agg(["min", "max"])
    start = spans["min"].clip(lower=first)
    end = spans["max"].clip(upper=last)
    active = ((end - start).dt.days + 1).clip(lower=0)
    inside = log[(log["date"] >= first) & (log["date"] <= last)]
    work = inside.groupby(["team", "rep"]).size().reindex(active.index, fill_value=0)
    new = reached[(reached["level"] == "contacted") & (reached["date"] >= first)
                  & (reached["date"] <= last)]  # fmt: skip
    contacts = new.groupby(["team", "rep"]).size().reindex(active.index, fill_value=0)
    return pd.concat([
        pd.DataFrame({"measure": "contacts", "x": contacts, "n": active}).reset_index(),
        pd.DataFrame({"measure": "activities", "x": work, "n": active}).reset_index(),
    ], ignore_index=True)  # fmt: skip


def _stalled(company: Company, stalled_days: int) -> pd.DataFrame:
    day = company.day
    open_now = company.result(stalled_customers, as_of=day, idle_days=0, from_level="qualified")
    stalled = company.result(stalled_customers, as_of=day, idle_days=stalled_days,
                             from_level="qualified")  # fmt: skip
    n = open_now.groupby(["team", "rep"]).size()
    x = stalled.groupby(["team", "rep"]).size().reindex(n.index, fill_value=0)
    return pd.DataFrame({"measure": "stalled_share", "x": x, "n": n}).reset_index()


def _attainment(company: Company, period: str) -> pd.DataFrame:
    """Won so far this period against each rep's target (a rate with the target as exposure)."""
    targets = company.targets
    if targets is None or period == "W":
        return pd.DataFrame()
    window = period_window(company.day, period)
    inside = targets[(targets["period"] >= pd.Timestamp(window.first))
                     & (targets["period"] <= pd.Timestamp(window.last))]  # fmt: skip
    goal = inside.groupby(["team", "rep"])["target"].sum()
    goal = goal[goal > 0]
    if goal.empty:
        return pd.DataFrame()
    reached = company.reached
    won = reached[(reached["level"] == "won") & (reached["date"] >= pd.Timestamp(window.first))]
    x = won.groupby(["team", "rep"]).size().reindex(goal.index, fill_value=0)
    return pd.DataFrame({"measure": "attainment", "x": x, "n": goal}).reset_index()


def _channel(company: Company) -> ChannelEvidence | None:
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
    p_value = float(stats.fisher_exact([[won, contacted - won],
                                        [others_won, others - others_won]]).pvalue)  # fmt: skip
    return ChannelEvidence(best, won, contacted, others_won, others, p_value)


def _channel_mix(company: Company, best: str) -> pd.DataFrame:
    mix = company.result(funnel, by=["team", "rep", "channel"])
    first = mix[mix["level"] == "contacted"]
    n = first.groupby(["team", "rep"])["customers"].sum()
    x = first[first["channel"] == best].groupby(["team", "rep"])["customers"].sum()
    return pd.DataFrame({"measure": "channel_mix", "x": x.reindex(n.index, fill_value=0),
                         "n": n}).reset_index()  # fmt: skip


#: The columns of a report's rows in ``evidence.csv`` (besides the report's name and kind).
EVIDENCE_FIELDS = ("measure", "window_first", "window_last", "value", "n", "company", "units", "rank",
                   "phi", "tau2", "limit95_low", "limit95_high", "limit998_low", "limit998_high",
                   "p_value", "clear_below", "detectable", "verdict")  # fmt: skip


def evidence_rows(evidence: Evidence) -> list[dict[str, Any]]:
    """Give one row per measure for ``evidence.csv`` (:data:`EVIDENCE_FIELDS`).

    The value and the company's as compared (a share; a rate per active day; median days), the
    size, the units compared and the rank among them (1 = lowest), the spread (``phi``, and
    ``tau2`` on the measure's scale), the limits at the unit's size, the p-value with the spread
    included, the p-value below which a gap is clear, the smallest gap (relative) the data could
    show, and the verdict code.
    """
    rows = []
    for test in evidence.tests.values():
        window = evidence.recent if test.measure in ("contacts", "activities") else evidence.history
        (low95, high95), (low998, high998) = test.limits
        rows.append({
            "measure": test.measure, "window_first": window.first.isoformat(),
            "window_last": window.last.isoformat(), "value": _plain(test.value), "n": _plain(test.n),
            "company": _plain(test.target), "units": test.peers, "rank": test.rank or None,
            "phi": _plain(test.spread.phi), "tau2": _plain(test.spread.tau2),
            "limit95_low": _plain(low95), "limit95_high": _plain(high95),
            "limit998_low": _plain(low998), "limit998_high": _plain(high998),
            "p_value": _plain(test.p_value), "clear_below": CLEAR_BELOW,
            "detectable": _plain(test.detectable), "verdict": test.code,
        })  # fmt: skip
    return rows


def _plain(value: float) -> float | None:
    """Give a number for a CSV cell: rounded, and empty (``None``) rather than NaN."""
    return None if value is None or value != value or math.isinf(value) else round(float(value), 6)


def _rows(frame: pd.DataFrame, where: dict[str, Any]) -> pd.DataFrame:
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame.reset_index(drop=True)


def _stretches(company: Company, who: str, name: str, period: str, volumes: pd.DataFrame
               ) -> tuple[Stretch, ...]:  # fmt: skip
    from devvolume.core import development_volume

    found = []
    work = _rows(company.result(activity_counts, on="log", period=period, by=who), {who: name})
    first_day = company.once("first day", lambda: company.log["date"].min().date())
    for level in ("contacted", "won"):
        series = volumes[volumes["level"] == level].sort_values("period")
        values = series["volume"].tolist()
        empty = 0
        while empty < len(values) and values[len(values) - 1 - empty] == 0:
            empty += 1
        if empty < 2:
            continue
        periods = series["period"].tolist()
        start = periods[len(values) - empty]
        last_new = periods[len(values) - empty - 1].date() if empty < len(values) else None
        inside = work[work["period"] >= start]
        company_series = company.result(development_volume, level=level, period=period)
        company_new = int(company_series.loc[company_series["period"] >= start, "volume"].sum())
        last = inside.sort_values("period").tail(1)
        since = max(start.date(), first_day)  # said on the page: never before the data begin
        found.append(Stretch(level, empty, since, last_new, int(inside["activities"].sum()),
                             int(last["active_customers"].sum()), company_new))  # fmt: skip
    return tuple(found)


def unit_values(cases: PeerCases, *, who: str, measure: str) -> pd.DataFrame:
    """Give every team's (or rep's) size and value on one measure: ``unit, n, value, clustering``."""
    units = cases.units[who][measure]
    return pd.DataFrame({"unit": units.index, "n": units["n"].to_numpy(), "value": units["value"].to_numpy(),
                         "clustering": units["clustering"].to_numpy()})  # fmt: skip
