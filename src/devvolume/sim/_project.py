"""The simulator's expected-value twin: monthly volumes under a strategy mix, without drawing.

:func:`project` runs the same model as :func:`~devvolume.sim.simulate` on its planned market (no
random part) and multiplies the expected leads by the step probabilities, so the what-if lesson's
sliders answer at once. The levers' costs give the net value of a mix.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np

from devvolume.sim._model import LEVERS, Intervention, SalesModel
from devvolume.sim._world import World, build_world, monthly_targets, step_probability


def _months(model: SalesModel) -> int:
    start, end = dt.date.fromisoformat(model.start), dt.date.fromisoformat(model.end)
    return (end.year - start.year) * 12 + end.month - start.month + 1


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


def _expected(model: SalesModel, world: World) -> tuple[float, float, float]:
    """Return expected contacted and won per month, and the mean deal of a win."""
    span = slice(world.first, None)
    day = np.arange(world.days.size)[span, None, None]
    rep = np.arange(world.skill.shape[1])[None, :, None]
    channel = np.arange(len(model.channels))[None, None, :]
    market = world.market_plan[day]
    won_share = np.ones(world.lead_rate[span].shape)
    for step in range(3):
        won_share = won_share * step_probability(model, world, step, day, rep, channel, market)
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
    world = build_world(model, np.random.default_rng(model.seed), noise=False)
    contacted, won, _ = _expected(model, world)
    target = float(monthly_targets(model, world)["target"].sum()) / _months(model)
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
    world = build_world(scenario, np.random.default_rng(model.seed), noise=False)
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
