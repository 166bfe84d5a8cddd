"""The weekly team meeting built from the work log: this week against last, and stalled customers.

A meeting review answers three questions a manager asks every Monday: did we develop more new
customers than last week (counted as in :mod:`devvolume.core`: distinct customers reaching a
level for the first time, in ISO weeks from Monday); who moved and who did not; and which
customers in the middle of the funnel have gone quiet and need a call this week.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from devvolume import core as metrics
from devvolume.core import LEVELS, LOST

#: A customer with no activity for this many days is stalled.
STALLED_AFTER_DAYS = 14
#: The lowest level at which a quiet customer counts as stalled (earlier ones are just leads).
STALLED_FROM_LEVEL = "qualified"

#: The label of the totals row of :func:`weekly_review`.
TOTAL = "合计"

_REVIEW_LEVELS: dict[str, str] = {"contacted": "新接触", "won": "新成交"}


def week_start(day: str | pd.Timestamp) -> pd.Timestamp:
    """Return the Monday of ``day``'s ISO week.

    Examples
    --------
    >>> week_start("2025-06-15")
    Timestamp('2025-06-09 00:00:00')
    """
    stamp = pd.Timestamp(day).normalize()
    return stamp - pd.Timedelta(days=stamp.weekday())


def _team(log: pd.DataFrame, team: str) -> pd.DataFrame:
    if not team:
        return log
    if team not in set(log["team"]):
        teams = "、".join(sorted(log["team"].dropna().unique()))
        msg = f"没有名为“{team}”的团队。/ no team named {team!r}. 现有团队 / teams: {teams}"
        raise ValueError(msg)
    return log[log["team"] == team]


def weekly_review(log: pd.DataFrame, *, week: str | pd.Timestamp, team: str = "") -> pd.DataFrame:
    """Compare this week with last week for every rep: new contacts, new wins, activities.

    Parameters
    ----------
    log : pandas.DataFrame
        A canonical work log.
    week : str or Timestamp
        Any day of the week under review; weeks start on Monday.
    team : str
        Keep only this team; ``""`` means the whole company.

    Returns
    -------
    pandas.DataFrame
        One row per rep (sorted by team and rep) with ``rep, team`` and, for 新接触 (new
        customers contacted), 新成交 (new customers won) and 活动 (activity rows): ``本周``,
        ``上周`` and ``变化``. A last row ``合计`` adds them up.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2025-06-03", "2025-06-10", "2025-06-11", "2025-06-12"]),
    ...     "rep": ["A", "A", "B", "A"], "team": ["T"] * 4,
    ...     "customer": ["C1", "C1", "C2", "C3"],
    ...     "stage": ["contacted", "won", "contacted", "contacted"]})
    >>> weekly_review(log, week="2025-06-12")[["rep", "新接触_本周", "新接触_上周", "新成交_本周"]]
      rep  新接触_本周  新接触_上周  新成交_本周
    0   A       1       1       1
    1   B       1       0       0
    2  合计       2       1       1
    """
    log = _team(log, team)
    this = week_start(week)
    last = this - pd.Timedelta(days=7)
    reps = log[["rep", "team"]].drop_duplicates("rep").sort_values(["team", "rep"])
    table = reps.reset_index(drop=True)
    for level, label in _REVIEW_LEVELS.items():
        volume = metrics.development_volume(log, level=level, period="W", by="rep")
        for when, name in ((this, "本周"), (last, "上周")):
            counts = volume[volume["period"] == when].set_index("rep")["volume"]
            table[f"{label}_{name}"] = table["rep"].map(counts).fillna(0).astype("int64")
        table[f"{label}_变化"] = table[f"{label}_本周"] - table[f"{label}_上周"]
    days = log["date"].dt.normalize()
    for when, name in ((this, "本周"), (last, "上周")):
        inside = log[(days >= when) & (days < when + pd.Timedelta(days=7))]
        table[f"活动_{name}"] = table["rep"].map(inside["rep"].value_counts()).fillna(0)
        table[f"活动_{name}"] = table[f"活动_{name}"].astype("int64")
    table["活动_变化"] = table["活动_本周"] - table["活动_上周"]
    total = table.drop(columns=["rep", "team"]).sum().to_frame().T
    total.insert(0, "team", "")
    total.insert(0, "rep", TOTAL)
    return pd.concat([table, total], ignore_index=True)


def stalled_customers(
    log: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp,
    idle_days: int = STALLED_AFTER_DAYS,
    team: str = "",
) -> pd.DataFrame:
    """List the customers in the middle of the funnel who went quiet before ``as_of``.

    A customer is stalled when, counting only rows before ``as_of``, it has reached 意向
    (qualified) or 签约 (signed) — implied stages count, as everywhere — is neither won nor
    lost, and its last activity is at least ``idle_days`` days before ``as_of``.

    Parameters
    ----------
    log : pandas.DataFrame
        A canonical work log.
    as_of : str or Timestamp
        The meeting day; rows on or after it are ignored.
    idle_days : int
        Days without activity after which a customer counts as stalled.
    team : str
        Keep only this team; ``""`` means the whole company.

    Returns
    -------
    pandas.DataFrame
        ``customer, rep, team, stage, last_date, idle_days`` (``stage`` is the highest level
        reached), the longest idle first, then by customer.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2025-05-05", "2025-05-06", "2025-05-20", "2025-05-07"]),
    ...     "rep": ["A", "A", "B", "B"], "team": ["T"] * 4,
    ...     "customer": ["C1", "C1", "C2", "C3"],
    ...     "stage": ["contacted", "qualified", "signed", "qualified"]})
    >>> stalled_customers(log, as_of="2025-06-02")[["customer", "stage", "idle_days"]]
      customer      stage  idle_days
    0       C1  qualified         27
    1       C3  qualified         26
    """
    day = pd.Timestamp(as_of).normalize()
    rows = _team(log, team)
    rows = rows[rows["date"] < day].sort_values(["date", "customer"], kind="stable")
    rank = rows["stage"].map({level: i for i, level in enumerate(LEVELS)}).fillna(-1)
    summary = rows.assign(_rank=rank, _lost=rows["stage"] == LOST).groupby("customer").agg(
        rep=("rep", "last"), team=("team", "last"), rank=("_rank", "max"), lost=("_lost", "any"),
        last_date=("date", "max"))  # fmt: skip
    summary["idle_days"] = (day - summary["last_date"].dt.normalize()).dt.days
    low, won = LEVELS.index(STALLED_FROM_LEVEL), LEVELS.index("won")
    stalled = summary[(summary["rank"] >= low) & (summary["rank"] < won) & ~summary["lost"]
                      & (summary["idle_days"] >= idle_days)]  # fmt: skip
    stalled = stalled.assign(stage=stalled["rank"].astype(int).map(dict(enumerate(LEVELS))))
    result = stalled.reset_index()[["customer", "rep", "team", "stage", "last_date",
                                    "idle_days"]]  # fmt: skip
    return result.sort_values(["idle_days", "customer"], ascending=[False, True],
                              ignore_index=True)  # fmt: skip


def review_chart(review: pd.DataFrame, *, measure: str = "新接触", title: str | None = None) -> Any:
    """Draw this week against last week for every rep, for one measure of :func:`weekly_review`.

    Parameters
    ----------
    review : pandas.DataFrame
        A :func:`weekly_review` table (the ``合计`` row is left out).
    measure : {"新接触", "新成交", "活动"}
        Which pair of columns to draw.
    title : str, optional
        The chart title; default ``本周与上周：<measure>``.

    Examples
    --------
    >>> review = pd.DataFrame({"rep": ["A", "合计"], "team": ["T", ""],
    ...                        "新接触_本周": [2, 2], "新接触_上周": [1, 1]})
    >>> spec = review_chart(review).to_dict()
    >>> spec["title"], spec["encoding"]["x"]["title"]
    ('本周与上周：新接触', '销售员')
    """
    import altair as alt

    from devvolume.viz import _charts as charts
    from devvolume.viz._display import FONT_STACK

    rows = review[review["rep"] != TOTAL]
    weeks = ["上周", "本周"]
    data = rows.melt(id_vars=["rep"], value_vars=[f"{measure}_{w}" for w in weeks],
                     var_name="week", value_name="count")  # fmt: skip
    data["week"] = data["week"].str.removeprefix(f"{measure}_")
    reps = rows["rep"].astype(str).tolist()
    unit = "客户数" if measure != "活动" else "活动次数"
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("rep:N", title="销售员", sort=reps, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("week:N", sort=weeks),
        y=alt.Y("count:Q", title=unit, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("week:N", title="周", sort=weeks,
                        scale=alt.Scale(domain=weeks, range=[charts.MUTED_COLOR,
                                                             charts.MAIN_COLOR])),
        tooltip=[alt.Tooltip("rep:N", title="销售员"), alt.Tooltip("week:N", title="周"),
                 alt.Tooltip("count:Q", title=unit)])  # fmt: skip
    return (chart.properties(title=title or f"本周与上周：{measure}", width=480, height=260)
            .configure(font=FONT_STACK).configure_title(anchor="start", fontSize=15)
            .configure_view(stroke=None))  # fmt: skip
