"""What a report reads: the work log (and targets) of a source, cut at the report day.

A work log with bad rows is refused, with a hint to ``--skip-invalid``; with ``skip_invalid``
the report uses the valid rows (:func:`devvolume.check_worklog`) and says how many rows were
left out (:class:`Skipped`). Targets come with a dataset, or from a targets file.

Every report of a batch is about one team or rep, but its numbers are decided on the whole
company's log: :func:`load_company` reads the source, keeps the rows up to the report day (a cut
by date is legitimate: "first time" up to a day does not depend on later rows) and computes the
reached-levels table once (:func:`devvolume.reached_levels`). Reports slice the company-wide
results of the core; they never cut the log to one team.

A warm report kernel runs many reports on the same source, so the parsed log, the company up
to the report day and every company-wide result computed on it (:meth:`Company.result`) are
kept, keyed by the file's path, size and modification time, the options and the report day; in a
batch they are computed once for all the batch's processes (:mod:`devvolume.report._shared`).
Each caller gets its own copy-on-write copy of every frame.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import pandas as pd

from devvolume.core import reached_levels
from devvolume.report._shared import Key, Shared, fresh, read_store, result_name, traced

if TYPE_CHECKING:
    from devvolume.inputs import ImportSummary

T = TypeVar("T")

_WHO = {"team": ("团队", "team"), "rep": ("销售员", "rep")}
_ISO_DAY = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


#: What the refusal of a work log with bad rows suggests.
SKIP_HINT = ("Hint: 改正这些行后重新运行；或者加 --skip-invalid（Python 里 skip_invalid=True），"
             "只用没有问题的行生成报告，每份报告都会注明跳过了多少行 / fix these rows and run again, "
             "or pass --skip-invalid (skip_invalid=True) to report on the valid rows only; every "
             "report then says how many rows were skipped.")  # fmt: skip


@dataclass(frozen=True)
class Skipped:
    """The rows of a work log left out because they have problems (``--skip-invalid``).

    ``rows`` is the number of rows left out, ``rows_read`` the number of data rows in the file
    and ``problems`` the table of :func:`devvolume.check_worklog` (``row, column, header,
    value, problem``), one line per problem.
    """

    rows: int
    rows_read: int
    problems: pd.DataFrame

    def notice(self, lang: str = "zh") -> str:
        """Say on a page how many rows were left out, and where they are listed.

        Examples
        --------
        >>> Skipped(3, 120, pd.DataFrame()).notice()
        '注意：工作日志表共 120 行，其中 3 行有问题，没有计入本报告（明细见同一文件夹中的 problems.html）。'
        """
        if lang == "zh":
            return (f"注意：工作日志表共 {self.rows_read} 行，其中 {self.rows} 行有问题，没有计入本报告"
                    "（明细见同一文件夹中的 problems.html）。")
        row = "row" if self.rows == 1 else "rows"
        return (f"Note: {self.rows} of the work log's {self.rows_read} rows have problems and are "
                f"not counted in this report ({row} listed in problems.html in the same folder).")


@dataclass(frozen=True)
class ReportData:
    """What a report notebook reads: the work log, the targets and the rows left out."""

    source: str
    worklog: pd.DataFrame
    targets: pd.DataFrame | None
    skipped: Skipped | None = None


@dataclass(frozen=True)
class Company:
    """The whole company's work log up to the report day, and its reached-levels table.

    ``log`` holds every row dated on or before ``day`` (all teams); ``reached`` is
    ``dv.reached_levels(log)``, computed once and passed to every metric; ``names`` lists every
    team and rep of the whole source (also those with rows only after ``day``); ``skipped`` the
    rows left out with ``skip_invalid`` (``None``: none were).

    A view of ``shared``, the company computed once (for a batch, once for all its processes)
    with every company-wide result computed on it: the frames are this caller's own
    copy-on-write copies, which a report may change. Company-wide results come from
    :meth:`result`; a report keeps its own team's or rep's rows of them.
    """

    shared: Shared = field(repr=False, compare=False)
    log: pd.DataFrame = field(init=False)
    reached: pd.DataFrame = field(init=False)
    targets: pd.DataFrame | None = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "log", fresh(self.shared.log))
        object.__setattr__(self, "reached", fresh(self.shared.reached))
        object.__setattr__(self, "targets", fresh(self.shared.targets))

    @property
    def source(self) -> str:
        """The work-log file or dataset the company was read from."""
        return self.shared.source

    @property
    def day(self) -> dt.date:
        """The report day: the last day of the log kept."""
        return self.shared.day

    @property
    def names(self) -> dict[str, tuple[str, ...]]:
        """Every team and rep of the whole source (``{"team": (...), "rep": (...)}``)."""
        return self.shared.names

    @property
    def skipped(self) -> Skipped | None:
        """The rows left out with ``skip_invalid`` (``None``: none were)."""
        return self.shared.skipped  # type: ignore[no-any-return]

    def result(self, metric: Callable[..., T], /, *, on: Literal["reached", "log"] = "reached",
               **options: Any) -> T:  # fmt: skip
        """Return a core metric computed on the whole company, once for every report.

        ``company.result(dv.funnel, by="team")`` is ``dv.funnel(company.reached, by="team")``:
        the same object, computed the first time any report on this company (in a batch: any
        process of the batch) asks for it, and kept. Each call returns a copy the caller may
        change. Keep one team's or rep's rows with :func:`~devvolume.report.pick`.

        Parameters
        ----------
        metric : callable
            A core metric, e.g. ``dv.funnel``, ``dv.win_rate``, ``dv.stalled_customers``.
        on : {"reached", "log"}
            Compute it on the company's reached-levels table (the default) or on its log (for
            the metrics that count rows, e.g. ``dv.activity_counts``).
        **options
            The metric's keyword options: names, numbers, dates, or lists of them.

        Examples
        --------
        >>> import devvolume as dv
        >>> company = load_company("software", as_of="2025-03-31")
        >>> by_team = company.result(dv.funnel, by="team")
        >>> by_team.equals(dv.funnel(company.reached, by="team"))
        True
        >>> company.result(dv.funnel, by="team") is by_team  # a copy each time, computed once
        False
        """
        table = self.reached if on == "reached" else self.log
        return self.once(result_name(metric, on, options), lambda: metric(table, **options))

    def once(self, name: str, compute: Callable[[], T]) -> T:
        """Return the company-wide value called ``name``, computed by ``compute`` only once.

        For the report helpers' own company-wide tables; ``name`` must say everything the value
        depends on besides the company.
        """
        return self.shared.get(name, compute)

    @property
    def imported(self) -> ImportSummary | None:
        """What the CRM import that wrote the source did (``None``: the source is no import).

        Read from the summary saved beside an imported work log
        (:func:`devvolume.inputs.read_import_summary`), as ``devvolume import`` and ``report
        --from`` leave it; ``None`` too when the log was changed after the import. A page says
        with :meth:`~devvolume.inputs.ImportSummary.notice` which deals no measure counts.
        """
        return self.once("import summary", lambda: _import_summary(self.source))

    @property
    def has_amounts(self) -> bool:
        """True when the log has a 金额 (amount) on some row: the money figures can be shown."""
        return "amount" in self.reached.columns and bool(self.log["amount"].notna().any())

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
        active = self.once("names with rows", lambda: {
            who: frozenset(self.log[who].dropna().unique()) for who in _WHO})  # fmt: skip
        if name not in active[column]:
            msg = (f"{zh}“{name}”截至 {self.day} 没有任何记录 / {en} {name!r} has no activity "
                   f"up to {self.day}. Hint: 检查 as_of 参数（--as-of）或工作日志表的日期 / "
                   f"check as_of (--as-of) or the work log's dates.")  # fmt: skip
            raise ValueError(msg)


def load_source(source: str | os.PathLike[str], *, skip_invalid: bool = False,
                targets: str | os.PathLike[str] | None = None) -> ReportData:  # fmt: skip
    """Load a work-log file or a dataset for a report (cached; every call returns fresh copies).

    Parameters
    ----------
    source : str or path
        A work-log file (``.xlsx``, ``.csv``) or a dataset name.
    skip_invalid : bool
        Use the valid rows of a work log with bad rows (``skipped`` says how many were left
        out) instead of refusing it.
    targets : str or path, optional
        A targets file (``rep, team, period, target``; Chinese headers accepted); for a dataset
        it replaces the dataset's own targets.

    Returns
    -------
    ReportData
        ``source`` (the absolute file path or the dataset name), ``worklog``, ``targets``
        (``None`` for a work-log file without a targets file) and ``skipped``.

    Raises
    ------
    devvolume.WorklogError
        For a work log with bad rows without ``skip_invalid`` (the message suggests it), and
        for a file that cannot be read at all, or a targets file with problems.

    Examples
    --------
    >>> data = load_source("software")
    >>> data.source, sorted(data.worklog["team"].unique())[:1], data.targets is not None
    ('software', ['华东一组'], True)
    """
    data = _load(*_key(source), skip_invalid, *_targets_key(targets))
    targets_frame = None if data.targets is None else fresh(data.targets)
    return ReportData(data.source, fresh(data.worklog), targets_frame, data.skipped)


def load_company(source: str | os.PathLike[str] | pd.DataFrame, *, as_of: Any = "",
                 skip_invalid: bool = False, targets: str | os.PathLike[str] | None = None
                 ) -> Company:  # fmt: skip
    """Load a source as the whole company up to the report day, with its reached-levels table.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        A work-log file (``.xlsx``, ``.csv``), a dataset name, or a work log in memory (read
        with :func:`devvolume.read_worklog`; not cached).
    as_of : str or date, optional
        The report day (``YYYY-MM-DD``), inside the data's dates; empty means the last day in
        the data. Rows after it are left out.
    skip_invalid : bool
        Report on the valid rows of a work log with bad rows (see :func:`load_source`).
    targets : str or path, optional
        A targets file (see :func:`load_source`).

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
        data = _read("<DataFrame>", source, skip_invalid, _read_targets(targets))
        day = report_day(data.worklog, as_of)
        shared = _shared(None, data, day)
    else:
        shared = _company_shared(*company_key(source, skip_invalid=skip_invalid,
                                              targets=targets, as_of=as_of))  # fmt: skip
    return Company(shared)


def company_key(source: str | os.PathLike[str], *, skip_invalid: bool = False,
                targets: str | os.PathLike[str] | None = None, as_of: Any = "") -> Key:  # fmt: skip
    """Say what a company is made from, as the key of its caches and of a batch store.

    The key is the source and targets files (path, size, modification time) or the dataset's
    name, ``skip_invalid`` and the report day. A report day given as a date needs no reading;
    an empty one is the last day of the data (read once, and cached).
    """
    key = (*_key(source), skip_invalid, *_targets_key(targets))
    day = _as_day(as_of) if as_of is not None and str(as_of).strip() else None
    if day is None:  # the last day of the data, or an as_of that report_day explains
        day = report_day(_load(*key).worklog, as_of)
    return (*key, day)


def company_shared(key: Key) -> Shared:
    """Compute the company made from ``key`` (see :func:`company_key`), without caching it.

    :func:`devvolume.report.build_reports` does this once per batch, to write the batch store.
    """
    data = _load(*key[:-1])
    return _shared(key, data, report_day(data.worklog, key[-1]))


def _shared(key: Key | None, data: ReportData, day: dt.date) -> Shared:
    names = {column: tuple(sorted(data.worklog[column].dropna().unique())) for column in _WHO}
    log = _up_to(data.worklog, day)
    reached = traced(f"reached_levels({data.source}, {day})", lambda: _reached(log))
    return Shared(key, data.source, day, log, reached, data.targets, names, data.skipped)


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


def _targets_key(targets: str | os.PathLike[str] | None) -> tuple[str, int, int]:
    if not targets:
        return "", -1, -1
    path = Path(targets)
    if not path.is_file():
        msg = (f"找不到目标文件 / no targets file {str(targets)!r}.\nHint: 给出 .csv 或 .xlsx 文件的路径；"
               "用 devvolume template --targets 目标.xlsx 生成空白目标表 / give the path of a .csv or "
               ".xlsx file; devvolume template --targets targets.xlsx writes a blank one.")  # fmt: skip
        raise ValueError(msg)
    stat = path.stat()
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


def _read_targets(targets: str | os.PathLike[str] | None) -> pd.DataFrame | None:
    if not targets:
        return None
    from devvolume.inputs import read_targets

    return read_targets(targets)


def _read(source: str, worklog: Any, skip_invalid: bool, targets: pd.DataFrame | None
          ) -> ReportData:  # fmt: skip
    """Read and check a work log: refuse bad rows, or keep the valid ones and count the rest."""
    from devvolume.inputs import WorklogError, check_worklog, read_worklog

    if not skip_invalid:
        try:
            return ReportData(source, read_worklog(worklog), targets)
        except WorklogError as exc:
            if (exc.problems["row"] > 0).any():  # row problems: the valid rows could be used
                msg = f"{exc}\n{SKIP_HINT}"
                raise WorklogError(msg, exc.problems, exc.source,
                                   sheet=exc.sheet) from None  # fmt: skip
            raise
    check = check_worklog(worklog)
    skipped = None
    if not check.ok:
        skipped = Skipped(len(check.bad_rows), check.rows_read, check.problems)
    return ReportData(source, check.valid, targets, skipped)


@lru_cache(maxsize=4)
def _load(source: str, size: int, mtime_ns: int, skip_invalid: bool = False, targets: str = "",
          targets_size: int = -1, targets_mtime_ns: int = -1) -> ReportData:  # fmt: skip
    own_targets = _read_targets(targets)
    if size < 0:
        from devvolume.sim import load_dataset

        dataset = load_dataset(source)
        return ReportData(source, dataset.worklog,
                          dataset.targets if own_targets is None else own_targets)  # fmt: skip
    return _read(source, source, skip_invalid, own_targets)


@lru_cache(maxsize=8)
def _company_shared(*key: Any) -> Shared:
    """Give the company made from ``key``: from this batch's store if it has it, else computed."""
    return read_store(key) or company_shared(key)


def _reached(log: pd.DataFrame) -> pd.DataFrame:
    """Compute the company's reached levels; with amounts, each level's row carries its 金额.

    ``amount`` is credited like a name (the row that set the level's date gives it, after rep,
    team and channel in the tie-break, so the credit is the same as without it): at ``won`` it
    is the value of the customer's first order.
    """
    if "amount" in log.columns and log["amount"].notna().any():
        return reached_levels(log, by="amount")
    return reached_levels(log)


def _import_summary(source: str) -> ImportSummary | None:
    from devvolume.inputs import read_import_summary

    return read_import_summary(source) if Path(source).is_file() else None


def _up_to(worklog: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Keep the rows dated on or before ``day``: a cut by date, never by team.

    On the data's last day that is every row: the same frame (copy-on-write), not a second copy.
    """
    inside = worklog["date"] < pd.Timestamp(day) + pd.Timedelta(days=1)
    index = worklog.index
    if bool(inside.all()) and isinstance(index, pd.RangeIndex) and (index.start, index.step) == (0, 1):
        return worklog.copy(deep=False)
    return worklog[inside].reset_index(drop=True)
