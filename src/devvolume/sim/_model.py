"""The simulator's parameters: lead channels, improvement levers, interventions, named reps.

:class:`SalesModel` holds every number of the generative model (frozen, so a variant is made with
:meth:`SalesModel.replace`). A :class:`Channel` is a lead source, a :class:`Lever` one improvement
strategy of syllabus section 四 with its effects and cost (:data:`LEVERS`), an
:class:`Intervention` switches a lever on at a date, and a :class:`RepSpec` fixes the traits of a
named rep (the reps the lessons discover).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


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
        Gross margin used to value a new customer in :func:`~devvolume.sim.project`.
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
