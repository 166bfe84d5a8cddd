"""The definitions of DESIGN.md written out in plain pandas: the tests' independent recount.

The exercise tests compare every checker's expected answer, and every wrong method a learner
might use, with these functions. Nothing here calls devvolume's metrics: each function is the
definition itself (a customer's first row at a level, the credit on that row, cohorts converted
by anyone, outcomes per customer), small enough to read against DESIGN.md.
"""

from __future__ import annotations

import pandas as pd

#: Order of the levels; a lost row is a contact and nothing more.
LADDER = {"contacted": 0, "qualified": 1, "signed": 2, "won": 3}
#: Credited columns, in the tie-break order of DESIGN.md (after the higher stage).
CREDIT = ("rep", "team", "channel")


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def month_last(first: str) -> str:
    return f"{pd.Timestamp(first) + pd.offsets.MonthEnd(0):%Y-%m-%d}"


def quarter_last(first: str) -> str:
    return f"{pd.Timestamp(first) + pd.offsets.QuarterEnd(0):%Y-%m-%d}"


def reaches(log: pd.DataFrame, level: str) -> pd.Series:
    """The rows that show a customer at ``level`` or later (a lost row shows a contact)."""
    rank = log["stage"].map(LADDER)
    if level == "contacted":
        return rank.notna() | (log["stage"] == "lost")
    return rank >= LADDER[level]


def firsts(log: pd.DataFrame, level: str) -> pd.DataFrame:
    """Each customer's row that set the date it first reached ``level`` (index: customer).

    The earliest row at ``level`` or later; on the same day the higher stage, then the smaller
    rep, team and channel.
    """
    rows = log[reaches(log, level)]
    rows = rows.assign(_rank=rows["stage"].map(LADDER).fillna(0))
    credit = [c for c in CREDIT if c in rows.columns]
    rows = rows.sort_values(["customer", "date", "_rank", *credit],
                            ascending=[True, True, False, *([True] * len(credit))])
    return rows.drop_duplicates("customer").set_index("customer")


def inside(rows: pd.DataFrame, first: str, last: str, **columns: str) -> pd.DataFrame:
    """The rows dated ``first`` to ``last`` (both included) whose ``columns`` have these values."""
    keep = rows["date"].between(day(first), day(last))
    for column, value in columns.items():
        keep &= rows[column] == value
    return rows[keep]


def new_in(log: pd.DataFrame, level: str, first: str, last: str, **credit: str) -> int:
    """New customers at ``level`` from ``first`` to ``last``, credited to ``credit``."""
    return len(inside(firsts(log, level), first, last, **credit))


def rows_in(log: pd.DataFrame, stages: tuple[str, ...], first: str, last: str,
            **on_row: str) -> int:  # fmt: skip
    """Rows whose stage is one of ``stages`` in the window, written by ``on_row``."""
    return len(inside(log[log["stage"].isin(stages)], first, last, **on_row))


def active_in(log: pd.DataFrame, stages: tuple[str, ...], first: str, last: str,
              **on_row: str) -> int:  # fmt: skip
    """Different customers with a row whose stage is one of ``stages`` in the window."""
    return inside(log[log["stage"].isin(stages)], first, last, **on_row)["customer"].nunique()


ANY_STAGE = ("contacted", "qualified", "signed", "won", "lost")


def cohort(log: pd.DataFrame, first: str, last: str, **credit: str) -> tuple[int, int]:
    """(converted, cohort): customers first contacted in the window and credited, won by anyone."""
    members = inside(firsts(log, "contacted"), first, last, **credit).index
    won = firsts(log, "won").index
    return int(members.isin(won).sum()), len(members)


def share(counts: tuple[int, int]) -> float:
    return counts[0] / counts[1]


def outcomes(log: pd.DataFrame) -> pd.DataFrame:
    """Each customer with a known outcome: its row that set it (won beats any lost row).

    Index: customer; ``outcome`` is ``won`` or ``lost``.
    """
    won = firsts(log, "won").assign(outcome="won")
    lost_rows = log[(log["stage"] == "lost") & ~log["customer"].isin(won.index)]
    lost = lost_rows.sort_values(["customer", "date", *[c for c in CREDIT if c in log]])
    lost = lost.drop_duplicates("customer").set_index("customer").assign(outcome="lost")
    return pd.concat([won, lost])


def win_counts(log: pd.DataFrame, first: str = "1900-01-01", last: str = "2999-12-31",
               **credit: str) -> tuple[int, int]:  # fmt: skip
    """(won, lost) customers whose outcome fell in the window, credited to ``credit``."""
    known = inside(outcomes(log), first, last, **credit)
    return int((known["outcome"] == "won").sum()), int((known["outcome"] == "lost").sum())


def win_share(counts: tuple[int, int]) -> float:
    return counts[0] / (counts[0] + counts[1])


def stalled(log: pd.DataFrame, as_of: str, idle_days: int,
            from_level: str = "qualified") -> pd.DataFrame:  # fmt: skip
    """Customers past ``from_level``, neither won nor lost, idle ``idle_days`` days on ``as_of``.

    Index: customer; ``level`` the highest reached, ``team``/``rep`` the credit of that level.
    """
    seen = log[log["date"] <= day(as_of)]
    closed = set(seen.loc[seen["stage"].isin(["won", "lost"]), "customer"])
    last_day = seen.groupby("customer")["date"].max()
    rows = []
    for level in ("signed", "qualified", "contacted"):
        if LADDER[level] < LADDER[from_level]:
            break
        rows.append(firsts(seen, level).assign(level=level))
    table = pd.concat(rows)
    table = table[~table.index.duplicated(keep="first")]     # the highest level first
    table = table[~table.index.isin(closed)]
    idle = (day(as_of) - last_day.reindex(table.index)).dt.days
    return table[idle >= idle_days]


def retention(orders: pd.DataFrame, month: str, *, inactive_after: int = 3) -> dict[str, int]:
    """S, N and E of a month: a customer counts while it ordered in the last 3 months."""
    number = orders["date"].dt.year * 12 + orders["date"].dt.month
    at = day(month).year * 12 + day(month).month

    def alive(end: int) -> set[str]:
        return set(orders.loc[(number <= end) & (number > end - inactive_after), "customer"])

    first_month = number.groupby(orders["customer"]).min()
    return {"S": len(alive(at - 1)), "N": int((first_month == at).sum()), "E": len(alive(at))}


def monthly_actuals(log: pd.DataFrame, targets: pd.DataFrame, level: str = "won") -> pd.DataFrame:
    """Every rep's monthly target and new customers at ``level`` credited to them."""
    new = firsts(log, level)
    new = new.assign(period=new["date"].dt.to_period("M").dt.start_time)
    counts = new.groupby(["rep", "period"]).size().rename("actual")
    table = targets.merge(counts.reset_index(), on=["rep", "period"], how="left")
    return table.assign(actual=table["actual"].fillna(0).astype(int))


# --- a CRM export (exercise 06 q5): accounts and deals -------------------------------------------

#: The order that decides which deal sets an account's outcome on one day (DESIGN.md's credit rule).
DEAL_ORDER = ["close_date", "sales_agent", "team", "opportunity_id"]


def crm_deals(export: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """The deals an import of a pipeline export writes, one row each, with the rep's team.

    A deal with no date at all, or with no account, is left out (counted by the import, in no
    measure); a rep's team is their manager in the roster (``sales_teams.csv``).
    """
    dated = export["engage_date"].notna() | export["close_date"].notna()
    deals = export[dated & export["account"].notna()]
    teams = dict(zip(roster["sales_agent"], roster["manager"], strict=True))
    return deals.assign(team=deals["sales_agent"].map(teams),
                        close_date=pd.to_datetime(deals["close_date"]))  # fmt: skip


def crm_win_rates(deals: pd.DataFrame, team: str | None = None) -> dict[str, float]:
    """The customer and the deal win rate, as ``{"客户": …, "商机": …}``.

    An account is won when any of its deals is won, credited to the team of its first won deal;
    lost when it has lost deals and none won, credited to the team of its first lost deal. A deal
    is won or lost by its stage; open deals count in neither.
    """
    won_deals = deals[deals["deal_stage"] == "Won"]
    lost_deals = deals[deals["deal_stage"] == "Lost"]
    won = won_deals.sort_values(DEAL_ORDER).drop_duplicates("account")
    lost = lost_deals[~lost_deals["account"].isin(won["account"])].sort_values(DEAL_ORDER)
    lost = lost.drop_duplicates("account")
    if team is not None:
        won, lost = won[won["team"] == team], lost[lost["team"] == team]
        won_deals, lost_deals = won_deals[won_deals["team"] == team], lost_deals[lost_deals["team"] == team]
    return {"客户": len(won) / (len(won) + len(lost)),
            "商机": len(won_deals) / (len(won_deals) + len(lost_deals))}


def crm_deal_counts(deals: pd.DataFrame, team: str) -> tuple[int, int, int]:
    """A team's deals won, lost and still open."""
    mine = deals.loc[deals["team"] == team, "deal_stage"]
    return int((mine == "Won").sum()), int((mine == "Lost").sum()), int((~mine.isin(["Won", "Lost"])).sum())
