"""The world a simulation runs in, fixed before any customer is drawn.

:func:`build_world` lays out, for every working day from the warm-up on, the market index (a
trend, a seasonal wave and AR(1) noise), the levers switched on, each rep's expected new leads
per channel and effective skill (base skill + tenure + training hours). :func:`step_probability`
turns them into the chance of passing a step. The monthly targets (:func:`monthly_targets`) and
the rep table (:func:`rep_table`) are set from the same world, the way a manager would.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from devvolume.sim._calendar import rep_names, team_names, working_days
from devvolume.sim._model import LEVERS, SalesModel

#: Mean calendar days per month (tenure and target ramps are counted in these months).
AVG_DAYS_PER_MONTH = 365.25 / 12
#: Months after which tenure no longer adds skill.
TENURE_FULL_MONTHS = 24.0
#: Training hours that one unit of ``log1p(hours / TRAINING_SCALE_HOURS)`` stands for.
TRAINING_SCALE_HOURS = 20.0
#: Day of the year where the seasonal wave of the market index rises through 1 (peak ~June).
MARKET_RISE_DAY = 60.0
#: Day-to-day persistence of the market index's random part (AR(1) coefficient).
MARKET_PERSISTENCE = 0.97


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Turn logits into probabilities."""
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


@dataclass(frozen=True)
class World:
    """Everything that is fixed before customers are drawn, indexed by working day and rep."""

    days: np.ndarray  # datetime64[D] working days from the warm-up on
    first: int  # index of the first day inside [start, end]
    lead_rate: np.ndarray  # (day, rep, channel) expected new leads
    skill: np.ndarray  # (day, rep) effective skill
    qualify_logit: np.ndarray  # (day,) lever shift
    close_logit: np.ndarray  # (day,)
    cycle: np.ndarray  # (day,) delay multiplier
    market: np.ndarray  # (day,) index
    market_plan: np.ndarray  # (day,) index without the random part
    factor: np.ndarray  # (day,) festival factor
    reps: pd.DataFrame


def _lever_level(model: SalesModel, days: np.ndarray, code: str) -> np.ndarray:
    level = np.zeros(days.size)
    for item in model.interventions:
        if item.lever == code:
            level = level + np.where(days >= np.datetime64(item.start, "D"), item.level, 0.0)
    return level


def _draw_reps(model: SalesModel, rng: np.random.Generator) -> pd.DataFrame:
    n = model.teams * model.reps_per_team
    fixed = {spec.slot: spec for spec in model.rep_specs}
    if any(not 0 <= slot < n for slot in fixed):
        msg = (f"A RepSpec slot is outside 0–{n - 1}: {sorted(fixed)}. "
               "Hint: slots count reps from 0, team by team.")  # fmt: skip
        raise ValueError(msg)
    drawn = [name for name in rep_names(rng, n + len(fixed)) if name not in
             {spec.rep for spec in fixed.values()}]  # fmt: skip
    names = [fixed[i].rep if i in fixed else drawn[i] for i in range(n)]
    teams = np.array(team_names(model.teams), dtype=object)[np.arange(n) // model.reps_per_team]
    potential = np.exp(rng.normal(0.0, model.team_potential_sd, model.teams))
    skill = rng.normal(0.0, model.skill_sd, n)
    capacity = model.capacity_mean * np.exp(rng.normal(0.0, model.capacity_sigma, n))
    tenure = 3.0 + rng.gamma(2.0, (model.tenure_mean_months - 3.0) / 2.0, n)
    hours = rng.gamma(4.0, model.training_hours_mean / 4.0, n)
    start = np.datetime64(model.start, "D")
    hire = start - np.round(tenure * AVG_DAYS_PER_MONTH).astype("timedelta64[D]")
    trained_on = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    added = np.zeros(n)
    for i, spec in fixed.items():
        skill[i] = skill[i] if spec.skill is None else spec.skill
        capacity[i] = capacity[i] if spec.capacity is None else spec.capacity
        hours[i] = hours[i] if spec.training_hours is None else spec.training_hours
        if spec.hire_date is not None:
            hire[i] = np.datetime64(spec.hire_date, "D")
        if spec.trained_on is not None:
            trained_on[i] = np.datetime64(spec.trained_on, "D")
            added[i] = spec.training_added_hours
    months = np.maximum((start - hire).astype(int), 0) / AVG_DAYS_PER_MONTH
    return pd.DataFrame({
        "rep": pd.array(names, dtype="str"),
        "team": pd.array(teams, dtype="str"),
        "hire_date": hire.astype("datetime64[us]"),
        "tenure_months": np.round(months, 1),
        "skill": np.round(skill, 2),
        "capacity": np.round(capacity, 1),
        "training_hours": np.round(hours, 0),
        "team_potential": np.round(potential[np.arange(n) // model.reps_per_team], 2),
        "trained_on": trained_on.astype("datetime64[us]"),
        "training_added_hours": added,
    })  # fmt: skip


def build_world(model: SalesModel, rng: np.random.Generator, *, noise: bool = True) -> World:
    """Draw the reps and lay out the days, market, levers, lead rates and skills of ``model``.

    ``noise=False`` leaves out the market's random part (the plan :func:`~devvolume.sim.project` uses); the
    reps are drawn from ``rng`` either way, so both share the same team.
    """
    start = np.datetime64(model.start, "D")
    warm = (start - model.warmup_days).astype(object).isoformat()
    days, factor = working_days(warm, model.end)
    first = int(np.searchsorted(days, start))
    reps = _draw_reps(model, rng)
    years = (days - start).astype(float) / 365.25
    doy = (days - days.astype("datetime64[Y]")).astype(float)
    market = (1.0 + model.market_trend * years) * (
        1.0 + model.market_amplitude * np.sin(2 * np.pi * (doy - MARKET_RISE_DAY) / 365.25)
    )
    market_plan = market
    if noise and model.market_volatility > 0:
        # AR(1) noise with stationary variance volatility², mean-corrected to mean 1.
        rho, sd = MARKET_PERSISTENCE, model.market_volatility
        shocks = rng.normal(0.0, sd * np.sqrt(1 - rho**2), days.size)
        ar = np.empty(days.size)
        ar[0] = rng.normal(0.0, sd)
        for i in range(1, days.size):
            ar[i] = rho * ar[i - 1] + shocks[i]
        market = market * np.exp(ar - sd**2 / 2)
    levels = {code: _lever_level(model, days, code) for code in LEVERS}
    capacity_mult = np.ones(days.size)
    cycle = np.ones(days.size)
    qualify_logit = np.zeros(days.size)
    close_logit = np.zeros(days.size)
    lever_hours = np.zeros(days.size)
    all_channel_mult = np.ones(days.size)
    names = [c.name for c in model.channels]
    extra = np.zeros((days.size, len(names)))
    for code, lever in LEVERS.items():
        x = levels[code]
        capacity_mult *= 1.0 + x * (lever.capacity - 1.0)
        cycle *= 1.0 + x * (lever.cycle - 1.0)
        qualify_logit += x * lever.qualify_logit
        close_logit += x * lever.close_logit
        lever_hours += x * lever.training_hours
        if lever.channel is None:
            all_channel_mult *= 1.0 + x * lever.extra_leads
        else:
            extra[:, names.index(lever.channel)] += x * lever.extra_leads
    shares = np.array([c.share for c in model.channels])
    shares = shares / shares.sum()
    per_channel = shares[None, :] * all_channel_mult[:, None] + extra  # (day, channel)
    hire = reps["hire_date"].to_numpy().astype("datetime64[D]")
    active = days[:, None] >= hire[None, :]
    base = (
        model.leads_per_day
        * (reps["capacity"].to_numpy() / model.capacity_mean)[None, :]
        * reps["team_potential"].to_numpy()[None, :]
        * (factor * market * capacity_mult)[:, None]
        * active
    )
    lead_rate = base[:, :, None] * per_channel[:, None, :]
    tenure = np.clip((days[:, None] - hire[None, :]).astype(float) / AVG_DAYS_PER_MONTH, 0, None)
    trained = reps["trained_on"].to_numpy().astype("datetime64[D]")
    personal = np.where(
        days[:, None] >= trained[None, :], reps["training_added_hours"].to_numpy()[None, :], 0.0
    )
    hours = reps["training_hours"].to_numpy()[None, :] + lever_hours[:, None] + personal
    skill = (
        reps["skill"].to_numpy()[None, :]
        + model.tenure_effect * (np.minimum(tenure, TENURE_FULL_MONTHS) / TENURE_FULL_MONTHS - 1)
        + model.training_effect
        * (np.log1p(hours / TRAINING_SCALE_HOURS)
           - np.log1p(model.training_hours_mean / TRAINING_SCALE_HOURS))
    )  # fmt: skip
    return World(days, first, lead_rate, skill, qualify_logit, close_logit, cycle, market,
                  market_plan, factor, reps)  # fmt: skip


def step_logits(model: SalesModel) -> np.ndarray:
    """Return the base logits of the qualify, sign and win steps."""
    return np.array([_logit(model.qualify_rate), _logit(model.sign_rate), _logit(model.win_rate)])


def step_probability(
    model: SalesModel, world: World, step: int, day: np.ndarray, rep: np.ndarray,
    channel: np.ndarray, market: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Probability of passing step 0 (qualify), 1 (sign) or 2 (win) decided on ``day``."""
    propensity = np.array([c.propensity for c in model.channels])[channel]
    logit = (
        step_logits(model)[step]
        + model.skill_weights[step] * world.skill[day, rep]
        + (propensity if step == 0 else 0.5 * propensity if step == 1 else 0.0)
        + (world.qualify_logit[day] if step == 0 else world.close_logit[day])
        + model.market_effect * (market - 1.0)
    )
    return sigmoid(logit)

def monthly_targets(model: SalesModel, world: World) -> pd.DataFrame:
    """Set monthly targets (new customers won) the way a manager would.

    A target is the expected wins of a standard rep (average skill and capacity, two years
    in) in the rep's team, stretched by ``target_stretch``, halved in a new hire's first
    three months.
    """
    days = world.days[world.first :]
    plan = world.market_plan[world.first :]
    channels = np.arange(len(model.channels))
    propensity = np.array([c.propensity for c in model.channels])
    logits = step_logits(model)[:, None] + np.array([[1.0], [0.5], [0.0]]) * propensity
    effect = model.market_effect * (plan[:, None, None] - 1.0)
    p = sigmoid(logits[None, :, :] + effect).prod(axis=1)  # (day, channel)
    shares = np.array([c.share for c in model.channels])
    per_day = (
        model.leads_per_day * world.factor[world.first :] * plan
        * (p * (shares / shares.sum())[None, channels]).sum(axis=1)
    )  # fmt: skip
    month = days.astype("datetime64[M]")
    periods = np.unique(month)
    reps = world.reps
    hire = reps["hire_date"].to_numpy().astype("datetime64[D]")
    active = days[:, None] >= hire[None, :]
    expected = (per_day[:, None] * active)  # (day, rep)
    by_month = np.stack([expected[month == m].sum(axis=0) for m in periods])  # (month, rep)
    tenure = (periods.astype("datetime64[D]")[:, None] - hire[None, :]).astype(float)
    ramp = np.where(tenure < 3 * AVG_DAYS_PER_MONTH, 0.5, 1.0)
    target = np.floor(
        model.target_stretch * by_month * ramp * reps["team_potential"].to_numpy() + 0.5
    ).astype(np.int64)
    target = np.maximum(target, 1)
    working = by_month > 0
    m_idx, r_idx = np.nonzero(working)
    return pd.DataFrame({
        "rep": reps["rep"].to_numpy()[r_idx],
        "team": reps["team"].to_numpy()[r_idx],
        "period": periods[m_idx].astype("datetime64[D]").astype("datetime64[us]"),
        "target": target[m_idx, r_idx],
    }).astype({"rep": "str", "team": "str"}).sort_values(
        ["period", "team", "rep"], kind="stable", ignore_index=True)  # fmt: skip


def rep_table(model: SalesModel, world: World) -> pd.DataFrame:
    """Return the ``reps`` frame: traits, and training hours by the end of the data."""
    reps = world.reps
    end = np.datetime64(model.end, "D")
    lever_hours = sum(
        item.level * LEVERS[item.lever].training_hours
        for item in model.interventions
        if np.datetime64(item.start, "D") <= end
    )
    trained = reps["trained_on"].to_numpy().astype("datetime64[D]")
    added = np.where(trained <= end, reps["training_added_hours"].to_numpy(), 0.0)
    return pd.DataFrame({
        "rep": reps["rep"],
        "team": reps["team"],
        "hire_date": reps["hire_date"],
        "tenure_months": reps["tenure_months"],
        "skill": reps["skill"],
        "capacity": reps["capacity"],
        "training_hours": np.round(reps["training_hours"].to_numpy() + added + lever_hours, 0),
        "trained_on": reps["trained_on"],
    })  # fmt: skip
