"""Draw a simulated work log, orders, targets and rep table from a :class:`SalesModel`.

Every working day each rep prospects new customers through channels (转介绍, 陌拜, 线上, 展会,
老客户推荐, 电话营销); the number of new leads is drawn around the world's lead rate (see
:mod:`devvolume.sim._world`). A customer is contacted one or more times, then moves on to
``qualified``, ``signed`` and ``won`` with the world's step probabilities, after delays counted
in working days. Customers that fail a step either go quiet or are marked ``lost``. Won
customers place repeat orders until they churn. Each row gets an activity type (电话, 拜访, …)
drawn by channel and stage.

Everything is vectorised with numpy and driven by one seeded ``numpy.random.Generator``.
Measured on the 2-core build machine (``benchmarks/bench_simulate.py``): 10 million work-log
rows (19,400 reps over a year) in about 18 s, at a peak of about 4 GB of memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from devvolume.core import CANONICAL, STAGES
from devvolume.sim._calendar import company_names
from devvolume.sim._model import SalesModel
from devvolume.sim._world import build_world, monthly_targets, rep_table, step_probability

ACTIVITY_TYPES: tuple[str, ...] = ("电话", "拜访", "微信", "演示", "邮件", "会议")
LOST_REASONS: tuple[str, ...] = ("预算不足", "选择了竞品", "暂无需求", "联系不上", "价格谈不拢")
#: Skilled reps need fewer repeat contacts: the mean is scaled by exp(-this × skill).
SKILL_FEWER_CONTACTS = 0.3


@dataclass(frozen=True)
class Simulation:
    """One simulated run: the work log, orders, monthly targets and the rep table."""

    worklog: pd.DataFrame
    orders: pd.DataFrame
    targets: pd.DataFrame
    reps: pd.DataFrame
    model: SalesModel


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
    world = build_world(model, rng)
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
        p = step_probability(model, world, step, d, rep[alive], channel[alive], market[d])
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
    return Simulation(worklog, orders, monthly_targets(model, world), rep_table(model, world), model)


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
