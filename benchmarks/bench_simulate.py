"""Measure the simulator: work-log rows, seconds, rows per second and peak RSS.

Run with ``python benchmarks/bench_simulate.py [TARGET_ROWS ...]`` (default 100k, 1M, 10M).
Each size runs in a fresh process so the peak RSS belongs to that size alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

#: Work-log rows per rep and year of the default model, measured; used to size the team.
ROWS_PER_REP_YEAR = 515
REPS_PER_TEAM = 8


def run_one(target_rows: int) -> dict[str, float]:
    import resource

    from devvolume.sim import SalesModel, simulate

    teams = max(1, round(target_rows / ROWS_PER_REP_YEAR / REPS_PER_TEAM))
    model = SalesModel(teams=teams, reps_per_team=REPS_PER_TEAM, seed=7)
    started = time.perf_counter()
    sim = simulate(model)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "target": target_rows,
        "reps": teams * REPS_PER_TEAM,
        "rows": len(sim.worklog),
        "orders": len(sim.orders),
        "seconds": seconds,
        "peak_mb": peak_mb,
    }


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--one":
        print(json.dumps(run_one(int(argv[1]))))
        return
    sizes = [int(a) for a in argv] or [100_000, 1_000_000, 10_000_000]
    print(f"{'rows':>12} {'reps':>7} {'seconds':>8} {'rows/s':>12} {'peak RSS MB':>12}")
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True, capture_output=True, text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{r['rows']:>12,} {r['reps']:>7,} {r['seconds']:>8.1f} "
            f"{r['rows'] / r['seconds']:>12,.0f} {r['peak_mb']:>12,.0f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
