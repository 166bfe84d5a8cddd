"""Data shared by the exercises: the exercise edition of the case, three small logs, row pickers.

The exercises of lessons 01–04 and 06 use the *exercise edition* of the ``directsales`` case
(:func:`exercise_data`): the lessons' work log plus some later rows: a won customer orders again
from its rep, and another team follows a customer up (a repeat deal with a won customer, another
try with a lost one, a call to a customer still open). Those rows change no customer's first date at any level and no
outcome, so every new-customer count, cohort, win rate and target the lessons quote holds in the
exercises too; but rows, active customers and a log cut to one team first now give other numbers,
as in a real company where teams share customers. The data the lessons quote stay untouched.

Every expected answer is a core result (:mod:`devvolume.core`) computed on the whole company's
log; the helpers here only pick the row of one period (named by its first day) and one group out
of such a result, so a team's figure is always a slice of the company's. The data and its
reached-levels table are loaded lazily and cached: importing an exercise module costs nothing,
and the answers come from the same data the learner sees.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import pandas as pd

from devvolume.core import compare_periods, reached_levels
from devvolume.inputs import import_crm
from devvolume.sim import Dataset, load_dataset

#: The case dataset of the exercises.
DATASET = "directsales"


@cache
def case() -> Dataset:
    """Return the ``directsales`` case dataset (loaded once)."""
    return load_dataset(DATASET)


#: Every how many-th won customer (in the order of that date) orders again from the same rep, and
#: how many days after the first deal.
REPEAT_EVERY = 4
REPEAT_AFTER_DAYS = 7
#: Every how many-th closed customer (won or lost, in the order of that date) another team follows
#: up, and how many days after the outcome.
FOLLOW_UP_EVERY = 5
FOLLOW_UP_AFTER_DAYS = 20
#: Days between another try with a lost customer and losing it again.
LOST_AGAIN_AFTER_DAYS = 7
#: Every how many-th customer still open after 意向 gets a call from another team's rep, and
#: how many days after its last row.
CALL_EVERY = 4
CALL_AFTER_DAYS = 10
#: Reps whose rows exercise 04 counts as the lesson does (activities per new customer): they
#: follow up nobody.
KEEP_ROWS_OF = ("张伟",)
_FOLLOW_UP = "接手跟进"


@cache
def exercise_data() -> Dataset:
    """Return the exercise edition of the case: its work log has the follow-up rows.

    The orders, targets and reps are the case's. The follow-ups (see the module's docstring)
    change no customer's first date at any level and no outcome.

    Examples
    --------
    >>> data = exercise_data()
    >>> len(data.worklog) > len(case().worklog), data.worklog["date"].max() == case().worklog["date"].max()
    (True, True)
    """
    log = case().worklog
    extra = pd.concat([_repeat_deals(log), _follow_ups(log), _calls(log)], ignore_index=True)
    extra = extra[extra["date"] <= log["date"].max()]
    merged = pd.concat([log, extra.astype(log.dtypes.to_dict())], ignore_index=True)
    merged = merged.sort_values(["date", "team", "rep", "customer"], kind="stable",
                                ignore_index=True)  # fmt: skip
    return dataclasses.replace(case(), worklog=merged)


def _weekday(day: pd.Timestamp) -> pd.Timestamp:
    """Move a weekend day to the Monday after (the case's reps work Monday to Friday)."""
    return day + pd.Timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _next_team(log: pd.DataFrame) -> dict[str, tuple[str, list[str]]]:
    """Each team's neighbour (the next in name order) and the neighbour's reps who follow up."""
    teams = sorted(log["team"].unique())
    reps = {team: sorted(set(log.loc[log["team"] == team, "rep"]) - set(KEEP_ROWS_OF))
            for team in teams}  # fmt: skip
    return {team: (teams[(i + 1) % len(teams)], reps[teams[(i + 1) % len(teams)]])
            for i, team in enumerate(teams)}  # fmt: skip


def _repeat_deals(log: pd.DataFrame) -> pd.DataFrame:
    """Every REPEAT_EVERY-th won customer orders again from its rep a week later (a 成交 row)."""
    won = log[(log["stage"] == "won") & ~log["rep"].isin(KEEP_ROWS_OF)]
    won = won.sort_values(["date", "customer"]).drop_duplicates("customer", ignore_index=True)
    picked = won.iloc[REPEAT_EVERY - 1::REPEAT_EVERY]
    days = picked["date"] + pd.Timedelta(days=REPEAT_AFTER_DAYS)
    return picked.assign(date=[_weekday(day) for day in days], activity="拜访",
                         amount=(picked["amount"] / 2).round(-2), note="回头单")  # fmt: skip


def _follow_ups(log: pd.DataFrame) -> pd.DataFrame:
    """Every FOLLOW_UP_EVERY-th closed customer, followed up by the next team's rep.

    A won customer gets a repeat deal (a 成交 row); a lost one another try (a 首次接触 row, then
    a 流失 row a week later). Neither changes a first date or an outcome.
    """
    won = log[log["stage"] == "won"].sort_values("date").drop_duplicates("customer")
    lost = log[(log["stage"] == "lost") & ~log["customer"].isin(won["customer"])]
    lost = lost.sort_values("date").drop_duplicates("customer")
    closed = pd.concat([won, lost]).sort_values(["date", "customer"], ignore_index=True)
    picked = closed.iloc[FOLLOW_UP_EVERY - 1::FOLLOW_UP_EVERY]
    neighbours = _next_team(log)
    rows = []
    for number, row in enumerate(picked.itertuples(index=False)):
        team, reps = neighbours[row.team]
        rep = reps[number % len(reps)]
        day = _weekday(row.date + pd.Timedelta(days=FOLLOW_UP_AFTER_DAYS))
        base = {"rep": rep, "team": team, "customer": row.customer, "channel": row.channel,
                "note": _FOLLOW_UP}  # fmt: skip
        if row.stage == "won":
            rows.append({**base, "date": day, "stage": "won", "activity": "拜访",
                         "amount": float(round(row.amount / 2, -2))})  # fmt: skip
        else:
            again = _weekday(day + pd.Timedelta(days=LOST_AGAIN_AFTER_DAYS))
            rows += [{**base, "date": day, "stage": "contacted", "activity": "电话"},
                     {**base, "date": again, "stage": "lost", "activity": "电话"}]
    return pd.DataFrame(rows)


def _calls(log: pd.DataFrame) -> pd.DataFrame:
    """Every CALL_EVERY-th customer never closed after 意向 gets a call from the next team's rep."""
    closed = log.loc[log["stage"].isin(["won", "lost"]), "customer"]
    open_rows = log[~log["customer"].isin(closed)]
    started = open_rows.loc[open_rows["stage"].isin(["qualified", "signed"]), "customer"]
    last = open_rows[open_rows["customer"].isin(started)].sort_values("date")
    last = last.drop_duplicates("customer", keep="last").sort_values(["date", "customer"])
    neighbours = _next_team(log)
    rows = []
    for number, row in enumerate(last.iloc[CALL_EVERY - 1::CALL_EVERY].itertuples(index=False)):
        team, reps = neighbours[row.team]
        rows.append({"date": _weekday(row.date + pd.Timedelta(days=CALL_AFTER_DAYS)),
                     "rep": reps[number % len(reps)], "team": team, "customer": row.customer,
                     "stage": "contacted", "channel": row.channel, "activity": "电话",
                     "note": _FOLLOW_UP})  # fmt: skip
    return pd.DataFrame(rows)


@cache
def _crm_worklog() -> pd.DataFrame:
    from devvolume.teach._lessondata import crm_example_files

    export, roster = crm_example_files("pipeline")
    return import_crm(export, roster=roster).worklog


def crm_worklog() -> pd.DataFrame:
    """Return the kit's example CRM export (pipeline format, with its roster) as a work log.

    What ``dv.import_crm`` makes of ``examples/crm/pipeline/``: 144 deals of 85 accounts, one row
    per dated stage event, the deal id in the ``deal`` column. A copy, as :func:`worklog`.

    Examples
    --------
    >>> log = crm_worklog()
    >>> log["customer"].nunique(), log["deal"].nunique()
    (85, 144)
    """
    return _crm_worklog().copy()


def worklog() -> pd.DataFrame:
    """Return a copy of the exercises' work log, so a question can never change the learner's data."""
    return exercise_data().worklog.copy()


@cache
def reached() -> pd.DataFrame:
    """Return the exercises' reached-levels table (computed once, for the whole company)."""
    table: pd.DataFrame = reached_levels(exercise_data().worklog)
    return table


def rows_of(table: pd.DataFrame, period: str | None = None, **groups: str) -> pd.DataFrame:
    """Pick the rows of a core result for one period (its first day) and one group.

    Examples
    --------
    >>> t = pd.DataFrame({"period": pd.to_datetime(["2026-04-01", "2026-04-01", "2026-05-01"]),
    ...                   "team": ["T1", "T2", "T1"], "volume": [3, 1, 2]})
    >>> rows_of(t, "2026-04-01", team="T2")["volume"].tolist()
    [1]
    """
    keep = pd.Series(True, index=table.index)
    if period is not None:
        keep &= table["period"] == pd.Timestamp(period)
    for column, value in groups.items():
        keep &= table[column] == value
    return table[keep]


def value_of(table: pd.DataFrame, column: str, period: str | None = None, **groups: str) -> float:
    """Return the one value of ``column`` in the row :func:`rows_of` picks.

    Examples
    --------
    >>> t = pd.DataFrame({"period": pd.to_datetime(["2026-04-01"]), "volume": [3]})
    >>> value_of(t, "volume", "2026-04-01")
    3.0
    """
    picked = rows_of(table, period, **groups)
    if len(picked) != 1:
        msg = f"expected one row for period={period!r}, {groups}, found {len(picked)}"
        raise LookupError(msg)
    return float(picked[column].iloc[0])


def per_group(table: pd.DataFrame, key: str, column: str, period: str | None = None,
              **groups: str) -> dict[str, float]:  # fmt: skip
    """Return ``{group: value}`` from the rows :func:`rows_of` picks.

    Examples
    --------
    >>> t = pd.DataFrame({"period": pd.to_datetime(["2026-04-01", "2026-04-01"]),
    ...                   "rep": ["A", "B"], "volume": [3, 0]})
    >>> per_group(t, "rep", "volume", "2026-04-01")
    {'A': 3.0, 'B': 0.0}
    """
    picked = rows_of(table, period, **groups)
    return {str(k): float(v) for k, v in zip(picked[key], picked[column], strict=True)}


def new_between(table: pd.DataFrame, *, level: str, first: str, last: str,
                **groups: str) -> int:  # fmt: skip
    """Count the customers who first reached ``level`` from ``first`` to ``last`` (both included).

    Only for *mistaken* calendars (a week read as "the 1st to the 7th", a month of 30 days, a
    week that runs into next Monday): the right answers use the core's whole periods. The core
    (:func:`~devvolume.compare_periods`, which counts any window) decides "first time" and
    credit; ``groups`` slices the company's count, e.g. ``team="华东一组"``.

    Examples
    --------
    >>> log = pd.DataFrame({"date": pd.to_datetime(["2026-04-01", "2026-04-08"]),
    ...                     "customer": ["C1", "C2"], "stage": ["contacted", "contacted"]})
    >>> new_between(log, level="contacted", first="2026-04-01", last="2026-04-07")
    1
    """
    window = (first, last)
    result = compare_periods(table, before=window, after=window, metric="volume", level=level,
                             where=groups or None)  # fmt: skip
    count: int = result.before[0]
    return count


def toy_worklog() -> pd.DataFrame:
    """Return a 13-row work log of one team, small enough to count by hand (lesson 01).

    It holds every trap of the definition: repeat contacts, a customer whose only row is
    成交 (contact, interest and signing are implied that day), customers lost at the first
    contact (a lost row is a contact), and an old customer who is merely active in April.
    """
    rows = [
        ("2026-03-30", "王磊", "恒达贸易", "contacted", "电话"),
        ("2026-04-02", "王磊", "恒达贸易", "contacted", "拜访"),
        ("2026-04-03", "李娜", "万通物流", "won", "拜访"),
        ("2026-04-08", "李娜", "华联超市", "contacted", "电话"),
        ("2026-04-09", "李娜", "华联超市", "contacted", "微信"),
        ("2026-04-10", "王磊", "恒达贸易", "signed", "拜访"),
        ("2026-04-14", "李娜", "华联超市", "contacted", "拜访"),
        ("2026-04-16", "王磊", "金桥科技", "lost", "电话"),
        ("2026-04-22", "李娜", "宏远医疗", "lost", "电话"),
        ("2026-04-24", "王磊", "永信家居", "contacted", "电话"),
        ("2026-04-28", "王磊", "永信家居", "contacted", "拜访"),
        ("2026-04-29", "王磊", "永信家居", "contacted", "微信"),
        ("2026-05-06", "王磊", "恒达贸易", "won", "拜访"),
    ]
    return _frame(rows, team="华东一组")


def practice_worklog() -> pd.DataFrame:
    """Return a 20-row work log for exercise 01: the toy log's traps, new faces, and a hand-over.

    The lesson counts :func:`toy_worklog` (April) in the open; the exercise asks the same
    questions of this log (May), so the answer is not on the lesson's page. Besides repeat
    contacts, implied stages and customers lost at the first contact, one customer is handed
    over: 陈晨 makes the first contact with 富源建材, 赵敏 takes it on to 意向, so crediting the
    rep who brought a customer furthest gives another answer than crediting the first contact,
    and counting each rep's rows on their own counts 富源建材 twice. April and June have new
    faces too, so the month next door gives its own, wrong, number.
    """
    rows = [
        ("2026-04-28", "陈晨", "百川机械", "contacted", "电话"),
        ("2026-04-29", "赵敏", "永安物流", "contacted", "拜访"),
        ("2026-05-06", "陈晨", "百川机械", "qualified", "拜访"),
        ("2026-05-07", "赵敏", "嘉禾电子", "contacted", "电话"),
        ("2026-05-08", "赵敏", "嘉禾电子", "contacted", "微信"),
        ("2026-05-11", "陈晨", "隆兴汽配", "signed", "拜访"),
        ("2026-05-12", "赵敏", "润达服饰", "lost", "电话"),
        ("2026-05-13", "陈晨", "祥和商贸", "contacted", "电话"),
        ("2026-05-14", "陈晨", "祥和商贸", "contacted", "微信"),
        ("2026-05-15", "陈晨", "祥和商贸", "contacted", "拜访"),
        ("2026-05-18", "陈晨", "祥和商贸", "contacted", "演示"),
        ("2026-05-19", "赵敏", "嘉禾电子", "qualified", "拜访"),
        ("2026-05-20", "陈晨", "百川机械", "signed", "拜访"),
        ("2026-05-21", "赵敏", "安泰食品", "won", "拜访"),
        ("2026-05-22", "陈晨", "富源建材", "contacted", "电话"),
        ("2026-05-26", "赵敏", "富源建材", "qualified", "拜访"),
        ("2026-05-27", "赵敏", "永安物流", "qualified", "电话"),
        ("2026-06-02", "陈晨", "隆兴汽配", "won", "拜访"),
        ("2026-06-03", "陈晨", "恒信建工", "contacted", "电话"),
        ("2026-06-04", "赵敏", "瑞丰印务", "contacted", "拜访"),
    ]
    return _frame(rows, team="华南一组")


def weekend_worklog() -> pd.DataFrame:
    """Return a 17-row work log of a trade-fair team that works weekends (exercise 02, q1).

    The case data has no weekend rows, so a week that starts on Sunday counts the same as the
    ISO week there. This team meets customers at fairs on Saturdays and Sundays, around ISO
    week 14 of 2026 (Monday 2026-03-30 to Sunday 2026-04-05): the ISO week, a week from Sunday,
    a week "from the 1st to the 7th", the contact rows, the active customers, the weekdays only
    and the weeks before and after all give different numbers.
    """
    rows = [
        ("2026-03-20", "周凯", "远航电器", "contacted", "电话"),
        ("2026-03-29", "周凯", "鼎盛家具", "contacted", "展会"),
        ("2026-03-30", "孙丽", "华美灯饰", "contacted", "电话"),
        ("2026-03-31", "孙丽", "华美灯饰", "contacted", "拜访"),
        ("2026-04-01", "周凯", "鼎盛家具", "qualified", "拜访"),
        ("2026-04-02", "孙丽", "顺达五金", "contacted", "电话"),
        ("2026-04-02", "孙丽", "华美灯饰", "contacted", "微信"),
        ("2026-04-03", "周凯", "远航电器", "signed", "拜访"),
        ("2026-04-03", "孙丽", "顺达五金", "contacted", "微信"),
        ("2026-04-03", "周凯", "广利包装", "contacted", "电话"),
        ("2026-04-04", "周凯", "金鼎陶瓷", "contacted", "展会"),
        ("2026-04-04", "周凯", "金鼎陶瓷", "contacted", "微信"),
        ("2026-04-05", "孙丽", "恒通机电", "contacted", "展会"),
        ("2026-04-05", "孙丽", "百盛超市", "won", "展会"),
        ("2026-04-06", "周凯", "新华文具", "contacted", "电话"),
        ("2026-04-07", "孙丽", "顺达五金", "qualified", "拜访"),
        ("2026-04-07", "孙丽", "天成纺织", "contacted", "电话"),
    ]
    return _frame(rows, team="会展一组")


def _frame(rows: list[tuple[str, str, str, str, str]], *, team: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date", "rep", "customer", "stage", "activity"])
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[us]")
    frame.insert(2, "team", team)
    return frame
