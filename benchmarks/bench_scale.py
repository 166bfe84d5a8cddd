"""The bounds of one machine: loading a work log, the metric pack and reports at 1M and 10M rows.

For each size it writes a seeded work log (``bench_metrics.generate``: about 6 rows per
customer, 500 reps in 20 teams, two years) as Parquet and as a UTF-8 CSV with Chinese headers,
then runs each step in its own subprocess so that its peak memory is its own:

- ``load CSV`` / ``load Parquet``: ``dv.read_worklog`` with every check on;
- ``pack``: on the loaded pandas frame, ``dv.reached_levels`` once, then development volume at
  three levels by rep and month, cohort conversion, win rate, the sales cycle and the funnel by
  team;
- ``reports``: ``devvolume report log.parquet --by team --only T00 --only T01 --jobs 2`` (two
  team reports, loading and checking the log included), peak memory summed over the command,
  its workers and their kernels.

Seconds are wall-clock (one run each); rows/s is rows of the log per second of that step.

Usage::

    .venv/bin/python benchmarks/bench_scale.py                  # 1M and 10M rows
    .venv/bin/python benchmarks/bench_scale.py --rows 200000    # a quick run
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_metrics import generate, peak_rss_kb

STEPS = ("load CSV", "load Parquet", "pack", "reports")
HEADERS = {"date": "日期", "rep": "销售员", "team": "团队", "customer": "客户", "stage": "阶段"}


def write_csv(parquet: Path, csv: Path) -> None:
    """The same log as a UTF-8 CSV with the template's Chinese headers and ISO dates."""
    table = pq.read_table(parquet)
    table = table.rename_columns([HEADERS[name] for name in table.column_names])
    pacsv.write_csv(table, csv)


def child(step: str, data: Path, out: Path) -> None:
    """Run one step in this process; write its seconds and peak RSS (MB) to ``out``."""
    import devvolume as dv

    start = time.perf_counter()
    if step == "load CSV":
        dv.read_worklog(data.with_suffix(".csv"))
    elif step == "load Parquet":
        dv.read_worklog(data)
    else:
        log = dv.read_worklog(data)
        start = time.perf_counter()
        table = dv.reached_levels(log)
        for level in ("contacted", "signed", "won"):
            dv.development_volume(table, level=level, period="M", by="rep")
        dv.conversion_rate(table, start="contacted", end="won")
        dv.win_rate(table)
        dv.sales_cycle(table)
        dv.funnel(table, by="team")
    seconds = time.perf_counter() - start
    peak = peak_rss_kb() / 1024
    out.write_text(json.dumps({"seconds": seconds, "peak_mb": peak}))


def reports(data: Path, folder: Path) -> dict[str, float]:
    """Two team reports of the log through the command line; peak RSS of the whole tree."""
    command = [sys.executable, "-m", "devvolume", "report", str(data), "--by", "team",
               "--only", "T00", "--only", "T01", "--jobs", "2", "--out", str(folder)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    done.set()
    sampler.join()
    if code != 0:
        msg = f"devvolume report exited {code}"
        raise RuntimeError(msg)
    return {"seconds": time.perf_counter() - start, "peak_mb": peak / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "devvolume-bench-scale"
    )
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        child(args.step, args.data, args.out)
        return
    args.data.mkdir(parents=True, exist_ok=True)
    lines = []
    for rows in args.rows:
        parquet = args.data / f"log_{rows}.parquet"
        if not parquet.exists():
            generate(rows, parquet)
        if not parquet.with_suffix(".csv").exists():
            write_csv(parquet, parquet.with_suffix(".csv"))
        for step in args.steps:
            if step == "reports":
                measured = reports(parquet, Path(tempfile.mkdtemp(dir=args.data)) / "out")
            else:
                out = args.data / "step.json"
                subprocess.run([sys.executable, __file__, "--step", step, "--data", str(parquet),
                                "--out", str(out)], check=True)
                measured = json.loads(out.read_text())
            print(json.dumps({"rows": rows, "step": step, **measured}), flush=True)
            rate = rows / measured["seconds"]
            lines.append(f"| {rows:,} | {step} | {measured['seconds']:.1f} | {rate:,.0f} | "
                         f"{measured['peak_mb']:,.0f} |")
    print("\n| rows | step | seconds | rows/s | peak RSS (MB) |\n|---:|---|---:|---:|---:|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
