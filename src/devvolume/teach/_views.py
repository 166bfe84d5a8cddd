"""The tables behind the lesson controls: pure functions of a work log, one per question.

Each function answers one question a lesson asks ("how do the three ways of counting
compare?", "how do channels convert?") with the metric engine, returns a sorted pandas frame and
never changes its input; :mod:`devvolume.widgets` wraps each in a control, and the tests check
them directly. :func:`chinese` turns a result into the table a learner reads.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from devvolume.core import COLUMN_LABELS, STAGE_LABELS, STAGE_RANK

#: Period codes and their Chinese names, in the order the drop-downs show them.
PERIOD_LABELS: dict[str, str] = {"W": "周（周一开始）", "M": "月", "Q": "季度", "Y": "年"}


def select_team(log: pd.DataFrame, team: str = "") -> pd.DataFrame:
    """Keep the rows of one team, or all rows for ``""``; fail listing the teams that exist.

    Examples
    --------
    >>> log = pd.DataFrame({"team": ["一组", "二组"], "rep": ["A", "B"]})
    >>> len(select_team(log, "")), len(select_team(log, "二组"))
    (2, 1)
    """
    if not team:
        return log
    if team not in set(log["team"]):
        teams = "、".join(sorted(log["team"].dropna().unique()))
        msg = (f"没有名为“{team}”的团队。/ no team named {team!r}.\n"
               f"现有团队 / teams: {teams}\nHint: team 留空（\"\"）表示全公司。")
        raise ValueError(msg)
    return log[log["team"] == team]


def _label(column: str) -> str:
    return COLUMN_LABELS.get(column, column)


def period_of(dates: pd.Series, period: str) -> pd.Series:
    """First day of each date's period: ISO week from Monday, month, quarter or year.

    Examples
    --------
    >>> dates = pd.Series(pd.to_datetime(["2025-03-02", "2025-03-03"]))
    >>> period_of(dates, "W").dt.strftime("%Y-%m-%d").tolist()
    ['2025-02-24', '2025-03-03']
    """
    if period not in PERIOD_LABELS:
        msg = (f"不认识的统计周期 {period!r}。/ unknown period {period!r}.\n"
               f"可用 / choose one of: {', '.join(PERIOD_LABELS)}（W 周、M 月、Q 季、Y 年）")
        raise ValueError(msg)
    if period == "W":
        days = pd.to_timedelta(dates.dt.day_of_week, unit="D")
        return (dates.dt.normalize() - days).astype("datetime64[us]")
    code = {"M": "M", "Q": "Q", "Y": "Y"}[period]
    return dates.dt.to_period(code).dt.start_time.astype("datetime64[us]")


def _rank(stages: pd.Series) -> pd.Series:
    return stages.map(STAGE_RANK)


def counting_comparison(log: pd.DataFrame, *, level: str = "contacted", period: str = "M",
                        team: str = "") -> pd.DataFrame:
    """Three ways to count per period: rows, active customers, and new customers (the right one).

    - ``rows``: rows whose stage is exactly ``level`` (the first classic mistake);
    - ``active``: distinct customers with a row at ``level`` or later in the period (a ``lost``
      row counts as a contact); many of them were developed earlier (the second mistake);
    - ``new``: the development volume, customers reaching ``level`` for the first time.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-02", "2026-04-03", "2026-04-10"]),
    ...     "rep": ["A", "A", "B", "A"], "team": ["T1"] * 4,
    ...     "customer": ["C1", "C1", "C2", "C1"],
    ...     "stage": ["contacted", "contacted", "won", "signed"]})
    >>> counting_comparison(log, level="contacted")
          period  rows  active  new
    0 2026-03-01     1       1    1
    1 2026-04-01     1       2    1
    """
    from devvolume.core import development_volume

    scoped = select_team(log, team)
    new = development_volume(scoped, level=level, period=period)
    buckets = period_of(scoped["date"], period)
    rows = (scoped["stage"] == level).groupby(buckets).sum()
    at_level = _rank(scoped["stage"]) >= STAGE_RANK[level]
    active = scoped.loc[at_level, "customer"].groupby(buckets[at_level]).nunique()
    table = new.rename(columns={"volume": "new"})
    table.insert(1, "rows", table["period"].map(rows).fillna(0).astype("int64"))
    table.insert(2, "active", table["period"].map(active).fillna(0).astype("int64"))
    return table.reset_index(drop=True)


def volume_view(log: pd.DataFrame, *, level: str = "won", period: str = "M", team: str = "",
                by: str = "") -> pd.DataFrame:
    """Development volume of one team (or all) by period, optionally split by ``team``/``rep``/….

    Examples
    --------
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-04-03", "2026-05-06"]),
    ...                     "rep": ["B", "A"], "team": ["T1", "T1"],
    ...                     "customer": ["C2", "C1"], "stage": ["won", "won"]})
    >>> volume_view(log, by="rep")["volume"].tolist()
    [0, 1, 1, 0]
    """
    from devvolume.core import development_volume

    scoped = select_team(log, team)
    return development_volume(scoped, level=level, period=period, by=by or None)


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


def funnel_view(log: pd.DataFrame, *, team: str = "") -> pd.DataFrame:
    """Compute the stage funnel of one team (or the company): customers reaching each level, step rates.

    Examples
    --------
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-03-30", "2026-04-03"]),
    ...                     "rep": ["A", "B"], "team": ["T1", "T1"],
    ...                     "customer": ["C1", "C2"], "stage": ["contacted", "won"]})
    >>> funnel_view(log)["customers"].tolist()
    [2, 1, 1, 1]
    """
    from devvolume.core import funnel

    return funnel(select_team(log, team))


def conversion_view(log: pd.DataFrame, *, start: str = "contacted", end: str = "won",
                    period: str = "M", team: str = "", within_days: int | None = None,
                    form: str = "cohort") -> pd.DataFrame:
    """Conversion per period, in the cohort form (default) or the period (throughput) form.

    Returns ``period, cohort, converted, rate`` (cohort) or ``period, started, finished,
    throughput`` (period form); ``within_days`` 0 or None means "ever".

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-30", "2026-04-03", "2026-05-06"]),
    ...     "rep": ["A", "B", "A"], "team": ["T1"] * 3,
    ...     "customer": ["C1", "C2", "C1"], "stage": ["contacted", "won", "won"]})
    >>> conversion_view(log)["rate"].tolist()
    [1.0, 1.0, nan]
    >>> conversion_view(log, form="period")["throughput"].tolist()
    [0.0, 1.0, nan]
    """
    from devvolume.core import conversion_rate

    scoped = select_team(log, team)
    if form == "period":
        return conversion_rate(scoped, start=start, end=end, period=period, form="period")
    return conversion_rate(scoped, start=start, end=end, period=period,
                           within_days=within_days or None)


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


def factor_view(log: pd.DataFrame, *, factor: str = "channel", team: str = "",
                end: str = "won") -> pd.DataFrame:
    """Compare the groups of one factor: new contacts, new ``end`` customers, conversion, win rate.

    Every customer belongs to the group on the row that first contacted it (its channel, its
    rep), so the counts add up to the company's and the rates are true shares.

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
    from devvolume.core import conversion_rate, win_rate

    if factor not in log.columns:
        msg = (f"工作日志表里没有“{_label(factor)}”（{factor}）这一列。/ no column {factor!r}.\n"
               f"现有的列 / columns: {', '.join(map(str, log.columns))}")
        raise ValueError(msg)
    scoped = select_team(log, team)
    scoped = scoped.assign(**{factor: scoped[factor].fillna("（未填写）")})
    conv = conversion_rate(scoped, start="contacted", end=end, period="Y", by=factor)
    conv = conv.groupby(factor, as_index=False)[["cohort", "converted"]].sum()
    wins = win_rate(scoped, by=factor)[[factor, "won", "lost", "rate"]]
    rows = scoped.groupby(factor).size().rename("activities").reset_index()
    table = conv.merge(wins, on=factor, how="outer").merge(rows, on=factor, how="outer")
    table = table.fillna({"cohort": 0, "converted": 0, "won": 0, "lost": 0, "activities": 0})
    table = table.rename(columns={"cohort": "contacted", "rate": "win_rate"})
    counts = ["contacted", "converted", "won", "lost", "activities"]
    table[counts] = table[counts].astype("int64")
    table["conversion"] = table["converted"] / table["contacted"].where(table["contacted"] > 0)
    table["activities_per_new"] = table["activities"] / table["converted"].where(
        table["converted"] > 0)
    columns = [factor, "contacted", "converted", "conversion", "won", "lost", "win_rate",
               "activities", "activities_per_new"]
    table = table[columns].sort_values(["conversion", factor], ascending=[False, True],
                                       na_position="last")
    return table.reset_index(drop=True)


def before_after(log: pd.DataFrame, *, rep: str, date: str, start: str = "contacted",
                 end: str = "won") -> pd.DataFrame:
    """One rep's cohort conversion for customers first reached before and from ``date`` on.

    Use it to see whether a training course (or any change on a date) made a difference: the
    cohorts are split by the date each customer reached ``start``.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-05-04", "2026-05-05"]),
    ...     "rep": ["A"] * 4, "team": ["T1"] * 4, "customer": ["C1", "C2", "C3", "C3"],
    ...     "stage": ["contacted", "lost", "contacted", "won"]})
    >>> before_after(log, rep="A", date="2026-04-01")[["cohort", "converted"]].values.tolist()
    [[2, 0], [1, 1]]
    """
    if rep not in set(log["rep"]):
        msg = f"工作日志表里没有销售员“{rep}”。/ no rep named {rep!r}."
        raise ValueError(msg)
    mine = log[log["rep"] == rep]
    rank = _rank(mine["stage"])
    started = mine[rank >= STAGE_RANK[start]].groupby("customer")["date"].min()
    ended = mine[rank >= STAGE_RANK[end]].groupby("customer")["date"].min()
    after = started >= pd.Timestamp(date)
    converted = started.index.isin(ended.index)
    rows = []
    for label, part in (("之前", ~after), ("之后", after)):
        cohort = int(part.sum())
        done = int((part & converted).sum())
        rows.append({"when": label, "cohort": cohort, "converted": done,
                     "rate": done / cohort if cohort else float("nan")})
    return pd.DataFrame(rows)


#: Chinese column headers for the tables the explorers show.
HEADERS: dict[str, str] = {
    "period": "周期", "volume": "新客户数", "rows": "行数（错误口径）",
    "active": "活跃客户（错误口径）", "new": "新客户（正确口径）", "team": "团队", "rep": "销售员",
    "channel": "渠道", "level": "阶段", "step": "步骤", "customers": "客户数",
    "from_previous": "占上一步", "from_first": "占首次接触", "cohort": "批次客户数",
    "converted": "已转化", "rate": "转化率", "started": "本期开始数", "finished": "本期完成数",
    "throughput": "吞吐比（可大于 1）", "contacted": "新接触客户", "conversion": "接触→成交转化率",
    "won": "成交客户", "lost": "流失客户", "win_rate": "赢单率", "activities": "活动次数",
    "activities_per_new": "每个新成交客户的活动次数", "when": "培训", "method": "口径",
    "date": "日期", "customer": "客户", "stage": "阶段", "activity": "活动类型", "amount": "金额",
    "note": "备注",
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
    """Line chart of the three counts of :func:`counting_comparison` (built by devvolume.viz._charts)."""
    from devvolume.viz import _charts as charts

    return charts.volume_trend(counting_long(table), period=period, by="口径",
                               title=title or "三种数法的对比：只有“新客户”是客户开发量")


def factor_chart(table: pd.DataFrame, *, factor: str = "channel", title: str | None = None) -> Any:
    """Bar chart of the conversion per group of :func:`factor_view` (built by devvolume.viz._charts)."""
    from devvolume.viz import _charts as charts

    name = FACTORS.get(factor, factor)
    frame = pd.DataFrame({"period": pd.Timestamp("2025-01-01"), name: table[factor],
                          "cohort": table["contacted"], "converted": table["converted"],
                          "rate": table["conversion"]})
    return charts.conversion_by_cohort(
        frame, period="Y", by=name, height=240,
        title=title or f"按{name}比较：首次接触 → 成交的转化率")


def chart_html(chart: Any) -> str:
    """Render an altair chart to the same offline SVG ``<img>`` HTML as a notebook output."""
    from devvolume.viz import _display as display

    return str(display.renderer(chart.to_dict())["text/html"])


def customer_value(orders: pd.DataFrame, *, cohort_months: int = 3,
                   window_months: int = 9) -> pd.DataFrame:
    """Measure what a new customer is worth beyond the first deal: its orders in its first months.

    The cohort is the customers whose first order falls in the first ``cohort_months`` calendar
    months of the orders; each is followed for ``window_months`` months from its first order (all of them
    are observed that long when the data spans ``cohort_months + window_months`` months).

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
    first = orders.groupby("customer")["date"].min().rename("first")
    dated = orders.join(first, on="customer")
    start = dated["date"].min().to_period("M").start_time
    cohort = dated[dated["first"] < start + pd.DateOffset(months=cohort_months)]
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
