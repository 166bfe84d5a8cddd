"""Data shared by the exercises of lessons 01–04: the case dataset and a small hand-countable log.

Everything is loaded lazily and cached, so importing an exercise module costs nothing and the
expected answers are computed once, from the same data the learner sees.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from devvolume.sim._datasets import Dataset, load_dataset
from devvolume.core import STAGE_RANK

#: The case dataset of lessons 01–04.
DATASET = "directsales"


@cache
def case() -> Dataset:
    """Return the ``directsales`` case dataset (loaded once)."""
    return load_dataset(DATASET)


def worklog() -> pd.DataFrame:
    """Return a copy of the case work log, so a question can never change the learner's data."""
    return case().worklog.copy()


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


def _frame(rows: list[tuple[str, str, str, str, str]], *, team: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date", "rep", "customer", "stage", "activity"])
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[us]")
    frame.insert(2, "team", team)
    return frame


def practice_worklog() -> pd.DataFrame:
    """Return a 16-row work log for exercise 01: the same traps as the toy log, new faces.

    The lesson counts :func:`toy_worklog` (April) in the open; the exercise asks the same
    questions of this log (May), so the answer is not on the lesson's page.
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
        ("2026-05-27", "赵敏", "永安物流", "qualified", "电话"),
        ("2026-06-02", "陈晨", "隆兴汽配", "won", "拜访"),
    ]
    return _frame(rows, team="华南一组")


def in_month(log: pd.DataFrame, month: str) -> pd.DataFrame:
    """Rows dated in the calendar month ``"YYYY-MM"``."""
    return log[log["date"].dt.strftime("%Y-%m") == month]


def in_range(log: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """Rows dated from ``first`` to ``last``, both included."""
    return log[(log["date"] >= pd.Timestamp(first)) & (log["date"] <= pd.Timestamp(last))]


def at_or_above(log: pd.DataFrame, level: str) -> pd.DataFrame:
    """Rows whose stage is ``level`` or later (a lost row counts as a contact)."""
    return log[log["stage"].map(STAGE_RANK) >= STAGE_RANK[level]]


def first_dates(log: pd.DataFrame, level: str) -> pd.Series:
    """Each customer's first date at ``level`` or later: the definition, in plain pandas."""
    return at_or_above(log, level).groupby("customer")["date"].min()
