"""Shared fixtures: run each metric test on pandas, polars and DuckDB input (skrub's df_module)."""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass, field
from typing import Any

import duckdb
import narwhals as nw
import pandas as pd
import polars as pl
import pytest

# Exercises record progress into the learner's workspace when a learner name is known; a
# developer's shell must never make the test run (or a notebook build) record into the checkout.
for _variable in ("DEVVOLUME_LEARNER", "DEVVOLUME_WORKSPACE"):
    os.environ.pop(_variable, None)


@dataclass
class Backend:
    """Build inputs of one kind and read results back as plain Python rows."""

    name: str
    native_type: type
    connections: list[Any] = field(default_factory=list)
    registered: list[str] = field(default_factory=list)

    def make(self, frame: pd.DataFrame, *, date_type: str = "datetime") -> Any:
        """Turn a pandas frame into this backend's native frame.

        ``date_type="date"`` stores ``date`` as a calendar date (polars Date / DuckDB DATE).
        """
        if self.name == "pandas":
            return frame.copy()
        if self.name == "polars":
            out = pl.from_pandas(frame)
            if date_type == "date" and "date" in out.columns:
                out = out.with_columns(pl.col("date").cast(pl.Date))
            return out
        # A private connection per test: results must stay on the input's connection.
        if not self.connections:
            self.connections.append(duckdb.connect())
        con = self.connections[0]
        name = f"_input{len(self.registered)}"
        self.registered.append(name)
        con.register(name, frame)
        cast = "CAST(date AS DATE) AS date" if date_type == "date" else "date"
        other = ", ".join(f'"{c}"' for c in frame.columns if c != "date")
        select = f"SELECT {cast}{', ' + other if other else ''} FROM {name}"
        return con.sql(select if "date" in frame.columns else f"SELECT * FROM {name}")

    def rows(self, result: Any) -> list[tuple[Any, ...]]:
        """Every row of a result as a tuple of plain Python values (NaN becomes None)."""
        assert isinstance(result, self.native_type), type(result)
        frame = nw.from_native(result).lazy().collect(backend="polars").to_native()
        return [tuple(_plain(v) for v in row) for row in frame.rows()]

    def columns(self, result: Any) -> list[str]:
        """Column names of a result."""
        return list(nw.from_native(result).lazy().collect_schema())

    def records(self, result: Any) -> list[dict[str, Any]]:
        """Rows of a result as dicts."""
        names = self.columns(result)
        return [dict(zip(names, row, strict=True)) for row in self.rows(result)]


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime) and value == dt.datetime(value.year, value.month, value.day):
        return value.date()
    return value


@pytest.fixture(params=["pandas", "polars", "duckdb"])
def backend(request: pytest.FixtureRequest) -> Any:
    """One backend per test run: pandas, polars or DuckDB."""
    kinds = {"pandas": pd.DataFrame, "polars": pl.DataFrame, "duckdb": duckdb.DuckDBPyRelation}
    chosen = Backend(request.param, kinds[request.param])
    yield chosen
    for con in chosen.connections:
        con.close()


def worklog(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """A slim work log from (date, rep, team, customer, stage) tuples."""
    frame = pd.DataFrame(rows, columns=["date", "rep", "team", "customer", "stage"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@pytest.fixture
def design_log() -> pd.DataFrame:
    """The worked example of DESIGN.md, row for row."""
    return worklog(
        [
            ("2026-03-30", "A", "T1", "C1", "contacted"),
            ("2026-04-02", "A", "T1", "C1", "contacted"),
            ("2026-04-03", "B", "T1", "C2", "won"),
            ("2026-04-10", "A", "T1", "C1", "signed"),
            ("2026-05-06", "A", "T1", "C1", "won"),
            ("2026-05-07", "B", "T1", "C3", "lost"),
        ]
    )


@pytest.fixture
def make_log() -> Any:
    """Factory for slim work logs from (date, rep, team, customer, stage) tuples."""
    return worklog


@pytest.fixture
def shared_log() -> pd.DataFrame:
    """Two teams sharing customers, Chinese stage labels, computed by hand.

    - 客户甲: team A (rep 张) contacts it on 03-02; team B (rep 李) qualifies, signs and wins it.
      A gets the contact and the cohort, B the qualified, signed and won volumes.
    - 客户乙: B contacts it on 03-03 (B's cohort), A wins it on 04-06: won credited to A.
    - 客户丙: A contacts it on 03-04 and loses it on 03-20 (a loss credited to A).
    - 客户丁: both teams contact it on 04-01; rep 张 sorts before rep 李, so A gets the contact.
      B follows up in April; 丁 stays in progress.
    Company: contacted 4 (March 3, April 1), won 2 (March 1, April 1).
    By team: contacted A 3 (甲, 丙, 丁) and B 1 (乙); won A 1 (乙, April), B 1 (甲, March).
    Cohort conversion contacted → won, March: A 1 of 2 (甲 won by B), B 1 of 1 (乙 won by A).
    A recount on each team's own rows would give A 4 new contacts and B 3: 7, where the company
    has 4.
    """
    rows = [
        ("2026-03-02", "张", "A", "客户甲", "首次接触"),
        ("2026-03-03", "李", "B", "客户乙", "首次接触"),
        ("2026-03-04", "张", "A", "客户丙", "首次接触"),
        ("2026-03-10", "李", "B", "客户甲", "意向"),
        ("2026-03-20", "张", "A", "客户丙", "流失"),
        ("2026-03-24", "李", "B", "客户甲", "签约"),
        ("2026-03-30", "李", "B", "客户甲", "成交"),
        ("2026-04-01", "李", "B", "客户丁", "首次接触"),
        ("2026-04-01", "张", "A", "客户丁", "首次接触"),
        ("2026-04-06", "张", "A", "客户乙", "成交"),
        ("2026-04-20", "李", "B", "客户丁", "首次接触"),
    ]
    return worklog(rows)


@pytest.fixture
def shared_oracle() -> dict[str, object]:
    """What ``shared_log``'s docstring counts by hand per month (March, April), for the lesson
    views: rows at the contacted level, customers merely active at it, and new customers."""
    return {
        "company": {"rows": [3, 3], "active": [3, 2], "new": [3, 1]},
        "A": {"rows": [2, 1], "active": [2, 2], "new": [2, 1]},
        "B": {"rows": [1, 2], "active": [2, 1], "new": [1, 0]},
    }
