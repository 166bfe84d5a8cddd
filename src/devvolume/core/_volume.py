"""客户开发量 and the work behind it: development volume, activity counts, activities per new customer.

Development volume counts *distinct customers reaching a level for the first time* in a period,
credited to the rep and team on the row that set the date (:mod:`devvolume.core._levels`): never
rows, and never customers who were merely active. Activity counts are the other side: rows (one
row is one activity) and the customers worked in a period, credited to the row's own rep and
team. The lessons put both side by side, because confusing them is the classic mistake.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
from narwhals.typing import IntoFrameT

from devvolume.core._frames import By, as_list, check_levels, distinct, message, ratio, validate
from devvolume.core._levels import RANK, Reached, at, fill_calendar, is_table, prepare
from devvolume.core._periods import check_period, fill_periods, null_safe_join, period_start

#: The ``activity`` value (活动类型) that counts as a visit.
VISIT_ACTIVITY = "拜访"


def development_volume(
    log: IntoFrameT, *, level: str = "won", period: str = "M", by: By = None
) -> IntoFrameT:
    """Count new customers (客户开发量): customers reaching ``level`` for the first time.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` (and the ``by`` columns), or its
        :func:`~devvolume.reached_levels` table.
    level : {"contacted", "qualified", "signed", "won"}
        A customer reaches a level on the earliest date of any row at that stage or later;
        a ``lost`` row counts as a contact only.
    period : {"W", "M", "Q", "Y"}
        ISO week (Monday start), month, quarter or year.
    by : str or list of str, optional
        Columns to split by, e.g. ``"rep"`` or ``["team", "rep"]``. Each new customer is credited
        to the values on the row that set the date, so the groups add up to the company.

    Returns
    -------
    Same kind as ``log`` with columns ``period, *by, volume``, sorted; every period of the log's
    date range is shown (0 when no one was developed), for every group credited with anything.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-02", "2026-04-03", "2026-05-07"]),
    ...     "rep": ["A", "A", "B", "B"], "team": ["T1"] * 4,
    ...     "customer": ["C1", "C1", "C2", "C3"],
    ...     "stage": ["contacted", "contacted", "won", "lost"]})
    >>> development_volume(log, level="contacted")
          period  volume
    0 2026-03-01       1
    1 2026-04-01       1
    2 2026-05-01       1
    >>> development_volume(log, level="won", by="rep")
          period rep  volume
    0 2026-03-01   A       0
    1 2026-03-01   B       0
    2 2026-04-01   A       0
    3 2026-04-01   B       1
    4 2026-05-01   A       0
    5 2026-05-01   B       0
    """
    by_columns = as_list(by)
    check_period(period, "development_volume")
    check_levels((level,), "development_volume")
    source = prepare(log, func="development_volume", by=by_columns)
    return source.prepared.finish(
        volume(source, level=level, period=period, by=by_columns), ["period"]
    )


def volume(source: Reached, *, level: str, period: str, by: list[str]) -> nw.LazyFrame[Any]:
    """Development volume from a reached-levels table: ``period, *by, volume``, zeros filled."""
    counts = (
        at(source.table, level)
        .with_columns(period_start(nw.col("date"), period).alias("period"))
        .group_by("period", *by)
        .agg(nw.len().alias("volume"))
    )
    filled = fill_calendar(counts, source, period=period, by=by, values=["volume"])
    return filled.select("period", *by, "volume")


def activity_counts(
    log: IntoFrameT, *, period: str = "M", by: By = None, level: str = "contacted"
) -> IntoFrameT:
    """Count the work done per period: activities, visits, rows at a level, customers worked.

    These are *not* development volume. They measure how busy a team was; the lessons set them
    beside :func:`development_volume` to show the two classic mistakes.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage`` (and ``activity``, ``by`` columns).
        Activities need the rows, so a reached-levels table will not do.
    period : {"W", "M", "Q", "Y"}
        Period.
    by : str or list of str, optional
        Columns to split by; each row counts for its own rep, team, …
    level : {"contacted", "qualified", "signed", "won"}
        The level of ``level_rows`` and ``active_customers``.

    Returns
    -------
    Same kind as ``log`` with ``period, *by, activities, level_rows, active_customers`` and, when
    the log has an ``activity`` column, ``visits``. ``activities`` counts rows; ``level_rows``
    rows whose stage is exactly ``level`` (mistake 1: counting rows); ``active_customers``
    distinct customers with a row at ``level`` or later in the period (mistake 2: counting the
    merely active; a ``lost`` row counts as a contact); ``visits`` rows whose activity is 拜访.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-02", "2026-04-03", "2026-04-10"]),
    ...     "customer": ["C1", "C1", "C2", "C1"], "stage": ["首次接触", "首次接触", "成交", "签约"],
    ...     "activity": ["电话", "拜访", "拜访", None]})
    >>> activity_counts(log)
          period  activities  level_rows  active_customers  visits
    0 2026-03-01           1           1                 1       0
    1 2026-04-01           3           1                 2       2
    """
    by_columns = as_list(by)
    check_period(period, "activity_counts")
    check_levels((level,), "activity_counts")
    frame, has_activity = _rows(log, "activity_counts", by_columns)
    table = _activity(frame.frame, period=period, by=by_columns, level=level, visits=has_activity)
    return frame.finish(table, ["period"])


def _rows(log: Any, func: str, by: list[str], *, activity: bool = False) -> tuple[Any, bool]:
    if is_table(list(nw.from_native(log).collect_schema())):
        msg = message(
            f"{func}() 要数活动记录，需要工作日志表本身，不能用 reached_levels 表。",
            f"{func}() counts activities, so it needs the work log's rows, not a reached table.",
            "传入工作日志表（dv.read_worklog() 的结果）。",
        )
        raise ValueError(msg)
    needed = ("date", "customer", "stage", *(("activity",) if activity else ()))
    prepared = validate(log, func=func, columns=needed, by=by, keep=("activity",))
    return prepared, "activity" in prepared.frame.collect_schema()


def _activity(
    frame: nw.LazyFrame[Any], *, period: str, by: list[str], level: str, visits: bool
) -> nw.LazyFrame[Any]:
    keys = ["period", *by]
    rows = frame.with_columns(period_start(nw.col("date"), period).alias("period"))
    counted = [
        nw.len().alias("activities"),
        (nw.col("stage") == level).cast(nw.Int64).sum().alias("level_rows"),
    ]
    if visits:
        is_visit = (nw.col("activity") == VISIT_ACTIVITY).fill_null(False).cast(nw.Int64)
        counted.append(is_visit.sum().alias("visits"))
    work = rows.group_by(*keys).agg(*counted)
    ranks = [stage for stage, rank in RANK.items() if rank >= RANK[level]]
    at_level = nw.col("stage").is_in(ranks if level != "contacted" else [*ranks, "lost"])
    active = (
        distinct(rows.filter(at_level), *keys, "customer")
        .group_by(*keys)
        .agg(nw.len().alias("active_customers"))
    )
    values = ["activities", "level_rows", "active_customers", *(["visits"] if visits else [])]
    counts = null_safe_join(work, active, on=keys)
    first_last = frame.select(nw.col("date").min().alias("a"), nw.col("date").max().alias("b"))
    row = first_last.collect()
    filled = fill_periods(
        counts,
        groups=frame,
        bounds=(row.item(0, "a"), row.item(0, "b")),
        period=period,
        by=by,
        values=values,
    )
    return filled.select(*keys, *values)


def activity_efficiency(
    log: IntoFrameT, *, level: str = "won", period: str = "M", by: By = None
) -> IntoFrameT:
    """Activities and visits (活动类型 == "拜访") per new customer, per period.

    ``activities`` counts rows (one row is one activity) dated in the period, ``visits`` the rows
    whose ``activity`` is :data:`VISIT_ACTIVITY`; ``new_customers`` is the development volume at
    ``level``. Activities are credited to the rep on their own row.

    Parameters
    ----------
    log : pandas.DataFrame, polars.DataFrame, polars.LazyFrame or duckdb.DuckDBPyRelation
        Work log with ``date``, ``customer``, ``stage``, ``activity`` (and the ``by`` columns).
    level : {"contacted", "qualified", "signed", "won"}
        Level that counts as a new customer.
    period : {"W", "M", "Q", "Y"}
        Period.
    by : str or list of str, optional
        Columns to split by.

    Returns
    -------
    Same kind as ``log`` with ``period, *by, activities, visits, new_customers,
    activities_per_new, visits_per_new`` (null where there is no new customer).

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-04-01", "2026-04-02", "2026-04-03", "2026-04-20"]),
    ...     "customer": ["C1", "C1", "C1", "C2"],
    ...     "stage": ["contacted", "qualified", "won", "contacted"],
    ...     "activity": ["电话", "拜访", "拜访", None]})
    >>> print(activity_efficiency(log).to_string())
          period  activities  visits  new_customers  activities_per_new  visits_per_new
    0 2026-04-01           4       2              1                 4.0             2.0
    """
    by_columns = as_list(by)
    check_period(period, "activity_efficiency")
    check_levels((level,), "activity_efficiency")
    prepared, _ = _rows(log, "activity_efficiency", by_columns, activity=True)
    frame = prepared.frame
    keys = ["period", *by_columns]
    work = _activity(frame, period=period, by=by_columns, level=level, visits=True)
    source = prepare(nw.to_native(frame), func="activity_efficiency", by=by_columns)
    new = volume(source, level=level, period=period, by=by_columns).rename(
        {"volume": "new_customers"}
    )
    result = (
        null_safe_join(work, new, on=keys)
        .with_columns(nw.col("new_customers").fill_null(0).cast(nw.Int64))
        .select(
            *keys,
            "activities",
            "visits",
            "new_customers",
            ratio("activities", "new_customers").alias("activities_per_new"),
            ratio("visits", "new_customers").alias("visits_per_new"),
        )
        .sort(keys)
    )
    return prepared.finish(result, ["period"])
