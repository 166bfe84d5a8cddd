"""A case's growth over many seeds, with and without its intervention: what one run can't say.

A case dataset is one seeded run of its model, and its seed was chosen to match the syllabus's
story. :func:`case_growth` runs the same model for many seeds, each twice: as the case was made,
and with its interventions taken out (the same reps and market path, no change). The first shows
how far the "+30 %" of one run is from what the model gives on average; the second is the
no-change baseline, whose growth is the calendar's and the season's share, not the strategy's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from devvolume.core import reached_levels
from devvolume.sim._cases import CASES
from devvolume.sim._simulate import simulate

#: Seeds :func:`case_growth` runs by default (each twice: with and without the change).
DEFAULT_SEEDS = range(20)


@dataclass(frozen=True)
class CaseGrowth:
    """The growth ``after`` against ``before`` of a case's model, seed by seed.

    ``table`` has one row per seed: ``seed, before, after, growth`` with the case's
    interventions, and ``before_without, after_without, growth_without`` without them
    (new customers at ``level`` in each window; growth is ``after / before - 1``).
    """

    name: str
    shown_seed: int
    level: str
    table: pd.DataFrame

    @property
    def mean_growth(self) -> float:
        """Growth of the mean counts with the change (ratio of means over the seeds, minus 1)."""
        return float(self.table["after"].mean() / self.table["before"].mean() - 1)

    @property
    def mean_growth_without(self) -> float:
        """Growth of the mean counts without the change: the calendar's and season's part."""
        return float(self.table["after_without"].mean() / self.table["before_without"].mean() - 1)

    @property
    def calendar_share(self) -> float:
        """Share of the mean growth that the no-change runs have too (NaN without growth)."""
        grown = self.mean_growth
        return self.mean_growth_without / grown if grown else float("nan")

    @property
    def shown(self) -> pd.Series:
        """The row of the seed the case dataset uses."""
        return self.table.loc[self.table["seed"] == self.shown_seed].iloc[0]

    @property
    def seeds_below_shown(self) -> int:
        """How many of the seeds grew less than the shown one (with the change)."""
        return int((self.table["growth"] < self.shown["growth"]).sum())


def _counts(log: pd.DataFrame, level: str, windows: list[tuple[str, str]]) -> list[int]:
    """Count new customers at ``level`` in each inclusive window, on the core's first-time dates."""
    reached = reached_levels(log)
    dates = reached.loc[reached["level"] == level, "date"]
    return [int(dates.between(pd.Timestamp(a), pd.Timestamp(b)).sum()) for a, b in windows]


def case_growth(
    name: str,
    *,
    before: tuple[str, str],
    after: tuple[str, str],
    seeds: Iterable[int] = DEFAULT_SEEDS,
    level: str = "won",
) -> CaseGrowth:
    """Run case ``name``'s model for every seed, with and without its interventions.

    The shown seed (the one the dataset uses) is always among the runs. Each run is a full
    simulation of the case's (small) company; about half a second on a 2-core machine.

    Parameters
    ----------
    name : str
        A case dataset: ``"fmcg"`` or ``"software"`` (``"directsales"`` has no intervention,
        so its two runs agree).
    before, after : (first day, last day)
        Inclusive windows (ISO dates), e.g. ``("2025-04-01", "2025-06-30")``.
    seeds : iterable of int
        Seeds to run; the shown seed is added when missing.
    level : str
        The level whose new customers are counted.

    Returns
    -------
    CaseGrowth

    Examples
    --------
    >>> g = case_growth("software", before=("2025-04-01", "2025-06-30"),
    ...                 after=("2025-07-01", "2025-09-30"), seeds=[1])
    >>> g.table.columns.tolist()
    ['seed', 'before', 'after', 'growth', 'before_without', 'after_without', 'growth_without']
    >>> sorted(g.table["seed"].tolist()), g.shown_seed
    ([1, 32], 32)
    """
    if name not in CASES:
        msg = f"Unknown case {name!r}. Cases: {', '.join(sorted(CASES))}."
        raise ValueError(msg)
    model = CASES[name].model
    runs = sorted({*seeds, model.seed})
    windows = [before, after]
    rows = []
    for seed in runs:
        with_change = _counts(simulate(model.replace(seed=seed)).worklog, level, windows)
        without = _counts(simulate(model.replace(seed=seed, interventions=())).worklog, level,
                          windows)  # fmt: skip
        rows.append({"seed": seed, "before": with_change[0], "after": with_change[1],
                     "before_without": without[0], "after_without": without[1]})  # fmt: skip
    table = pd.DataFrame(rows)
    table.insert(3, "growth", table["after"] / table["before"] - 1)
    table["growth_without"] = table["after_without"] / table["before_without"] - 1
    return CaseGrowth(name=name, shown_seed=model.seed, level=level, table=table)
