"""A seeded generative model of a direct-sales team, and its fast expected-value projection.

Every working day each rep prospects new customers through channels (转介绍, 陌拜, 线上, 展会,
老客户推荐, 电话营销); the number of new leads grows with the rep's daily activity capacity, the
team's market potential and a market index, and dips around Spring Festival. A customer is
contacted one or more times, then moves on to ``qualified``, ``signed`` and ``won`` with
probabilities that rise with the rep's effective skill (base skill + tenure + training hours)
and the channel's propensity, after delays counted in working days. Customers that fail a step
either go quiet or are marked ``lost``. Won customers place repeat orders until they churn.

Interventions (:class:`Intervention`) switch a lever on at a date: more leads (客户开发数据库,
数字营销), better conversion (培训, 精准定位), a shorter cycle and more capacity (优化流程). Each
lever has a cost in CNY, so a lesson can weigh it against the value of the customers it brings.
:func:`project` gives the same model's expected monthly volumes without drawing anything.

Everything is vectorised with numpy and driven by one seeded ``numpy.random.Generator``.
Measured on the 2-core build machine (``benchmarks/bench_simulate.py``): 10 million work-log
rows (19,400 reps over a year) in about 18 s, at a peak of about 4 GB of memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from devvolume.sim._calendar import company_names, rep_names, team_names, working_days
from devvolume.core import CANONICAL, STAGES

ACTIVITY_TYPES: tuple[str, ...] = ("电话", "拜访", "微信", "演示", "邮件", "会议")
LOST_REASONS: tuple[str, ...] = ("预算不足", "选择了竞品", "暂无需求", "联系不上", "价格谈不拢")
AVG_DAYS_PER_MONTH = 365.25 / 12
#: Months after which tenure no longer adds skill.
TENURE_FULL_MONTHS = 24.0
#: Training hours that one unit of ``log1p(hours / TRAINING_SCALE_HOURS)`` stands for.
TRAINING_SCALE_HOURS = 20.0
#: Skilled reps need fewer repeat contacts: the mean is scaled by exp(-this × skill).
SKILL_FEWER_CONTACTS = 0.3
#: Day of the year where the seasonal wave of the market index rises through 1 (peak ~June).
MARKET_RISE_DAY = 60.0
#: Day-to-day persistence of the market index's random part (AR(1) coefficient).
MARKET_PERSISTENCE = 0.97


@dataclass(frozen=True)
class Channel:
    """A lead source: its share of new leads, propensity (logit shift) and deal size factor."""

    name: str
    share: float
    propensity: float
    deal_factor: float = 1.0


DEFAULT_CHANNELS: tuple[Channel, ...] = (
    Channel("转介绍", 0.16, 0.55, 1.1),
    Channel("陌拜", 0.26, -0.45, 0.9),
    Channel("线上", 0.22, -0.15, 0.8),
    Channel("展会", 0.12, 0.15, 1.3),
    Channel("老客户推荐", 0.09, 0.75, 1.0),
    Channel("电话营销", 0.15, -0.35, 0.85),
)


@dataclass(frozen=True)
class Lever:
    """What one improvement strategy does at full level (1.0), and what it costs (CNY).

    ``extra_leads`` adds leads as a share of the base lead rate, through ``channel`` (or scales
    every channel when ``channel`` is None). Logits are added to the step probabilities,
    ``training_hours`` to every rep's training, ``cycle`` multiplies delays and ``capacity``
    multiplies prospecting capacity. A level ``x`` scales each effect and cost linearly.
    """

    label: str
    channel: str | None = None
    extra_leads: float = 0.0
    qualify_logit: float = 0.0
    close_logit: float = 0.0
    training_hours: float = 0.0
    cycle: float = 1.0
    capacity: float = 1.0
    setup_cost: float = 0.0
    monthly_cost_per_rep: float = 0.0


#: The five levers of syllabus section 四 and case section 六, by code.
LEVERS: dict[str, Lever] = {
    "database": Lever("客户开发数据库", channel="电话营销", extra_leads=0.68,
                      setup_cost=200_000, monthly_cost_per_rep=1_200),
    "digital": Lever("数字营销", channel="线上", extra_leads=0.35, qualify_logit=0.1,
                     setup_cost=60_000, monthly_cost_per_rep=2_500),
    "training": Lever("培训", training_hours=48, setup_cost=30_000, monthly_cost_per_rep=600),
    "targeting": Lever("精准定位", extra_leads=-0.08, qualify_logit=0.45, close_logit=0.1,
                       setup_cost=80_000, monthly_cost_per_rep=400),
    "process": Lever("优化流程", cycle=0.7, capacity=1.15,
                     setup_cost=150_000, monthly_cost_per_rep=500),
}  # fmt: skip


@dataclass(frozen=True)
class Intervention:
    """Switch lever ``lever`` (a key of :data:`LEVERS`) on at ``start`` with ``level``."""

    lever: str
    start: str
    level: float = 1.0

    def __post_init__(self) -> None:
        """Reject unknown levers with the list of known ones."""
        if self.lever not in LEVERS:
            msg = f"Unknown lever {self.lever!r}. Known levers: {', '.join(LEVERS)}."
            raise ValueError(msg)


@dataclass(frozen=True)
class RepSpec:
    """Fix the traits of the rep in position ``slot`` (0-based); None keeps the drawn value."""

    slot: int
    rep: str
    skill: float | None = None
    capacity: float | None = None
    hire_date: str | None = None
    training_hours: float | None = None
    trained_on: str | None = None
    training_added_hours: float = 0.0


@dataclass(frozen=True)
class SalesModel:
    """Parameters of the direct-sales model (frozen; derive variants with :meth:`replace`).

    Parameters
    ----------
    start, end : str
        First and last day of the data (ISO dates).
    seed : int
        Seed of the one ``numpy.random.Generator`` behind every draw.
    teams, reps_per_team : int
        Company size. Reps are drawn per team; ``rep_specs`` fix named reps.
    industry : {"general", "retail", "enterprise"}
        Which industry words customer company names use.
    channels : tuple of Channel
        Lead sources with their share, propensity and deal factor.
    leads_per_day : float
        New leads per working day for a rep of capacity ``capacity_mean`` at market index 1.
    capacity_mean, capacity_sigma : float
        Daily activity capacity: median and log-normal spread. Lead volume is proportional
        to capacity (the log records only customer-development activities).
    skill_sd, team_potential_sd : float
        Spread of the reps' latent skill (logit units) and of team market potential (log).
    tenure_mean_months, training_hours_mean : float
        Means of tenure at ``start`` and of training hours already taken.
    tenure_effect, training_effect : float
        Effective skill = skill − ``tenure_effect`` × (share of two years not yet served)
        + ``training_effect`` × (log1p(hours / 20) − log1p(``training_hours_mean`` / 20)).
    skill_weights : tuple of 3 floats
        How much effective skill moves the qualify, sign and win logits.
    qualify_rate, sign_rate, win_rate : float
        Step probabilities for a two-year rep of average skill and training at market index
        1, for a channel with propensity 0 (propensity counts fully for qualifying, half for
        signing).
    extra_contacts, contact_gap_days, followups : float
        Mean repeat contacts before the outcome, mean working days between contacts, mean
        follow-up rows while qualified.
    qualify_days, sign_days, win_days : float
        Mean working-day delays of the three steps (times the cycle multiplier).
    lost_share : tuple of 3 floats
        Share of customers failing each step whose file is closed with a ``lost`` row (the
        rest go quiet).
    deal_size, deal_sigma : float
        Mean first deal (CNY) and its log-normal spread; times the channel's deal factor.
    repeat_interval_days, churn, repeat_factor : float
        Mean calendar days between repeat orders, chance of churning after each order, and
        a repeat order's size relative to the first deal.
    margin : float
        Gross margin used to value a new customer in :func:`project`.
    market_trend, market_amplitude, market_volatility, market_effect : float
        Market index = (1 + trend × years) × (1 + amplitude × seasonal wave) × AR(1) noise of
        this volatility (mean 1). It scales lead volume and adds ``market_effect`` ×
        (index − 1) to every step's logit.
    target_stretch : float
        Monthly targets are the expected wins of a standard rep times this.
    warmup_days : int
        Calendar days simulated before ``start`` so the pipeline is full on day one; their
        rows are dropped.
    interventions : tuple of Intervention
        Levers switched on at dates.
    rep_specs : tuple of RepSpec
        Named reps with fixed traits.
    """

    start: str = "2025-01-01"
    end: str = "2025-12-31"
    seed: int = 2025
    teams: int = 7
    reps_per_team: int = 6
    industry: str = "general"
    channels: tuple[Channel, ...] = DEFAULT_CHANNELS
    leads_per_day: float = 0.55
    capacity_mean: float = 8.0
    capacity_sigma: float = 0.2
    skill_sd: float = 0.35
    team_potential_sd: float = 0.1
    tenure_mean_months: float = 30.0
    training_hours_mean: float = 24.0
    tenure_effect: float = 0.6
    training_effect: float = 0.5
    skill_weights: tuple[float, float, float] = (0.5, 0.9, 0.4)
    qualify_rate: float = 0.4
    sign_rate: float = 0.55
    win_rate: float = 0.85
    extra_contacts: float = 1.3
    contact_gap_days: float = 3.0
    followups: float = 0.8
    qualify_days: float = 6.0
    sign_days: float = 12.0
    win_days: float = 5.0
    lost_share: tuple[float, float, float] = (0.45, 0.7, 0.9)
    deal_size: float = 30_000.0
    deal_sigma: float = 0.6
    repeat_interval_days: float = 60.0
    churn: float = 0.3
    repeat_factor: float = 0.6
    margin: float = 0.35
    market_trend: float = 0.04
    market_amplitude: float = 0.06
    market_volatility: float = 0.04
    market_effect: float = 0.5
    target_stretch: float = 1.1
    warmup_days: int = 120
    interventions: tuple[Intervention, ...] = ()
    rep_specs: tuple[RepSpec, ...] = field(default=())

    def replace(self, **changes: object) -> SalesModel:
        """Return a copy with ``changes`` applied (a frozen dataclass cannot be edited)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Simulation:
    """One simulated run: the work log, orders, monthly targets and the rep table."""

    worklog: pd.DataFrame
    orders: pd.DataFrame
    targets: pd.DataFrame
    reps: pd.DataFrame
    model: SalesModel


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


@dataclass(frozen=True)
class _World:
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


def _build_world(model: SalesModel, rng: np.random.Generator, *, noise: bool = True) -> _World:
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
    return _World(days, first, lead_rate, skill, qualify_logit, close_logit, cycle, market,
                  market_plan, factor, reps)  # fmt: skip


def _step_logits(model: SalesModel) -> np.ndarray:
    return np.array([_logit(model.qualify_rate), _logit(model.sign_rate), _logit(model.win_rate)])


def _step_probability(
    model: SalesModel, world: _World, step: int, day: np.ndarray, rep: np.ndarray,
    channel: np.ndarray, market: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Probability of passing step 0 (qualify), 1 (sign) or 2 (win) decided on ``day``."""
    propensity = np.array([c.propensity for c in model.channels])[channel]
    logit = (
        _step_logits(model)[step]
        + model.skill_weights[step] * world.skill[day, rep]
        + (propensity if step == 0 else 0.5 * propensity if step == 1 else 0.0)
        + (world.qualify_logit[day] if step == 0 else world.close_logit[day])
        + model.market_effect * (market - 1.0)
    )
    return _sigmoid(logit)


def _within(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cumulative sum of ``values`` restarted at each group of ``counts`` consecutive items."""
    total = np.cumsum(values)
    ends = np.cumsum(counts)
    before = np.concatenate(([0], total))[ends - counts]
    return total - np.repeat(before, counts)


def _block(
    rng: np.random.Generator, who: np.ndarray, first_day: np.ndarray, counts: np.ndarray,
    gap_mean: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Rows for ``counts`` (≥ 1) activities per customer, one working day apart at least.

    Returns each row's customer, day and whether it is the block's first row, and each
    customer's last day.
    """
    customer = np.repeat(who, counts)
    gaps = 1 + rng.poisson(np.repeat(gap_mean, counts))
    opening = np.zeros(customer.size, dtype=bool)
    opening[np.cumsum(counts) - counts] = True
    gaps[opening] = 0
    day = np.repeat(first_day, counts) + _within(gaps, counts)
    return customer, day, opening, day[np.cumsum(counts) - 1]


#: Activity probabilities (电话, 拜访, 微信, 演示, 邮件, 会议) by channel for the first contact.
_FIRST_TOUCH: dict[str, tuple[float, ...]] = {
    "转介绍": (0.5, 0.15, 0.35, 0, 0, 0),
    "陌拜": (0.05, 0.85, 0.1, 0, 0, 0),
    "线上": (0.35, 0, 0.55, 0, 0.1, 0),
    "展会": (0, 0.6, 0.15, 0, 0, 0.25),
    "老客户推荐": (0.45, 0.35, 0.2, 0, 0, 0),
    "电话营销": (0.95, 0, 0.05, 0, 0, 0),
}
_OTHER_TOUCH = (0.5, 0.3, 0.2, 0, 0, 0)
#: Activity probabilities for later rows: repeat contact, first and later qualified rows,
#: signed, won and lost.
_LATER_TOUCH: tuple[tuple[float, ...], ...] = (
    (0.4, 0.15, 0.35, 0, 0.1, 0),
    (0, 0.5, 0, 0.3, 0, 0.2),
    (0.25, 0.2, 0.3, 0.25, 0, 0),
    (0, 0.5, 0, 0, 0, 0.5),
    (0.3, 0.4, 0.3, 0, 0, 0),
    (0.6, 0, 0.4, 0, 0, 0),
)


def _activities(rng: np.random.Generator, category: np.ndarray, channels: list[str]) -> np.ndarray:
    table = np.array([*(_FIRST_TOUCH.get(c, _OTHER_TOUCH) for c in channels), *_LATER_TOUCH])
    cdf = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    u = rng.random(category.size)
    return (u[:, None] >= cdf[category]).sum(axis=1).astype(np.int8)


def _strings(codes: np.ndarray, labels: list[str] | np.ndarray | pa.Array) -> pd.Series:
    """Build a ``str`` column from integer codes into ``labels`` (-1 is missing) in Arrow."""
    table = labels if isinstance(labels, pa.Array) else pa.array(list(labels), pa.large_string())
    taken = table.take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(taken, dtype="str"))


def simulate(model: SalesModel | None = None) -> Simulation:
    """Run the model once and return the work log, orders, monthly targets and rep table.

    Parameters
    ----------
    model : SalesModel, optional
        The parameters; the default is a 7-team, 42-rep company over 2025.

    Returns
    -------
    Simulation
        ``worklog`` in the canonical schema (one row per activity, sorted by date, rep and
        customer), ``orders`` (customer, date, amount), ``targets`` (rep, team, period, target:
        new customers won per month) and ``reps``.

    Examples
    --------
    >>> sim = simulate(SalesModel(teams=1, reps_per_team=2, end="2025-01-31", seed=1))
    >>> list(sim.worklog.columns)
    ['date', 'rep', 'team', 'customer', 'stage', 'channel', 'activity', 'amount', 'note']
    >>> bool(sim.worklog["stage"].isin(["contacted", "qualified", "signed", "won", "lost"]).all())
    True
    """
    model = model or SalesModel()
    rng = np.random.default_rng(model.seed)
    world = _build_world(model, rng)
    n_days, _, n_channels = world.lead_rate.shape
    counts = rng.poisson(world.lead_rate).ravel()
    day0, rep, channel = np.unravel_index(np.repeat(np.arange(counts.size), counts),
                                          world.lead_rate.shape)  # fmt: skip
    n = day0.size
    last = n_days - 1
    market = world.market
    cycle = world.cycle
    skill_at = world.skill[day0, rep]
    everyone = np.arange(n)
    rows: list[tuple[np.ndarray, np.ndarray, int, np.ndarray]] = []  # customer, day, stage, cat

    # contacted: a first touch and repeat contacts
    k = 1 + rng.poisson(model.extra_contacts * np.exp(-SKILL_FEWER_CONTACTS * skill_at)
                        * cycle[day0])  # fmt: skip
    cust, day, opening, done = _block(rng, everyone, day0, k, model.contact_gap_days * cycle[day0])
    rows.append((cust, day, 0, np.where(opening, channel[cust], n_channels)))
    # qualified, signed, won, each decided on the day the previous step ended
    lost_day = np.full(n, -1)
    alive = everyone
    delays = (model.qualify_days, model.sign_days, model.win_days)
    amount = np.full(n, np.nan)
    for step in range(3):
        d = np.minimum(done[alive], last)
        p = _step_probability(model, world, step, d, rep[alive], channel[alive], market[d])
        passed = rng.random(alive.size) < p
        failed = alive[~passed]
        quits = rng.random(failed.size) < model.lost_share[step]
        lost_day[failed[quits]] = done[failed[quits]] + 1 + rng.poisson(
            2 * model.contact_gap_days * cycle[np.minimum(done[failed[quits]], last)])
        alive, d = alive[passed], d[passed]
        begin = done[alive] + 1 + rng.poisson(delays[step] * cycle[d])
        if step == 0:
            count = 1 + rng.poisson(model.followups, alive.size)
            cust, day, opening, end_day = _block(rng, alive, begin, count,
                                                 model.contact_gap_days * cycle[d])
            rows.append((cust, day, 1, np.where(opening, n_channels + 1, n_channels + 2)))
            done[alive] = end_day
        else:
            rows.append((alive, begin, step + 1, np.full(alive.size, n_channels + step + 2)))
            done[alive] = begin
    deal = np.array([c.deal_factor for c in model.channels])[channel[alive]]
    sigma = model.deal_sigma
    amount[alive] = np.round(
        model.deal_size * deal * np.exp(rng.normal(-sigma**2 / 2, sigma, alive.size)), -2
    ).clip(min=500)
    gone = np.flatnonzero(lost_day >= 0)
    rows.append((gone, lost_day[gone], 4, np.full(gone.size, n_channels + 5)))

    customer = np.concatenate([r[0] for r in rows])
    day = np.concatenate([r[1] for r in rows])
    stage = np.concatenate([np.full(r[0].size, r[2], dtype=np.int8) for r in rows])
    category = np.concatenate([r[3] for r in rows])
    activity = _activities(rng, category, [c.name for c in model.channels])
    reason = rng.integers(0, len(LOST_REASONS), customer.size)
    names = company_names(rng, n, model.industry)
    keep = (day >= world.first) & (day < n_days)
    customer, day, stage, activity, reason = (
        a[keep] for a in (customer, day, stage, activity, reason)
    )
    order = np.lexsort((customer, rep[customer], day))
    customer, day, stage, activity, reason = (
        a[order] for a in (customer, day, stage, activity, reason)
    )
    rep_names_ = world.reps["rep"].to_numpy(dtype=object)
    team_of_rep = pd.Categorical(world.reps["team"], categories=pd.unique(world.reps["team"]))
    row_rep = rep[customer]
    worklog = pd.DataFrame({
        "date": world.days[day].astype("datetime64[us]"),
        "rep": _strings(row_rep, rep_names_),
        "team": _strings(team_of_rep.codes[row_rep], team_of_rep.categories.to_numpy()),
        "customer": _strings(customer, names),
        "stage": _strings(stage, list(STAGES)),
        "channel": _strings(channel[customer], [c.name for c in model.channels]),
        "activity": _strings(activity, list(ACTIVITY_TYPES)),
        "amount": np.where(stage == 3, amount[customer], np.nan),
        "note": _strings(np.where(stage == 4, reason, -1), list(LOST_REASONS)),
    }, columns=list(CANONICAL))  # fmt: skip
    won_day = done[alive]
    in_window = (won_day >= world.first) & (won_day < n_days)
    orders = _orders(rng, model, world.days[won_day[in_window]],
                     names.take(pa.array(alive[in_window])), amount[alive[in_window]])  # fmt: skip
    return Simulation(worklog, orders, _targets(model, world), _rep_table(model, world), model)


def _orders(
    rng: np.random.Generator, model: SalesModel, won_on: np.ndarray, names: pa.Array,
    first_amount: np.ndarray,
) -> pd.DataFrame:  # fmt: skip
    """Draw orders: the first is the won deal; repeats follow until the customer churns."""
    repeats = rng.geometric(model.churn, won_on.size) - 1
    count = 1 + repeats
    who = np.repeat(np.arange(won_on.size), count)
    gaps = np.ceil(rng.gamma(2.0, model.repeat_interval_days / 2.0, who.size)).clip(min=7)
    gaps[np.cumsum(count) - count] = 0
    date = won_on[who] + _within(gaps.astype(np.int64), count).astype("timedelta64[D]")
    amount = first_amount[who] * np.where(
        gaps > 0, model.repeat_factor * np.exp(rng.normal(-0.045, 0.3, who.size)), 1.0)
    amount = np.round(amount, -1)
    keep = date <= np.datetime64(model.end, "D")
    frame = pd.DataFrame({
        "customer": _strings(who[keep], names),
        "date": date[keep].astype("datetime64[us]"),
        "amount": amount[keep],
    })  # fmt: skip
    return frame.sort_values(["date", "customer"], kind="stable", ignore_index=True)


def _months(model: SalesModel) -> int:
    start, end = dt.date.fromisoformat(model.start), dt.date.fromisoformat(model.end)
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _targets(model: SalesModel, world: _World) -> pd.DataFrame:
    """Set monthly targets (new customers won) the way a manager would.

    A target is the expected wins of a standard rep (average skill and capacity, two years
    in) in the rep's team, stretched by ``target_stretch``, halved in a new hire's first
    three months.
    """
    days = world.days[world.first :]
    plan = world.market_plan[world.first :]
    channels = np.arange(len(model.channels))
    propensity = np.array([c.propensity for c in model.channels])
    logits = _step_logits(model)[:, None] + np.array([[1.0], [0.5], [0.0]]) * propensity
    effect = model.market_effect * (plan[:, None, None] - 1.0)
    p = _sigmoid(logits[None, :, :] + effect).prod(axis=1)  # (day, channel)
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


def _rep_table(model: SalesModel, world: _World) -> pd.DataFrame:
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


@dataclass(frozen=True)
class Projection:
    """Expected monthly figures for the whole team under a strategy mix (see :func:`project`).

    Volumes are new customers per month; money is CNY. ``net_value_per_month`` is the value
    of the extra customers minus the running cost and the setup cost spread over a year.
    """

    contacted: float
    won: float
    baseline_contacted: float
    baseline_won: float
    target: float
    attainment: float
    baseline_attainment: float
    setup_cost: float
    monthly_cost: float
    value_per_customer: float
    extra_value_per_month: float
    net_value_per_month: float


def _expected(model: SalesModel, world: _World) -> tuple[float, float, float]:
    """Return expected contacted and won per month, and the mean deal of a win."""
    span = slice(world.first, None)
    day = np.arange(world.days.size)[span, None, None]
    rep = np.arange(world.skill.shape[1])[None, :, None]
    channel = np.arange(len(model.channels))[None, None, :]
    market = world.market_plan[day]
    won_share = np.ones(world.lead_rate[span].shape)
    for step in range(3):
        won_share = won_share * _step_probability(model, world, step, day, rep, channel, market)
    leads = world.lead_rate[span]
    won = leads * won_share
    deal = np.array([c.deal_factor for c in model.channels])
    months = _months(model)
    mean_deal = model.deal_size * float((won * deal).sum() / max(won.sum(), 1e-12))
    return float(leads.sum() / months), float(won.sum() / months), mean_deal


@functools.lru_cache(maxsize=16)
def _baseline(model: SalesModel) -> tuple[float, float, float]:
    """Return expected contacted and won per month without levers, and the monthly target.

    Cached: a slider moves only the scenario, never the baseline.
    """
    world = _build_world(model, np.random.default_rng(model.seed), noise=False)
    contacted, won, _ = _expected(model, world)
    target = float(_targets(model, world)["target"].sum()) / _months(model)
    return contacted, won, target


def project(
    model: SalesModel | None = None, *, targeting: float = 0.0, process: float = 0.0,
    training: float = 0.0, digital: float = 0.0, database: float = 0.0,
) -> Projection:  # fmt: skip
    """Project the team's expected monthly development under a mix of strategies.

    The levers are the syllabus's strategies at slider levels from 0 (off) to 1 (full; higher
    values extrapolate): 精准定位 ``targeting``, 优化流程 ``process``, 培训 ``training``,
    数字营销 ``digital`` and 客户开发数据库 ``database``. They are in place for the whole period
    of ``model`` (its own interventions are ignored), and the market follows its plan (no
    random part). The numbers are the simulator's expectations, without drawing customers.

    Parameters
    ----------
    model : SalesModel, optional
        The baseline team; the default is :class:`SalesModel` ``()``.
    targeting, process, training, digital, database : float
        Lever levels.

    Returns
    -------
    Projection

    Examples
    --------
    >>> base = project()
    >>> better = project(training=1.0)
    >>> better.won > base.won and better.contacted == base.contacted
    True
    >>> better.monthly_cost > 0 == base.monthly_cost
    True
    """
    model = (model or SalesModel()).replace(interventions=())
    warm = str(np.datetime64(model.start, "D") - model.warmup_days)
    levels = {"targeting": targeting, "process": process, "training": training,
              "digital": digital, "database": database}  # fmt: skip
    scenario = model.replace(interventions=tuple(
        Intervention(code, warm, level) for code, level in levels.items() if level))  # fmt: skip
    base_contacted, base_won, target = _baseline(model)
    world = _build_world(scenario, np.random.default_rng(model.seed), noise=False)
    contacted, won, mean_deal = _expected(scenario, world)
    n_reps = model.teams * model.reps_per_team
    setup = sum(level * LEVERS[code].setup_cost for code, level in levels.items())
    monthly = sum(level * LEVERS[code].monthly_cost_per_rep * n_reps
                  for code, level in levels.items())  # fmt: skip
    repeats = (1.0 - model.churn) / model.churn
    value = model.margin * mean_deal * (1.0 + model.repeat_factor * repeats)
    extra = (won - base_won) * value
    return Projection(
        contacted=contacted, won=won, baseline_contacted=base_contacted, baseline_won=base_won,
        target=target, attainment=won / target, baseline_attainment=base_won / target,
        setup_cost=float(setup), monthly_cost=float(monthly), value_per_customer=value,
        extra_value_per_month=extra, net_value_per_month=extra - monthly - setup / 12.0,
    )  # fmt: skip


def write_simulation(sim: Simulation, directory: str | Path) -> list[Path]:
    """Write ``worklog.csv``, ``orders.csv``, ``targets.csv`` and ``reps.csv`` byte-stably.

    UTF-8, LF line ends, dates as ``YYYY-MM-DD``, money with two decimals, empty cells for
    missing values. Returns the paths written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in ("worklog", "orders", "targets", "reps"):
        path = directory / f"{name}.csv"
        getattr(sim, name).to_csv(path, index=False, lineterminator="\n", encoding="utf-8",
                                  float_format="%.2f", date_format="%Y-%m-%d")  # fmt: skip
        paths.append(path)
    return paths
