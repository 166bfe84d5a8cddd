"""The tables behind the lesson controls: one question per function, every number from the core.

Each function answers one question a lesson asks ("how do the three ways of counting compare?",
"how do channels convert?") by calling the core (:mod:`devvolume.core`) and returns a sorted
pandas frame; it decides nothing of its own about "first time" or periods. A ``team`` argument
*slices* the company-wide result (``by="team"``, then that team's rows): the log is never cut
to one team first, so a team's figures add up to the company's and its rates are comparable with
the company's. A control computes :func:`~devvolume.reached_levels` once and passes it as
``reached=``, so moving a control only slices. :func:`chinese` turns a result into the table a
learner reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from devvolume.core import (
    COLUMN_LABELS,
    PERIODS,
    STAGE_LABELS,
    activity_counts,
    compare_periods,
    conversion_rate,
    development_volume,
    funnel,
    period_starts,
    period_window,
    reached_levels,
    win_rate,
)

#: Period codes and their Chinese names, in the order the drop-downs show them (the core's).
PERIOD_LABELS: dict[str, str] = dict(PERIODS)
#: The group name shown for an empty cell of a factor column (a row with no 渠道, say).
NOT_FILLED = "（未填写）"


def check_team(log: pd.DataFrame, team: str = "") -> str:
    """Return ``team`` if the log (or its reached table) has it; ``""`` means the whole company.

    A validator only: it never cuts the log. Fails listing the teams that exist.

    Examples
    --------
    >>> log = pd.DataFrame({"team": ["一组", "二组"], "rep": ["A", "B"]})
    >>> check_team(log, "二组"), check_team(log, "")
    ('二组', '')
    >>> check_team(log, "三组")
    Traceback (most recent call last):
    ...
    ValueError: 没有名为“三组”的团队。/ no team named '三组'.
    现有团队 / teams: 一组、二组
    Hint: team 留空（""）表示全公司。
    """
    if team and team not in set(log["team"].dropna()):
        teams = "、".join(sorted(log["team"].dropna().unique()))
        msg = (f"没有名为“{team}”的团队。/ no team named {team!r}.\n"
               f"现有团队 / teams: {teams}\nHint: team 留空（\"\"）表示全公司。")
        raise ValueError(msg)
    return team


def _source(log: pd.DataFrame, reached: pd.DataFrame | None) -> pd.DataFrame:
    """Pick what a metric reads: the precomputed reached table when there is one, else the log."""
    return log if reached is None else reached


def _by(team: str, *more: str) -> list[str]:
    """List the ``by=`` columns of a company-wide call: ``team`` first when one team is asked."""
    return list(dict.fromkeys([*(["team"] if team else []), *(m for m in more if m)]))


#: Count and rate columns of the core's results, for a team credited with nothing.
_COUNTS = ("volume", "cohort", "converted", "customers", "started", "finished")
_RATES = ("conversion", "throughput", "from_previous", "from_first")
_KEYS = ("period", "level", "step")


def _team_rows(table: pd.DataFrame, team: str, *, keep_team: bool = False) -> pd.DataFrame:
    """One team's rows of a company-wide ``by="team"`` result (the team column dropped).

    A team in the log that was credited with nothing (it only followed up other teams'
    customers) is not a group of the result; it gets the company's periods and levels with
    zero counts, so its chart shows zeros rather than nothing.
    """
    if not team:
        return table
    rows = table[table["team"] == team]
    groups = [c for c in table.columns if c not in (*_KEYS, *_COUNTS, *_RATES)]
    if rows.empty and len(table) and groups == ["team"]:
        rows = table[table["team"] == table["team"].iloc[0]].assign(team=team)
        rows = rows.assign(**{c: 0 for c in _COUNTS if c in rows.columns},
                           **{c: float("nan") for c in _RATES if c in rows.columns})
    if not keep_team:
        rows = rows.drop(columns="team")
    return rows.reset_index(drop=True)


def _label(column: str) -> str:
    return COLUMN_LABELS.get(column, column)


def counting_comparison(log: pd.DataFrame, *, level: str = "contacted", period: str = "M",
                        team: str = "", reached: pd.DataFrame | None = None) -> pd.DataFrame:
    """Three ways to count per period: rows, active customers, and new customers (the right one).

    - ``rows``: rows whose stage is exactly ``level`` (the first classic mistake);
    - ``active``: distinct customers with a row at ``level`` or later in the period (a ``lost``
      row counts as a contact); many of them were developed earlier (the second mistake);
    - ``new``: the development volume, customers reaching ``level`` for the first time.

    ``rows`` and ``active`` come from :func:`~devvolume.activity_counts` (each row counts for its
    own team), ``new`` from :func:`~devvolume.development_volume` (credited to the team on the
    row that set the date); for a ``team`` both are that team's slice of the company's result.
    Stage labels may be Chinese or English.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-02", "2026-04-03", "2026-04-10"]),
    ...     "rep": ["A", "A", "B", "A"], "team": ["T1"] * 4,
    ...     "customer": ["C1", "C1", "C2", "C1"],
    ...     "stage": ["首次接触", "首次接触", "成交", "签约"]})
    >>> counting_comparison(log, level="contacted")
          period  rows  active  new
    0 2026-03-01     1       1    1
    1 2026-04-01     1       2    1
    """
    check_team(log, team)
    by = _by(team) or None
    work = _team_rows(activity_counts(log, level=level, period=period, by=by), team)
    new = _team_rows(development_volume(_source(log, reached), level=level, period=period,
                                        by=by), team)
    table = work[["period", "level_rows", "active_customers"]].rename(
        columns={"level_rows": "rows", "active_customers": "active"})
    table = table.merge(new.rename(columns={"volume": "new"}), on="period", how="left")
    table["new"] = table["new"].fillna(0).astype("int64")
    return table.reset_index(drop=True)


def volume_view(log: pd.DataFrame, *, level: str = "won", period: str = "M", team: str = "",
                by: str = "", reached: pd.DataFrame | None = None) -> pd.DataFrame:
    """Development volume of the company (or one team's slice) by period, optionally split by ``by``.

    Examples
    --------
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-04-03", "2026-05-06"]),
    ...                     "rep": ["B", "A"], "team": ["T1", "T2"],
    ...                     "customer": ["C2", "C1"], "stage": ["won", "won"]})
    >>> volume_view(log, by="rep")["volume"].tolist()
    [0, 1, 1, 0]
    >>> volume_view(log, team="T2")["volume"].tolist()
    [0, 1]
    """
    check_team(log, team)
    columns = _by(team, by)
    table = development_volume(_source(log, reached), level=level, period=period,
                               by=columns or None)
    return _team_rows(table, team, keep_team=by == "team")


def volume_totals(table: pd.DataFrame, *, by: str = "") -> pd.DataFrame:
    """Totals of a :func:`volume_view` table per group (or one total), biggest first.

    New customers add up across periods and across people, so these totals are exact.

    Examples
    --------
    >>> t = pd.DataFrame({"period": [1, 1, 2, 2], "rep": ["A", "B", "A", "B"],
    ...                   "volume": [1, 0, 2, 5]})
    >>> volume_totals(t, by="rep").to_dict("records")
    [{'rep': 'B', 'volume': 5}, {'rep': 'A', 'volume': 3}]
    """
    if not by:
        return pd.DataFrame({"volume": [int(table["volume"].sum())]})
    totals = table.groupby(by, as_index=False)["volume"].sum()
    return totals.sort_values(["volume", by], ascending=[False, True], ignore_index=True)


def funnel_view(log: pd.DataFrame, *, team: str = "",
                reached: pd.DataFrame | None = None) -> pd.DataFrame:
    """Show the development funnel of the company, or one team's by cohort credit.

    A team's funnel starts from the customers it was credited with at first contact and counts
    how many of them reached each later level, by anyone: the team cohorts add up to the
    company's, and a team's step rates compare with the company's.

    Examples
    --------
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-03-30", "2026-04-03", "2026-04-09"]),
    ...                     "rep": ["A", "B", "B"], "team": ["T1", "T2", "T2"],
    ...                     "customer": ["C1", "C2", "C1"], "stage": ["contacted", "won", "won"]})
    >>> funnel_view(log)["customers"].tolist()
    [2, 2, 2, 2]
    >>> funnel_view(log, team="T1")["customers"].tolist()
    [1, 1, 1, 1]
    """
    check_team(log, team)
    table = funnel(_source(log, reached), by=_by(team) or None)
    return _team_rows(table, team)


def conversion_view(log: pd.DataFrame, *, start: str = "contacted", end: str = "won",
                    period: str = "M", team: str = "", within_days: int | None = None,
                    form: str = "cohort", reached: pd.DataFrame | None = None) -> pd.DataFrame:
    """Conversion per period, in the cohort form (default) or the period (throughput) form.

    Returns ``period, cohort, converted, conversion`` (cohort) or ``period, started, finished,
    throughput`` (period form); ``within_days`` 0 or None means "ever". A team's cohort is the
    customers credited to it at ``start``, converted by anyone.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-03", "2026-05-06"]),
    ...     "rep": ["A", "B", "A"], "team": ["T1"] * 3,
    ...     "customer": ["C1", "C2", "C1"], "stage": ["contacted", "won", "won"]})
    >>> conversion_view(log)["conversion"].tolist()
    [1.0, 1.0, nan]
    >>> conversion_view(log, form="period")["throughput"].tolist()
    [0.0, 1.0, nan]
    """
    check_team(log, team)
    by = _by(team) or None
    source = _source(log, reached)
    if form == "period":
        table = conversion_rate(source, start=start, end=end, period=period, by=by,
                                form="period")
    else:
        table = conversion_rate(source, start=start, end=end, period=period, by=by,
                                within_days=within_days or None)
    return _team_rows(table, team)


def pooled_rate(table: pd.DataFrame, *, numerator: str = "converted",
                denominator: str = "cohort") -> float:
    """Compute a rate over several groups: total numerator ÷ total denominator (never a mean of rates).

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": [1, 9], "converted": [1, 0]})
    >>> pooled_rate(t), float((t["converted"] / t["cohort"]).mean())
    (0.1, 0.5)
    """
    total = float(table[denominator].sum())
    return float(table[numerator].sum()) / total if total else float("nan")


#: Factors a manager can compare in lesson 04: column → Chinese name.
FACTORS: dict[str, str] = {"channel": "渠道", "team": "团队", "rep": "销售员"}


def _filled(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Name the group of rows with an empty ``column`` cell :data:`NOT_FILLED`."""
    return table.assign(**{column: table[column].astype(object).where(
        table[column].notna(), NOT_FILLED)})


def factor_view(log: pd.DataFrame, *, factor: str = "channel", team: str = "",
                end: str = "won", reached: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compare the groups of one factor: new contacts, new ``end`` customers, conversion, win rate.

    Every customer belongs to the group on the row that first contacted it (its channel, its
    rep), so the counts add up to the company's and the rates are true shares. Activities are
    rows, each counted for its own group. With ``team``, the groups are that team's slice of the
    company-wide result.

    Returns
    -------
    pandas.DataFrame
        ``factor value, contacted, converted, conversion, won, lost, win_rate, activities,
        activities_per_new`` sorted by conversion (highest first), then name.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-03-09", "2026-03-10"]),
    ...     "rep": ["A", "A", "B", "A"], "team": ["T1"] * 4,
    ...     "customer": ["C1", "C2", "C3", "C1"],
    ...     "stage": ["contacted", "contacted", "lost", "won"],
    ...     "channel": ["转介绍", "陌拜", "陌拜", "转介绍"]})
    >>> factor_view(log)[["channel", "contacted", "converted", "conversion"]].to_dict("records")
    [{'channel': '转介绍', 'contacted': 1, 'converted': 1, 'conversion': 1.0}, \
{'channel': '陌拜', 'contacted': 2, 'converted': 0, 'conversion': 0.0}]
    """
    if factor not in log.columns:
        msg = (f"工作日志表里没有“{_label(factor)}”（{factor}）这一列。/ no column {factor!r}.\n"
               f"现有的列 / columns: {', '.join(map(str, log.columns))}")
        raise ValueError(msg)
    check_team(log, team)
    keys = _by(team, factor)
    source = reached if reached is not None and factor in reached.columns else log
    conv = conversion_rate(source, start="contacted", end=end, period="Y", by=keys)
    wins = win_rate(source, by=keys)[[*keys, "won", "lost", "win_rate"]]
    work = activity_counts(log, period="Y", by=keys)
    parts = [_filled(part, factor) for part in (conv, wins, work)]
    conv = parts[0].groupby(keys, as_index=False)[["cohort", "converted"]].sum()
    work = parts[2].groupby(keys, as_index=False)["activities"].sum()
    table = conv.merge(parts[1], on=keys, how="outer").merge(work, on=keys, how="outer")
    table = _team_rows(table, team, keep_team=factor == "team")
    table = table.fillna({"cohort": 0, "converted": 0, "won": 0, "lost": 0, "activities": 0})
    table = table.rename(columns={"cohort": "contacted"})
    counts = ["contacted", "converted", "won", "lost", "activities"]
    table[counts] = table[counts].astype("int64")
    table["conversion"] = table["converted"] / table["contacted"].where(table["contacted"] > 0)
    table["activities_per_new"] = table["activities"] / table["converted"].where(
        table["converted"] > 0)
    table["win_rate"] = table["win_rate"].astype("float64")
    columns = [factor, "contacted", "converted", "conversion", "won", "lost", "win_rate",
               "activities", "activities_per_new"]
    table = table[columns].sort_values(["conversion", factor], ascending=[False, True],
                                       na_position="last")
    return table.reset_index(drop=True)


def _day(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


def before_after(log: pd.DataFrame, *, rep: str, date: str, start: str = "contacted",
                 end: str = "won", reached: pd.DataFrame | None = None) -> pd.DataFrame:
    """One rep's cohort conversion for customers first reached before and from ``date`` on.

    Use it to see whether a training course (or any change on a date) made a difference. The
    rep's cohort is the customers credited to the rep when they reached ``start`` (company-wide),
    split by that date; ``converted`` counts those who reached ``end``, by anyone
    (:func:`~devvolume.compare_periods` with ``where={"rep": rep}``).

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-05-04", "2026-05-05"]),
    ...     "rep": ["A"] * 4, "team": ["T1"] * 4, "customer": ["C1", "C2", "C3", "C3"],
    ...     "stage": ["contacted", "lost", "contacted", "won"]})
    >>> before_after(log, rep="A", date="2026-04-01")[["cohort", "converted"]].values.tolist()
    [[2, 0], [1, 1]]
    """
    if rep not in set(log["rep"].dropna()):
        msg = (f"工作日志表里没有销售员“{rep}”。/ no rep named {rep!r}.\n"
               "Hint: 名字要和工作日志里写的完全一样。")
        raise ValueError(msg)
    table = reached_levels(log) if reached is None else reached
    first, last = _day(table["date"].min()), _day(table["last_date"].max())
    split = _day(date)
    eve = split - dt.timedelta(days=1)
    # A window outside the data (a date before the first row, or after the last) is empty.
    before = (first, eve) if eve >= first else (eve, eve)
    after = (split, last) if split <= last else (split, split)
    result = compare_periods(table, before=before, after=after, metric="conversion", start=start,
                             end=end, where={"rep": rep})
    rows = []
    for label, (converted, cohort) in (("之前", result.before), ("之后", result.after)):
        rows.append({"when": label, "cohort": cohort, "converted": converted,
                     "rate": converted / cohort if cohort else float("nan")})
    return pd.DataFrame(rows)


#: Chinese column headers for the tables the explorers show.
HEADERS: dict[str, str] = {
    "period": "周期", "volume": "新客户数", "rows": "行数（错误口径）",
    "active": "活跃客户（错误口径）", "new": "新客户（正确口径）", "team": "团队", "rep": "销售员",
    "channel": "渠道", "level": "阶段", "step": "步骤", "customers": "客户数",
    "from_previous": "占上一步", "from_first": "占首次接触", "cohort": "批次客户数",
    "converted": "已转化", "rate": "转化率", "conversion": "转化率", "started": "本期开始数",
    "finished": "本期完成数", "throughput": "吞吐比（可大于 1）", "contacted": "新接触客户",
    "won": "成交客户", "lost": "流失客户", "win_rate": "赢单率", "activities": "活动次数",
    "activities_per_new": "每个新成交客户的活动次数", "when": "培训", "method": "口径",
    "date": "日期", "customer": "客户", "stage": "阶段", "activity": "活动类型", "amount": "金额",
    "note": "备注", "retention": "保留率", "churn": "流失率", "last_date": "最后一次活动",
    "idle_days": "没人跟进的天数", "previous": "上一期", "growth": "环比增长", "target": "目标",
    "actual": "实际", "attainment": "达成率", "start": "期初客户 S", "end": "期末客户 E",
    "visits": "拜访次数", "level_rows": "该阶段的行数", "active_customers": "活跃客户",
    "start_date": "开始日期", "end_date": "结束日期", "days": "天数", "payout": "奖金（元）",
    "deal": "商机", "deals_won": "成交的商机", "deals_lost": "流失的商机", "deal_win_rate": "商机赢单率",
    "first_deals": "首单（商机）", "repeat_deals": "复购（商机）", "won_revenue": "成交金额（元）",
    "first_deal_revenue": "首单金额（元）", "repeat_deal_revenue": "复购金额（元）",
}  # fmt: skip

#: The three ways of counting, as shown in the comparison chart's legend.
METHOD_LABELS: dict[str, str] = {"rows": "行数（错误）", "active": "活跃客户（错误）",
                                 "new": "新客户（正确）"}


def chinese(table: pd.DataFrame) -> pd.DataFrame:
    """Return the table with Chinese headers, dates as text and levels in Chinese (for showing).

    Examples
    --------
    >>> t = pd.DataFrame({"period": pd.to_datetime(["2026-04-01"]), "level": ["won"],
    ...                   "volume": [3]})
    >>> chinese(t).to_dict("records")
    [{'周期': '2026-04-01', '阶段': '成交', '新客户数': 3}]
    """
    shown = table.copy()
    for column in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            shown[column] = shown[column].dt.strftime("%Y-%m-%d")
    for column in ("level", "stage"):
        if column in shown.columns:
            shown[column] = shown[column].map(STAGE_LABELS).fillna(shown[column])
    return shown.rename(columns=HEADERS)


def counting_long(table: pd.DataFrame) -> pd.DataFrame:
    """Reshape :func:`counting_comparison` for a chart: ``period, 口径, volume``.

    Examples
    --------
    >>> t = pd.DataFrame({"period": [1], "rows": [7], "active": [6], "new": [5]})
    >>> counting_long(t).to_dict("records")[-1]
    {'period': 1, '口径': '新客户（正确）', 'volume': 5}
    """
    long = table.melt(id_vars=["period"], value_vars=list(METHOD_LABELS), var_name="method",
                      value_name="volume")
    long["口径"] = long["method"].map(METHOD_LABELS)
    return long[["period", "口径", "volume"]].reset_index(drop=True)


def counting_chart(table: pd.DataFrame, *, period: str = "M", title: str | None = None) -> Any:
    """Line chart of the three counts of :func:`counting_comparison` (built by devvolume.viz)."""
    from devvolume.viz import volume_trend

    return volume_trend(counting_long(table), period=period, by="口径",
                        title=title or "三种数法的对比：只有“新客户”是客户开发量")


def factor_chart(table: pd.DataFrame, *, factor: str = "channel", title: str | None = None) -> Any:
    """Bar chart of the conversion per group of :func:`factor_view` (built by devvolume.viz)."""
    name = FACTORS.get(factor, factor)
    frame = pd.DataFrame({"period": pd.Timestamp("2025-01-01"), name: table[factor],
                          "cohort": table["contacted"], "converted": table["converted"],
                          "conversion": table["conversion"]})
    from devvolume.viz import conversion_by_cohort

    return conversion_by_cohort(frame, period="Y", by=name, height=240,
                                title=title or f"按{name}比较：首次接触 → 成交的转化率")


def chart_html(chart: Any) -> str:
    """Render an altair chart to the same offline SVG ``<img>`` HTML as a notebook output."""
    from devvolume.viz import _display as display

    return str(display.renderer(chart.to_dict())["text/html"])


def _first_orders(orders: pd.DataFrame) -> pd.Series:
    """Each customer's first order date, decided by the core.

    An order is a deal won, so the orders read as a work log of ``won`` rows, and the date at
    which each customer first reached ``won`` is its first order.
    """
    as_worklog = orders[["date", "customer"]].assign(stage="won")
    first = reached_levels(as_worklog)
    first = first[first["level"] == "won"]
    return first.set_index("customer")["date"].rename("first")


def customer_value(orders: pd.DataFrame, *, cohort_months: int = 3,
                   window_months: int = 9) -> pd.DataFrame:
    """Measure what a new customer is worth beyond the first deal: its orders in its first months.

    The cohort is the customers whose first order falls in the first ``cohort_months`` calendar
    months of the orders; each is followed for ``window_months`` months from its first order (all
    of them are observed that long when the data span ``cohort_months + window_months`` months).
    First orders and calendar months come from the core.

    Returns
    -------
    pandas.DataFrame
        One row: ``customers``, ``first_order`` (mean amount), ``window_value`` (mean amount in
        the window, the first order included), ``orders`` (mean count) and ``multiple``
        (window value ÷ first-order value, pooled).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer": ["C1", "C1", "C2"],
    ...                        "date": pd.to_datetime(["2026-01-05", "2026-03-01", "2026-02-10"]),
    ...                        "amount": [100.0, 50.0, 100.0]})
    >>> customer_value(orders).to_dict("records")
    [{'customers': 2, 'first_order': 100.0, 'window_value': 125.0, 'orders': 1.5, 'multiple': 1.25}]
    """
    first = _first_orders(orders)
    months: Sequence[dt.date] = (
        period_starts(first.min(), first.max(), "M")[:cohort_months] if len(first) else [])
    cohort_last = pd.Timestamp(period_window(months[-1], "M").last) if months else pd.NaT
    dated = orders.join(first, on="customer")
    cohort = dated[dated["first"] <= cohort_last]
    window = cohort[cohort["date"] < cohort["first"] + pd.DateOffset(months=window_months)]
    first_amount = window[window["date"] == window["first"]].groupby("customer")["amount"].sum()
    total = window.groupby("customer")["amount"].sum()
    count = window.groupby("customer").size()
    customers = len(total)
    multiple = float(total.sum() / first_amount.sum()) if customers else float("nan")
    return pd.DataFrame([{
        "customers": customers,
        "first_order": float(first_amount.mean()) if customers else float("nan"),
        "window_value": float(total.mean()) if customers else float("nan"),
        "orders": float(count.mean()) if customers else float("nan"),
        "multiple": multiple,
    }])
