"""Is a team or rep really different from its peers? Funnel-plot limits that allow for spread.

Reps differ from each other far more than coin flips do. A test that treats every activity or
customer as independent calls half the reps "clearly different" on that ordinary spread. Units
are compared here the way hospitals are compared with funnel plots (Spiegelhalter 2005,
"Funnel plots for comparing institutional performance", Statistics in Medicine 24; and
"Handling over-dispersion of performance indicators", Quality and Safety in Health Care 14):

1. Each unit's measure is put on a scale where its chance variation is known: the log-odds of
   a share (customers who moved on ÷ customers in the cohort), the log of a rate (new contacts
   per active day) or the mean log of durations (days to win). A unit of size ``n`` varies by
   chance around the company's value with variance ``v / n`` on that scale.
2. The spread between units beyond chance is estimated from the units themselves: their
   z-scores against the company's value, the 10 % most extreme at each end pulled in to the
   10th and 90th percentiles (so one outlier does not widen everyone's limits), give the
   over-dispersion factor ``phi``; from it the additive between-unit variance ``tau2`` (the
   DerSimonian-Laird form Spiegelhalter recommends when units differ in size).
3. A unit is judged against limits that include that spread: ``centre ± t·sqrt(v/n + tau2·c)``,
   ``centre`` the typical unit (the random-effects mean on the scale) and ``t`` Student's
   quantile with one degree of freedom fewer than the units the spread was estimated from.
   ``c`` is 1 for a rep. A team's value pools its reps, so its reps' spread averages out:
   ``c = Σ n_r² / (Σ n_r)²`` over its reps (1/k for k reps of equal size).

:func:`judge` turns one report's comparisons into verdicts: a gap is *clear* only when the unit
lies outside its 99.8 % limit **and** the gap is material (big enough to matter); each verdict
carries its words, so a table, a sentence and the advice built from one verdict can never
disagree.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from devvolume.core._frames import message

Kind = Literal["share", "rate", "days"]
Code = Literal["weaker", "stronger", "small", "similar", "too_few", "no_data"]

#: Share of units pulled in at each end before the over-dispersion is estimated.
WINSOR_SHARE = 0.1
#: Limits drawn on a funnel plot (two-sided coverage).
LIMITS = (0.95, 0.998)
#: A unit is clearly different when its p-value (spread included) is below this: outside the
#: 99.8 % limit.
CLEAR_BELOW = round(1 - LIMITS[1], 6)
#: The chance of seeing a gap that :attr:`Spread.detectable` is quoted for.
POWER = 0.8
#: Fewer peers than this with data on a measure: their spread cannot be estimated.
MIN_PEERS = 6
#: Fewer cases than this in a unit's share or duration: too few to say anything.
MIN_CASES = 5
#: A gap is material when the smaller value is at most this share of the larger ...
MATERIAL_RATIO = 0.8
#: ... and, for shares, at least this many percentage points away ...
MATERIAL_POINTS = 0.05
#: ... and, for durations, at least this many days apart.
MATERIAL_DAYS = 7

_KINDS = ("share", "rate", "days")
_Z = stats.norm.ppf


def _winsor_consistency(share: float) -> float:
    """E[W²] of a standard normal winsorised at ``share`` each side (0.679 at 10 %).

    Dividing the mean squared winsorised z-score by it makes ``phi`` 1 when units differ by
    chance only, instead of 0.68: the limits are then not too narrow.
    """
    c = float(_Z(1 - share))
    inside = (1 - 2 * share) - 2 * c * float(stats.norm.pdf(c))
    return inside + 2 * share * c * c


_CONSISTENCY = _winsor_consistency(WINSOR_SHARE)


@dataclass(frozen=True)
class Spread:
    """How far units spread around the company's value on one measure, beyond chance.

    ``centre`` is the company's value and ``unit_variance`` the chance variance of one case,
    both on the measure's scale (log-odds, log rate, mean log days); a unit of size ``n``
    varies by chance with ``unit_variance / n``. ``tau2`` is the variance between units beyond
    chance and ``phi`` the over-dispersion factor it came from (1: chance only). ``target`` is
    the company's value as people read it (a share, a rate per day, median days); ``units``
    how many units the spread was estimated from, and ``degrees`` its degrees of freedom (units
    less one per group centre): a z-score is read as Student's t with them, because a spread
    estimated from a few dozen units at most is not known exactly, and treating it as known would
    make the limits too narrow.
    """

    kind: Kind
    target: float
    centre: float
    unit_variance: float
    tau2: float
    phi: float
    units: int
    degrees: int

    @property
    def typical(self) -> float:
        """The typical unit's value as people read it (the centre line of a funnel plot)."""
        return float(_natural(self.kind, np.asarray(self.centre)))

    @property
    def estimable(self) -> bool:
        """Whether there are enough units, and any chance variation, to judge a unit."""
        return (self.degrees >= MIN_PEERS - 1 and self.unit_variance > 0
                and math.isfinite(self.centre))  # fmt: skip

    def z(self, y: float, n: float, clustering: float = 1.0) -> float:
        """Give the z-score of a unit whose measure is ``y`` (on the scale) at size ``n``."""
        return (y - self.centre) / math.sqrt(self.unit_variance / n + self.tau2 * clustering)

    def detectable(self, n: float, clustering: float = 1.0, *, lower: bool = True) -> float:
        """Give the smallest relative gap a unit of size ``n`` shows as clear 80 % of the time.

        The gap is from the typical unit: lower (``lower``), or higher (durations: longer).

        Examples
        --------
        >>> spread = Spread("share", 0.5, 0.0, 4.0, 0.0, 1.0, 40, 39)
        >>> round(spread.detectable(400), 2)  # 400 cases, no spread beyond chance
        0.2
        """
        quantile = float(stats.t.ppf(1 - (1 - LIMITS[1]) / 2, self.degrees)) + float(_Z(POWER))
        shift = quantile * math.sqrt(self.unit_variance / n + self.tau2 * clustering)
        typical = float(_natural(self.kind, np.asarray(self.centre)))
        moved = float(_natural(self.kind, np.asarray(self.centre - shift if lower else self.centre + shift)))
        if self.kind == "days" and not lower:
            return moved / typical - 1 if typical > 0 else math.nan
        return abs(1 - moved / typical) if typical > 0 else math.nan

    def limits(self, n: Sequence[float] | np.ndarray, coverage: float, clustering: float = 1.0
               ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """Lower and upper limits at sizes ``n``, on the natural scale (for a funnel plot)."""
        sizes = np.asarray(n, dtype="float64")
        quantile = float(stats.t.ppf(0.5 + coverage / 2, self.degrees))
        half = quantile * np.sqrt(self.unit_variance / sizes + self.tau2 * clustering)
        return _natural(self.kind, self.centre - half), _natural(self.kind, self.centre + half)


def _natural(kind: Kind, y: np.ndarray) -> np.ndarray:
    if kind == "share":
        return np.asarray(1 / (1 + np.exp(-y)))
    if kind == "rate":
        return np.asarray(np.exp(y))
    return np.asarray(np.expm1(y))


def scale(kind: Kind, x: float, n: float) -> float:
    """Put a unit's measure on its scale (log-odds, log rate, mean log days).

    ``x`` successes of ``n``, ``x`` events in ``n`` days, or ``x`` = the sum of
    ``log(1 + days)`` over ``n`` durations.

    Examples
    --------
    >>> round(scale("share", 3, 10), 3), round(scale("rate", 0, 30), 3)
    (-0.762, -4.094)
    """
    if kind == "share":
        return math.log((x + 0.5) / (n - x + 0.5))
    if kind == "rate":
        return math.log((x + 0.5) / n)
    return float(x / n)


def estimate_spread(kind: Kind, x: Sequence[float], n: Sequence[float], *,
                    within: float | None = None, target: float | None = None,
                    groups: Sequence[str] | None = None) -> Spread:  # fmt: skip
    """Estimate the company's value and the spread between units beyond chance.

    Parameters
    ----------
    kind : {"share", "rate", "days"}
        ``x`` successes of ``n`` (a step of the funnel, the win rate); ``x`` events in ``n``
        exposure (new contacts in active days); ``x`` the sum of ``log(1 + days)`` over ``n``
        durations (the sales cycle).
    x, n : sequences of numbers
        One entry per unit (per rep). Units with ``n`` below :data:`MIN_CASES` (shares and
        durations) or 0 take no part.
    within : float, optional
        Durations only: the chance variance of one ``log(1 + days)`` within a unit.
    target : float, optional
        Durations only: the company's median days, to show.
    groups : sequence of str, optional
        Each unit's group (a rep's team): the spread is then measured around each group's own
        centre, so it is the spread *within* groups. A team is judged against the spread its
        reps imply, and a team that really differs must not widen its own limits.

    Returns
    -------
    Spread

    Examples
    --------
    Twenty reps whose shares differ by chance only (the same share, 0.3, of 100 customers each
    give x = 30 ± noise): no spread beyond chance.

    >>> x = [30, 27, 33, 31, 29, 25, 35, 30, 28, 32, 26, 34, 30, 31, 29, 30, 33, 27, 30, 30]
    >>> spread = estimate_spread("share", x, [100] * 20)
    >>> round(spread.target, 3), spread.tau2, spread.units
    (0.3, 0.0, 20)

    Twenty reps far apart (10 % to 55 %): a large spread, so wide limits for everyone.

    >>> x = [10, 55, 20, 45, 30, 12, 50, 25, 40, 35, 15, 52, 22, 48, 28, 18, 42, 33, 38, 27]
    >>> round(estimate_spread("share", x, [100] * 20).tau2, 2)
    0.5
    """
    if kind not in _KINDS:
        msg = message(f"不认识的指标类型 {kind!r}。", f"Unknown kind {kind!r}.",
                      f"kind 取 {', '.join(_KINDS)} 之一。")  # fmt: skip
        raise ValueError(msg)
    xs, ns = np.asarray(x, dtype="float64"), np.asarray(n, dtype="float64")
    labels = np.asarray(groups if groups is not None else ["" for _ in xs], dtype="object")
    least = 1 if kind == "rate" else MIN_CASES
    keep = ns >= least
    xs, ns, labels = xs[keep], ns[keep], labels[keep]
    if kind == "share":
        share = float(xs.sum() / ns.sum()) if ns.sum() else math.nan
        natural, unit_variance = share, share * (1 - share)
        centre = math.log(share / (1 - share)) if 0 < share < 1 else math.nan
        unit_variance = 1 / unit_variance if unit_variance > 0 else 0.0
        ys = np.log((xs + 0.5) / (ns - xs + 0.5))
    elif kind == "rate":
        rate = float(xs.sum() / ns.sum()) if ns.sum() else math.nan
        natural, centre = rate, math.log(rate) if rate > 0 else math.nan
        unit_variance = 1 / rate if rate > 0 else 0.0
        ys = np.log((xs + 0.5) / ns)
    else:
        natural = math.nan if target is None else float(target)
        centre = float(xs.sum() / ns.sum()) if ns.sum() else math.nan
        unit_variance = float(within) if within is not None else 0.0
        ys = xs / ns
    units = len(ns)
    sizes = {label: int((labels == label).sum()) for label in set(labels)}
    inside = np.array([sizes[label] > 1 for label in labels], dtype=bool)
    degrees = int(inside.sum()) - sum(1 for size in sizes.values() if size > 1)
    if degrees < MIN_PEERS - 1 or unit_variance <= 0 or not math.isfinite(centre):
        return Spread(kind, natural, centre, unit_variance, 0.0, 1.0, units, max(degrees, 1))
    variances = unit_variance / ns
    tau2, phi = 0.0, 1.0
    # The typical unit on the measure's scale (the random-effects mean), not the scale of the
    # pooled figure: with units this different, the pooled figure leans towards the big ones and
    # would put the centre off the middle of the units. Within groups, each group's own.
    for _ in range(3):
        weights = 1 / (variances + tau2)
        centre = float((weights * ys).sum() / weights.sum())
        centres = np.array([_mean(ys, weights, labels == label) for label in labels])
        tau2, phi = _dispersion(ys[inside], variances[inside], centres[inside], labels[inside])
    return Spread(kind, natural, centre, unit_variance, tau2, phi, units, degrees)


def _mean(ys: np.ndarray, weights: np.ndarray, mask: np.ndarray) -> float:
    return float((weights[mask] * ys[mask]).sum() / weights[mask].sum())


def _dispersion(ys: np.ndarray, variances: np.ndarray, centres: np.ndarray, labels: np.ndarray
                ) -> tuple[float, float]:  # fmt: skip
    """Estimate the spread ``tau2`` and factor ``phi`` from winsorised z-scores around ``centres``.

    The DerSimonian-Laird moment estimate, with the units' chance variances as weights; with
    groups, the spread within them (each group's own centre uses up one degree of freedom).
    """
    z = (ys - centres) / np.sqrt(variances)
    low, high = np.quantile(z, [WINSOR_SHARE, 1 - WINSOR_SHARE])
    phi = float(np.mean(np.clip(z, low, high) ** 2)) / _CONSISTENCY
    weights = 1 / variances
    denominator = 0.0
    groups = np.unique(labels)  # sorted: the sum's order, so its last digits, never vary by process
    for label in groups:
        mask = labels == label
        denominator += float(weights[mask].sum() - (weights[mask] ** 2).sum() / weights[mask].sum())
    free = len(ys) - len(groups)
    tau2 = max(0.0, (len(ys) * phi - free) / denominator) if denominator > 0 else 0.0
    return tau2, phi


VERDICT_WORDS: dict[Code, tuple[str, str]] = {
    "weaker": ("明显较弱", "clearly weaker"),
    "stronger": ("明显较强", "clearly stronger"),
    "small": ("差距真实但不大", "real but small"),
    "similar": ("差距在正常波动之内", "within the usual spread"),
    "too_few": ("数据太少，无法判断", "too little data to tell"),
    "no_data": ("无数据", "no data"),
}


@dataclass(frozen=True)
class PeerTest:
    """One unit against its peers on one measure, and the verdict.

    ``value`` is the unit's measure as people read it (a share, a rate per day, median days),
    ``x`` and ``n`` what it came from (see :func:`estimate_spread`), ``target`` the company's
    value. ``rank`` counts
    from the lowest value (1 = lowest) among the ``peers`` units with data. ``z`` and
    ``p_value`` include the spread between units; ``limits`` are the 95 % and 99.8 % limits at the
    unit's size. ``code`` is the verdict, set by :func:`judge`.
    """

    measure: str
    kind: Kind
    value: float
    x: float
    n: float
    target: float
    rank: int
    peers: int
    spread: Spread
    z: float
    p_value: float
    limits: tuple[tuple[float, float], tuple[float, float]]
    material: bool
    higher_is_better: bool = True
    #: The smallest gap from the typical peer, relative (0.3: 30 % lower, or longer for days),
    #: that a unit of this size would show as clear 80 % of the time: smaller gaps this data
    #: cannot show.
    detectable: float = math.nan
    code: Code = "similar"
    #: Units with the very same value (the unit included): a rank shared by several.
    ties: int = 1

    @property
    def clear(self) -> bool:
        """Outside the 99.8 % limit: beyond the usual spread between peers (material or not)."""
        return self.p_value < CLEAR_BELOW

    def words(self, lang: str = "zh") -> str:
        """Say the verdict in a few words (``明显较弱`` / ``clearly weaker`` …)."""
        return VERDICT_WORDS[self.code][0 if lang == "zh" else 1]

    def rank_text(self, lang: str = "zh", noun: str = "") -> str:
        """Say where the unit stands among its peers: ``第 6 低，共 30 人`` or ``第 2 高，共 7 个团队``.

        Counted from the nearer end, so a manager reads "2nd highest", not "6th lowest of 7".

        Examples
        --------
        >>> spread = Spread("share", 0.5, 0.0, 4.0, 0.0, 1.0, 30, 29)
        >>> test = peer_test("a", spread, x=10, n=100, value=0.1, peer_values=[0.1 * k for k in range(1, 10)])
        >>> test.rank_text(noun="人"), test.rank_text("en")
        ('第 1 低，共 9 人', 'lowest of 9')
        >>> peer_test("a", spread, x=10, n=10, value=1.0, peer_values=[1.0] * 24).rank_text(noun="人")
        '与全部 24 人相同'
        >>> peer_test("a", spread, x=9, n=10, value=0.9, peer_values=[0.5, 0.9, 0.9]).rank_text(noun="人")
        '并列第 1 高，共 3 人'

        """
        if not self.peers or self.code == "no_data":
            return ""
        if self.ties == self.peers > 1:
            return f"与全部 {self.peers} {noun or '个'}相同" if lang == "zh" else f"the same as all {self.peers}"
        high = self.rank + self.ties - 1 > (self.peers + 1) / 2
        place = self.peers - (self.rank + self.ties - 1) + 1 if high else self.rank
        joint = self.ties > 1
        if lang == "zh":
            return f"{'并列' if joint else ''}第 {place} {'高' if high else '低'}，共 {self.peers} {noun or '个'}"
        end = ("joint " if joint else "") + ("highest" if high else "lowest")
        if place == 1:
            return f"{end} of {self.peers}"
        teen = place % 100 in (11, 12, 13)
        suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
        return f"{place}{suffix} {end} of {self.peers}"


def peer_test(measure: str, spread: Spread, *, x: float, n: float, value: float,
              peer_values: Sequence[float], clustering: float = 1.0,
              higher_is_better: bool = True) -> PeerTest:  # fmt: skip
    """Compare one unit (``x`` of ``n``; see :func:`estimate_spread`) with the spread of its peers.

    ``value`` is the unit's measure as shown; ``peer_values`` every unit's shown value (the unit's
    own included), for its rank. ``clustering`` is 1 for a rep, and ``Σ n_r² / (Σ n_r)²`` over
    the reps of a team.

    Examples
    --------
    >>> x = [10, 55, 20, 45, 30, 12, 50, 25, 40, 35, 15, 52, 22, 48, 28, 18, 42, 33, 38, 27]
    >>> spread = estimate_spread("share", x, [100] * 20)
    >>> test = peer_test("step", spread, x=10, n=100, value=0.1, peer_values=[v / 100 for v in x])
    >>> test.rank, test.peers, round(test.p_value, 3)  # lowest of 20, yet within the spread
    (1, 20, 0.086)
    """
    values = [v for v in peer_values if v == v]  # NaN: no data
    rank = 1 + sum(v < value for v in values) if value == value else 0
    ties = sum(v == value for v in values) or 1
    nan_limits = ((math.nan, math.nan), (math.nan, math.nan))
    if n <= 0 or value != value:
        return PeerTest(measure, spread.kind, value, x, n, spread.target, 0, len(values), spread,
                        math.nan, math.nan, nan_limits, False, higher_is_better, code="no_data",
                        ties=ties)  # fmt: skip
    material = _material(spread.kind, value, spread.target)
    if spread.unit_variance == 0 and spread.units >= MIN_PEERS and value == spread.target:
        # every unit at the same end (all won, none contacted): nothing differs, nothing to test
        return PeerTest(measure, spread.kind, value, x, n, spread.target, rank, len(values), spread,
                        math.nan, math.nan, nan_limits, False, higher_is_better, ties=ties)  # fmt: skip
    few = (spread.kind != "rate" and n < MIN_CASES) or not spread.estimable
    if few:
        return PeerTest(measure, spread.kind, value, x, n, spread.target, rank, len(values), spread,
                        math.nan, math.nan, nan_limits, material, higher_is_better, code="too_few",
                        ties=ties)  # fmt: skip
    z = spread.z(scale(spread.kind, x, n), n, clustering)
    p_value = float(2 * stats.t.sf(abs(z), spread.degrees))
    bounds = tuple((float(low[0]), float(high[0])) for low, high in
                   (spread.limits([n], coverage, clustering) for coverage in LIMITS))  # fmt: skip
    return PeerTest(measure, spread.kind, value, x, n, spread.target, rank, len(values), spread, z,
                    p_value, bounds, material, higher_is_better,  # type: ignore[arg-type]
                    spread.detectable(n, clustering, lower=higher_is_better), ties=ties)


def _material(kind: Kind, value: float, target: float) -> bool:
    if value != value or target != target:
        return False
    low, high = sorted((value, target))
    if kind == "share":
        return abs(value - target) >= MATERIAL_POINTS and (
            low == 0 or low / high <= MATERIAL_RATIO or (1 - high) / (1 - low) <= MATERIAL_RATIO)
    if kind == "days":
        return high - low >= MATERIAL_DAYS and (high == 0 or low / high <= MATERIAL_RATIO)
    return high > 0 and low / high <= MATERIAL_RATIO


def judge(tests: Sequence[PeerTest]) -> tuple[PeerTest, ...]:
    """Give one report's comparisons their verdicts.

    A comparison is *clear* when the unit lies outside its 99.8 % limit (the outer line of a
    funnel plot). A report compares a unit on eight or so measures; at 99.8 % each, the chance of
    any false alarm in a report stays under 2 % if the limits are right, and under 5 % on
    simulated companies whose reps differ as much as real ones do (see
    ``benchmarks/bench_calibration.py``); a 95 % limit with Holm's control across the measures
    went over 5 % there. A clear comparison is then ``weaker`` or ``stronger`` when material,
    ``small`` when too small to matter; the rest are ``similar``. ``too_few`` and ``no_data``
    stay as they are.

    Examples
    --------
    >>> x = [10, 55, 20, 45, 30, 12, 50, 25, 40, 35, 15, 52, 22, 48, 28, 18, 42, 33, 38, 27]
    >>> spread = estimate_spread("share", x, [100] * 20)
    >>> values = [v / 100 for v in x]
    >>> tests = [peer_test("a", spread, x=1, n=100, value=0.01, peer_values=values),
    ...          peer_test("b", spread, x=10, n=100, value=0.1, peer_values=values)]
    >>> [(t.measure, t.code) for t in judge(tests)]
    [('a', 'weaker'), ('b', 'similar')]
    """
    judged = []
    for test in tests:
        if test.code in ("no_data", "too_few"):
            judged.append(test)
            continue
        if not test.clear:
            code: Code = "similar"
        elif not test.material:
            code = "small"
        else:
            code = "stronger" if (test.value > test.target) == test.higher_is_better else "weaker"
        judged.append(dataclasses.replace(test, code=code))
    return tuple(judged)
