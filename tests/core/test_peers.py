"""Comparing a unit with its peers: the spread beyond chance, the limits, the verdicts.

Hand cases check the DerSimonian-Laird spread against a naive computation, a team's limits
against its reps' spread divided by their effective number, and the verdict rules. A small null
simulation checks the false-alarm rate stays near its nominal level (the full calibration, with
whole work logs at the directsales size, is benchmarks/bench_calibration.py).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from devvolume.core._peers import (
    CLEAR_BELOW,
    MIN_CASES,
    Spread,
    estimate_spread,
    judge,
    peer_test,
    scale,
)


def _naive_tau2(y: np.ndarray, v: np.ndarray, centre: float) -> float:
    """DerSimonian-Laird by hand, with the 10 % winsorised z-scores and the normal consistency."""
    z = (y - centre) / np.sqrt(v)
    low, high = np.quantile(z, [0.1, 0.9])
    c = stats.norm.ppf(0.9)
    consistency = 0.8 - 2 * c * stats.norm.pdf(c) + 0.2 * c * c
    phi = np.mean(np.clip(z, low, high) ** 2) / consistency
    w = 1 / v
    return max(0.0, (len(y) * phi - (len(y) - 1)) / (w.sum() - (w**2).sum() / w.sum()))


def test_the_spread_of_shares_matches_a_computation_by_hand() -> None:
    x = np.array([10, 55, 20, 45, 30, 12, 50, 25, 40, 35, 15, 52, 22, 48, 28, 18, 42, 33, 38, 27])
    n = np.full(20, 100.0)
    spread = estimate_spread("share", x, n)
    p0 = x.sum() / n.sum()
    assert spread.target == pytest.approx(p0)
    y = np.log((x + 0.5) / (n - x + 0.5))
    v = 1 / (n * p0 * (1 - p0))
    # the centre is the random-effects mean on the log-odds scale, the spread estimated around it
    assert spread.tau2 == pytest.approx(_naive_tau2(y, v, spread.centre), rel=1e-9)
    weights = 1 / (v + spread.tau2)
    assert spread.centre == pytest.approx((weights * y).sum() / weights.sum(), abs=1e-3)
    assert spread.degrees == 19


def test_units_that_differ_by_chance_only_have_no_spread_and_no_verdict() -> None:
    rng = np.random.default_rng(1)
    n = rng.integers(40, 400, size=30).astype(float)
    x = rng.binomial(n.astype(int), 0.3).astype(float)
    spread = estimate_spread("share", x, n)
    assert spread.tau2 < 0.01
    tests = judge([peer_test("s", spread, x=a, n=b, value=a / b, peer_values=list(x / n))
                   for a, b in zip(x, n, strict=True)])
    assert all(test.code in ("similar", "small") for test in tests)


def test_a_team_pools_its_reps_so_their_spread_counts_once_per_effective_rep() -> None:
    spread = Spread("rate", 1.0, 0.0, 1.0, 0.25, 2.0, 30, 29)
    assert spread.z(0.5, 400) == pytest.approx(0.5 / math.sqrt(1 / 400 + 0.25))
    # four reps of equal size: the team's share of the reps' spread is a quarter of it
    assert spread.z(0.5, 400, clustering=0.25) == pytest.approx(0.5 / math.sqrt(1 / 400 + 0.0625))
    low, high = spread.limits([100.0], 0.998)
    half = stats.t.ppf(0.999, 29) * math.sqrt(1 / 100 + 0.25)
    assert (low[0], high[0]) == pytest.approx((math.exp(-half), math.exp(half)))


def test_the_spread_within_teams_ignores_how_far_teams_are_apart() -> None:
    rng = np.random.default_rng(2)
    teams = np.repeat(np.arange(6), 5)
    shift = np.array([-1.0, -0.5, 0.0, 0.0, 0.5, 1.0])[teams]  # teams far apart, reps alike
    n = np.full(30, 200.0)
    p = 1 / (1 + np.exp(-shift))
    x = rng.binomial(200, p).astype(float)
    overall = estimate_spread("share", x, n)
    within = estimate_spread("share", x, n, groups=[f"T{t}" for t in teams])
    assert overall.tau2 > 0.2
    assert within.tau2 < 0.05
    assert within.degrees == 30 - 6


def test_verdicts_need_the_limit_and_a_material_gap() -> None:
    spread = Spread("share", 0.4, math.log(0.4 / 0.6), 1 / 0.24, 0.0, 1.0, 40, 39)
    values = [0.4] * 40
    far = peer_test("far", spread, x=100, n=1000, value=0.1, peer_values=values)
    small = peer_test("small", spread, x=3700, n=10000, value=0.37, peer_values=values)
    near = peer_test("near", spread, x=38, n=100, value=0.38, peer_values=values)
    few = peer_test("few", spread, x=0, n=MIN_CASES - 1, value=0.0, peer_values=values)
    none = peer_test("none", spread, x=0, n=0, value=math.nan, peer_values=values)
    better = peer_test("better", spread, x=100, n=1000, value=0.1, peer_values=values,
                       higher_is_better=False)
    codes = {t.measure: t.code for t in judge([far, small, near, few, none, better])}
    assert codes == {"far": "weaker", "small": "small", "near": "similar", "few": "too_few",
                     "none": "no_data", "better": "stronger"}
    assert far.p_value < CLEAR_BELOW < near.p_value
    assert small.p_value < CLEAR_BELOW
    assert not small.material


def test_too_few_peers_cannot_judge_anyone() -> None:
    spread = estimate_spread("rate", [1, 50, 3], [10, 10, 10])
    assert not spread.estimable
    test = peer_test("r", spread, x=1, n=10, value=0.1, peer_values=[0.1, 5.0, 0.3])
    assert test.code == "too_few"
    assert test.words("zh") == "数据太少，无法判断"


def test_rank_and_words_read_as_a_manager_would() -> None:
    spread = Spread("share", 0.5, 0.0, 4.0, 0.0, 1.0, 30, 29)
    values = [k / 30 for k in range(30)]
    low = peer_test("a", spread, x=6, n=100, value=values[5], peer_values=values)
    high = peer_test("a", spread, x=90, n=100, value=values[28], peer_values=values)
    assert low.rank_text(noun="人") == "第 6 低，共 30 人"
    assert high.rank_text(noun="人") == "第 2 高，共 30 人"
    assert high.rank_text("en") == "2nd highest of 30"


def test_the_detectable_gap_is_what_the_limits_let_through_four_times_in_five() -> None:
    spread = Spread("share", 0.5, 0.0, 4.0, 0.05, 1.0, 40, 39)
    gap = spread.detectable(300)
    shifted = 0.5 * (1 - gap)
    z = spread.z(math.log(shifted / (1 - shifted)), 300)
    # the gap's expected z sits at the 99.8 % threshold plus the 80 % quantile
    assert -z == pytest.approx(stats.t.ppf(0.999, 39) + stats.norm.ppf(0.8))


def test_the_scales() -> None:
    assert scale("share", 3, 10) == pytest.approx(math.log(3.5 / 7.5))
    assert scale("rate", 0, 30) == pytest.approx(math.log(0.5 / 30))
    assert scale("days", 12.0, 4) == 3.0


def test_false_alarms_stay_under_the_nominal_rate_on_reps_drawn_from_one_spread() -> None:
    """300 companies of 40 reps whose log-odds differ by σ = 0.5, no rep special: few verdicts."""
    rng = np.random.default_rng(7)
    flagged = reports = 0
    for _ in range(300):
        n = rng.integers(30, 300, size=40).astype(float)
        p = 1 / (1 + np.exp(-(rng.normal(0, 0.5, size=40) - 0.5)))
        x = rng.binomial(n.astype(int), p).astype(float)
        spread = estimate_spread("share", x, n)
        values = list(x / n)
        for a, b in zip(x, n, strict=True):
            test = peer_test("s", spread, x=a, n=b, value=a / b, peer_values=values)
            flagged += test.clear
            reports += 1
    # nominal 0.2 % per comparison; allow for an estimated spread, not for a naive test's 30 %
    assert flagged / reports < 0.006


def test_units_all_at_the_same_end_are_alike_not_too_few() -> None:
    everyone_won = estimate_spread("share", [20] * 24, [20] * 24)
    test = peer_test("win", everyone_won, x=20, n=20, value=1.0, peer_values=[1.0] * 24)
    assert test.code == "similar"
    assert test.rank_text(noun="人") == "与全部 24 人相同"
    nobody_new = estimate_spread("rate", [0] * 10, [90] * 10)
    assert peer_test("new", nobody_new, x=0, n=90, value=0.0, peer_values=[0.0] * 10).code == "similar"


def test_the_spread_within_groups_is_the_same_in_every_process() -> None:
    # Summing over a set of team names followed the process's string hash: the last digits of
    # the spread, so of a funnel plot's limits, changed from one kernel to the next.
    script = (
        "import numpy as np\n"
        "from devvolume.core._peers import estimate_spread\n"
        "rng = np.random.default_rng(3)\n"
        "n = rng.integers(20, 400, 60).astype(float)\n"
        "x = rng.binomial(n.astype(int), rng.uniform(0.1, 0.5, 60)).astype(float)\n"
        "groups = [f'团队{k % 9}' for k in range(60)]\n"
        "s = estimate_spread('share', x, n, groups=groups)\n"
        "print(repr(s.tau2), repr(s.phi), repr(s.centre))\n"
    )
    runs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3", "4")}  # fmt: skip
    assert len(runs) == 1, runs
