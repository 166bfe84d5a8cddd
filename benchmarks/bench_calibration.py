"""Calibration of the coaching verdicts: false alarms with no true difference, and power.

A report that calls a team or rep "明显较弱 / 明显较强" makes a claim about people. This script
checks how often it does so wrongly. It simulates companies at the ``directsales`` size (7 teams
× 6 reps, one year) whose reps differ the way real reps do: every rep has their own effect on
each measure, drawn log-normal (σ = 0.3 and 0.6 on the log or log-odds scale) and nothing else.
Every team and rep is then a draw from that common spread, so **any** clear verdict is a false
alarm. Each company is read as a report batch reads it (``report.load_company`` on the work log)
and every team and rep is judged by :func:`devvolume.report.gather`, the function the report
notebooks call (through ``dv.report.advise``), without papermill.

Printed, per σ: the share of team reports and of rep reports that name any clear difference,
with a 95 % (Wilson) interval; and the power to flag a team whose 首次接触 → 意向 step is 30 %
lower (relative, on every rep of the team), with the smallest such gap flagged 80 % of the time
when 30 % is not. Each company also has one rep hired mid-year and data that start inside a
week, as real logs do.

Usage: ``python benchmarks/bench_calibration.py [--companies 500] [--sigmas 0.3 0.6]
[--power-companies 200]``. ``--label`` names the code version in the table; run it on an older
checkout (``PYTHONPATH=/tmp/before/src``) for the figures before a change: the script reads the
verdicts of both the current evidence (``evidence.tests``) and the earlier one (its
``GroupTest`` fields).
"""

from __future__ import annotations

import argparse
import math
import time
from typing import Any

import pandas as pd

from devvolume.core import development_volume
from devvolume.report import gather, load_company
from devvolume.sim._spread import uneven_reps_log


def simulate(seed: int, sigma: float, *, weak_team_step: float = 0.0) -> pd.DataFrame:
    """One company at the directsales size: 7 teams of 6 reps over 2025."""
    return uneven_reps_log(seed, sigma, weak_team_step=weak_team_step)


def verdicts(evidence: Any) -> dict[str, str]:
    """Each measure's verdict code, from today's evidence or an earlier version's."""
    if hasattr(evidence, "tests"):
        return {measure: test.code for measure, test in evidence.tests.items()}
    tests = {f"step:{level}": test for level, test in evidence.steps.items()}
    tests.update(win_rate=evidence.win_rate, contacts=evidence.contacts,
                 activities=evidence.activities, cycle=evidence.cycle, stalled=evidence.stalled)
    from devvolume.report._evidence import holm  # the earlier version's adjustment

    return {measure: test.verdict for measure, test in holm(tests).items()}


def judge_company(log: pd.DataFrame, *, teams_only: bool = False) -> dict[str, list[bool]]:
    """Whether each team's and rep's report names any clear difference."""
    company = load_company(log)
    flagged: dict[str, list[bool]] = {"team": [], "rep": [], "weak_team_step": []}
    for who in ("team", "rep"):
        if who == "rep" and teams_only:
            continue
        volumes = {level: company.result(development_volume, level=level, period="M", by=who)
                   for level in ("contacted", "won")}  # fmt: skip
        for name in sorted(log[who].unique()):
            series = pd.concat([frame.loc[frame[who] == name, ["period", "volume"]].assign(level=level)
                                for level, frame in volumes.items()], ignore_index=True)  # fmt: skip
            evidence = gather(company, who=who, name=name, period="M", stalled_days=14,
                              volumes=series)  # fmt: skip
            codes = verdicts(evidence)
            flagged[who].append(any(code in ("weaker", "stronger") for code in codes.values()))
            if who == "team" and name == "T0":
                flagged["weak_team_step"].append(codes.get("step:qualified") == "weaker")
    return flagged


def wilson(hits: int, n: int) -> tuple[float, float]:
    """95 % Wilson interval of a share."""
    if n == 0:
        return math.nan, math.nan
    z = 1.959964
    share = hits / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _share(hits: list[bool]) -> str:
    low, high = wilson(sum(hits), len(hits))
    return f"{sum(hits) / len(hits):6.1%} [{low:5.1%}, {high:5.1%}] of {len(hits)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=500)
    parser.add_argument("--power-companies", type=int, default=200)
    parser.add_argument("--sigmas", type=float, nargs="+", default=[0.3, 0.6])
    parser.add_argument("--gaps", type=float, nargs="+", default=[0.3, 0.4, 0.5])
    parser.add_argument("--label", default="this checkout")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"# Calibration of the coaching verdicts ({args.label})\n")
    print("| σ (rep spread) | team reports naming a clear difference | rep reports naming one |")
    print("|---:|---|---|")
    for sigma in args.sigmas if args.companies else ():
        teams: list[bool] = []
        reps: list[bool] = []
        for seed in range(args.companies):
            flagged = judge_company(simulate(seed, sigma))
            teams += flagged["team"]
            reps += flagged["rep"]
        print(f"| {sigma} | {_share(teams)} | {_share(reps)} |", flush=True)
    print("\n| σ | gap in the 意向 step (one team) | flagged as weaker |")
    print("|---:|---:|---|")
    smallest: dict[float, float | None] = {}
    for sigma in args.sigmas:
        smallest[sigma] = None
        for gap in sorted(args.gaps):
            hits: list[bool] = []
            for seed in range(args.power_companies):
                hits += judge_company(simulate(10_000 + seed, sigma, weak_team_step=gap),
                                      teams_only=True)["weak_team_step"]  # fmt: skip
            print(f"| {sigma} | {gap:.0%} | {_share(hits)} |", flush=True)
            if smallest[sigma] is None and sum(hits) >= 0.8 * len(hits):
                smallest[sigma] = gap
    print()
    for sigma, gap in smallest.items():
        seen = f"{gap:.0%}" if gap is not None else f"more than {max(args.gaps):.0%}"
        print(f"σ {sigma}: the smallest gap tried that is flagged at least 80 % of the time: {seen}")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
