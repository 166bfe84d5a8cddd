"""Every public metric on a PySpark DataFrame: lazy Spark in, lazy Spark out, the same numbers.

Runs in the Spark environment that ``make test`` builds (``.venv-spark``: the ``spark`` extra,
Java from Debian, a ``local[2]`` session); skipped where pyspark is not installed.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

import devvolume as dv
from devvolume.core import STAGE_LABELS, STAGES

pyspark = pytest.importorskip("pyspark")
pytestmark = pytest.mark.spark

from pyspark.sql import DataFrame as SparkFrame  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402


@pytest.fixture(scope="module")
def spark() -> Any:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("devvolume-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")  # big results come back over it
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def shared_company(seed: int = 7, rows: int = 160) -> pd.DataFrame:
    """A seeded log where three teams share twelve customers, in Chinese and English labels."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2025-12-20")
    stages = rng.choice(STAGES, rows, p=[0.45, 0.2, 0.12, 0.1, 0.13])
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(start + rng.integers(0, 120, rows).astype("timedelta64[D]")),
            "rep": rng.choice(["张", "李", "王", "AB"], rows),
            "team": rng.choice(["A", "B", "C"], rows),
            "customer": rng.choice([f"客户{i}" for i in range(12)], rows),
            "stage": [STAGE_LABELS[s] if i % 2 else s for i, s in enumerate(stages)],
            "channel": rng.choice(["转介绍", "陌拜", None], rows),
            "activity": rng.choice(["电话", "拜访", "微信"], rows),
        }
    )
    return frame.astype({"date": "datetime64[us]"})


def plain(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Rows as plain Python values: dates as days, NaN as None, numbers as int or float."""

    def value(v: Any) -> Any:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
            return None
        if isinstance(v, pd.Timestamp | dt.datetime):
            return v.date() if v == v.normalize() else v
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, np.floating | float):
            return round(float(v), 12)
        return v

    return [tuple(value(v) for v in row) for row in frame.itertuples(index=False)]


METRICS = {
    "reached": lambda x: dv.reached_levels(x),
    "volume": lambda x: dv.development_volume(x, level="signed", period="W", by="team"),
    "volume_rep": lambda x: dv.development_volume(x, level="won", by=["team", "rep"]),
    "volume_channel": lambda x: dv.development_volume(x, level="contacted", by="channel"),
    "cohort": lambda x: dv.conversion_rate(x, period="Q", by="team", within_days=30),
    "throughput": lambda x: dv.conversion_rate(x, form="period"),
    "funnel": lambda x: dv.funnel(x, by="team", period="M"),
    "win_rate": lambda x: dv.win_rate(x, period="M", by="rep"),
    "cycle": lambda x: dv.sales_cycle(x, start="qualified"),
    "stalled": lambda x: dv.stalled_customers(x, as_of="2026-04-30", idle_days=5),
    "activity": lambda x: dv.activity_counts(x, period="W", by="team"),
    "efficiency": lambda x: dv.activity_efficiency(x, level="signed", by="team"),
}


@pytest.mark.parametrize("metric", list(METRICS))
def test_spark_gives_the_numbers_of_pandas(spark, metric):
    log = shared_company()
    got = METRICS[metric](spark.createDataFrame(log))
    assert isinstance(got, SparkFrame)  # lazy Spark in, lazy Spark out
    expected = METRICS[metric](log)
    order = list(expected.columns)
    assert plain(got.toPandas()[order].sort_values(order, ignore_index=True)) == plain(
        expected.sort_values(order, ignore_index=True)
    )


def test_spark_takes_the_reached_table(spark, shared_log):
    reached = dv.reached_levels(spark.createDataFrame(shared_log.astype({"date": "datetime64[us]"})))
    contacted = dv.development_volume(reached, level="contacted", by="team").toPandas()
    assert contacted["volume"].tolist() == [2, 1, 1, 0]
    comparison = dv.compare_periods(
        reached,
        metric="conversion",
        before=("2026-03-01", "2026-03-31"),
        after=("2026-04-01", "2026-04-30"),
        where={"team": "A"},
    )
    assert comparison.before == (1, 2)


def test_lakehouse_round_trip(spark, tmp_path):
    """docs/spark.md's recipe: read a Parquet work log, compute once, write per-team metrics back."""
    log = shared_company(rows=400)
    spark.createDataFrame(log).write.parquet(str(tmp_path / "worklog"))

    worklog = spark.read.parquet(str(tmp_path / "worklog"))
    reached = dv.reached_levels(worklog).cache()  # "first time" decided once, company-wide
    volume = dv.development_volume(reached, level="won", period="M", by="team")
    funnel = dv.funnel(reached, by="team")
    volume.write.mode("overwrite").parquet(str(tmp_path / "team_volume"))
    funnel.write.mode("overwrite").parquet(str(tmp_path / "team_funnel"))
    reached.unpersist()

    for name, expected in (
        ("team_volume", dv.development_volume(log, level="won", period="M", by="team")),
        ("team_funnel", dv.funnel(log, by="team")),
    ):
        back = pd.read_parquet(tmp_path / name)
        order = list(expected.columns)
        assert plain(back[order].sort_values(order, ignore_index=True)) == plain(
            expected.sort_values(order, ignore_index=True)
        ), name
    company = dv.development_volume(log, level="won", period="M")
    team_sum = pd.read_parquet(tmp_path / "team_volume").groupby("period")["volume"].sum()
    assert team_sum.sort_index().tolist() == company.sort_values("period")["volume"].tolist()
