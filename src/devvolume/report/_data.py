"""What a report reads: the work log (and targets) of a source, cut at the report day.

Every report of a batch is about one team or rep, but its numbers are decided on the whole
company's log: :func:`load_company` reads the source, keeps the rows up to the report day (a cut
by date is legitimate: "first time" up to a day does not depend on later rows) and computes the
reached-levels table once (:func:`devvolume.reached_levels`). Reports slice the company-wide
results of the core; they never cut the log to one team.

A warm report kernel runs many reports on the same source, so the parsed log and the
reached-levels table are kept, keyed by the file's path, size and modification time and the
report day; each caller gets its own copy.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from devvolume.core import reached_levels

_WHO = {"team": ("团队", "team"), "rep": ("销售员", "rep")}
_ISO_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


@dataclass(frozen=True)
class ReportData:
    """What a report notebook reads: the work log and, for a dataset, its targets."""

    source: str
    worklog: pd.DataFrame
    targets: pd.DataFrame | None


@dataclass(frozen=True)
class Company:
    """The whole company's work log up to the report day, and its reached-levels table.

    ``log`` holds every row dated on or before ``day`` (all teams); ``reached`` is
    ``dv.reached_levels(log)``, computed once and passed to every metric; ``names`` lists every
    team and rep of the whole source (also those with rows only after ``day``).
    """

    source: str
    day: dt.date
    log: pd.DataFrame
    reached: pd.DataFrame
    targets: pd.DataFrame | None
    names: dict[str, tuple[str, ...]]

    def check(self, column: str, name: str) -> None:
        """Refuse a team or rep that is not in the source, or has no row up to the report day.

        A report must fail clearly, naming what exists, rather than print empty tables.

        Raises
        ------
        ValueError
            With the names that exist, or the day the report was cut at.
        """
        zh, en = _WHO[column]
        if name not in self.names[column]:
            names = "、".join(self.names[column])
            msg = f"没有名为“{name}”的{zh} / no {en} named {name!r}. 现有{zh} / {en}s: {names}"
            raise ValueError(msg)
        if not (self.log[column] == name).any():
            msg = (f"{zh}“{name}”截至 {self.day} 没有任何记录 / {en} {name!r} has no activity "
                   f"up to {self.day}. Hint: 检查 as_of 参数（--as-of）或工作日志表的日期 / "
                   f"check as_of (--as-of) or the work log's dates.")  # fmt: skip
            raise ValueError(msg)


def load_source(source: str | os.PathLike[str]) -> ReportData:
    """Load a work-log file or a dataset for a report (cached; every call returns fresh copies).

    Parameters
    ----------
    source : str or path
        A work-log file (``.xlsx``, ``.csv``) or a dataset name.

    Returns
    -------
    ReportData
        ``source`` (the absolute file path or the dataset name), ``worklog`` and ``targets``
        (``None`` for a work-log file).

    Examples
    --------
    >>> data = load_source("software")
    >>> data.source, sorted(data.worklog["team"].unique())[:1], data.targets is not None
    ('software', ['华东一组'], True)
    """
    data = _load(*_key(source))
    targets = None if data.targets is None else data.targets.copy()
    return ReportData(data.source, data.worklog.copy(), targets)


def load_company(source: str | os.PathLike[str] | pd.DataFrame, *, as_of: Any = "") -> Company:
    """Load a source as the whole company up to the report day, with its reached-levels table.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        A work-log file (``.xlsx``, ``.csv``), a dataset name, or a work log in memory (read
        with :func:`devvolume.read_worklog`; not cached).
    as_of : str or date, optional
        The report day (``YYYY-MM-DD``), inside the data's dates; empty means the last day in
        the data. Rows after it are left out.

    Returns
    -------
    Company

    Raises
    ------
    ValueError
        For an unknown source, or a report day that is not a date within the data.

    Examples
    --------
    >>> company = load_company("software", as_of="2025-03-31")
    >>> str(company.day), str(company.log["date"].max().date()) <= "2025-03-31"
    ('2025-03-31', True)
    >>> list(company.reached.columns)[:3]
    ['customer', 'level', 'date']
    """
    if isinstance(source, pd.DataFrame):
        from devvolume.inputs import read_worklog

        data = ReportData("<DataFrame>", read_worklog(source), None)
        day = report_day(data.worklog, as_of)
        log = _up_to(data.worklog, day)
        reached = reached_levels(log)
    else:
        key = _key(source)
        data = _load(*key)
        day = report_day(data.worklog, as_of)
        log, reached = _company(*key, day)
    names = {column: tuple(sorted(data.worklog[column].dropna().unique())) for column in _WHO}
    targets = None if data.targets is None else data.targets.copy()
    return Company(data.source, day, log.copy(), reached.copy(), targets, names)


def report_day(worklog: pd.DataFrame, as_of: Any = "") -> dt.date:
    """Check a report day against the data: a date from the first to the last day of the log.

    Parameters
    ----------
    worklog : pandas.DataFrame
        The whole work log.
    as_of : str, date or None
        ``YYYY-MM-DD`` (``2025/6/30`` too), a date, or empty for the last day in the log.

    Returns
    -------
    datetime.date

    Raises
    ------
    ValueError
        In Chinese and English, with the data's first and last day.

    Examples
    --------
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-01-05", "2026-02-20"])})
    >>> report_day(log), report_day(log, "2026/2/1")
    (datetime.date(2026, 2, 20), datetime.date(2026, 2, 1))
    >>> report_day(log, "2026-03-01")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 报告日期 as_of=2026-03-01 不在数据的日期范围内（2026-01-05 至 2026-02-20）/ ...
    """
    dates = worklog["date"].dropna()
    if dates.empty:
        msg = ("工作日志表没有任何带日期的记录，无法生成报告 / the work log has no dated rows, so "
               "there is nothing to report.\nHint: 先用 devvolume validate 检查文件 / check the "
               "file with devvolume validate.")  # fmt: skip
        raise ValueError(msg)
    first, last = dates.min().date(), dates.max().date()
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return last
    day = _as_day(as_of)
    if day is None:
        msg = (f"报告日期 as_of={as_of!r} 不是一个日期 / as_of={as_of!r} is not a date.\n"
               f"Hint: 写成 YYYY-MM-DD，例如 {last} / write it as YYYY-MM-DD, e.g. {last}.")
        raise ValueError(msg)
    if not first <= day <= last:
        msg = (f"报告日期 as_of={day} 不在数据的日期范围内（{first} 至 {last}）/ "
               f"as_of={day} is outside the data's dates ({first} to {last}).\n"
               f"Hint: 选这个范围内的一天，或不写 --as-of（默认为数据的最后一天 {last}）/ pick a "
               f"day in that range, or leave --as-of out (default: the last day, {last}).")  # fmt: skip
        raise ValueError(msg)
    return day


def _as_day(value: Any) -> dt.date | None:
    """Read ``2026-03-31``, ``2026/3/31`` or a date; ``None`` for anything else (no guessing)."""
    if isinstance(value, dt.datetime | pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.date):
        return value
    match = _ISO_DAY.match(str(value).strip())
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:  # 2026-02-30
        return None


def _key(source: str | os.PathLike[str]) -> tuple[str, int, int]:
    path = Path(source)
    if path.is_file():
        stat = path.stat()
        return str(path.resolve()), stat.st_size, stat.st_mtime_ns
    from devvolume.sim import list_datasets

    if str(source) not in list_datasets():
        msg = (f"找不到工作日志表或数据集 / no work-log file or dataset named {str(source)!r}.\n"
               f"Hint: give a .xlsx/.csv file, or one of the datasets: "
               f"{', '.join(list_datasets())}.")  # fmt: skip
        raise ValueError(msg)
    return str(source), -1, -1


@lru_cache(maxsize=4)
def _load(source: str, size: int, mtime_ns: int) -> ReportData:
    if size < 0:
        from devvolume.sim import load_dataset

        dataset = load_dataset(source)
        return ReportData(source, dataset.worklog, dataset.targets)
    from devvolume.inputs import read_worklog

    return ReportData(source, read_worklog(source), None)


@lru_cache(maxsize=8)
def _company(source: str, size: int, mtime_ns: int, day: dt.date
             ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    log = _up_to(_load(source, size, mtime_ns).worklog, day)
    return log, reached_levels(log)


def _up_to(worklog: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Keep the rows dated on or before ``day``: a cut by date, never by team."""
    log = worklog[worklog["date"] < pd.Timestamp(day) + pd.Timedelta(days=1)]
    return log.reset_index(drop=True)
