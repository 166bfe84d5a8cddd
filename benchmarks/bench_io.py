"""Benchmark loading a 200,000-row work log: devvolume's checked load against plain pandas.

Files (made once per run in a temporary folder, seeded): an ``.xlsx`` workbook as Excel keeps a
log (date cells, text, amounts on won rows), the same log as a UTF-8 CSV with ISO dates, and as a
GBK CSV with ``2026/1/5`` dates (what Excel saves on simplified-Chinese Windows). Readers:
``pandas.read_excel(engine="openpyxl")`` (the baseline for .xlsx), ``engine="calamine"`` (for
reference), plain ``pandas.read_csv`` (the baseline for CSV), and ``devvolume.read_worklog`` with
every check on. Each case runs in its own subprocess: it first loads a 100-row file of the same
kind (so imports and caches are warm), then the big one; ``peak RSS`` is the growth of the
process's peak resident memory over its size before the big load, ``frame`` the loaded frame's
own size (``memory_usage(deep=True)``). Seconds are the best of ``--repeat`` runs (openpyxl: one),
with that run's CPU seconds (steadier than wall-clock time on a busy machine).

Usage::

    .venv/bin/python benchmarks/bench_io.py                  # 200,000 rows
    .venv/bin/python benchmarks/bench_io.py --rows 20000     # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20260105
STAGES = np.array(["首次接触", "意向", "签约", "成交", "流失"])
STAGE_P = (0.60, 0.15, 0.10, 0.07, 0.08)
CHANNELS = np.array(["转介绍", "陌拜", "线上", "展会", "老客户推荐"])
ACTIVITIES = np.array(["电话", "拜访", "微信", "演示"])
NOTES = np.array(["", "", "", "", "", "", "", "", "老客户介绍", "需要报价"])
HEADERS = ["日期", "销售员", "团队", "客户", "阶段", "渠道", "活动类型", "金额", "备注"]
#: (case name, file kind, reader) in the order of the table.
CASES = (
    ("xlsx", "openpyxl"), ("xlsx", "calamine"), ("xlsx", "devvolume"),
    ("csv", "pandas"), ("csv", "devvolume"),
    ("gbk", "pandas"), ("gbk", "devvolume"),
)
BASELINE = {"xlsx": "openpyxl", "csv": "pandas", "gbk": "pandas"}
FILES = {"xlsx": "log.xlsx", "csv": "log.csv", "gbk": "log_gbk.csv"}
LABELS = {"xlsx": ".xlsx", "csv": "CSV, UTF-8", "gbk": "CSV, GBK, 2026/1/5 dates"}
READERS = {"openpyxl": 'pandas.read_excel(engine="openpyxl")',
           "calamine": 'pandas.read_excel(engine="calamine")',
           "pandas": "pandas.read_csv", "devvolume": "devvolume.read_worklog"}


def make_log(rows: int, seed: int = SEED) -> pd.DataFrame:
    """A seeded work log: 40 reps in 6 teams, about 7 rows per customer, two years."""
    rng = np.random.default_rng(seed)
    customers = max(rows // 7, 1)
    customer = rng.integers(0, customers, rows)
    rep = (customer + rng.integers(0, 3, rows) * (rng.random(rows) < 0.1)) % 40
    stage = STAGES[rng.choice(len(STAGES), rows, p=STAGE_P)]
    amount = np.where(stage == "成交", rng.integers(10, 900, rows) * 100.0, np.nan)
    day = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 700, rows), unit="D")
    notes = NOTES[rng.integers(0, len(NOTES), rows)]
    notes[0] = NOTES[-1]  # every column holds text from the first row on
    return pd.DataFrame({
        "日期": day.sort_values().to_numpy(),
        "销售员": [f"销售{r:02d}" for r in rep],
        "团队": [f"华东{r % 6 + 1}组" for r in rep],
        "客户": [f"客户{c:05d}贸易有限公司" for c in customer],
        "阶段": stage, "渠道": CHANNELS[rng.integers(0, len(CHANNELS), rows)],
        "活动类型": ACTIVITIES[rng.integers(0, len(ACTIVITIES), rows)],
        "金额": amount, "备注": notes,
    })


def write_files(log: pd.DataFrame, folder: Path) -> None:
    """Write the log as .xlsx (date cells), UTF-8 CSV (ISO dates) and GBK CSV (2026/1/5)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("工作日志")
    sheet.append(HEADERS)
    for row in log.itertuples(index=False):
        values = list(row)
        values[0] = values[0].to_pydatetime()
        values[7] = None if np.isnan(values[7]) else float(values[7])
        values[8] = values[8] or None
        sheet.append(values)
    book.save(folder / FILES["xlsx"])
    text = log.assign(日期=log["日期"].dt.strftime("%Y-%m-%d"))
    text.to_csv(folder / FILES["csv"], index=False, encoding="utf-8")
    local = log.assign(日期=[f"{d.year}/{d.month}/{d.day}" for d in log["日期"]])
    local.to_csv(folder / FILES["gbk"], index=False, encoding="gbk")


def reader(name: str, kind: str):  # type: ignore[no-untyped-def]
    if name == "openpyxl":
        return lambda path: pd.read_excel(path, engine="openpyxl")
    if name == "calamine":
        return lambda path: pd.read_excel(path, engine="calamine")
    if name == "pandas":
        return (lambda path: pd.read_csv(path, encoding="gbk")) if kind == "gbk" else pd.read_csv
    import devvolume as dv

    return dv.read_worklog


def measure(kind: str, name: str, folder: Path, repeat: int) -> dict[str, float]:
    """Run one case in this process: warm up on the small file, then time the big one."""
    import pyarrow.compute
    import pyarrow.csv  # noqa: F401 - pandas' str columns use pyarrow: load it before measuring

    load = reader(name, kind)
    load(folder / "small" / FILES[kind])
    gc.collect()
    before = _rss()
    start, cpu = time.perf_counter(), time.process_time()
    frame = load(folder / FILES[kind])
    times = [(time.perf_counter() - start, time.process_time() - cpu)]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    size = frame.memory_usage(deep=True).sum()
    rows = len(frame)
    del frame
    for _ in range(repeat - 1 if name != "openpyxl" else 0):
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        load(folder / FILES[kind])
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    seconds, cpu_seconds = min(times)
    return {"seconds": seconds, "cpu": cpu_seconds, "peak_mb": peak / 2**20,
            "frame_mb": size / 2**20, "rows": rows}


def _rss() -> int:
    with Path("/proc/self/statm").open(encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", nargs=3, metavar=("KIND", "READER", "FOLDER"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, name, folder = args.measure
        print(json.dumps(measure(kind, name, Path(folder), args.repeat)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-io-") as name:
        folder = Path(name)
        (folder / "small").mkdir()
        started = time.perf_counter()
        write_files(make_log(args.rows), folder)
        write_files(make_log(100, SEED + 1), folder / "small")
        print(f"files for {args.rows:,} rows written in {time.perf_counter() - started:.0f} s: "
              + ", ".join(f"{FILES[k]} {(folder / FILES[k]).stat().st_size / 2**20:.1f} MB"
                          for k in FILES))
        print(f"load average before: {_load()}")
        results = {}
        for kind, reader_name in CASES:
            done = subprocess.run(
                [sys.executable, __file__, "--repeat", str(args.repeat), "--measure", kind,
                 reader_name, str(folder)], capture_output=True, text=True, check=True)
            results[kind, reader_name] = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"  {kind:5s} {reader_name:10s} {results[kind, reader_name]}", flush=True)
        print(f"load average after: {_load()}")
    print()
    print("| file | reader | seconds | × baseline | CPU s | peak RSS (MB) | frame (MB) | peak ÷ frame |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for kind, reader_name in CASES:
        result = results[kind, reader_name]
        base = results[kind, BASELINE[kind]]["seconds"]
        print(f"| {LABELS[kind]} | `{READERS[reader_name]}` | {result['seconds']:.2f} | "
              f"{result['seconds'] / base:.2f} | {result['cpu']:.2f} | {result['peak_mb']:.0f} | "
              f"{result['frame_mb']:.1f} | {result['peak_mb'] / result['frame_mb']:.1f} |")
    print(f"\n{args.rows:,} rows; {dt.date.today()}; {os.cpu_count()} cores.")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
