"""Periods: the one place that knows what a week, month, quarter and year are.

A period is named by its first day: ISO weeks start on Monday, months, quarters and years on
their first day. The same rules serve the metric engine (narwhals expressions on any backend),
the calendars that show empty periods as 0, and the reports' windows ("this period", "the
period before"). A period that has not ended, or that the data stop inside, is *partial*: it is
never compared in raw counts with a full one. :func:`like_for_like` compares the same number of
days; :func:`last_complete` steps back to the last period that is over.
"""

from __future__ import annotations

import calendar as calendar_module
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from devvolume.core._frames import constant_frame, distinct, message

#: Period codes and their names in Chinese.
PERIODS: dict[str, str] = {"W": "周（周一开始）", "M": "月", "Q": "季度", "Y": "年"}
_MONTHS = {"M": 1, "Q": 3, "Y": 12}
_TRUNCATE = {"M": "1mo", "Q": "1q", "Y": "1y"}
#: Added to a day number (see :func:`day_number`) it makes every Monday a multiple of 7: weeks
#: numbered one after another (:func:`period_index`).
_MONDAY_SHIFT = 2
#: Stands in for a missing text key while joining (never shown).
_MISSING_KEY = "\x00"

DateLike = str | dt.date | dt.datetime
#: Data that start this many days into a month, quarter or year still cover it: a log that starts
#: on the first working day after a weekend or New Year's Day is not a partial period. A week
#: has no such grace: two days are a large part of it.
COVERAGE_GRACE_DAYS = 2


def check_period(period: str | None, func: str) -> None:
    """Refuse a period code other than W, M, Q, Y (None passes)."""
    if period is not None and period not in PERIODS:
        msg = message(
            f"{func}() 不认识周期 {period!r}。",
            f"Unknown period {period!r}; use one of {list(PERIODS)}.",
            'period="W" 周、"M" 月、"Q" 季度、"Y" 年。',
        )
        raise ValueError(msg)


# --- on any backend (narwhals expressions) ------------------------------------------------------


def period_start(date: nw.Expr, period: str) -> nw.Expr:
    """First day of the period that holds ``date`` (a Datetime expression).

    Weeks are ISO weeks starting on Monday; ``dt.truncate`` cannot do them on every backend, so
    the days since Monday pick how many days to step back. ``dt.weekday`` numbers Monday 1 on
    every backend, but Sunday 7 on most and 0 on Spark: ``(weekday + 6) % 7`` is right for both.
    """
    if period != "W":
        return date.dt.truncate(_TRUNCATE[period])
    since_monday = (date.dt.weekday().cast(nw.Int64) + 6) % 7
    expr: Any = nw.when(since_monday == 0).then(date)
    for days in range(1, 7):
        expr = expr.when(since_monday == days).then(date - dt.timedelta(days=days))
    return expr


def period_index(date: nw.Expr, period: str) -> nw.Expr:
    """Give each period a number one more than the period before (for offsets and lags)."""
    if period == "M":
        return date.dt.year() * 12 + date.dt.month() - 1
    if period == "Q":
        return date.dt.year() * 4 + _divide(date.dt.month().cast(nw.Int64) - 1, 3)
    if period == "Y":
        return date.dt.year().cast(nw.Int64)
    return _divide(day_number(date) + _MONDAY_SHIFT, 7)


def day_number(date: nw.Expr) -> nw.Expr:
    """Count the days from 0000-03-01 to ``date`` (integer arithmetic on year, month and day).

    Whole days between two dates are the difference of their day numbers. Written with plain
    integer arithmetic (H. Hinnant's ``days_from_civil`` with the year counted from March, all
    terms non-negative for years from 1) because not every backend can take a duration apart:
    Spark cannot. No division nests in another: SQL engines get one flat expression.

    Examples
    --------
    >>> import polars as pl
    >>> days = pl.DataFrame({"d": [dt.datetime(1970, 1, 1), dt.datetime(2026, 3, 1)]})
    >>> nw.from_native(days).select(day_number(nw.col("d"))).to_native()["d"].to_list()
    [719468, 739981]
    """
    month = date.dt.month().cast(nw.Int64)
    march_based = (month + 9) % 12
    year = date.dt.year().cast(nw.Int64) - (month <= 2).cast(nw.Int64)
    day_of_year = _divide(153 * march_based + 2, 5) + date.dt.day().cast(nw.Int64) - 1
    return year * 365 + _divide(year, 4) - _divide(year, 100) + _divide(year, 400) + day_of_year


def _divide(number: nw.Expr, divisor: int) -> nw.Expr:
    """Divide a ``number`` that is never negative by ``divisor``, rounding down, in short SQL.

    narwhals writes ``//`` for SQL engines as a CASE that repeats its operand six times (to
    floor negative numbers); nested in day numbers that made DuckDB plan an 8 kB expression for
    every date (17 ms a query). Here the operand appears twice and the division is exact.
    """
    return ((number - number % divisor) / divisor).cast(nw.Int64)


def days_between(start: nw.Expr, end: nw.Expr) -> nw.Expr:
    """Whole days from ``start`` to ``end`` (calendar days; a time of day is ignored)."""
    return day_number(end) - day_number(start)


# --- in Python ----------------------------------------------------------------------------------


def day_of(value: Any) -> dt.date:
    """Turn a date, datetime, pandas Timestamp or ISO text (``2026/4/5`` too) into a day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-")
    year, month, day = (int(part) for part in text[:10].split("-"))
    return dt.date(year, month, day)


def first_day(day: DateLike, period: str) -> dt.date:
    """First day of the period that holds ``day``.

    Examples
    --------
    >>> first_day("2026-01-01", "W"), first_day("2026-05-14", "Q")
    (datetime.date(2025, 12, 29), datetime.date(2026, 4, 1))
    """
    check_period(period, "first_day")
    day = day_of(day)
    if period == "W":
        return day - dt.timedelta(days=day.weekday())
    months = _MONTHS[period]
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def shift(start: dt.date, period: str, periods: int) -> dt.date:
    """Step ``periods`` periods on (or, negative, back) from the period starting at ``start``."""
    if period == "W":
        return start + dt.timedelta(days=7 * periods)
    index = start.year * 12 + start.month - 1 + _MONTHS[period] * periods
    return dt.date(index // 12, index % 12 + 1, 1)


def period_starts(first: DateLike, last: DateLike, period: str) -> list[dt.date]:
    """Every period's first day from the period of ``first`` to the period of ``last``.

    Examples
    --------
    >>> [str(d) for d in period_starts("2026-03-30", "2026-05-07", "M")]
    ['2026-03-01', '2026-04-01', '2026-05-01']
    """
    current, end = first_day(first, period), day_of(last)
    starts = []
    while current <= end:
        starts.append(current)
        current = shift(current, period, 1)
    return starts


@dataclass(frozen=True)
class Window:
    """A run of calendar days, ``first`` to ``last`` inclusive (one period, or part of one)."""

    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        """Number of days in the window."""
        return (self.last - self.first).days + 1

    def __str__(self) -> str:
        return f"{self.first} – {self.last}"


def period_window(day: DateLike, period: str, *, back: int = 0) -> Window:
    """Give the whole period that holds ``day``, or the one ``back`` periods earlier.

    Examples
    --------
    >>> str(period_window("2025-05-14", "M"))
    '2025-05-01 – 2025-05-31'
    >>> str(period_window("2025-05-14", "W", back=1))
    '2025-05-05 – 2025-05-11'
    >>> str(period_window("2025-01-10", "Q", back=1))
    '2024-10-01 – 2024-12-31'
    """
    start = shift(first_day(day, period), period, -back)
    return Window(start, shift(start, period, 1) - dt.timedelta(days=1))


@dataclass(frozen=True)
class Comparison:
    """Two windows that may be compared in raw counts, and how they were chosen.

    ``basis`` is ``"complete"`` (two whole periods: the current one is over),
    ``"same_days"`` (the current period is partial: its first ``current.days`` days against the
    same number of days at the start of the period before), ``"covered_days"`` (the data start
    inside the period before, on ``covered_from``: both windows keep only the days from that
    point of their period on) or ``"none"`` (the data start after the period before: there is no
    fair comparison, and ``previous`` is the window that would have been compared). ``period`` is
    the whole period that holds ``current``; ``partial`` says whether it is still running.
    """

    current: Window
    previous: Window
    period: Window
    basis: str
    covered_from: dt.date | None = None

    @property
    def partial(self) -> bool:
        """True when the current period had not ended on the day of the comparison."""
        return self.current.last < self.period.last

    @property
    def fair(self) -> bool:
        """True when the two windows may be compared (every basis but ``"none"``)."""
        return self.basis != "none"


def like_for_like(as_of: DateLike, period: str, *, covered_from: DateLike | None = None) -> Comparison:
    """Compare this period so far with the same number of days of the period before.

    When ``as_of`` is the last day of its period, both windows are whole periods. When the data
    cover the period before only from ``covered_from`` on (an export that starts mid-year, a rep
    who joined mid-month, a stage first recorded later), both windows keep only the days from
    that point of their period on; when they do not cover it at all, there is no fair comparison.
    A start up to :data:`COVERAGE_GRACE_DAYS` days into a month, quarter or year (a weekend, a
    holiday) still covers it.

    Examples
    --------
    >>> c = like_for_like("2026-05-12", "M")
    >>> str(c.current), str(c.previous), c.basis
    ('2026-05-01 – 2026-05-12', '2026-04-01 – 2026-04-12', 'same_days')
    >>> like_for_like("2026-04-30", "M").basis
    'complete'
    >>> str(like_for_like("2026-03-31", "M").previous)
    '2026-02-01 – 2026-02-28'

    A year of data that start on 20 October of the year before:

    >>> c = like_for_like("2017-12-31", "Y", covered_from="2016-10-20")
    >>> str(c.current), str(c.previous), c.basis
    ('2017-10-20 – 2017-12-31', '2016-10-20 – 2016-12-31', 'covered_days')
    >>> like_for_like("2017-12-31", "Y", covered_from="2017-03-01").basis
    'none'
    """
    day = day_of(as_of)
    whole = period_window(day, period)
    before = period_window(day, period, back=1)
    if day == whole.last:
        current, previous, basis = whole, before, "complete"
    else:
        current = Window(whole.first, day)
        last = min(before.first + dt.timedelta(days=current.days - 1), before.last)
        previous, basis = Window(before.first, last), "same_days"
    start = None if covered_from is None else day_of(covered_from)
    grace = 0 if period == "W" else COVERAGE_GRACE_DAYS
    if start is None or (start - previous.first).days <= grace:
        return Comparison(current, previous, whole, basis)
    if start > previous.last:
        return Comparison(current, previous, whole, "none", start)
    first = _same_point(start, previous.first, current.first, period)
    if first > current.last:
        return Comparison(current, previous, whole, "none", start)
    return Comparison(Window(first, current.last), Window(start, previous.last), whole,
                      "covered_days", start)  # fmt: skip


def _same_point(day: dt.date, previous: dt.date, current: dt.date, period: str) -> dt.date:
    """Give the day as far into the period from ``current`` as ``day`` is into ``previous``'s.

    Weeks count days; months, quarters and years the calendar (20 October, the 3rd of a month),
    so a leap year does not shift the window by a day.
    """
    if period == "W":
        return current + dt.timedelta(days=(day - previous).days)
    months = (day.year - previous.year) * 12 + day.month - previous.month
    index = current.year * 12 + current.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar_module.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last_day))


def last_complete(as_of: DateLike, period: str) -> Comparison:
    """Compare the last period that is over on ``as_of`` with the one before it.

    Examples
    --------
    >>> c = last_complete("2026-05-12", "M")
    >>> str(c.current), str(c.previous), c.basis
    ('2026-04-01 – 2026-04-30', '2026-03-01 – 2026-03-31', 'complete')
    """
    day = day_of(as_of)
    back = 0 if day == period_window(day, period).last else 1
    current = period_window(day, period, back=back)
    return Comparison(current, period_window(day, period, back=back + 1), current, "complete")


# --- calendars: every period shown, empty ones as 0 ---------------------------------------------


def calendar(like: nw.LazyFrame[Any], first: Any, last: Any, period: str) -> nw.LazyFrame[Any]:
    """Every period start from ``first`` to ``last`` (column ``period``), on ``like``'s backend."""
    starts = [] if first is None else period_starts(first, last, period)
    midnights = [dt.datetime(d.year, d.month, d.day) for d in starts]
    return constant_frame(like, "period", midnights, nw.Datetime("us"))


def fill_periods(
    counts: nw.LazyFrame[Any],
    *,
    groups: nw.LazyFrame[Any],
    bounds: tuple[Any, Any],
    period: str,
    by: Sequence[str],
    values: Sequence[str],
) -> nw.LazyFrame[Any]:
    """Give every period in ``bounds`` (and every ``by`` group in ``groups``) a row.

    Missing count columns ``values`` become 0; the result is sorted by period then ``by``.
    """
    grid = calendar(groups, *bounds, period)
    if by:
        grid = grid.join(distinct(groups, *by), how="cross")
    keys = ["period", *by]
    filled = null_safe_join(grid, counts, on=keys)
    return filled.with_columns(nw.col(*values).fill_null(0).cast(nw.Int64)).sort(keys)


def null_safe_join(
    left: nw.LazyFrame[Any], right: nw.LazyFrame[Any], *, on: Sequence[str]
) -> nw.LazyFrame[Any]:
    """Left join on ``on`` where a missing text key (an empty 渠道, say) matches a missing one."""
    schema = left.collect_schema()
    text = [c for c in on if schema[c] == nw.String]
    if not text:
        return left.join(right, on=list(on), how="left")
    fill = [nw.col(c).fill_null(_MISSING_KEY) for c in text]
    joined = left.with_columns(*fill).join(right.with_columns(*fill), on=list(on), how="left")
    restore = [
        nw.when(nw.col(c) == _MISSING_KEY).then(nw.lit(None, dtype=nw.String)).otherwise(nw.col(c))
        .alias(c)
        for c in text
    ]
    return joined.with_columns(*restore)
