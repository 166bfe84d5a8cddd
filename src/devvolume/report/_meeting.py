"""The weekly team meeting built from the work log: this week against last, rep by rep.

A meeting review answers three questions a manager asks every Monday: did we develop more new
customers than last week; who moved and who did not; and which customers in the middle of the
funnel have gone quiet (:func:`devvolume.stalled_customers`, sliced by team). Every count is a
slice of a company-wide core result: new customers are ``dv.development_volume(..., by=["team",
"rep"])`` rows, activities ``dv.activity_counts(..., by=["team", "rep"])`` rows. A week that is
still running is compared with the same days of last week (:func:`devvolume.like_for_like`),
never with a whole week. Given a :class:`~devvolume.report.Company`, :func:`weekly_review`
counts every team's reps once and keeps one team's rows for each meeting pack.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from devvolume.core import (
    LEVELS,
    Comparison,
    Window,
    activity_counts,
    compare_periods,
    development_volume,
    last_complete,
    like_for_like,
    reached_levels,
)
from devvolume.core._periods import day_of
from devvolume.core._significance import p_text
from devvolume.report._data import Company
from devvolume.report._figures import pick

#: The label of the totals row of :func:`weekly_review`.
TOTAL = "合计"
#: The credit a review is split by: a rep within a team.
REVIEW_BY = ["team", "rep"]

_REVIEW_LEVELS: dict[str, str] = {"contacted": "新接触", "won": "新成交"}

#: The meeting's timed agenda: minutes, then the item in Chinese and in English.
AGENDA: tuple[tuple[int, str, str], ...] = (
    (5, "数字：上周的新客户、本月进度", "Numbers: last week's new customers, the month's pace"),
    (10, "管道：各阶段有多少客户", "Pipeline: customers at each stage"),
    (10, "停滞客户：先打给谁，哪些该关闭", "Stalled customers: who to call first, which to close"),
    (5, "上周的承诺：逐条打勾", "Last week's commitments: tick each one"),
    (5, "本周做得好的：请一位同事讲讲怎么做到的", "What worked: one colleague tells how"),
    (10, "本周的承诺：每人一到两条（谁、哪天之前、做什么）",
     "This week's commitments: one or two each (who, by when, what)"),
)

#: What the pack says before judging any rep on one week's numbers.
NOISE_WARNING = {
    "zh": "一周的数字很小：每人每周只有几个新客户，多两三个、少两三个大多是偶然。只有标明“变化明显”的才值得"
          "在会上追问；评价一个人，要看几周、几个月累计的数字。",
    "en": "One week's numbers are small: a rep finds only a few new customers a week, so two or three "
          "more or fewer is mostly chance. Only a change marked clear is worth asking about; judge a "
          "person on several weeks' or months' totals.",
}


@dataclass(frozen=True)
class MeetingWeeks:
    """The weeks of a meeting held on ``day``.

    ``review`` compares the last complete week (Monday to Sunday) on ``day`` with the whole
    week before; ``running`` is the week holding ``day`` up to ``day`` when it has begun and
    not ended (shown on its own, never compared with a whole week); ``coming`` is the Monday
    after the reviewed week, the week the meeting's commitments are for.
    """

    day: dt.date
    review: Comparison
    running: Window | None

    @property
    def coming(self) -> dt.date:
        """The Monday after the reviewed week."""
        return self.review.current.last + dt.timedelta(days=1)


def meeting_weeks(day: Any) -> MeetingWeeks:
    """Pick the weeks of a meeting: the last complete week, and the running part of this one.

    Examples
    --------
    >>> weeks = meeting_weeks("2026-12-31")  # a Thursday
    >>> str(weeks.review.current), str(weeks.review.previous), str(weeks.running), weeks.coming
    ('2026-12-21 – 2026-12-27', '2026-12-14 – 2026-12-20', '2026-12-28 – 2026-12-31', datetime.date(2026, 12, 28))
    >>> meeting_weeks("2026-12-27").running is None  # a Sunday: the week is complete
    True
    """
    today = day_of(day)
    review = last_complete(today, "W")
    running = None if review.current.last == today else Window(review.current.last
                                                               + dt.timedelta(days=1), today)  # fmt: skip
    return MeetingWeeks(today, review, running)


def week_summary(company: Company, week: Window, **where: str) -> dict[str, Any]:
    """Give a pack's row of ``summary.csv``: a whole week's new customers at every level.

    Each count is the week's row of ``dv.development_volume(company.reached, by=[*where])``
    (computed once for every pack of the company), for one team (``team=``).
    """
    row: dict[str, Any] = {"period": week.first.isoformat(), "as_of": week.last.isoformat()}
    for level in LEVELS:
        volume = company.result(development_volume, level=level, period="W", by=[*where])
        row[level] = int(pick(volume, period=week.first, **where)["volume"].sum())
    return row


def agenda_table(*, lang: str = "zh") -> pd.DataFrame:
    """Give the timed agenda (:data:`AGENDA`) with each item's minutes from the start.

    Examples
    --------
    >>> agenda = agenda_table()
    >>> agenda["时间"].tolist()[-1], int(agenda["分钟"].sum())
    ('35–45 分钟', 45)
    """
    rows, start = [], 0
    for minutes, zh, en in AGENDA:
        end = start + minutes
        if lang == "zh":
            rows.append({"时间": f"{start}–{end} 分钟", "分钟": minutes, "议题": zh})
        else:
            rows.append({"Time": f"{start}–{end} min", "Minutes": minutes, "Item": en})
        start = end
    return pd.DataFrame(rows)


_POINTS = {
    "zh": {
        "up": "{rep}：新接触客户从 {before} 个增加到 {after} 个（{p}），变化明显：请在会上分享做法。",
        "down": "{rep}：新接触客户从 {before} 个减少到 {after} 个（{p}），变化明显："
                "一起看看是时间被占用，还是线索不够。",
        "chance": "{who}的增减都在偶然波动的范围内，不必逐一追问。",
        "others": "其他人", "everyone": "每个人",
        "quiet": "两周都没有新接触客户的销售员：{reps}。一起看看本周的拜访计划。",
    },
    "en": {
        "up": "{rep}: new customers contacted rose from {before} to {after} ({p}), a clear change: ask "
              "for what worked.",
        "down": "{rep}: new customers contacted fell from {before} to {after} ({p}), a clear change: "
                "short of time, or of leads?",
        "chance": "{who}'s ups and downs are within chance: no need to question each one.",
        "others": "Everyone else", "everyone": "Everyone",
        "quiet": "No new contacts in either week: {reps}. Plan this week's visits together.",
    },
}


def rep_points(changes: pd.DataFrame, *, lang: str = "zh") -> list[str]:
    """Say what one week's change of each rep means, noise warning first (:data:`NOISE_WARNING`).

    ``changes`` is a :func:`rep_changes` table. Only a change the test calls clear is named;
    the rest are said to be within chance, and reps with no new contact in either window are
    listed to plan their visits.

    Examples
    --------
    >>> changes = pd.DataFrame({"rep": ["A", "B", "C"], "before": [1, 9, 0], "after": [3, 1, 0],
    ...                         "p_value": [0.62, 0.02, 1.0], "significant": [False, True, False]})
    >>> for point in rep_points(changes)[1:]:
    ...     print(point)
    B：新接触客户从 9 个减少到 1 个（p = 0.020），变化明显：一起看看是时间被占用，还是线索不够。
    其他人的增减都在偶然波动的范围内，不必逐一追问。
    两周都没有新接触客户的销售员：C。一起看看本周的拜访计划。
    """
    words = _POINTS[lang]
    points = [NOISE_WARNING[lang]]
    clear = changes[changes["significant"].astype(bool)]
    for change in clear.itertuples():
        key = "up" if change.after > change.before else "down"
        points.append(words[key].format(rep=change.rep, before=change.before, after=change.after,
                                        p=p_text(float(change.p_value))))  # fmt: skip
    if len(changes) > len(clear) and (changes["before"] != changes["after"]).any():
        points.append(words["chance"].format(who=words["others"] if len(clear) else words["everyone"]))
    quiet = changes.loc[(changes["before"] == 0) & (changes["after"] == 0), "rep"].astype(str).tolist()
    if quiet:
        points.append(words["quiet"].format(reps=("、" if lang == "zh" else ", ").join(quiet)))
    return points


def _up_to(log: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Keep the rows dated on or before ``day`` (a cut by date: earlier first times stay)."""
    return log[log["date"] < pd.Timestamp(day) + pd.Timedelta(days=1)]


def _counts(log: pd.DataFrame, reached: Any, window: Window, *, team: str | None
            ) -> pd.DataFrame:  # fmt: skip
    """Count new customers and activities per (team, rep) in ``window`` (a week, or its start).

    ``log`` and ``reached`` stop at ``window.last``, so the week's row of each company-wide
    result counts the window only.
    """
    week = pd.Timestamp(window.first)
    where = {"period": week, **({"team": team} if team else {})}
    columns: dict[str, pd.Series] = {}
    for level, name in _REVIEW_LEVELS.items():
        volume = development_volume(reached, level=level, period="W", by=REVIEW_BY)
        columns[name] = _keyed(_rows(volume, where), "volume")
    activities = activity_counts(log, period="W", by=REVIEW_BY)
    columns["活动"] = _keyed(_rows(activities, where), "activities")
    return pd.DataFrame(columns)


def _rows(frame: pd.DataFrame, where: dict[str, Any]) -> pd.DataFrame:
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame


def _keyed(frame: pd.DataFrame, value: str) -> pd.Series:
    return frame.set_index(REVIEW_BY)[value]


def weekly_review(
    log: pd.DataFrame | Company,
    *,
    as_of: Any = None,
    team: str | None = None,
    reached: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compare this week with last week for every rep: new contacts, new wins, activities.

    The week under review is the ISO week (Monday first) holding ``as_of``. While it is still
    running, it is compared with the same days of last week (Monday to the same weekday,
    :func:`devvolume.like_for_like`); on a Sunday, whole week with whole week.

    Parameters
    ----------
    log : pandas.DataFrame or Company
        The whole company's work log (rows after ``as_of`` are left out). Never a log cut to
        one team: a customer another team contacted first is not new. Or a
        :class:`~devvolume.report.Company` (:func:`~devvolume.report.load_company`): its log,
        reached levels and report day, and the company-wide review computed once for every
        team's meeting pack.
    as_of : str or date
        The day of the review (a company's report day, if not given).
    team : str, optional
        Show the reps of this team (their rows of the company-wide counts); default every rep.
    reached : pandas.DataFrame, optional
        ``dv.reached_levels(log)`` of the log up to ``as_of``, if already computed.

    Returns
    -------
    pandas.DataFrame
        One row per rep with a row in the log for the team (``rep, team``, sorted), and for
        新接触 (new customers contacted), 新成交 (new customers won) and 活动 (activity rows):
        ``本周``, ``上周`` (the comparison window) and ``变化``. A last row ``合计`` adds
        them up. ``attrs["comparison"]`` holds the :class:`devvolume.Comparison`.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "date": pd.to_datetime(["2025-06-03", "2025-06-10", "2025-06-11", "2025-06-12"]),
    ...     "rep": ["A", "A", "B", "A"], "team": ["T"] * 4,
    ...     "customer": ["C1", "C1", "C2", "C3"],
    ...     "stage": ["contacted", "won", "contacted", "contacted"]})
    >>> review = weekly_review(log, as_of="2025-06-15")
    >>> review[["rep", "新接触_本周", "新接触_上周", "新成交_本周"]]
      rep  新接触_本周  新接触_上周  新成交_本周
    0   A       1       1       1
    1   B       1       0       0
    2  合计       2       1       1
    >>> str(weekly_review(log, as_of="2025-06-11").attrs["comparison"].previous)
    '2025-06-02 – 2025-06-04'
    """
    if isinstance(log, Company):  # computed once for the company, shared by every team's pack
        company = log
        comparison = like_for_like(company.day if as_of is None else as_of, "W")
        last = comparison.current.last

        def company_review() -> pd.DataFrame:
            if last == company.day:
                return _review(company.log, company.reached, comparison)
            now = _up_to(company.log, last)
            return _review(now, reached_levels(now), comparison)

        table = company.once(f"weekly review {last}", company_review)
        return _team_review(table, comparison, team, company.log)
    else:
        comparison = like_for_like(as_of, "W")
    now = _up_to(log, comparison.current.last)
    if reached is None:
        reached = reached_levels(now)
    return _team_review(_review(now, reached, comparison), comparison, team, log)


def _review(now: pd.DataFrame, reached: Any, comparison: Comparison) -> pd.DataFrame:
    """Count this week and last week for every (team, rep) of the company (sorted), with changes.

    ``now`` is the company's log up to the end of this week's window, ``reached`` its reached
    levels.
    """
    table = now[REVIEW_BY].drop_duplicates().sort_values(REVIEW_BY).reset_index(drop=True)
    before = _up_to(now, comparison.previous.last)
    windows = {
        "本周": (now, reached, comparison.current),
        "上周": (before, reached_levels(before), comparison.previous),
    }  # fmt: skip
    keys = pd.MultiIndex.from_frame(table[REVIEW_BY])
    for when, (cut, cut_reached, window) in windows.items():
        counts = _counts(cut, cut_reached, window, team=None)
        for name in (*_REVIEW_LEVELS.values(), "活动"):
            values = counts[name].reindex(keys).fillna(0)
            table[f"{name}_{when}"] = values.astype("int64").to_numpy()
    for name in (*_REVIEW_LEVELS.values(), "活动"):
        table[f"{name}_变化"] = table[f"{name}_本周"] - table[f"{name}_上周"]
    ordered = ["rep", "team", *(f"{name}_{when}" for name in (*_REVIEW_LEVELS.values(), "活动")
                                for when in ("本周", "上周", "变化"))]  # fmt: skip
    return table[ordered]


def _team_review(review: pd.DataFrame, comparison: Comparison, team: str | None,
                 log: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """Keep one team's reps of the company's review (or every rep) and add the totals row."""
    if team:
        table = review[review["team"] == team].reset_index(drop=True)
        if table.empty:
            teams = "、".join(sorted(log["team"].dropna().unique()))
            msg = (f"团队“{team}”在 {comparison.current.last} 之前没有任何记录 / no rows for team "
                   f"{team!r} up to {comparison.current.last}. 现有团队 / teams: {teams}")  # fmt: skip
            raise ValueError(msg)
    else:
        table = review.reset_index(drop=True)
    total = table.drop(columns=["rep", "team"]).sum().to_frame().T.astype("int64")
    total.insert(0, "team", "")
    total.insert(0, "rep", TOTAL)
    review = pd.concat([table, total], ignore_index=True)
    review.attrs["comparison"] = comparison
    return review


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

    from devvolume.viz import FONT_STACK, MAIN_COLOR, MUTED_COLOR

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
                        scale=alt.Scale(domain=weeks, range=[MUTED_COLOR, MAIN_COLOR])),
        tooltip=[alt.Tooltip("rep:N", title="销售员"), alt.Tooltip("week:N", title="周"),
                 alt.Tooltip("count:Q", title=unit)])  # fmt: skip
    return (chart.properties(title=title or f"本周与上周：{measure}", width=480, height=260)
            .configure(font=FONT_STACK).configure_title(anchor="start", fontSize=15)
            .configure_view(stroke=None))  # fmt: skip


def rep_changes(reached: Any, comparison: Comparison, *, team: str | None, reps: list[str],
                level: str = "contacted") -> pd.DataFrame:  # fmt: skip
    """Test each rep's change in new customers between the two windows of a meeting review.

    Every count is a slice (``where={"team": team, "rep": rep}``; without a team, each rep's
    credit in every team) of the company-wide reached
    table, tested with :func:`devvolume.compare_periods` (the core's Poisson rate test): a
    meeting should ask why a number moved only when the move is unlikely to be chance.

    Returns
    -------
    pandas.DataFrame
        ``rep, before, after, p_value, significant``, one row per rep, in ``reps`` order.

    Examples
    --------
    >>> from devvolume.core import like_for_like
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2025-06-02", "2025-06-10"]),
    ...                     "rep": ["A", "A"], "team": ["T", "T"], "customer": ["C1", "C2"],
    ...                     "stage": ["contacted", "contacted"]})
    >>> rep_changes(log, like_for_like("2025-06-15", "W"), team="T", reps=["A"])
      rep  before  after  p_value  significant
    0   A       1      1      1.0        False
    """
    rows = []
    for rep in reps:
        change = compare_periods(reached, before=comparison.previous, after=comparison.current,
                                 metric="volume", level=level,
                                 where={"team": team, "rep": rep} if team else {"rep": rep})  # fmt: skip
        rows.append({"rep": rep, "before": change.before[0], "after": change.after[0],
                     "p_value": round(change.p_value, 4), "significant": change.significant})  # fmt: skip
    return pd.DataFrame(rows, columns=["rep", "before", "after", "p_value", "significant"])
