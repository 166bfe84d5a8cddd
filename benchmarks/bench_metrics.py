"""Benchmark the standard metric pack on pandas, polars and DuckDB input vs hand-written SQL.

The standard pack: development volume at contacted, signed and won (monthly, by rep), cohort
conversion contacted -> won (monthly), win rate (overall) and the sales cycle. Each backend runs
it twice: every metric from the raw log, and ``+table``, the way a consumer of several metrics
should: ``dv.reached_levels`` once (DuckDB: kept as a temporary table, as the hand SQL keeps its
own; Spark: cached), then every metric on that table. ``spark+table`` runs in the Spark
environment (``make spark`` builds ``.venv-spark``) on a ``local[2]`` session. Each case runs in
its own subprocess so its peak resident memory (``VmHWM``; for Spark the Python driver only,
not the JVM) is its own; the parent checks that all cases give identical numbers and prints a
table.

Usage::

    .venv/bin/python benchmarks/bench_metrics.py                 # 1M and 10M rows
    .venv/bin/python benchmarks/bench_metrics.py --rows 200000   # a quick run
    .venv/bin/python benchmarks/bench_metrics.py --cases sql duckdb+table spark+table
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

CASES = (
    "sql", "pandas", "polars", "duckdb", "pandas+table", "polars+table", "duckdb+table",
    "spark+table",
)  # fmt: skip
#: The Python that runs the Spark case (PySpark 4 needs pandas < 3: its own environment).
SPARK_PYTHON = Path(__file__).resolve().parent.parent / ".venv-spark" / "bin" / "python"
STAGES = np.array(["contacted", "qualified", "signed", "won", "lost"])
STAGE_P = (0.60, 0.15, 0.10, 0.07, 0.08)
ROWS_PER_CUSTOMER = 6
N_REPS = 500
REPS_PER_TEAM = 25
DAYS = 730
SEED = 20260105
LEVELS = ("contacted", "signed", "won")


def generate(rows: int, path: Path, seed: int = SEED) -> None:
    """Write a seeded work log of ``rows`` rows (date, rep, team, customer, stage) to parquet."""
    rng = np.random.default_rng(seed)
    customers = max(rows // ROWS_PER_CUSTOMER, 1)
    customer = rng.integers(0, customers, rows)
    owner = customer % N_REPS
    other = rng.integers(0, N_REPS, rows)
    rep = np.where(rng.random(rows) < 0.1, other, owner)
    day = rng.integers(0, DAYS, rows)
    stage = rng.choice(len(STAGES), rows, p=STAGE_P)

    def labels(codes: np.ndarray, names: list[str]) -> pa.Array:
        dictionary = pa.array(names, pa.string())
        return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), dictionary).cast(
            pa.string()
        )

    start = np.datetime64("2025-01-01", "us")
    table = pa.table(
        {
            "date": pa.array(start + day.astype("timedelta64[D]"), pa.timestamp("us")),
            "rep": labels(rep, [f"R{i:03d}" for i in range(N_REPS)]),
            "team": labels(rep // REPS_PER_TEAM, [f"T{i:02d}" for i in range(N_REPS)]),
            "customer": labels(customer, [f"C{i:08d}" for i in range(customers)]),
            "stage": labels(stage, list(STAGES)),
        }
    )
    pq.write_table(table, path)


HAND_SQL = {
    "reached": """
        CREATE TEMP TABLE reached AS
        WITH ranked AS (
            SELECT customer, CAST(date AS TIMESTAMP) AS date, rep, team,
                   CASE stage WHEN 'won' THEN 3 WHEN 'signed' THEN 2
                              WHEN 'qualified' THEN 1 ELSE 0 END AS r
            FROM log),
        levels(level, k) AS (VALUES ('contacted', 0), ('signed', 2), ('won', 3))
        SELECT level, customer, min(date) AS date,
               arg_min(rep, (date, -r, rep, team)) AS rep,
               arg_min(team, (date, -r, rep, team)) AS team
        FROM ranked JOIN levels ON r >= k
        GROUP BY level, customer""",
    "volume": """
        WITH cal AS (
            SELECT unnest(generate_series(date_trunc('month', min(date)),
                                          date_trunc('month', max(date)),
                                          INTERVAL 1 MONTH)) AS period FROM log),
        reps AS (SELECT DISTINCT rep FROM log),
        counts AS (SELECT date_trunc('month', date) AS period, rep, count(*) AS volume
                   FROM reached WHERE level = $level GROUP BY ALL)
        SELECT cal.period, reps.rep, coalesce(volume, 0) AS volume
        FROM cal CROSS JOIN reps LEFT JOIN counts USING (period, rep)
        ORDER BY 1, 2""",
    "conversion": """
        WITH cal AS (
            SELECT unnest(generate_series(date_trunc('month', min(date)),
                                          date_trunc('month', max(date)),
                                          INTERVAL 1 MONTH)) AS period FROM log),
        c AS (SELECT date_trunc('month', s.date) AS period, count(*) AS cohort,
                     count(w.date) AS converted
              FROM reached s LEFT JOIN reached w
                ON w.customer = s.customer AND w.level = 'won'
              WHERE s.level = 'contacted' GROUP BY ALL)
        SELECT period, coalesce(cohort, 0) AS cohort, coalesce(converted, 0) AS converted,
               converted / cohort AS conversion
        FROM cal LEFT JOIN c USING (period) ORDER BY 1""",
    "win_rate": """
        WITH won AS (SELECT customer FROM reached WHERE level = 'won'),
        lost AS (SELECT DISTINCT customer FROM log WHERE stage = 'lost'
                 EXCEPT SELECT customer FROM won)
        SELECT won, lost, won / (won + lost) AS win_rate
        FROM (SELECT (SELECT count(*) FROM won) AS won, (SELECT count(*) FROM lost) AS lost)""",
    "cycle": """
        SELECT w.customer, w.rep, w.team, s.date AS start_date, w.date AS end_date,
               date_diff('day', s.date, w.date) AS days
        FROM reached w JOIN reached s ON s.customer = w.customer AND s.level = 'contacted'
        WHERE w.level = 'won' ORDER BY w.customer""",
}


def load(case: str, path: Path) -> tuple[object, object]:
    """Load the log into the case's backend; return (log, connection-or-session)."""
    backend = case.removesuffix("+table")
    if backend == "pandas":
        return pd.read_parquet(path), None
    if backend == "polars":
        import polars as pl

        return pl.read_parquet(path), None
    if backend == "spark":
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "6g")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")  # big results come back over it
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        return spark.read.parquet(str(path)).cache(), spark
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE TABLE log AS SELECT * FROM read_parquet('{path}')")
    return con.table("log"), con


def run_pack(case: str, log: object, con: object) -> dict[str, pd.DataFrame]:
    """Run the standard pack and materialise every result as pandas."""
    if case == "sql":
        con.execute(HAND_SQL["reached"])  # type: ignore[attr-defined]
        out = {
            f"volume_{lvl}": con.execute(  # type: ignore[attr-defined]
                HAND_SQL["volume"], {"level": lvl}
            ).df()
            for lvl in LEVELS
        }
        for name in ("conversion", "win_rate", "cycle"):
            out[name] = con.execute(HAND_SQL[name]).df()  # type: ignore[attr-defined]
        con.execute("DROP TABLE reached")  # type: ignore[attr-defined]
        return out
    import narwhals as nw

    import devvolume as dv

    def native(result: object) -> pd.DataFrame:
        frame = nw.from_native(result)
        if isinstance(frame, nw.LazyFrame):
            return frame.collect(backend="pandas").to_native()
        return frame.to_pandas()

    if case.endswith("+table"):
        log = dv.reached_levels(log)
        if case == "duckdb+table":
            con.execute("DROP TABLE IF EXISTS reached_table")  # type: ignore[attr-defined]
            log.to_table("reached_table")  # type: ignore[attr-defined]
            log = con.table("reached_table")  # type: ignore[attr-defined]
        elif case == "spark+table":
            log = log.cache()  # type: ignore[attr-defined]
            log.count()  # type: ignore[attr-defined]
    out = {
        f"volume_{lvl}": native(dv.development_volume(log, level=lvl, period="M", by="rep"))
        for lvl in LEVELS
    }
    out["conversion"] = native(dv.conversion_rate(log, start="contacted", end="won"))
    out["win_rate"] = native(dv.win_rate(log))
    out["cycle"] = native(dv.sales_cycle(log))
    if case == "spark+table":
        log.unpersist()  # type: ignore[attr-defined]
    return out


def child(case: str, path: Path, out: Path, repeat: int) -> None:
    """Run one case in this process and write timings, memory and results to ``out``."""
    log, con = load(case, path)
    loaded_rss = peak_rss_kb()
    runs = []
    for _ in range(repeat):
        cpu_start, start = _cpu_seconds(), time.perf_counter()
        results = run_pack(case, log, con)
        runs.append((time.perf_counter() - start, _cpu_seconds() - cpu_start))
    peak = peak_rss_kb()
    seconds, cpu = min(runs)
    # Plain lists, not pandas objects: the Spark case's pandas (2.x) pickles differently.
    plain = {name: (list(frame.columns), frame.astype(object).values.tolist())
             for name, frame in results.items()}  # fmt: skip
    with out.open("wb") as fh:
        pickle.dump(
            {"seconds": seconds, "cpu": cpu, "loaded_kb": loaded_rss, "peak_kb": peak,
             "results": plain},
            fh,
        )  # fmt: skip


def peak_rss_kb() -> int:
    """This process's peak resident memory in kB: ``VmHWM`` of its own address space.

    Not ``ru_maxrss``: Linux keeps that across ``execve``, so a child started by a big parent
    reports the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Make results from different engines comparable: plain dtypes, sorted, fresh index."""
    frame = frame.copy()
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            frame[column] = series.astype("datetime64[us]")
        elif pd.api.types.is_integer_dtype(series):
            frame[column] = series.astype("int64")
        elif pd.api.types.is_float_dtype(series):
            frame[column] = series.astype("float64")
        else:
            frame[column] = series.astype(str)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def compare(reference: dict[str, pd.DataFrame], other: dict[str, pd.DataFrame], case: str) -> None:
    """Raise if ``other`` differs from ``reference`` anywhere."""
    for name, frame in reference.items():
        left, right = normalise(frame), normalise(other[name])
        try:
            pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-12)
        except AssertionError as error:
            msg = f"{case} differs from hand SQL on {name}: {error}"
            raise AssertionError(msg) from None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "devvolume-bench-metrics"
    )
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES),
                        help="cases to run (sql always runs: it is the reference)")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        child(args.case, args.data, args.out, args.repeat)
        return
    args.data.mkdir(parents=True, exist_ok=True)
    table = []
    for rows in args.rows:
        path = args.data / f"log_{rows}.parquet"
        if not path.exists():
            start = time.perf_counter()
            generate(rows, path)
            print(f"generated {rows:,} rows in {time.perf_counter() - start:.1f} s", flush=True)
        measured = {}
        cases = ["sql", *(c for c in args.cases if c != "sql")]
        if "spark+table" in cases and not SPARK_PYTHON.exists():
            print(f"skipping spark+table: {SPARK_PYTHON} is missing (run `make spark`)")
            cases.remove("spark+table")
        for case in cases:
            out = args.data / f"result_{rows}_{case}.pkl"
            repeat = args.repeat
            command = [
                str(SPARK_PYTHON) if case.startswith("spark") else sys.executable,
                __file__,
                "--case",
                case,
                "--data",
                str(path),
                "--out",
                str(out),
                "--repeat",
                str(repeat),
            ]
            subprocess.run(command, check=True)
            with out.open("rb") as fh:
                measured[case] = pickle.load(fh)
            measured[case]["results"] = {
                name: pd.DataFrame(values, columns=columns)
                for name, (columns, values) in measured[case]["results"].items()
            }
            out.unlink()
            print(
                json.dumps(
                    {"rows": rows, "case": case, "seconds": round(measured[case]["seconds"], 2)}
                ),
                flush=True,
            )
        for case in cases[1:]:
            compare(measured["sql"]["results"], measured[case]["results"], case)
        sql_seconds = measured["sql"]["seconds"]
        for case, result in measured.items():
            table.append(
                (
                    rows,
                    case,
                    result["seconds"],
                    result["seconds"] / sql_seconds,
                    result["cpu"],
                    result["loaded_kb"] / 1024,
                    result["peak_kb"] / 1024,
                )
            )
    print("\nAll cases give identical numbers.\n")
    print("| rows | input | seconds | × hand SQL | CPU s | RSS after load (MB) | peak RSS (MB) |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for rows, case, seconds, ratio, cpu, loaded, peak in table:
        backend, _, once = case.partition("+")
        label = ("hand-written DuckDB SQL" if case == "sql" else
                 f"devvolume on {backend}" + (", reached table once" if once else ""))  # fmt: skip
        print(
            f"| {rows:,} | {label} | {seconds:.2f} | {ratio:.2f} | {cpu:.1f} | {loaded:,.0f} "
            f"| {peak:,.0f} |"
        )


if __name__ == "__main__":
    main()
