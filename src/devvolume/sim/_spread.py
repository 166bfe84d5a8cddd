"""Companies whose reps differ as real reps do, and in nothing else: the null for coaching verdicts.

A coaching page that calls a team or rep "clearly weaker" makes a claim about people, so its test
must hold its false-alarm rate where there is nothing to find. :func:`uneven_reps_log` writes
the work log of such a company: every rep gets their own effect on each measure (new contacts,
each step of the funnel, pace, follow-up visits), drawn log-normal with spread ``sigma`` on the
log or log-odds scale, and no team or rep is special beyond that common spread. A planted gap
(``weak_team_step``) gives one team a lower 意向 step, to measure power.

It is far simpler than :func:`devvolume.simulate` (no calendar, channels of equal worth, no
targets) and fast: ``benchmarks/bench_calibration.py`` runs it for a thousand companies.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

#: New customers a typical rep contacts per day (about 130 a year, as in directsales).
CONTACTS_PER_DAY = 0.36
#: Chance of each later step for a typical rep.
STEPS = {"qualified": 0.5, "signed": 0.55, "won": 0.8}
#: Mean days between steps for a typical rep, and follow-up rows per customer.
DAYS_PER_STEP = 12.0
FOLLOW_UPS = 2.0
#: Chance that a customer who stops climbing is recorded as lost (else it stays open).
LOSS_WHEN_STUCK = 0.7
CHANNELS = ("转介绍", "陌拜", "线上", "展会")


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def uneven_reps_log(seed: int, sigma: float, *, teams: int = 7, reps: int = 6,
                    start: dt.date = dt.date(2025, 1, 1), days: int = 365,
                    outcomes_from: dt.date | None = None, weak_team_step: float = 0.0) -> pd.DataFrame:  # fmt: skip
    """Write the work log of a company whose reps differ by ``sigma`` and in nothing else.

    Parameters
    ----------
    seed : int
        The company.
    sigma : float
        Spread of every rep effect on the log (rates, pace) or log-odds (steps) scale.
    teams, reps : int
        Teams (``T0``, ``T1``…) and reps per team (``T0-R0``…).
    start, days : date, int
        The data start up to six days after ``start`` (inside a week, as real logs do) and stop
        ``days`` days after it. One rep is hired 120 to 240 days in.
    outcomes_from : date, optional
        No 意向, 签约, 成交 or 流失 row before this day (as in a CRM export that holds close dates
        only from some day on): a later event is moved to a day after it.
    weak_team_step : float
        Lower team ``T0``'s 意向 step by this share (0.3: 30 % fewer contacted customers become
        interested), on every rep of the team.

    Returns
    -------
    pandas.DataFrame
        ``date, rep, team, customer, stage, channel``, sorted by date.

    Examples
    --------
    >>> log = uneven_reps_log(1, 0.3, teams=2, reps=3, days=60)
    >>> sorted(log["team"].unique()), log["rep"].nunique(), log["date"].min() >= pd.Timestamp("2025-01-01")
    (['T0', 'T1'], 6, True)
    """
    rng = np.random.default_rng(seed)
    first_day = start + dt.timedelta(days=int(rng.integers(0, 7)))
    last_day = start + dt.timedelta(days=days - 1)
    hired = (int(rng.integers(0, teams)), int(rng.integers(0, reps)))
    rows: list[tuple[Any, ...]] = []
    for team in range(teams):
        for rep in range(reps):
            effect = rng.normal(0.0, sigma, size=6)
            begins = first_day
            if (team, rep) == hired and days > 240:
                begins = start + dt.timedelta(days=int(rng.integers(120, 240)))
            length = (last_day - begins).days + 1
            count = int(rng.poisson(CONTACTS_PER_DAY * math.exp(effect[0]) * length))
            offsets = np.sort(rng.integers(0, length, size=count))
            chances = []
            for index, (level, p) in enumerate(STEPS.items()):
                if level == "qualified" and team == 0:
                    p *= 1 - weak_team_step
                chances.append(1 / (1 + math.exp(-(_logit(p) + effect[1 + index]))))
            pace, visits = DAYS_PER_STEP * math.exp(effect[4]), FOLLOW_UPS * math.exp(effect[5])
            name, team_name = f"T{team}-R{rep}", f"T{team}"
            for number, offset in enumerate(offsets):
                events = _journey(rng, begins + dt.timedelta(days=int(offset)), chances, pace, visits)
                channel = CHANNELS[int(rng.integers(0, len(CHANNELS)))]
                for when, stage in events:
                    if outcomes_from is not None and stage != "contacted" and when < outcomes_from:
                        when = outcomes_from + dt.timedelta(days=int(rng.integers(0, 30)))
                    if when <= last_day:
                        rows.append((when, name, team_name, f"{name}-C{number}", stage, channel))
    log = pd.DataFrame(rows, columns=["date", "rep", "team", "customer", "stage", "channel"])
    log["date"] = pd.to_datetime(log["date"]).astype("datetime64[us]")
    for column in ("rep", "team", "customer", "stage", "channel"):
        log[column] = log[column].astype("str")
    return log.sort_values(["date", "customer"], kind="stable").reset_index(drop=True)


def _journey(rng: np.random.Generator, day: dt.date, chances: list[float], pace: float,
             visits: float) -> list[tuple[dt.date, str]]:  # fmt: skip
    """One customer's rows: the first contact, each step it climbs, a loss, follow-up visits."""
    events = [(day, "contacted")]
    for level, chance in zip(STEPS, chances, strict=True):
        day = day + dt.timedelta(days=1 + int(rng.exponential(pace)))
        if rng.random() < chance:
            events.append((day, level))
            continue
        if rng.random() < LOSS_WHEN_STUCK:
            events.append((day, "lost"))
        break
    span = (events[-1][0] - events[0][0]).days
    for _ in range(int(rng.poisson(visits))):
        events.append((events[0][0] + dt.timedelta(days=int(rng.integers(0, span + 15))), "contacted"))
    return events
